"""Each documented rule refuses what the docs say TusFacturas/ARCA refuse.

Real HTTP to the sandbox; every refusal is checked in the documented shape:
HTTP 200, ``error`` "S", ``errores`` a list of texts and ``error_details`` with
the code of the rule (TFC-6001/8002/8004 are the documented ones).
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
import requests

from tusfacturas_sandbox.samples import invoice_payload

TODAY = date.today()


def d(days=0) -> str:
    return (TODAY + timedelta(days=days)).strftime("%d/%m/%Y")


def queued(ext, days=0):
    """A comprobante for TusFacturas' queue (the async FAQ): numero 0, its
    external reference, dated ``days`` from today."""
    return invoice_payload(
        numero=0,
        external_reference=ext,
        fecha=d(days),
        vencimiento=d(days),
        periodo_facturado_desde=d(days),
        periodo_facturado_hasta=d(days),
    )


def refused(answer, code):
    assert answer["error"] == "S", answer
    assert isinstance(answer["errores"], list) and answer["errores"]
    codes = [item["code"] for item in answer["error_details"]]
    assert code in codes, (code, answer["errores"])
    return answer


def arca_error(answer):
    """An error ARCA gave: in ``errores``, without a TusFacturas code (the docs
    print ARCA's errors so: the lotes page's partial failure, the async error
    hooks; a TFC code names TusFacturas' own validations)."""
    assert answer["error"] == "S", answer
    assert isinstance(answer["errores"], list) and answer["errores"]
    assert answer.get("error_details", []) == [], answer["error_details"]
    return answer


def accepted(answer):
    assert answer["error"] == "N", answer["errores"]
    return answer


def mutate(payload, path, value):
    """Set (or delete, with value ``...``) ``payload[path...]``."""
    payload = copy.deepcopy(payload)
    target = payload
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return payload


C, P = "comprobante", ("comprobante", "detalle", 0, "producto")


def _p(key):
    return (*P, key)


REFUSALS = [
    # Required fields (ref "Estructura del bloque Comprobante/Cliente/producto").
    ("periodo desde required", (C, "periodo_facturado_desde"), ..., "TFC-1003"),
    ("periodo hasta required", (C, "periodo_facturado_hasta"), ..., "TFC-1003"),
    ("vencimiento required", (C, "vencimiento"), ..., "TFC-1003"),
    ("rubro required", (C, "rubro"), "", "TFC-1003"),
    ("moneda required", (C, "moneda"), ..., "TFC-1003"),
    ("cotizacion required", (C, "cotizacion"), ..., "TFC-1003"),
    ("idioma 1 or 2", (C, "idioma"), "3", "TFC-1002"),
    ("cliente codigo required", ("cliente", "codigo"), ..., "TFC-1003"),
    ("cliente rg5329 required", ("cliente", "rg5329"), ..., "TFC-1003"),
    ("domicilio required", ("cliente", "domicilio"), "", "TFC-1003"),
    ("provincia from table", ("cliente", "provincia"), "27", "TFC-6004"),
    ("condicion_pago from table", ("cliente", "condicion_pago"), "999", "TFC-6004"),
    ("condicion_pago_otra for 214", ("cliente", "condicion_pago"), "214", "TFC-1003"),
    ("afecta_stock required", (C, "detalle", 0, "afecta_stock"), ..., "TFC-1003"),
    ("unidad_bulto required", _p("unidad_bulto"), ..., "TFC-1003"),
    ("unidad_bulto >= 1", _p("unidad_bulto"), "0", "TFC-7021"),
    ("actualiza_precio required", _p("actualiza_precio"), ..., "TFC-1003"),
    ("producto rg5329 required", _p("rg5329"), ..., "TFC-1003"),
    ("producto codigo required", _p("codigo"), ..., "TFC-1003"),
    ("unidad_medida from table", _p("unidad_medida"), "99", "TFC-7021"),
    # VAT rates (tablas alicuotas_iva: 27, 21, 10.5, 0, -1, -2 only).
    ("alicuota 5 undocumented", _p("alicuota"), "5", "TFC-7006"),
    ("alicuota 2.5 undocumented", _p("alicuota"), "2.5", "TFC-7006"),
    # Limits.
    ("domicilio <= 255", ("cliente", "domicilio"), "x" * 256, "TFC-6004"),
    ("cliente codigo <= 50", ("cliente", "codigo"), "c" * 51, "TFC-6004"),
    ("producto codigo <= 50", _p("codigo"), "c" * 51, "TFC-7005"),
    ("lista_precios >= 4", _p("lista_precios"), "abc", "TFC-7021"),
    ("descripcion >= 4", _p("descripcion"), "abc", "TFC-7004"),
    ("descripcion <= 255", _p("descripcion"), "x" * 256, "TFC-7004"),
    ("email <= 15", ("cliente", "email"), ",".join(["a@b.ar"] * 16), "TFC-6004"),
    # Escapes (ref: "%" as #&#, line break as #@#).
    ("percent in descripcion", _p("descripcion"), "Promo 20% OFF", "TFC-7020"),
    ("newline in descripcion", _p("descripcion"), "Linea 1\nLinea 2", "TFC-7020"),
    ("percent in leyenda_gral", (C, "leyenda_gral"), "10% de interes", "TFC-7020"),
    # Currency (tablas "Monedas").
    ("currency not in table", (C, "moneda"), "GBP", "TFC-7011"),
    # Documents.
    ("passport digits only", ("cliente", "documento_tipo"), "PASAPORTE", None),
    ("documento_tipo from table", ("cliente", "documento_tipo"), "LC", "TFC-6002"),
    # RG 5616: condicion_iva_operacion from the condiciones_iva table.
    (
        "condicion_iva_operacion",
        ("cliente", "condicion_iva_operacion"),
        "X",
        "TFC-6005",
    ),
    (
        "operation condition decides letter",
        ("cliente", "condicion_iva_operacion"),
        "RI",
        "TFC-8004",
    ),
    # Amounts (redondeos.md: unit prices with 3 decimals, totals with 2).
    ("unit price 4 decimals", _p("precio_unitario_sin_iva"), "100.0001", "TFC-7014"),
    ("total one cent off", (C, "total"), "242.01", "TFC-7008"),
    # Dates.
    ("vencimiento before fecha", (C, "vencimiento"), d(-1), "TFC-7007"),
    ("period desde after hasta", (C, "periodo_facturado_desde"), d(1), "TFC-7019"),
    ("services window N-10", (C, "fecha"), d(-11), "TFC-7022"),
    ("services window N+10", (C, "fecha"), d(11), "TFC-7022"),
]


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [case[1:] for case in REFUSALS if case[3]],
    ids=[case[0] for case in REFUSALS if case[3]],
)
def test_refused(call, path, value, code):
    refused(call("facturacion/nuevo", mutate(invoice_payload(), path, value)), code)


def test_payment_reminder_needs_its_days(call):
    """ref (cliente): with reclama_deuda S, reclama_deuda_dias and
    reclama_deuda_repite_dias "se debe indicar", numbers of days."""
    body = invoice_payload()
    body["cliente"]["reclama_deuda"] = "S"
    refused(call("facturacion/nuevo", body), "TFC-6004")
    body["cliente"].update(reclama_deuda_dias=7, reclama_deuda_repite_dias="x")
    refused(call("facturacion/nuevo", body), "TFC-6004")
    body["cliente"]["reclama_deuda_repite_dias"] = 3
    accepted(call("facturacion/nuevo", body))


def _totalled(lines, total):
    return invoice_payload(
        lines=[("Articulo de prueba", *line) for line in lines], total=total
    )


def test_vat_per_rate_rounded_half_even(call):
    """Per rate, the base and the VAT of the unrounded nets, each rounded half
    even (redondeos.md; ARCA's AlicIva): 2 x 0.03 at 21 % is 0.06 + 0.01 (not
    0.01 per line), and 3 x 1 at 10.5 % is 3 + 0.32 (0.315 to the even)."""
    accepted(call("facturacion/nuevo", _totalled([("1", "0.03", "21")] * 2, "0.07")))
    refused(
        call("facturacion/nuevo", _totalled([("1", "0.03", "21")] * 2, "0.08")),
        "TFC-7008",
    )
    accepted(call("facturacion/nuevo", _totalled([("3", "1", "10.5")], "3.32")))
    refused(
        call("facturacion/nuevo", _totalled([("1", "1.00", "10.5")], "1.11")),
        "TFC-7008",
    )
    # A third decimal in the unit price reaches the cent the other way.
    accepted(call("facturacion/nuevo", _totalled([("1", "1.004", "10.5")], "1.11")))


def test_passport_number_digits_only(call):
    body = invoice_payload(documento_tipo="PASAPORTE", documento_nro="AB123456")
    refused(call("facturacion/nuevo", body), "TFC-6003")
    refused(call("facturacion/nuevo", body), "TFC-6001")  # documented companion
    accepted(
        call(
            "facturacion/nuevo",
            invoice_payload(documento_tipo="PASAPORTE", documento_nro="123456"),
        )
    )


def test_products_only_point_of_sale_needs_no_period(call, sandbox):
    body = mutate(invoice_payload(), (C, "periodo_facturado_desde"), ...)
    body = mutate(body, (C, "periodo_facturado_hasta"), ...)
    refused(call("facturacion/nuevo", body), "TFC-1003")
    sandbox.set_point_of_sale(2, products_only=True)
    accepted(call("facturacion/nuevo", body))
    # goods: AFIP's window is N-5
    refused(call("facturacion/nuevo", mutate(body, (C, "fecha"), d(-6))), "TFC-7022")


def test_no_date_before_the_last_issued_on_the_point_of_sale(call):
    accepted(call("facturacion/nuevo", invoice_payload()))
    earlier = invoice_payload(
        fecha=d(-1), periodo_facturado_desde=d(-1), periodo_facturado_hasta=d(-1)
    )
    refused(call("facturacion/nuevo", earlier), "TFC-7022")


def test_tributos_from_the_tables(call):
    def with_tributos(tributos, total="252.00"):
        return invoice_payload(tributos=tributos, total=total)

    good = {"tipo": 7, "regimen": 5, "base_imponible": 200, "alicuota": 5, "total": 10}
    refused(call("facturacion/nuevo", with_tributos([{**good, "tipo": 9}])), "TFC-7017")
    refused(
        call("facturacion/nuevo", with_tributos([{**good, "regimen": 99}])), "TFC-7017"
    )
    # regime 2 (RG 2408) is an IVA perception, not an IIBB one
    refused(
        call("facturacion/nuevo", with_tributos([{**good, "regimen": 2}])), "TFC-7017"
    )
    small = {**good, "total": 1, "base_imponible": 20}
    refused(call("facturacion/nuevo", with_tributos([small] * 8, "250.00")), "TFC-7017")
    accepted(call("facturacion/nuevo", with_tributos([good])))


def test_factura_m_replaced_from_december_2025(call):
    body = invoice_payload(
        tipo="FACTURA M",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30712345671",
    )
    refused(call("facturacion/nuevo", body), "TFC-7023")


def test_factura_m_sent_on_a_day_before_december_2025(call, sandbox):
    """The date window is around the day of sending: a Factura M dated
    28/11/2025 is only accepted when sent then (the sandbox's clock)."""
    day = "28/11/2025"
    keys = ("fecha", "vencimiento", "periodo_facturado_desde")
    keys += ("periodo_facturado_hasta",)
    dates = dict.fromkeys(keys, day)
    body = invoice_payload(
        tipo="FACTURA M",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="30712345671",
        **dates,
    )
    refused(call("facturacion/nuevo", body), "TFC-7022")
    sandbox.set_today(date(2025, 11, 28))
    accepted(call("facturacion/nuevo", body))
    sandbox.reset()
    assert sandbox.state.today is None, "a reset brings the real day back"


def test_observaciones_from_afip(call, sandbox):
    inactive = invoice_payload(
        tipo="FACTURA A",
        condicion_iva="RI",
        documento_tipo="CUIT",
        documento_nro="27303030307",
    )
    answer = accepted(call("facturacion/nuevo", inactive))
    assert "10063" in answer["observaciones"] and answer["cae"].strip()
    sandbox.set_fault("afip_observation", message="Observacion de prueba")
    assert accepted(call("facturacion/nuevo", invoice_payload()))["observaciones"] == (
        "Observacion de prueba"
    )
    assert accepted(call("facturacion/nuevo", invoice_payload()))["observaciones"] == ""


def test_afip_error_after_issue(call, sandbox):
    sandbox.set_fault("afip_error_after_issue", endpoints=["facturacion/nuevo"])
    answer = arca_error(
        call("facturacion/nuevo", invoice_payload(external_reference="late-1"))
    )
    assert answer["external_reference"] == "late-1"
    found = call(
        "facturacion/consulta_avanzada",
        {"busqueda_tipo": "EXT_REF", "comprobante": {"external_reference": "late-1"}},
    )
    assert found["total"] == 1  # it was issued all the same
    assert found["comprobantes"][0]["comprobante"]["cae"].strip()


def test_pdf_served_from_another_host(call, sandbox):
    answer = accepted(call("facturacion/nuevo", invoice_payload()))
    url = answer["comprobante_pdf_url"]
    assert url.startswith(sandbox.pdf_origin + "/") and sandbox.pdf_origin.startswith(
        "http://localhost:"
    )
    assert not url.startswith(sandbox.origin)
    assert requests.get(url, timeout=5).content.startswith(b"%PDF-")
    path = url[len(sandbox.pdf_origin) :]
    assert requests.get(sandbox.origin + path, timeout=5).status_code == 404


def test_consumidor_final_cap(call):
    cap = call("facturacion/topecf")
    assert cap["error"] == "N" and cap["monto"] > 0
    big = int(cap["monto"]) + 100
    body = invoice_payload(
        documento_tipo="OTRO",
        documento_nro="0",
        lines=[("Servicio grande", "1", str(big), "0")],
        total=f"{big}.00",
    )
    refused(call("facturacion/nuevo", body), "TFC-6004")
