"""The asynchronous queue: ``nuevo_encola``, ``lotes_encola`` and their tools.

Queued comprobantes are numbered when emitted (``numero`` 0), on or after their
``fecha``; ``process_queue`` stands for TusFacturas' background worker.
"""

from __future__ import annotations

from datetime import date

from . import rules
from .errors import E_BATCH, E_DATE, E_NOT_FOUND, ApiError, error_answer
from .facturacion import MAX_QUEUED_BATCH, batch_items, item_credential_errors
from .faults import AFIP_DOWN_TEXT
from .issuing import authorise, issue_answer, new_record
from .store import STATUS_ERROR, STATUS_ISSUED, Record
from .util import ext_ref, fmt, parse_date
from .webhooks import emit


def _queued_status(day) -> str:
    return f"APROBADO Y EN COLA. SE EMITE EL {fmt(day)}"


def enqueue(state, account, item) -> dict:
    errors = rules.validate(item, state=state, account=account, queued=True)
    if errors:
        return error_answer(errors, external_reference=ext_ref(item))
    with state.lock:
        record = new_record(state, account, item, status="")
        record.status = _queued_status(record.fecha)
        state.records.append(record)
        emit(state, record, "encolado")
        return issue_answer(account, record)


def lote_item_answer(state, account, item, index: int) -> dict:
    item = item if isinstance(item, dict) else {}
    errors = item_credential_errors(item, account, index)
    if errors:
        return error_answer(errors, external_reference=ext_ref(item))
    return enqueue(state, account, item)


def nuevo_encola(state, account, body, origin):
    return enqueue(state, account, body)


def lotes_encola(state, account, body, origin):
    items = batch_items(body, MAX_QUEUED_BATCH)
    # The page: "Si se detecta al menos un (1) error de validacion de datos, el
    # lote se procesara parcialmente": a request without credentials alone.
    answers = [
        lote_item_answer(state, account, item, index)
        for index, item in enumerate(items)
    ]
    accepted = sum(1 for a in answers if a["error"] == "N")
    if accepted == len(answers):
        return {"error": "N", "errores": [], "response": answers}
    summary = (
        f"Se enviaron a procesar: {len(answers)} requests y se aceptaron "
        f"procesar: {accepted}. "
    )
    if not accepted:
        raise ApiError(
            [
                (
                    E_BATCH,
                    "El lote no se procesara ya que contiene errores en todos "
                    "sus requests. " + summary,
                )
            ],
            response=[],
        )
    return {
        "error": "S",
        "errores": [
            "El lote se procesara parcialmente ya que contiene errores en alguno "
            "de sus requests. " + summary
        ],
        "error_cod": [],
        "error_details": [],
        "response": answers,
    }


def queued(state, account, ext) -> list[Record]:
    return [
        r
        for r in state.records
        if r.usertoken == account.usertoken
        and r.external_reference == ext
        and r.status != STATUS_ISSUED
    ]


def eliminar_encolado(state, account, body, origin):
    """Deletes the queued comprobantes of a reference (and date). The page's
    "éxito parcial": when the reference also names one that cannot be deleted
    any more (already emitted), the answer is "PARCIAL" and lists it."""
    ext = str(body.get("external_reference") or "")
    wanted = parse_date(body.get("fecha"))
    with state.lock:
        named = [
            r
            for r in state.records
            if r.usertoken == account.usertoken
            and r.external_reference == ext
            and (wanted is None or r.fecha == wanted)
        ]
        found = [r for r in named if r.status != STATUS_ISSUED]
        kept = [r for r in named if r.status == STATUS_ISSUED]
        if not found:
            raise ApiError(
                [(E_NOT_FOUND, "No se han encontrado comprobantes.")],
                procesados_cant=0,
                procesados=[],
            )
        for record in found:
            state.records.remove(record)
            emit(state, record, "eliminado")
        state.touch()
    return {
        "error": "PARCIAL" if kept else "N",
        "errores": [
            f"El comprobante {r.tipo} {r.punto_venta:05d}-{r.numero:08d} no se ha "
            "podido eliminar."
            for r in kept
        ],
        "procesados_cant": len(found),
        "procesados": [
            f"El comprobante {r.tipo} {r.punto_venta:05d}-00000000 se ha eliminado "
            "correctamente. "
            for r in found
        ],
    }


def cambiar_fecha_encolado(state, account, body, origin):
    ext = str(body.get("external_reference") or "")
    new_date = parse_date(body.get("fecha"))
    if new_date is None:
        raise ApiError([(E_DATE, "La fecha enviada es invalida. Formato: dd/mm/aaaa")])
    with state.lock:
        found = queued(state, account, ext)
        if not found:
            raise ApiError([(E_NOT_FOUND, "No se han encontrado comprobantes.")])
        record = found[0]
        record.fecha = new_date
        record.comprobante["fecha"] = fmt(new_date)
        if body.get("vencimiento"):
            record.comprobante["vencimiento"] = body["vencimiento"]
        # The FAQ: changing the date sends it back to processing.
        record.status = _queued_status(new_date)
        record.errors = []
        emit(state, record, "cambio_fecha")
        state.touch()
    return {"error": "N", "errores": []}


def reenviar_encolado(state, account, body, origin):
    ext = str(body.get("external_reference") or "")
    with state.lock:
        found = [r for r in queued(state, account, ext) if r.status == STATUS_ERROR]
        if not found:
            raise ApiError([(E_NOT_FOUND, "No se han encontrado comprobantes.")])
        found[0].status = _queued_status(found[0].fecha)
        found[0].errors = []
        emit(state, found[0], "encolado")
        state.touch()
    return {"error": "N", "errores": []}


def process_queue(state, today: date | None = None, origin: str = "") -> int:
    """Issue every queued comprobante dated today or earlier; return how many."""
    today = today or state.today or date.today()
    done = 0
    with state.lock:
        for record in sorted(state.records, key=lambda r: r.seq):
            if record.status in (STATUS_ISSUED, STATUS_ERROR) or record.fecha > today:
                continue
            account = state.accounts.get(record.usertoken)
            fault = state.take_fault("facturacion/nuevo_encola", kinds={"afip_reject"})
            state.touch()
            if fault is not None or account is None:
                record.status = STATUS_ERROR
                record.errors = [(fault and fault.message) or AFIP_DOWN_TEXT.strip()]
                emit(state, record, "error", record.errors)
                continue
            key = state.key(account, record.tipo, record.punto_venta)
            record.numero = state.numbering.get(key, 0) + 1
            state.numbering[key] = record.numero
            authorise(state, account, record, origin, "facturacion/nuevo_encola")
            emit(state, record, "emitido")
            done += 1
    return done


ENDPOINTS = {
    "facturacion/nuevo_encola": nuevo_encola,
    "facturacion/lotes_encola": lotes_encola,
    "facturacion/eliminar_encolado": eliminar_encolado,
    "facturacion/cambiar_fecha_encolado": cambiar_fecha_encolado,
    "facturacion/reenviar_encolado": reenviar_encolado,
}
