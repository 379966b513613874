"""Answers served in each shape the docs show (both must be read right)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests

from tusfacturas_sandbox.samples import invoice_payload

from .test_rules import accepted, arca_error, mutate, refused
from .test_rules_special import _export


def _lote(call, count=2):
    items = [invoice_payload(external_reference=f"R{n}") for n in range(count)]
    return call("facturacion/lotes", {"requests": items})


def test_lotes_nested_success_shape(call, sandbox):
    """The lotes page's success example ("una llamada con 2 requests")."""
    sandbox.set_lotes_answer(shape="nested")
    answer = accepted(_lote(call))
    (wrapper,) = answer["response"]
    assert wrapper["error"] == "N" and "cae" not in wrapper
    items = wrapper["response"]
    assert [item["comprobante_nro"] for item in items] == [
        "00002-00000001",
        "00002-00000002",
    ]
    assert all(item["cae"].strip() for item in items)
    assert all("external_reference" not in item for item in items)
    sandbox.reset()
    flat = accepted(_lote(call))
    assert [item["external_reference"] for item in flat["response"]] == ["R0", "R1"]


def test_lotes_answer_in_another_order(call, sandbox):
    """The docs do not promise the requests' order: each item keeps its own
    external_reference."""
    sandbox.set_lotes_answer(order="reversed")
    answer = accepted(_lote(call, 3))
    items = answer["response"]
    assert [item["external_reference"] for item in items] == ["R2", "R1", "R0"]
    assert [item["comprobante_nro"][-1] for item in items] == ["3", "2", "1"]


def test_lotes_answer_option_refuses_unknown_values(sandbox):
    with pytest.raises(ValueError):
        sandbox.set_lotes_answer(shape="deep")
    response = requests.post(
        f"{sandbox.origin}/_sandbox/lotes_answer", json={"order": "x"}, timeout=5
    )
    assert response.status_code == 400


def test_export_refuses_no_gravados_but_not_exentos(call):
    """The newest export page: "no gravados" in zero (exentos are allowed)."""
    no_gravado = mutate(
        _export(), ("comprobante", "detalle", 0, "producto", "alicuota"), "-2"
    )
    answer = refused(call("facturacion/nuevo", no_gravado), "TFC-7012")
    assert "no gravados" in answer["errores"][0]
    exentos = mutate(_export(), ("comprobante", "exentos"), "200.00")
    accepted(call("facturacion/nuevo", exentos))


def test_paga_misma_moneda_needs_a_foreign_currency_and_the_official_rate(call):
    """ref, datos_informativos: "S" only with a currency other than the peso
    and "la cotización ... oficial provista por AFIP/ARCA"."""
    official = call("tablas_referencia/cotizacion", {"moneda": "DOL"})["cotizacion"]
    usd = invoice_payload(moneda="DOL", cotizacion=official)
    info = ("comprobante", "datos_informativos")
    accepted(call("facturacion/nuevo", mutate(usd, info, {"paga_misma_moneda": "S"})))
    other_rate = mutate(usd, ("comprobante", "cotizacion"), "990.00")
    accepted(
        call("facturacion/nuevo", mutate(other_rate, info, {"paga_misma_moneda": "N"}))
    )
    refused(
        call("facturacion/nuevo", mutate(other_rate, info, {"paga_misma_moneda": "S"})),
        "TFC-7011",
    )
    pesos = mutate(invoice_payload(), info, {"paga_misma_moneda": "S"})
    refused(call("facturacion/nuevo", pesos), "TFC-7011")
    refused(
        call("facturacion/nuevo", mutate(usd, info, {"paga_misma_moneda": "X"})),
        "TFC-1002",
    )


def test_service_status_incident_in_the_documented_shape(call, sandbox):
    """estado de los servicios: an incident answers "error" S, "rta" ERROR and
    the incident text in "facturacion"; a working AFIP "error" N and "OK"."""
    ok = accepted(call("estado_servicios/alertas"))
    assert (ok["rta"], ok["facturacion"]) == ("OK", "OK")
    sandbox.set_afip_status("03/08/2021 14:55 hs. Los servicios de AFIP fallan")
    incident = call("estado_servicios/alertas")
    assert (incident["error"], incident["rta"]) == ("S", "ERROR")
    assert incident["facturacion"].startswith("03/08/2021")


def _plain_a(amount):
    return invoice_payload(
        tipo="FACTURA A",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30714101443",  # obliged to receive FCE (canned)
        lines=[("Servicio de prueba", "1", amount, "21")],
        total=str(Decimal(amount) * Decimal("1.21")),
    )


def test_plain_invoice_where_fce_is_due_answers_requiere_fec(call):
    """facturacion page: "recibirás en la respuesta, el campo requiere_fec = 'SI'"."""
    answer = arca_error(call("facturacion/nuevo", _plain_a("4000000.00")))
    assert answer["requiere_fec"].strip() == "SI"
    assert "obligado a recibir" in answer["errores"][0]
    accepted(call("facturacion/nuevo", _plain_a("1000.00")))


def test_padron_cuit_in_no_tax_answers_its_data_with_error(call):
    """Padrón page (2024-10): "Si el CUIT no se encuentra inscripto en ningún
    impuesto, nuestra plataforma te devolverá los datos que ésta encuentra en
    AFIP, pero el campo "error" en "S", ya que no podemos determinar que la
    condición frente al IVA"."""
    body = {"cliente": {"documento_tipo": "CUIT", "documento_nro": "20334455662"}}
    answer = call("clientes/afip-info", body)
    assert answer["error"] == "S" and answer["errores"][0].strip()
    assert answer["razon_social"] == "LOPEZ RICARDO ANDRES"
    assert answer["estado"] == "ACTIVO" and answer["provincia"] == "BUENOS AIRES"
    assert not answer["condicion_impositiva"]
    registered = dict(body, cliente={**body["cliente"], "documento_nro": "30712345671"})
    answer = accepted(call("clientes/afip-info", registered))
    assert answer["condicion_impositiva"] == "RESPONSABLE INSCRIPTO"


def test_customer_account_by_cuit_only(call):
    """clientes/cuenta-corriente: "documento_tipo — Valores Permitidos: CUIT"."""
    by_cuit = {"cliente": {"documento_tipo": "CUIT", "documento_nro": "30712345671"}}
    accepted(call("clientes/cuenta-corriente", by_cuit))
    for kind in ("DNI", "PASAPORTE", "OTRO"):
        body = {"cliente": {"documento_tipo": kind, "documento_nro": "12345678"}}
        refused(call("clientes/cuenta-corriente", body), "TFC-6002")


def _rg5329(tipo="FACTURA A", cliente="S", producto="S"):
    payload = invoice_payload(
        tipo=tipo,
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30712345671",
        total="248.00",
        tributos=[
            {"tipo": 6, "regimen": 3, "base_imponible": 200, "alicuota": 3, "total": 6}
        ],
    )
    payload["cliente"]["rg5329"] = cliente
    product = payload["comprobante"]["detalle"][0]["producto"]
    product.update(rg5329=producto, actualiza_precio=producto)
    return payload


def test_rg5329_perception_needs_letter_a_and_marked_customer_and_products(call):
    """2024-10 FAQ RG5329: customer and product marked, comprobante "A"."""
    accepted(call("facturacion/nuevo", _rg5329()))
    refused(call("facturacion/nuevo", _rg5329(cliente="N")), "TFC-7017")
    refused(call("facturacion/nuevo", _rg5329(producto="N")), "TFC-7017")
    answer = call("facturacion/nuevo", _rg5329(tipo="FACTURA B"))
    assert any("solo aplica a comprobantes A" in e for e in answer["errores"])


def test_exchange_rate_at_most_two_months_back(call):
    """2024-10 cotizacion page: "no podrás consultar mas de 2 meses atras"."""
    today = date.today()
    recent = (today - timedelta(days=50)).strftime("%d/%m/%Y")
    old = (today - timedelta(days=70)).strftime("%d/%m/%Y")
    accepted(call("tablas_referencia/cotizacion", {"moneda": "DOL", "fecha": recent}))
    refused(
        call("tablas_referencia/cotizacion", {"moneda": "DOL", "fecha": old}),
        "TFC-7011",
    )
