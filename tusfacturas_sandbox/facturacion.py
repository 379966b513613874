"""``facturacion/nuevo`` and ``facturacion/lotes``: instant issuing."""

from __future__ import annotations

from . import rules
from .errors import E_AFIP, E_BATCH, E_CREDENTIALS, E_QUEUE, ApiError
from .faults import AFIP_DOWN_TEXT
from .issuing import issue, issue_answer, number_error
from .store import CREDENTIAL_KEYS, STATUS_ISSUED
from .util import ext_ref, to_int

MAX_INSTANT_BATCH = 20  # "La cantidad maxima de requests (por lote) debe ser de 20"
MAX_QUEUED_BATCH = 100
ITEM_CREDENTIALS_TEXT = (
    "las credenciales de acceso (apikey, apitoken, usertoken) enviadas en el "
    "request no corresponden con las suyas."
)


def item_credential_errors(item, account, index: int) -> list[tuple]:
    """Each request of a lote carries the account's credentials.

    The 2022 lotes page, "Validaciones que realizamos antes de enviarlos a
    procesar": "Las credenciales de acceso enviadas en cada request deben
    corresponder con las suyas" (its example repeats them in every request);
    the current pages want each "{objeto_comprobante}" "incluyendo todos sus
    campos", as the comprobante pages print them, credentials first.
    """
    sent = item if isinstance(item, dict) else {}
    wanted = (account.apikey, account.apitoken, account.usertoken)
    if tuple(str(sent.get(key) or "") for key in CREDENTIAL_KEYS) == wanted:
        return []
    return [(E_CREDENTIALS, rules.row_text(index, ITEM_CREDENTIALS_TEXT))]


def queue_blocks(state, account) -> list[tuple]:
    """async FAQ: with comprobantes in the queue, instant requests are refused."""
    waiting = [r for r in state.mine(account) if r.status != STATUS_ISSUED]
    if not waiting:
        return []
    return [
        (
            E_QUEUE,
            f"Existen {len(waiting)} comprobantes en cola de procesamiento: solo "
            "podra enviar nuevos comprobantes bajo la modalidad encolada.",
        )
    ]


def nuevo(state, account, body, origin):
    errors = queue_blocks(state, account) + rules.validate(
        body, state=state, account=account
    )
    if errors:
        raise ApiError(errors, external_reference=ext_ref(body))
    with state.lock:
        try:
            record = issue(state, account, body, origin, "facturacion/nuevo")
        except ApiError as error:
            error.extra["external_reference"] = ext_ref(body)
            raise
        return issue_answer(account, record)


def batch_items(body, limit: int) -> list:
    items = body.get("requests")
    if not isinstance(items, list) or not items:
        raise ApiError([(E_BATCH, "No se ha enviado ningun request a procesar.")])
    if len(items) > limit:
        raise ApiError(
            [
                (
                    E_BATCH,
                    f"Esta enviando {len(items)} requests, cuando el limite "
                    f"permitido es {limit}. El lote no se procesara.",
                )
            ],
            response=[],
        )
    return items


def lotes(state, account, body, origin):
    items = batch_items(body, MAX_INSTANT_BATCH)
    errors = [
        error
        for index, item in enumerate(items)
        for error in item_credential_errors(item, account, index)
    ]
    # The lotes page: one validation error and "el lote no se mandara a procesar".
    errors += queue_blocks(state, account) + rules.validate_batch(
        items, state=state, account=account
    )
    if errors:
        raise ApiError(errors)
    with state.lock:
        first = items[0]["comprobante"]
        tipo = first["tipo"].strip()
        pv = to_int(first["punto_venta"])
        expected = state.next_number(account, tipo, pv)
        for index, item in enumerate(items):
            sent = to_int(item["comprobante"].get("numero") or 0) or 0
            if sent and sent != expected + index:
                code, text = number_error(pv, sent, expected + index)
                raise ApiError([(code, rules.row_text(index, text))])
        answers, failed = [], False
        for item in items:
            if failed:  # a refused comprobante refuses all the later ones
                answers.append(batch_rejection(item, None))
                continue
            try:
                record = issue(state, account, item, origin, "facturacion/lotes")
            except ApiError as error:
                failed = True
                answers.append(batch_rejection(item, error))
            else:
                answer = issue_answer(account, record)
                answer["cae_vencimiento"] = answer["vencimiento_cae"]
                answers.append(answer)
        return shape_lotes_answer(state, answers, failed)


LOTES_SHAPES = ("flat", "nested")
LOTES_ORDERS = ("request", "reversed")


def shape_lotes_answer(state, answers: list, failed: bool) -> dict:
    """The lotes answer in one of the shapes the docs show.

    "flat" (the partial-failure example): the items in ``response``.
    "nested" (the success example, "una llamada con 2 requests"): one wrapper
    item whose own ``response`` holds the items, without
    ``external_reference``, as printed; served for a lote without failures.
    Order "reversed": the docs do not promise the requests' order (the queued
    lotes answer a failed row 0 last).
    """
    if state.lotes_order == "reversed":
        answers = answers[::-1]
    if state.lotes_shape == "nested" and not failed:
        items = [
            {k: v for k, v in a.items() if k != "external_reference"} for a in answers
        ]
        answers = [{"error": "N", "errores": [], "response": items}]
    return {"error": "S" if failed else "N", "errores": [], "response": answers}


def batch_rejection(item, error) -> dict:
    extra = dict(error.extra) if error else {}
    if error:
        errors = error.errors
    else:
        errors = [
            (
                E_AFIP,
                "No se proceso: un comprobante anterior del lote fue rechazado."
                + AFIP_DOWN_TEXT,
            )
        ]
    return {
        "error": "S",
        "errores": [text for _code, text in errors],
        "error_details": [{"code": c, "text": t} for c, t in errors if c],
        "cae": "",
        "comprobante_nro": "",
        "external_reference": ext_ref(item),
        "cae_vencimiento": "",
        "observaciones": "",
        "envio_x_mail": "",
        "envio_x_mail_direcciones": "",
        **extra,
    }


ENDPOINTS = {"facturacion/nuevo": nuevo, "facturacion/lotes": lotes}
