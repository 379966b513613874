"""Lote limits, the one-minute rule per CUIT, HTTP 524 and a refusal in the
middle of a lote: each as the provider's docs describe it."""

from __future__ import annotations

import time

import requests

from tusfacturas_sandbox import SANDBOX_CREDENTIALS, SANDBOX_CUIT
from tusfacturas_sandbox.samples import invoice_payload

from .test_rules import accepted, d, queued, refused
from .test_rules_special import _export, _fce_invoice

LOTES = "facturacion/lotes"
OTHER = {"apikey": "2222", "apitoken": "t2", "usertoken": "u2"}
OTHER_CUIT = "20222222223"
# What AFIP does to a CUIT that sends too fast (seed tusfacturas-api-intro.md).
BLOCKED = "No podra emitir comprobantes por unos minutos"


def _next_number(call, tipo="FACTURA B", pv=2) -> int:
    answer = call(
        "facturacion/numeracion", {"comprobante": {"tipo": tipo, "punto_venta": pv}}
    )
    return int(answer["comprobante"]["numero"])


# -- instant lotes: the current page's limits ------------------------------
def test_instant_lote_holds_at_most_20_with_the_documented_shape(call):
    answer = call(
        LOTES, {"requests": [invoice_payload(numero=n) for n in range(1, 22)]}
    )
    refused(answer, "TFC-7015")
    assert answer["response"] == []
    assert "21 requests" in answer["errores"][0] and "20" in answer["errores"][0]
    assert _next_number(call) == 1, "nothing of a refused lote is issued"
    answer = accepted(
        call(LOTES, {"requests": [invoice_payload(numero=n) for n in range(1, 21)]})
    )
    assert [item["comprobante_nro"] for item in answer["response"]][-1] == (
        "00002-00000020"
    )


def test_queued_lote_keeps_its_limit_of_100(call, sandbox):
    many = [queued(f"q-{n}", 1) for n in range(101)]
    refused(call("facturacion/lotes_encola", {"requests": many}), "TFC-7015")
    assert sandbox.state.records == []
    answer = accepted(call("facturacion/lotes_encola", {"requests": many[:100]}))
    assert len(answer["response"]) == 100


def test_lote_refusals_issue_nothing(call):
    """Mixed types, numbers or dates out of order, E and FCE: "Si se detecta
    al menos un (1) error de validación ... el lote no se mandará a procesar"."""
    mixed = [invoice_payload(), invoice_payload(), invoice_payload(tipo="FACTURA C")]
    answer = refused(call(LOTES, {"requests": mixed}), "TFC-7015")
    assert (
        "El comprobante enviado en la fila 2 (comenzando en 0) tiene un tipo de "
        "comprobante diferente." in answer["errores"]
    )
    numbers = [invoice_payload(numero=1), invoice_payload(numero=3)]
    numbers.append(invoice_payload(numero=2))
    refused(call(LOTES, {"requests": numbers}), "TFC-7015")
    dates = [
        invoice_payload(),
        invoice_payload(
            fecha=d(-1), periodo_facturado_desde=d(-1), periodo_facturado_hasta=d(-1)
        ),
    ]
    refused(call(LOTES, {"requests": dates}), "TFC-7015")
    refused(call(LOTES, {"requests": [invoice_payload(), _export()]}), "TFC-7015")
    fce = _fce_invoice()
    refused(call(LOTES, {"requests": [fce, _fce_invoice()]}), "TFC-7015")
    assert _next_number(call) == 1
    assert _next_number(call, "FACTURA E") == 1


# -- the one-minute rule ---------------------------------------------------
def test_spacing_is_off_by_default(call):
    accepted(call("facturacion/nuevo", invoice_payload()))
    accepted(call("facturacion/nuevo", invoice_payload()))


def test_generation_requests_of_one_cuit_must_be_spaced(call, sandbox):
    sandbox.add_credentials(**OTHER, cuit=OTHER_CUIT)
    sandbox.set_generation_spacing(0.5)
    accepted(call("facturacion/nuevo", invoice_payload()))
    answer = refused(call("facturacion/nuevo", invoice_payload()), "TFC-7024")
    assert BLOCKED in answer["errores"][0] and SANDBOX_CUIT in answer["errores"][0]
    refused(call(LOTES, {"requests": [invoice_payload()]}), "TFC-7024")
    refused(call("facturacion/nuevo_encola", queued("q-1", 1)), "TFC-7024")
    refused(
        call("facturacion/lotes_encola", {"requests": [queued("q-2", 1)]}), "TFC-7024"
    )
    # Lookups are not generation requests; another CUIT has its own pace.
    assert _next_number(call) == 2
    accepted(call("facturacion/nuevo", {**invoice_payload(), **OTHER}))
    assert len(sandbox.state.records) == 2, "a refused request issues nothing"
    # A refused request is a request: the block runs from the last one.
    time.sleep(0.6)
    accepted(call(LOTES, {"requests": [invoice_payload(), invoice_payload()]}))
    time.sleep(0.6)
    accepted(call("facturacion/nuevo_encola", queued("q-3", 1)))


def test_spacing_over_the_control_api_and_reset(call, sandbox):
    response = requests.post(
        f"{sandbox.origin}/_sandbox/spacing", json={"seconds": 30}, timeout=5
    )
    assert response.json() == {"ok": True}
    accepted(call("facturacion/nuevo", invoice_payload()))
    refused(call("facturacion/nuevo", invoice_payload()), "TFC-7024")
    sandbox.reset()
    accepted(call("facturacion/nuevo", invoice_payload()))
    accepted(call("facturacion/nuevo", invoice_payload()))


# -- faults: HTTP 524 and a refusal in the middle of a lote ------------------
def test_524_after_processing(call, sandbox):
    """The lotes page: on a 524 "los comprobantes que enviaste, seguirán siendo
    procesados en background, pero no recibirás la respuesta"."""
    sandbox.set_fault("timeout_524", endpoints=[LOTES])
    response = requests.post(
        f"{sandbox.url}/{LOTES}",
        json={**SANDBOX_CREDENTIALS, "requests": [invoice_payload()] * 2},
        timeout=10,
    )
    assert response.status_code == 524
    assert "text/html" in response.headers["Content-Type"]
    assert [r.numero for r in sandbox.state.records] == [1, 2]
    assert all(r.cae for r in sandbox.state.records)
    accepted(call(LOTES, {"requests": [invoice_payload()]}))  # consumed


def test_524_then_processed_in_background(sandbox):
    """The lotes_encola page: on a 524 "los requests que enviaste, seguirán
    siendo procesados en background": not there at once, there later."""
    sandbox.set_fault("background_524", endpoints=["facturacion/nuevo_encola"],
                      seconds=0.3)  # fmt: skip
    response = requests.post(
        f"{sandbox.url}/facturacion/nuevo_encola",
        json={**SANDBOX_CREDENTIALS, **queued("bg-1", 1)},
        timeout=10,
    )
    assert response.status_code == 524
    assert "text/html" in response.headers["Content-Type"]
    assert sandbox.state.records == []
    deadline = time.monotonic() + 5
    while not sandbox.state.records and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [r.external_reference for r in sandbox.state.records] == ["bg-1"]


def test_afip_reject_with_offset_refuses_the_middle_and_the_later_ones(call, sandbox):
    sandbox.set_fault("afip_reject", endpoints=[LOTES], offset=1, message="Cod: 10036")
    answer = call(LOTES, {"requests": [invoice_payload() for _ in range(4)]})
    first, middle, *later = answer["response"]
    assert answer["error"] == "S"
    assert first["error"] == "N" and first["cae"].strip()
    assert first["comprobante_nro"] == "00002-00000001"
    assert middle["error"] == "S" and middle["errores"] == ["Cod: 10036"]
    assert [item["error"] for item in later] == ["S", "S"]
    assert all("anterior del lote" in item["errores"][0] for item in later)
    assert _next_number(call) == 2
    assert sandbox.state.faults == []


def test_fault_offset_over_the_control_api(call, sandbox):
    requests.post(
        f"{sandbox.origin}/_sandbox/fault",
        json={"kind": "afip_reject", "endpoints": [LOTES], "offset": 2},
        timeout=5,
    ).raise_for_status()
    answer = call(LOTES, {"requests": [invoice_payload() for _ in range(3)]})
    assert [item["error"] for item in answer["response"]] == ["N", "N", "S"]
