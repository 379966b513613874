"""Fault injection: what can go wrong between the client and TusFacturas.

A fault is armed for the next ``times`` requests to some endpoints (all JSON
endpoints when none are given; ``comprobantes/pdf`` names the PDF download).

Kinds that act *before* the request is processed (nothing is issued):
``latency`` (sleep ``seconds``, then answer normally), ``http_500`` (HTTP 500 or
``status``), ``html_error`` (a proxy's HTML page, HTTP 200 or ``status``),
``maintenance`` (the documented maintenance answer, ``seconds`` until its end),
``drop_connection`` (close without an answer).

Kinds that act *after* the request was processed (the comprobante exists):
``timeout_after_issue`` (sleep ``seconds`` before answering),
``invalid_json`` (truncated JSON), ``drop_after_issue`` (close without answer),
``afip_error_after_issue`` (the answer says error, AFIP-side, although the
comprobante was issued: the docs' warning on ``nuevo`` and ``lotes``; its
``message`` in ``errores``, no TusFacturas code, as the docs print ARCA's
errors),
``timeout_524`` (Cloudflare's HTTP 524 page after ``seconds``: the lotes page
says the comprobantes "seguirán siendo procesados en background, pero no
recibirás la respuesta").

``background_524``: Cloudflare's 524 at once, and the request processed
``seconds`` (default 1) later, in background, as the lotes_encola page says
("los requests que enviaste, seguirán siendo procesados en background"): a
lookup in between does not find it yet.

Kinds that change what "AFIP" decides: ``afip_reject`` (the next ``times``
comprobantes are not issued, queued ones too when the queue is processed; the
answer carries ``message``, by default ARCA's generic "Cod: 0", in ``errores``
without a TusFacturas code: a refusal with a specific ARCA code, or a failure
such as "Timeout al conectar con el WS de AFIP" that issued nothing) and
``afip_observation`` (issued, with AFIP ``observaciones``; ``message`` replaces
the text).

``offset`` lets the first ``offset`` matching requests (comprobantes, for the
AFIP kinds) through untouched: ``afip_reject`` with ``offset`` 1 refuses the
second comprobante of a lote, and the lote's later ones with it.
"""

from __future__ import annotations

from dataclasses import dataclass

FAULT_KINDS = frozenset(
    {
        "latency",
        "timeout_after_issue",
        "http_500",
        "html_error",
        "invalid_json",
        "maintenance",
        "drop_connection",
        "drop_after_issue",
        "afip_reject",
        "afip_observation",
        "afip_error_after_issue",
        "timeout_524",
        "background_524",
    }
)
# Taken by the business logic, not by the HTTP layer.
AFIP_KINDS = frozenset({"afip_reject", "afip_observation"})
# Applied after processing (the comprobante exists).
PROCESS_FIRST = frozenset(
    {
        "timeout_after_issue",
        "invalid_json",
        "drop_after_issue",
        "afip_error_after_issue",
        "timeout_524",
    }
)
AFIP_DOWN_TEXT = (
    " AFIP Factura electronica, rechazo el comprobante - ERROR: AFIP rechazo la "
    "generacion del comprobante Cod: 0"
)
AFIP_TIMEOUT_TEXT = (
    "No se pudo obtener respuesta de AFIP/ARCA (timeout del web service). "
    "El comprobante podria haberse generado: consulte antes de reenviar."
)
OBSERVATION_TEXT = (
    "AFIP genero el comprobante pero lo ha marcado como observado por los "
    "siguientes motivos: Observacion: Factura individual, DocTipo: 80, DocNro "
    "{doc} no se encuentra inscripto en condicion ACTIVA en el impuesto (IVA). "
    "[ codigo: 10063 ]. Dichas observaciones no requieren accion de su parte."
)


@dataclass
class Fault:
    kind: str
    endpoints: frozenset | None
    remaining: int | None
    seconds: float | None
    message: str | None
    status: int | None
    offset: int = 0  # matching requests or comprobantes let through first


def make_fault(kind, *, endpoints=None, times=1, seconds=None, message=None,
               status=None, offset=0) -> Fault:  # fmt: skip
    """Build a fault, refusing unknown kinds (``ValueError``)."""
    if kind not in FAULT_KINDS:
        raise ValueError(f"Unknown fault kind {kind!r}")
    if isinstance(endpoints, str):
        endpoints = [endpoints]
    return Fault(
        kind=kind,
        endpoints=(
            frozenset(e.strip("/") for e in endpoints)
            if endpoints is not None
            else None
        ),
        remaining=None if times is None else int(times),
        seconds=None if seconds is None else float(seconds),
        message=message,
        status=None if status is None else int(status),
        offset=max(int(offset or 0), 0),
    )


def error_after_issue(answer: dict, fault: Fault) -> dict:
    """The error answer sent although the request was processed: ARCA's
    failure, without a TusFacturas code (see ``errors.py``)."""
    text = fault.message or AFIP_TIMEOUT_TEXT
    return {
        "error": "S",
        "errores": [text],
        "error_cod": [],
        "error_details": [],
        "external_reference": answer.get("external_reference", ""),
    }
