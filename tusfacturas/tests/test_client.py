"""Client <-> sandbox over real HTTP: every endpoint and rejection."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests

from tusfacturas import (
    Comprobante,
    TusFacturasAfipError,
    TusFacturasForbiddenURL,
    TusFacturasMaintenance,
    TusFacturasNotSent,
    TusFacturasRejected,
    parse_qr_url,
)
from tusfacturas.client import pair_answers
from tusfacturas_sandbox import SANDBOX_CREDENTIALS, SANDBOX_CUIT
from tusfacturas_sandbox.samples import invoice_payload


def test_issue_returns_normalised_comprobante(client, sandbox):
    comp = client.issue(invoice_payload(external_reference="INV_1"))
    assert isinstance(comp, Comprobante)
    assert (comp.tipo, comp.punto_venta, comp.numero) == ("FACTURA B", 2, 1)
    assert len(comp.cae) == 14 and comp.cae.isdigit()
    assert comp.cae_due_date == date.today() + timedelta(days=10)
    assert comp.fecha == date.today()
    assert comp.total == Decimal("242.00")
    assert comp.external_reference == "INV_1"
    assert not comp.is_testing and not comp.is_pending
    assert comp.afip_codigo_barras.startswith(SANDBOX_CUIT)
    qr = parse_qr_url(comp.afip_qr)
    assert qr["codAut"] == int(comp.cae) and qr["nroCmp"] == 1 and qr["tipoCmp"] == 6
    assert qr["tipoDocRec"] == 96 and qr["importe"] == 242
    # The wire answer keeps the API's quirks; the client strips them.
    raw = requests.post(
        f"{sandbox.url}/facturacion/nuevo",
        json={**SANDBOX_CREDENTIALS, **invoice_payload(numero=2)},
        timeout=5,
    ).json()
    assert raw["cae"].endswith(" ") and raw["afip_qr"].endswith(" ")
    assert raw["afip_codigo_barras"].endswith(" ")
    assert raw["vencimiento_cae"].count("/") == 2
    assert raw["comprobante_nro"] == "00002-00000002"
    assert sandbox.requests_to("facturacion/nuevo")[0]["comprobante"]["tipo"] == (
        "FACTURA B"
    )
    assert "usertoken" not in sandbox.requests_to("facturacion/nuevo")[0]


def test_numbering_sequence_and_mismatch(client):
    assert client.next_number("FACTURA B", 2) == 1
    client.issue(invoice_payload(numero=1))
    client.issue(invoice_payload())
    assert client.next_number("FACTURA B", 2) == 3
    assert client.next_number("FACTURA A", 2) == 1
    assert client.next_number("FACTURA B", 3) == 1
    with pytest.raises(TusFacturasRejected) as info:
        client.issue(invoice_payload(numero=1))
    assert "El proximo numero disponible es: 00002-00000003" in str(info.value)
    assert info.value.error_codes == ["TFC-7002"]
    with pytest.raises(TusFacturasRejected, match="no es correlativo"):
        client.issue(invoice_payload(numero=7))
    assert client.issue(invoice_payload(numero=3)).numero == 3


def test_get_comprobante_and_search(client):
    issued = client.issue(invoice_payload(external_reference="REF-9"))
    found = client.get_comprobante("FACTURA B", 2, issued.numero)
    assert found.cae == issued.cae and found.cae_due_date == issued.cae_due_date
    assert found.total == Decimal("242") and found.fecha == date.today()
    assert found.pdf_url and found.external_reference == "REF-9"
    assert found.status == "EMITIDO" and found.raw["cliente"]["documento_nro"] == (
        "12345678"
    )
    assert client.get_comprobante("FACTURA B", 2, 99) is None
    assert client.get_comprobante("FACTURA A", 2, issued.numero) is None

    by_ref = client.find_by_external_reference("REF-9")
    assert by_ref.numero == issued.numero and by_ref.cae == issued.cae
    assert client.find_by_external_reference("UNKNOWN") is None

    client.issue(invoice_payload())
    by_number = client.search_comprobantes(
        tipo="FACTURA B", punto_venta=2, numero_desde=1, numero_hasta=5
    )
    assert [c.numero for c in by_number] == [2, 1]
    by_date = client.search_comprobantes(fecha=date.today())
    assert len(by_date) == 2
    assert client.search_comprobantes(fecha=date.today() - timedelta(days=1)) == []
    with pytest.raises(TusFacturasRejected):
        client.search_comprobantes("XX")


def test_testing_mode_has_empty_cae(sandbox, make_client):
    sandbox.add_credentials("2222", "tok-b", "user-b", "30712345671", testing=True)
    with make_client(apikey="2222", apitoken="tok-b", usertoken="user-b") as c:
        comp = c.issue(invoice_payload())
        assert comp.cae == "" and comp.cae_due_date is None and comp.is_testing
        assert comp.numero == 1
        assert c.download_pdf(comp.pdf_url).startswith(b"%PDF-")
    with make_client() as c:  # the unreal point of sale 679
        comp = c.issue(invoice_payload(punto_venta=679))
        assert comp.is_testing and comp.punto_venta == 679


def test_download_pdf(client, sandbox):
    comp = client.issue(invoice_payload())
    pdf = client.download_pdf(comp.pdf_url)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert comp.cae.encode() in pdf and b"FACTURA B 00002-00000001" in pdf
    startxref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[startxref:].startswith(b"xref")


@pytest.mark.parametrize(
    "make_url",
    [
        lambda s, path: f"http://127.0.0.1:{s.port + 1}{path}",
        lambda s, path: f"http://localhost:{s.port}{path}",
        lambda s, path: f"https://127.0.0.1:{s.port}{path}",
        lambda s, path: f"http://evil.example{path}",
        lambda s, path: path,
    ],
)
def test_download_pdf_refuses_other_hosts(client, sandbox, make_url):
    comp = client.issue(invoice_payload())
    path = "/app/comprobantes/" + comp.pdf_url.rsplit("/", 1)[1]
    with pytest.raises(TusFacturasForbiddenURL) as info:
        client.download_pdf(make_url(sandbox, path))
    assert info.value.code == "forbidden_url"


def test_download_pdf_unknown_token(client):
    with pytest.raises(TusFacturasRejected, match="404"):
        client.download_pdf(client.base_url.replace("/api/v2", "/comprobantes/x.pdf"))


def test_padron_cuit_in_no_tax_returns_its_data_with_the_error(client, sandbox):
    """The padrón page: a CUIT registered in no tax comes with its data and
    "error" "S" (no VAT condition to tell): returned, not raised."""
    data = client.afip_info("20-33445566-2")
    assert data["error"] == "S" and data["errores"]
    assert data["razon_social"] == "LOPEZ RICARDO ANDRES"
    assert not data.get("condicion_impositiva")
    # An error without data still raises, and so does a maintenance window.
    with pytest.raises(TusFacturasRejected, match="No existe persona"):
        client.afip_info("20999999999")
    sandbox.set_fault("maintenance", endpoints=["clientes/afip-info"])
    with pytest.raises(TusFacturasMaintenance):
        client.afip_info("20334455662")


def test_reference_queries(client):
    status = client.service_status()
    assert status["facturacion"] == "OK"
    ri = client.afip_info("30-71234567-1")
    assert ri["condicion_impositiva"] == "RESPONSABLE INSCRIPTO"
    assert client.afip_info("20123456786")["condicion_impositiva"] == "MONOTRIBUTO"
    assert client.afip_info("30500000003")["condicion_impositiva"] == "EXENTO"
    assert client.afip_info("27303030307")["estado"] == "INACTIVO"
    with pytest.raises(TusFacturasRejected, match="No existe persona"):
        client.afip_info("20999999999")
    with pytest.raises(ValueError, match="30111111119"):
        client.afip_info("30111111119")
    arba = client.arba_padron("30712345671")
    assert arba["alicuota_percepcion"] == Decimal(3)
    assert arba["alicuota_retencion"] == Decimal("1.75")
    with pytest.raises(TusFacturasRejected):
        client.arba_padron("30500000003")
    units = client.units_of_measure()
    assert {"code": "7", "name": "unidades"} in units
    assert {"code": "200", "name": "ARGENTINA"} in client.countries()
    assert all(len(item["code"]) == 11 for item in client.country_cuits())
    assert {"code": "FOB", "name": "FOB"} in client.incoterms()
    assert {"code": "10.5", "name": "10.5%"} in client.vat_rates()
    assert {"code": "RI", "name": "Responsable Inscripto"} in client.iva_conditions()
    assert {"code": "060", "name": "EURO"} in client.currencies()
    assert {"code": "7", "name": "Percepciones IIBB"} in client.perception_types()
    regime = {"code": "5", "name": "BUENOS AIRES", "tipo": "7"}
    assert regime in client.perception_regimes()
    assert client.exchange_rate("DOL") == Decimal("1000.50")
    assert client.exchange_rate("060", fecha=date.today()) == Decimal("1100.25")
    with pytest.raises(TusFacturasRejected):
        client.exchange_rate("XXX")
    assert sandbox_request_bodies_have_no_credentials(client)


def test_service_status_reports_afip_incident_until_reset(client, sandbox):
    sandbox.set_afip_status("AFIP presenta demoras en WSFE")
    # The docs' incident shape ("error" S, "rta" ERROR) is read, not raised.
    status = client.service_status()
    assert status["facturacion"] == "AFIP presenta demoras en WSFE"
    assert (status["error"], status["rta"]) == ("S", "ERROR")
    sandbox.reset()
    assert client.service_status()["facturacion"] == "OK"


def sandbox_request_bodies_have_no_credentials(client):
    return (
        "usertoken" not in repr(client)
        and "sandbox" not in repr(client).split("base_url")[0]
    )


def test_customer_account(client):
    cuit = {"documento_tipo": "CUIT", "documento_nro": "30712345671"}
    client.issue(invoice_payload(**cuit))
    note = invoice_payload(
        tipo="NOTA DE CREDITO B",
        total="121.00",
        **cuit,
        lines=[("Devolucion parcial", "1", "100", "21")],
        comprobantes_asociados=[
            {
                "tipo_comprobante": "FACTURA B",
                "punto_venta": "2",
                "numero": "1",
                "comprobante_fecha": date.today().strftime("%d/%m/%Y"),
                "cuit": SANDBOX_CUIT,
            }
        ],
    )
    assert client.issue(note).tipo == "NOTA DE CREDITO B"
    account = client.customer_account("CUIT", "30712345671")
    rows = account["resultados"]
    assert [r["debe"] for r in rows] == [Decimal(242), Decimal(0)]
    assert rows[-1]["saldo"] == Decimal(121) and rows[0]["fecha"] == date.today()
    assert client.customer_account("CUIT", "30500000003")["resultados"] == []
    with pytest.raises(TusFacturasRejected):  # the docs allow CUIT only
        client.customer_account("DNI", "12345678")


def test_wrong_credentials(sandbox, make_client):
    bad = make_client(apitoken="wrong-token-value")
    with pytest.raises(TusFacturasRejected) as info:
        bad.next_number("FACTURA B", 2)
    assert info.value.error_codes == ["TFC-1001"]
    assert "wrong-token-value" not in str(info.value)


def test_unknown_endpoint_is_404(client):
    with pytest.raises(TusFacturasRejected) as info:
        client._post("facturacion/no_existe", {}, safe=True)
    assert info.value.status_code == 404 and info.value.error_codes == ["HTTP-404"]


def test_credentials_never_logged_or_shown(sandbox, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    with make_client(usertoken="user-secret-1234") as bad:
        assert "secret" not in repr(bad) and "sandbox-apitoken" not in repr(bad)
        with pytest.raises(TusFacturasRejected) as info:
            bad.issue(invoice_payload())
    with make_client() as good:
        good.issue(invoice_payload())
        assert "sandbox-apitoken" not in repr(good)
    text = caplog.text + str(info.value) + repr(info.value)
    for secret in ("user-secret-1234", "sandbox-apitoken", "sandbox-usertoken"):
        assert secret not in text
    assert "facturacion/nuevo" in caplog.text


def _note(tipo="NOTA DE CREDITO B", **kwargs):
    return invoice_payload(tipo=tipo, **kwargs)


REJECTIONS = [
    ("TFC-8004", lambda: invoice_payload(condicion_iva="RI")),
    ("TFC-8004", lambda: invoice_payload(tipo="FACTURA A", condicion_iva="CF")),
    ("TFC-8004", lambda: _note(tipo="NOTA DE DEBITO B", condicion_iva="RI")),
    ("TFC-7001", _note),
    ("TFC-7001", lambda: _note(tipo="NOTA DE DEBITO C")),
    (
        "TFC-7003",
        lambda: invoice_payload(
            lines=[("Producto", "1", "1", "21")] * 131, total="158.51"
        ),
    ),
    ("TFC-7004", lambda: invoice_payload(lines=[("abc", "2", "100", "21")])),
    ("TFC-7004", lambda: invoice_payload(lines=[("x" * 256, "2", "100", "21")])),
    ("TFC-7006", lambda: invoice_payload(lines=[("Servicio", "2", "100", "22")])),
    ("TFC-7007", lambda: invoice_payload(fecha="2024-01-31")),
    ("TFC-7007", lambda: invoice_payload(fecha="31/02/2024")),
    (
        "TFC-6003",
        lambda: invoice_payload(documento_tipo="CUIT", documento_nro="30111111119"),
    ),
    ("TFC-6002", lambda: invoice_payload(documento_tipo="LE")),
    ("TFC-7008", lambda: invoice_payload(total="241.90")),
    ("TFC-7009", lambda: invoice_payload(tipo="FACTURA Z")),
    ("TFC-7010", lambda: invoice_payload(punto_venta=0)),
    ("TFC-7011", lambda: invoice_payload(moneda="DOL", cotizacion="0")),
    ("TFC-7012", lambda: invoice_payload(tipo="FACTURA E", condicion_iva="CDEX")),
    ("TFC-8002", lambda: invoice_payload(external_reference="1%'703")),
]


@pytest.mark.parametrize(("code", "build"), REJECTIONS)
def test_sandbox_rejections(client, sandbox, code, build):
    payload = build()
    with pytest.raises(TusFacturasRejected) as info:
        client.issue(payload)
    assert code in info.value.error_codes
    assert info.value.messages and all(m.strip() == m for m in info.value.messages)
    assert info.value.response["error"] == "S"
    assert sandbox.state.records == []  # nothing was issued


def test_codigo_too_long_rejected(client):
    payload = invoice_payload()
    # The newest field reference allows 50 characters.
    payload["comprobante"]["detalle"][0]["producto"]["codigo"] = "C" * 51
    with pytest.raises(TusFacturasRejected) as info:
        client.issue(payload)
    assert info.value.error_codes == ["TFC-7005"]


def test_complete_comprobantes_accepted(client):
    today = date.today().strftime("%d/%m/%Y")
    # FACTURA A with two rates, exempt line, line discount, general discount,
    # perceptions as tributos, and a service period.
    payload = invoice_payload(
        tipo="FACTURA A",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30712345671",
        lines=[
            ("Servicio mensual", "1", "1000", "21"),
            ("Libros tecnicos", "2", "50", "10.5"),
            ("Exento de IVA", "1", "10", "-1"),
        ],
        bonificacion="100",
        periodo_facturado_desde=today,
        periodo_facturado_hasta=today,
        vencimiento=today,
        tributos=[
            {
                "tipo": 7,
                "regimen": 5,
                "base_imponible": 1000,
                "alicuota": 3,
                "total": 30,
            }
        ],
        rg_especiales={"regimen": "RG 4004-E", "datos": [{"id": 18, "valor": "X"}]},
        total="1119.75",
    )
    payload["comprobante"]["detalle"][0]["bonificacion_porcentaje"] = "10"
    comp = client.issue(payload)
    assert comp.total == Decimal("1119.75")
    # NOTA DE CREDITO A by period, FACTURA C with final prices, FACTURA E.
    note = invoice_payload(
        tipo="NOTA DE CREDITO A",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30712345671",
        comprobantes_asociados_periodo={"fecha_desde": today, "fecha_hasta": today},
    )
    assert client.issue(note).numero == 1
    factura_c = invoice_payload(
        tipo="FACTURA C", total="200", lines=[("Clase", "2", "100", "0")]
    )
    assert client.issue(factura_c).tipo == "FACTURA C"
    export = invoice_payload(
        tipo="FACTURA E",
        condicion_iva="CDEX",
        documento_tipo="OTRO",
        documento_nro="0",
        moneda="DOL",
        cotizacion="1000.50",
        total="200",
        lines=[("Consultoria", "2", "100", "0")],
        fex={
            "tipo_exportacion": "2",
            "permisos_tiene": "",
            "pais_comprobante_id": "212",
            "cliente_pais_cuit": "55000002126",
            "incoterms_tipo_id": "FOB",
            "fecha_pago": today,
        },
    )
    comp = client.issue(export)
    assert parse_qr_url(comp.afip_qr)["moneda"] == "DOL"
    assert parse_qr_url(comp.afip_qr)["ctz"] == 1000.5


def test_issue_batch(client, sandbox):
    items = [invoice_payload(numero=n, external_reference=f"L{n}") for n in (1, 2, 3)]
    results = client.issue_batch(items)
    assert [r.numero for r in results] == [1, 2, 3]
    assert all(len(r.cae) == 14 for r in results)
    assert results[2].external_reference == "L3"
    assert len(sandbox.requests_to("facturacion/lotes")) == 1
    assert client.next_number("FACTURA B", 2) == 4

    with pytest.raises(TusFacturasRejected, match="tipo de comprobante diferente"):
        client.issue_batch(
            [invoice_payload(), invoice_payload(tipo="FACTURA C", total="200")]
        )
    with pytest.raises(TusFacturasRejected, match="fila 1"):
        client.issue_batch([invoice_payload(numero=4), invoice_payload(numero=9)])
    with pytest.raises(ValueError, match="at most 20"):
        client.issue_batch([invoice_payload()] * 21)
    with pytest.raises(ValueError):
        client.issue_batch([])
    assert len(sandbox.requests_to("facturacion/lotes")) == 3, "refused before"

    # ARCA's generic failure (Cod: 0) may hide a CAE: outcome unknown, all of them.
    sandbox.set_fault("afip_reject", endpoints=["facturacion/lotes"])
    results = client.issue_batch([invoice_payload(numero=n) for n in (4, 5, 6)])
    assert all(isinstance(r, TusFacturasAfipError) for r in results)
    assert "AFIP" in str(results[0])
    assert client.next_number("FACTURA B", 2) == 4
    # A validation refused by ARCA: that one and the later ones are rejected
    # (the docs: "ese comprobante y los siguientes vendran rechazados").
    sandbox.set_fault(
        "afip_reject",
        endpoints=["facturacion/lotes"],
        message="AFIP Factura electronica, rechazo el comprobante - ERROR: El campo "
        "FchServDesde no puede ser posterior al campo FchServHasta. Cod: 10032",
    )
    results = client.issue_batch([invoice_payload(numero=n) for n in (4, 5)])
    assert [type(r) for r in results] == [TusFacturasRejected] * 2
    assert results[0].hints and "service period" in results[0].hints[0]


def test_async_queue(client, sandbox):
    payload = invoice_payload(external_reference="Q1")
    answer = client.enqueue(payload)
    assert answer["comprobante_nro"] == "00002-00000000"
    with pytest.raises(ValueError):
        client.enqueue(invoice_payload())
    with pytest.raises(TusFacturasRejected) as info:
        client.enqueue(invoice_payload(numero=5, external_reference="Q2"))
    assert info.value.error_codes == ["TFC-7016"]

    pending = client.find_by_external_reference("Q1")
    assert pending.is_pending and not pending.is_testing and pending.numero == 0
    tomorrow = date.today() + timedelta(days=1)
    client.queue_change_date("Q1", tomorrow, tomorrow)
    assert sandbox.process_queue() == 0
    client.queue_change_date("Q1", date.today(), date.today())
    assert sandbox.process_queue() == 1
    issued = client.find_by_external_reference("Q1")
    assert issued.status == "EMITIDO" and issued.numero == 1 and issued.cae
    assert client.queue_status("Q1")[0].numero == 1

    results = client.enqueue_batch(
        [
            invoice_payload(external_reference="B1"),
            invoice_payload(),  # no external_reference: refused
        ]
    )
    assert isinstance(results[0], dict) and isinstance(results[1], TusFacturasRejected)
    # lotes_encola keeps its own documented limit: 100, not the instant 20.
    with pytest.raises(ValueError, match="at most 100"):
        client.enqueue_batch([invoice_payload(external_reference="X")] * 101)
    assert client.queue_delete("B1", date.today())["procesados_cant"] == 1
    with pytest.raises(TusFacturasRejected, match="No se han encontrado"):
        client.queue_delete("B1", date.today())

    client.enqueue(invoice_payload(external_reference="E1"))
    sandbox.set_fault("afip_reject")
    sandbox.process_queue()
    assert client.find_by_external_reference("E1").status.startswith("ENVIADO")
    client.queue_retry("E1")
    sandbox.process_queue()
    assert client.find_by_external_reference("E1").numero == 2


def test_queue_delete_partial_is_no_success(client, sandbox):
    """Two comprobantes under one reference, one already emitted: the page's
    "éxito parcial" leaves one there, so the caller must not take it as gone."""
    client.enqueue(invoice_payload(external_reference="P1"))
    sandbox.process_queue()
    client.enqueue(invoice_payload(external_reference="P1"))
    with pytest.raises(TusFacturasRejected, match="no se ha podido eliminar"):
        client.queue_delete("P1", date.today())


def test_issue_batch_reads_the_docs_nested_success_shape(client, sandbox):
    """The lotes page's success example nests the items one level deeper,
    without external_reference: each one is read, none taken as testing."""
    sandbox.set_lotes_answer(shape="nested")
    items = [invoice_payload(external_reference=f"N{n}") for n in (1, 2)]
    results = client.issue_batch(items)
    assert [r.numero for r in results] == [1, 2]
    assert all(len(r.cae) == 14 and not r.is_testing for r in results)
    assert [r.external_reference for r in results] == ["N1", "N2"]


def test_issue_batch_pairs_answers_by_external_reference(client, sandbox):
    sandbox.set_lotes_answer(order="reversed")
    items = [invoice_payload(external_reference=f"P{n}") for n in (1, 2, 3)]
    results = client.issue_batch(items)
    assert [r.external_reference for r in results] == ["P1", "P2", "P3"]
    assert [r.numero for r in results] == [1, 2, 3]


def test_lote_answer_with_a_stranger_reference_is_unknown():
    items = [{"comprobante": {"external_reference": r}} for r in ("A", "B")]
    answers = [{"external_reference": "A"}, {"external_reference": "Z"}]
    assert pair_answers(answers, items) == [answers[0], None]
    # Without references, the position decides.
    assert pair_answers([{"cae": "1"}, {"cae": "2"}], items) == [
        {"cae": "1"},
        {"cae": "2"},
    ]


@pytest.mark.parametrize("status", [429, 408])
def test_rate_limit_and_request_timeout_are_not_sent(client, sandbox, status):
    """The docs' RATE LIMIT (429): not processed, safe to try again; never a
    refusal of the comprobante."""
    sandbox.set_fault("http_500", endpoints=["facturacion/nuevo"], status=status)
    with pytest.raises(TusFacturasNotSent) as info:
        client.issue(invoice_payload())
    assert not isinstance(info.value, TusFacturasRejected)
    assert client.next_number("FACTURA B", 2) == 1
    assert client.issue(invoice_payload()).numero == 1


def test_requiere_fec_answer_comes_with_its_hint(client):
    payload = invoice_payload(
        tipo="FACTURA A",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30714101443",
        lines=[("Servicio de prueba", "1", "4000000.00", "21")],
        total="4840000.00",
    )
    with pytest.raises(TusFacturasRejected) as info:
        client.issue(payload)
    assert "requires_fce" in info.value.keys
    assert any("MiPyME credit invoice (FCE)" in hint for hint in info.value.hints)
