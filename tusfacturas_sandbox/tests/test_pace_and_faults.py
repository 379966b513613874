"""Lote limits, the one-minute rule per CUIT, HTTP 524 and a refusal in the
middle of a lote: each as the provider's docs describe it."""

from __future__ import annotations

import time

import requests

from tusfacturas_sandbox import SANDBOX_CREDENTIALS, SANDBOX_CUIT
from tusfacturas_sandbox.samples import invoice_payload

from .test_rules import accepted, arca_error, d, queued, refused
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
        json={
            **SANDBOX_CREDENTIALS,
            "requests": [{**SANDBOX_CREDENTIALS, **invoice_payload()}] * 2,
        },
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


def test_arca_errors_carry_no_tusfacturas_code(call, sandbox):
    """The lotes page prints ARCA's errors in "errores" only (its partial
    failure: "... AFIP rechazo la generacion del comprobante Cod: 0"), so a
    failure ARCA reports, issued or not, comes without a TFC code."""
    text = "Timeout al conectar con el WS de AFIP"
    sandbox.set_fault("afip_reject", endpoints=[LOTES], message=text)
    answer = call(LOTES, {"requests": [invoice_payload() for _ in range(2)]})
    first, later = answer["response"]
    assert arca_error(first)["errores"] == [text]
    assert "anterior del lote" in arca_error(later)["errores"][0]
    assert sandbox.state.records == []
    sandbox.set_fault("afip_reject", endpoints=["facturacion/nuevo"], message=text)
    assert arca_error(call("facturacion/nuevo", invoice_payload()))["errores"] == [text]
    sandbox.set_fault("afip_error_after_issue", endpoints=["facturacion/nuevo"],
                      message=text)  # fmt: skip
    assert arca_error(call("facturacion/nuevo", invoice_payload()))["errores"] == [text]
    assert [r.numero for r in sandbox.state.records] == [1], "the error hid a CAE"


# -- credentials in every request of a lote ----------------------------------
def _raw_lote(sandbox, endpoint, items):
    """A lote with the credentials at its top only (``call`` puts them in
    every request, as the docs ask)."""
    response = requests.post(
        f"{sandbox.url}/{endpoint}",
        json={**SANDBOX_CREDENTIALS, "requests": items},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_lote_request_without_its_credentials_refuses_the_lote(call, sandbox):
    """The 2022 lotes page, "Validaciones que realizamos antes de enviarlos a
    procesar": "Las credenciales de acceso enviadas en cada request deben
    corresponder con las suyas"; the current page: one validation error and
    "el lote no se mandara a procesar"."""
    with_them = {**SANDBOX_CREDENTIALS, **invoice_payload()}
    answer = refused(
        _raw_lote(sandbox, LOTES, [with_them, invoice_payload()]), "TFC-1001"
    )
    assert "fila 1 (comenzando en 0)" in answer["errores"][0]
    assert "credenciales" in answer["errores"][0]
    wrong = {**with_them, "usertoken": OTHER["usertoken"]}
    answer = refused(_raw_lote(sandbox, LOTES, [wrong, with_them]), "TFC-1001")
    assert "fila 0 (comenzando en 0)" in answer["errores"][0]
    assert sandbox.state.records == [] and _next_number(call) == 1
    accepted(_raw_lote(sandbox, LOTES, [with_them, with_them]))
    logged = sandbox.requests_to(LOTES)[-1]["requests"]
    assert all(not set(SANDBOX_CREDENTIALS) & set(item) for item in logged), (
        "the request log keeps no credentials"
    )


def test_queued_lote_request_without_its_credentials_is_refused_alone(sandbox):
    """The lotes_encola page: "Si se detecta al menos un (1) error de
    validación de datos, el lote se procesará parcialmente"."""
    items = [
        {**SANDBOX_CREDENTIALS, **queued("cred-1")},
        queued("cred-2"),
    ]
    answer = _raw_lote(sandbox, "facturacion/lotes_encola", items)
    assert answer["error"] == "S" and "parcialmente" in answer["errores"][0]
    ok, missing = answer["response"]
    accepted(ok)
    refused(missing, "TFC-1001")
    assert missing["external_reference"] == "cred-2"
    assert [r.external_reference for r in sandbox.state.records] == ["cred-1"]


def test_fault_offset_over_the_control_api(call, sandbox):
    requests.post(
        f"{sandbox.origin}/_sandbox/fault",
        json={"kind": "afip_reject", "endpoints": [LOTES], "offset": 2},
        timeout=5,
    ).raise_for_status()
    answer = call(LOTES, {"requests": [invoice_payload() for _ in range(3)]})
    assert [item["error"] for item in answer["response"]] == ["N", "N", "S"]
