"""What TusFacturas answers means: observations, rejected vs. outcome unknown,
adopting a found comprobante, PDFs from TusFacturas' hosts, the exchange log.

Real HTTP against the sandbox; the error texts are the provider docs' own.
"""

from __future__ import annotations

import json

import pytest

from tusfacturas import (
    OUTCOME_UNKNOWN,
    REJECTED,
    TusFacturasAfipError,
    TusFacturasForbiddenURL,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
    TusFacturasSeveralUnderReference,
    classify,
)
from tusfacturas import client as client_module
from tusfacturas.errors import ERROR_TABLE
from tusfacturas_sandbox import SANDBOX_CREDENTIALS
from tusfacturas_sandbox.samples import invoice_payload

NUEVO = "facturacion/nuevo"
# The docs' examples (nuevo, lotes and async pages, common-errors page).
COD_0 = (
    " AFIP Factura electronica, rechazo el comprobante - ERROR: AFIP rechazo la "
    "generacion del comprobante Cod: 0"
)
NO_CAE = "AFIP No devolvio el CAE asociado. (Cod. Error #6661141.S1254)"
ASYNC_COD_0 = (
    " AFIP Factura electronica, informa el siguiente error: Cod. Error: #6661145.0 - "
    "AFIP rechazo la generacion del comprobante Si necesitas ayuda, contactanos en "
    "hola@tusfacturas.app"
)
FCHSERV = (
    " AFIP Factura electronica, rechazo el comprobante - ERROR: El campo "
    "FchServDesde no puede ser posterior al campo FchServHasta. Cod: 10032"
)
NUMBERING = (
    " AFIP Factura electronica, informa el siguiente error: Cod. Error: "
    "#6661145.10016 - El numero o fecha del comprobante no se corresponde con el "
    "proximo a autorizar. Consultar metodo FECompUltimoAutorizado."
)
OBSERVED = (
    "AFIP genero el comprobante pero lo ha marcado como observado por los "
    "siguientes motivos: Observacion: Factura individual, DocTipo: 80, DocNro "
    "22222222222 no se encuentra inscripto en condicion ACTIVA en el impuesto "
    "(IVA). [ codigo: 10063 ]. Dichas observaciones no requieren accion de su parte."
)

# The nuevo page's example: a TusFacturas validation with its code, and a text
# without one beside it.
TFC_8004 = [
    "El tipo de documento enviado no es valido",
    "Para la condicion de IVA seleccionada no se permite realizar comprobantes "
    "de tipo B.",
]
LOTE_ROW = (
    "El comprobante enviado en la fila 1 (comenzando en 0) tiene un tipo de "
    "comprobante diferente."
)
# ARCA-side (or TusFacturas-side) failures no row of the table knows.
UNRECOGNISED = [
    "Timeout al conectar con el WS de AFIP",
    "No se pudo obtener respuesta de AFIP",
    "Error interno de la aplicacion",
]


# -- 1. observaciones ---------------------------------------------------------


def test_observations_are_normalised_from_issue_and_query(client, sandbox):
    sandbox.set_fault("afip_observation", endpoints=[NUEVO], message=f"  {OBSERVED} ")
    comp = client.issue(invoice_payload(external_reference="OBS_1"))
    assert comp.cae and comp.is_issued
    assert comp.observations == OBSERVED
    found = client.find_by_external_reference("OBS_1")
    assert found.observations == OBSERVED  # "afip_observaciones" in queries
    plain = client.issue(invoice_payload(external_reference="OBS_2"))
    assert plain.observations == ""


# -- 2. rejected or outcome unknown ----------------------------------------------


@pytest.mark.parametrize(
    ("messages", "kind", "key"),
    [
        ([COD_0], OUTCOME_UNKNOWN, "arca_generic_failure"),
        ([ASYNC_COD_0], OUTCOME_UNKNOWN, "arca_generic_failure"),
        ([NO_CAE, "AFIP No devolvio el CAE asociado. (Cod. Error #6661141.S1278)"],
         OUTCOME_UNKNOWN, "arca_no_cae"),
        (["No se puede establecer la comunicación con ARCA"], OUTCOME_UNKNOWN,
         "arca_unreachable"),
        (["javax.ejb.EJBTransactionRolledbackException"], OUTCOME_UNKNOWN,
         "arca_internal_error"),
        # A specific reason beside ARCA's generic failure: refused.
        ([COD_0, FCHSERV], REJECTED, "service_period"),
        ([ASYNC_COD_0, NUMBERING, NO_CAE], REJECTED, "numbering"),
        (["El punto de venta no se encuentra habilitado para el presente WS en AFIP"],
         REJECTED, "pos_not_web_service"),
        (["Computador no autorizado a acceder al servicio"], REJECTED, "certificate"),
        (["Campo CbteFch debe estar comprendido en el rango N-10 y N+10"],
         REJECTED, "date_out_of_range"),
        (["Error AFIP/ARCA 10041 - No existe el comprobante asociado"], REJECTED,
         "associated_missing"),
        (["El campo Condición IVA receptor no es válido para la clase de "
          "comprobante informado"], REJECTED, "receiver_vat_condition"),
        (["Si informa comprobante MiPyMEs (FCE) del tipo Factura, es obligatorio "
          "informar opcional"], REJECTED, "fce"),
        # The lote pages' own refusals, printed without a TFC code.
        ([LOTE_ROW], REJECTED, "lote_refused"),
        (["Esta enviando 300 requests, cuando el limite permitido es 100. El lote "
          "no se procesara."], REJECTED, "lote_refused"),
    ],
)  # fmt: skip
def test_error_table(messages, kind, key):
    meaning = classify(messages)
    assert meaning.kind == kind
    if key is None:
        assert meaning.hints == []
    else:
        assert key in meaning.keys
        assert len(meaning.hints) == 1, "only the hints of the answer's kind"


@pytest.mark.parametrize("text", UNRECOGNISED)
def test_unrecognised_failure_is_outcome_unknown(text):
    """No row, no TFC code, no specific AFIP code: nothing proves a refusal,
    and the docs warn an error may hide an authorization (nuevo, lotes)."""
    meaning = classify([text])
    assert meaning.kind == OUTCOME_UNKNOWN
    assert meaning.keys == [] and meaning.hints == []
    assert classify([text], ["", None]).kind == OUTCOME_UNKNOWN
    assert classify([]).kind == OUTCOME_UNKNOWN, "an error saying nothing"


@pytest.mark.parametrize(
    ("messages", "codes"),
    [
        # TusFacturas' own validation (the nuevo page's TFC-8004): no hint known.
        (TFC_8004, ["TFC-8004"]),
        (["La external reference enviada, posee caracteres no validos."],
         ["TFC-8002"]),
        # A specific AFIP code proves ARCA looked at it.
        ([f"{UNRECOGNISED[0]}. Cod: 10015"], []),
        ([f"{UNRECOGNISED[2]} Cod. Error: #6661145.10016"], []),
    ],
)  # fmt: skip
def test_validation_refusals_stay_rejections(messages, codes):
    meaning = classify(messages, codes)
    assert meaning.kind == REJECTED
    assert meaning.hints == []


def test_known_arca_failure_wins_over_a_tusfacturas_code():
    assert classify([COD_0], ["TFC-9001"]).kind == OUTCOME_UNKNOWN


@pytest.mark.parametrize("text", UNRECOGNISED)
def test_unrecognised_failure_on_nuevo_keeps_the_outcome_unknown(client, sandbox, text):
    """Over HTTP: "AFIP" answers the text with no TusFacturas code (as the
    docs print ARCA's errors); first without issuing, then after issuing."""
    sandbox.set_fault("afip_reject", endpoints=[NUEVO], message=text)
    with pytest.raises(TusFacturasAfipError) as info:
        client.issue(invoice_payload(external_reference="X_1"))
    assert info.value.messages == [text] and info.value.error_codes == []
    assert client.find_by_external_reference("X_1") is None
    sandbox.set_fault("afip_error_after_issue", endpoints=[NUEVO], message=text)
    with pytest.raises(TusFacturasAfipError):
        client.issue(invoice_payload(external_reference="X_1"))
    found = client.find_by_external_reference("X_1")
    assert found.is_issued and found.numero == 1, "the error hid a CAE"


def test_unrecognised_failure_in_a_lote_is_outcome_unknown(client, sandbox):
    sandbox.set_fault(
        "afip_reject", endpoints=["facturacion/lotes"], message=UNRECOGNISED[1]
    )
    results = client.issue_batch([invoice_payload(numero=n) for n in (1, 2)])
    assert [type(r) for r in results] == [TusFacturasAfipError] * 2


def test_tusfacturas_validation_over_http_stays_a_rejection(client):
    """The sandbox's letter rule answers TFC-8004, as the nuevo page's example."""
    payload = invoice_payload(
        tipo="FACTURA B",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30714101443",
    )
    with pytest.raises(TusFacturasRejected) as info:
        client.issue(payload)
    assert not isinstance(info.value, TusFacturasAfipError)
    assert "TFC-8004" in info.value.error_codes


def test_hints_are_english_one_liners():
    keys = [rule.key for rule in ERROR_TABLE]
    assert len(keys) == len(set(keys))
    for rule in ERROR_TABLE:
        assert rule.kind in (REJECTED, OUTCOME_UNKNOWN)
        assert "\n" not in rule.hint and len(rule.hint) < 160
        assert rule.hint[0].isupper() and rule.hint.endswith(".")


def test_arca_failure_on_nuevo_is_outcome_unknown(client, sandbox):
    sandbox.set_fault("afip_reject", endpoints=[NUEVO], message=NO_CAE)
    with pytest.raises(TusFacturasAfipError) as info:
        client.issue(invoice_payload(external_reference="U_1"))
    error = info.value
    assert isinstance(error, TusFacturasOutcomeUnknown) and error.outcome_unknown
    assert error.code == "afip_error" and error.messages == [NO_CAE]
    # ARCA's errors carry no TusFacturas code (docs); the hint still says it.
    assert error.error_codes == [] and "Verify" in error.hints[0]
    sandbox.set_fault("afip_reject", endpoints=[NUEVO])  # the default Cod: 0
    with pytest.raises(TusFacturasAfipError):
        client.issue(invoice_payload(external_reference="U_1"))


def test_validation_errors_stay_rejections_with_hints(client, sandbox):
    client.issue(invoice_payload())
    with pytest.raises(TusFacturasRejected) as info:
        client.issue(invoice_payload(numero=5))  # the sandbox expects 2
    assert not isinstance(info.value, TusFacturasAfipError)
    assert "Next numbers" in info.value.hints[0]
    assert info.value.keys == ["numbering"]
    sandbox.set_fault("afip_reject", endpoints=[NUEVO], message=FCHSERV)
    with pytest.raises(TusFacturasRejected) as info:
        client.issue(invoice_payload())
    assert "service period" in info.value.hints[0]


# -- 3. adopting a found comprobante -------------------------------------------


def test_queued_or_failed_comprobantes_are_not_issued(client, sandbox):
    client.enqueue(invoice_payload(external_reference="Q_1"))
    queued = client.find_by_external_reference("Q_1")
    assert queued.is_pending and not queued.is_issued and not queued.is_failed
    sandbox.set_fault("afip_reject")
    sandbox.process_queue()
    failed = client.find_by_external_reference("Q_1")
    assert failed.is_failed and not failed.is_issued
    assert client.find_by_external_reference("Q_") is None, "exact match only"


def test_mismatches_compare_type_pos_total_and_customer(client):
    sent = invoice_payload(external_reference="M_1", documento_nro="12345678")
    client.issue(sent)
    found = client.find_by_external_reference("M_1")
    assert found.mismatches(sent) == []
    assert (
        found.mismatches(
            {**sent, "comprobante": {**sent["comprobante"], "tipo": "Factura  B"}}
        )
        == []
    )
    other = invoice_payload(
        external_reference="M_1",
        tipo="FACTURA A",
        punto_venta=3,
        total="999.00",
        documento_tipo="CUIT",
        documento_nro="20-12345679-3",
    )
    fields = {name: (got, want) for name, got, want in found.mismatches(other)}
    assert fields == {
        "tipo": ("FACTURA B", "FACTURA A"),
        "punto_venta": ("2", "3"),
        "total": ("242.00", "999.00"),
        "documento_nro": ("12345678", "20123456793"),
    }


# -- 4. the official PDF ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.tusfacturas.app/app/comprobantes/1.pdf", True),
        ("https://servicios.tusfacturas.app/micrositios/descargas/1", True),
        ("https://tusfacturas.app/x.pdf", True),
        ("https://www.tusfacturas.com.ar/app/comprobantes/1.pdf", True),
        ("http://www.tusfacturas.app/app/comprobantes/1.pdf", False),  # not TLS
        ("https://tusfacturas.app.evil.example/x.pdf", False),
        ("https://eviltusfacturas.app/x.pdf", False),
        ("https://www.dominio.com/00000006.pdf", False),  # the docs' placeholder
        ("https://169.254.169.254/latest/meta-data", False),
        ("file:///etc/passwd", False),
        ("", False),
    ],
)
def test_pdf_hosts(client, url, allowed):
    assert client.pdf_url_allowed(url) is allowed


def test_pdf_from_another_host_needs_explicit_option(sandbox, make_client, caplog):
    api = make_client(pdf_hosts=[])
    comp = api.issue(invoice_payload())
    assert comp.pdf_url.startswith(sandbox.pdf_origin + "/")
    assert not comp.pdf_url.startswith(sandbox.origin)
    with pytest.raises(TusFacturasForbiddenURL):
        api.download_pdf(comp.pdf_url)
    assert sandbox.pdf_origin in caplog.text
    assert comp.pdf_url.rsplit("/", 1)[1] not in caplog.text, "no path logged"
    assert SANDBOX_CREDENTIALS["apitoken"] not in caplog.text
    assert len(sandbox.state.requests_to("comprobantes/pdf")) == 0
    api = make_client(pdf_hosts=[sandbox.pdf_origin])
    assert api.download_pdf(comp.pdf_url).startswith(b"%PDF")
    other_port = sandbox.pdf_origin.rsplit(":", 1)[0] + f":{sandbox.pdf_port + 1}"
    assert not api.pdf_url_allowed(other_port + "/x.pdf")


def test_pdf_size_limit(client, monkeypatch):
    comp = client.issue(invoice_payload())
    monkeypatch.setattr(client_module, "PDF_MAX_BYTES", 200)
    with pytest.raises(TusFacturasOutcomeUnknown, match="larger than"):
        client.download_pdf(comp.pdf_url)


# -- 5. what was sent and received ----------------------------------------------


def test_exchanges_keep_request_and_answer_without_credentials(client, sandbox):
    client.take_exchanges()
    client.find_by_external_reference("X_1")
    client.issue(invoice_payload(external_reference="X_1"))
    lookup, issue = client.take_exchanges()
    assert lookup["endpoint"] == "facturacion/consulta_avanzada"
    assert issue["endpoint"] == NUEVO and issue["status"] == 200
    assert issue["request"]["comprobante"]["external_reference"] == "X_1"
    assert issue["response"]["cae"].endswith(" "), "the answer as received"
    text = repr([lookup, issue])
    for key in ("apitoken", "usertoken"):
        assert SANDBOX_CREDENTIALS[key] not in text
    assert "apikey" not in text
    assert client.take_exchanges() == []
    sandbox.set_fault("html_error", endpoints=[NUEVO])
    with pytest.raises(TusFacturasOutcomeUnknown):
        client.issue(invoice_payload())
    (failed,) = client.take_exchanges()
    assert "Bad Gateway" in failed["response_text"]
    sandbox.set_fault("drop_connection", endpoints=[NUEVO])
    with pytest.raises(TusFacturasOutcomeUnknown):
        client.issue(invoice_payload())
    (dropped,) = client.take_exchanges()
    assert dropped["error"] and "response" not in dropped


def test_lote_requests_carry_the_credentials_never_stored(client, sandbox):
    """Every item of ``requests`` carries the credentials (the sandbox refuses
    a lote item without them, as the 2022 lotes page validates), and the
    stored exchange has none of them, there nor at its top, even when the
    caller built the items with them, as the 2022 page's example does."""
    client.take_exchanges()
    with_credentials = {**SANDBOX_CREDENTIALS, **invoice_payload(numero=2)}
    results = client.issue_batch([invoice_payload(numero=1), with_credentials])
    assert all(r.is_issued for r in results), "accepted: credentials in each item"
    answers = client.enqueue_batch(
        [
            invoice_payload(external_reference="LQ_1"),
            {**SANDBOX_CREDENTIALS, **invoice_payload(external_reference="LQ_2")},
        ]
    )
    assert all(isinstance(a, dict) for a in answers), "queued: each item accepted"
    lote, queued = client.take_exchanges()
    assert lote["endpoint"] == "facturacion/lotes"
    assert queued["endpoint"] == "facturacion/lotes_encola"
    for exchange in (lote, queued):
        assert len(exchange["request"]["requests"]) == 2
        text = json.dumps(exchange, default=str)
        for key, secret in SANDBOX_CREDENTIALS.items():
            assert f'"{key}"' not in text
            if key != "apikey":  # a short number: removed by key only
                assert secret not in text
    assert "apitoken" in with_credentials, "the caller's item is left as it was"
    # The sandbox's own log keeps no credentials either.
    logged = sandbox.requests_to("facturacion/lotes")[0]["requests"]
    assert all("usertoken" not in item for item in logged)


def test_several_issued_under_one_reference_are_never_reduced_to_one(client):
    """TusFacturas does not check external references for uniqueness (field
    reference): two issued under one reference are for a person to sort."""
    client.issue(invoice_payload(numero=1, external_reference="DUP_1"))
    assert client.find_by_external_reference("DUP_1").numero == 1
    client.issue(invoice_payload(numero=2, external_reference="DUP_1"))
    with pytest.raises(TusFacturasSeveralUnderReference) as info:
        client.find_by_external_reference("DUP_1")
    assert len(info.value.numbers) == 2
    assert "a person must decide" in str(info.value)
