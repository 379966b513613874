"""Notes, export (E), FCE and instant lotes: the documented refusals."""

from __future__ import annotations

from datetime import date

import requests

from tusfacturas_sandbox import SANDBOX_CUIT
from tusfacturas_sandbox.samples import associated, invoice_payload, note_payload

from .test_rules import accepted, d, mutate, queued, refused

FCE_REGIME = "Factura de Crédito Electrónica MiPyMEs (FCE)"
FCE_A = "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) A"
NC_FCE_A = "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) A"
RI = {"condicion_iva": "RI", "documento_tipo": "CUIT", "documento_nro": "30712345671"}


def _period():
    return {"fecha_desde": d(-30), "fecha_hasta": d(-1)}


# -- notes -----------------------------------------------------------------
def test_note_needs_an_associated_comprobante_or_period(call):
    refused(
        call("facturacion/nuevo", invoice_payload(tipo="NOTA DE CREDITO B")), "TFC-7001"
    )
    accepted(
        call(
            "facturacion/nuevo",
            invoice_payload(
                tipo="NOTA DE CREDITO B", comprobantes_asociados_periodo=_period()
            ),
        )
    )


def test_associated_comprobante_must_exist_same_currency_not_later(call):
    invoice = accepted(call("facturacion/nuevo", invoice_payload()))
    unknown = dict(associated(invoice), numero="99")
    refused(
        call(
            "facturacion/nuevo",
            invoice_payload(tipo="NOTA DE CREDITO B", comprobantes_asociados=[unknown]),
        ),
        "TFC-7001",
    )
    later = dict(associated(invoice), comprobante_fecha=d(1))
    refused(
        call(
            "facturacion/nuevo",
            invoice_payload(tipo="NOTA DE CREDITO B", comprobantes_asociados=[later]),
        ),
        "TFC-7007",
    )
    other_cuit = dict(associated(invoice), cuit="30712345671")
    refused(
        call(
            "facturacion/nuevo",
            invoice_payload(
                tipo="NOTA DE CREDITO B", comprobantes_asociados=[other_cuit]
            ),
        ),
        "TFC-7001",
    )
    dollars = note_payload(invoice, moneda="DOL", cotizacion="1000.50")
    refused(call("facturacion/nuevo", dollars), "TFC-7001")
    accepted(call("facturacion/nuevo", note_payload(invoice)))


def test_origin_issued_outside_tusfacturas_exists_once_registered(call, sandbox):
    """ARCA 10041 is judged on ARCA's records: a comprobante authorised
    outside TusFacturas is unknown until the control API registers it."""
    legacy = {"comprobante_nro": "00004-00000007"}
    note = note_payload(legacy)
    refused(call("facturacion/nuevo", note), "TFC-7001")
    sandbox.add_outside_comprobante("FACTURA B", 4, 7, date.today())
    accepted(call("facturacion/nuevo", note))
    wrong_day = [dict(associated(legacy), comprobante_fecha=d(-1))]
    refused(
        call(
            "facturacion/nuevo",
            invoice_payload(tipo="NOTA DE CREDITO B", comprobantes_asociados=wrong_day),
        ),
        "TFC-7007",
    )


def test_at_most_ten_associated(call):
    invoice = accepted(call("facturacion/nuevo", invoice_payload()))
    body = invoice_payload(
        tipo="NOTA DE CREDITO B", comprobantes_asociados=[associated(invoice)] * 11
    )
    refused(call("facturacion/nuevo", body), "TFC-7001")


def test_plain_note_of_an_fce_is_refused(call):
    invoice = accepted(call("facturacion/nuevo", _fce_invoice()))
    body = invoice_payload(
        tipo="NOTA DE CREDITO A",
        **RI,
        comprobantes_asociados=[associated(invoice, FCE_A)],
    )
    answer = refused(call("facturacion/nuevo", body), "TFC-7001")
    assert any("CbtesAsoc con tipo invalido" in e for e in answer["errores"])


# -- FCE -------------------------------------------------------------------
def _fce_invoice(datos=None, **kwargs):
    datos = (
        datos
        if datos is not None
        else [
            {"id": 2101, "valor": "0170215820000005295250"},
            {"id": 27, "valor": "SCA"},
        ]
    )
    return invoice_payload(
        tipo=FCE_A,
        **RI,
        rg_especiales={"regimen": FCE_REGIME, "datos": datos},
        **kwargs,
    )


def test_fce_invoice_needs_cbu_or_alias_and_transfer_reference(call):
    refused(
        call("facturacion/nuevo", _fce_invoice([{"id": 27, "valor": "SCA"}])),
        "TFC-7018",
    )
    alias_as_cbu = [{"id": 2101, "valor": "mi.alias.cbu"}, {"id": 27, "valor": "SCA"}]
    refused(call("facturacion/nuevo", _fce_invoice(alias_as_cbu)), "TFC-7018")
    bad_alias = [{"id": 2102, "valor": "abc"}, {"id": 27, "valor": "SCA"}]
    refused(call("facturacion/nuevo", _fce_invoice(bad_alias)), "TFC-7018")
    no_27 = [{"id": 2101, "valor": "0170215820000005295250"}]
    refused(call("facturacion/nuevo", _fce_invoice(no_27)), "TFC-7018")
    alias = [{"id": 2102, "valor": "mi.alias.cbu"}, {"id": 27, "valor": "ADC"}]
    accepted(call("facturacion/nuevo", _fce_invoice(alias)))


def test_fce_note_needs_22_no_cbu_and_no_period(call):
    invoice = accepted(call("facturacion/nuevo", _fce_invoice()))
    special = {"regimen": FCE_REGIME, "datos": [{"id": 22, "valor": "N"}]}
    by_period = invoice_payload(
        tipo=NC_FCE_A,
        **RI,
        rg_especiales=special,
        comprobantes_asociados_periodo=_period(),
    )
    refused(call("facturacion/nuevo", by_period), "TFC-7001")
    without_22 = invoice_payload(
        tipo=NC_FCE_A,
        **RI,
        rg_especiales={"regimen": FCE_REGIME, "datos": []},
        comprobantes_asociados=[associated(invoice, FCE_A)],
    )
    refused(call("facturacion/nuevo", without_22), "TFC-7018")
    accepted(
        call(
            "facturacion/nuevo",
            invoice_payload(
                tipo=NC_FCE_A,
                **RI,
                rg_especiales=special,
                comprobantes_asociados=[associated(invoice, FCE_A)],
            ),
        )
    )


# -- export ----------------------------------------------------------------
CDEX = {"condicion_iva": "CDEX", "documento_tipo": "OTRO", "documento_nro": "123456"}


def _export(kind="2", **fex):
    block = {
        "tipo_exportacion": kind,
        "pais_comprobante_id": "212",
        "cliente_pais_cuit": "55000002126",
        "forma_pago_leyenda": "Wire",
        "permisos_tiene": "",
        **fex,
    }
    if kind == "2":
        block.setdefault("fecha_pago", d(30))
    return invoice_payload(
        tipo="FACTURA E",
        **CDEX,
        fex=block,
        lines=[("Consultoria", "2", "100", "-1")],
        moneda="DOL",
        cotizacion="1000.50",
        total="200.00",
    )


def test_export_services(call):
    accepted(call("facturacion/nuevo", _export()))  # no incoterms needed
    no_payment_date = _export()
    no_payment_date["comprobante"]["fex"].pop("fecha_pago")
    refused(call("facturacion/nuevo", no_payment_date), "TFC-7012")
    refused(call("facturacion/nuevo", _export("4")), "TFC-7012")


def test_export_goods(call):
    refused(call("facturacion/nuevo", _export("1", permisos_tiene="N")), "TFC-1003")
    body = _export("1", permisos_tiene="N", incoterms_tipo_id="FOB")
    accepted(call("facturacion/nuevo", body))
    refused(
        call(
            "facturacion/nuevo",
            _export("1", permisos_tiene="N", incoterms_tipo_id="XXX"),
        ),
        "TFC-7012",
    )
    permits = [{"codigo_despacho": "bad", "pais_destino_id": "212"}]
    refused(
        call(
            "facturacion/nuevo",
            _export("1", permisos_tiene="S", incoterms_tipo_id="FOB", permisos=permits),
        ),
        "TFC-7012",
    )


def test_export_refuses_tributos_and_internal_taxes(call):
    tributo = {"tipo": 7, "regimen": 5, "base_imponible": 1, "alicuota": 1, "total": 1}
    refused(
        call(
            "facturacion/nuevo",
            mutate(_export(), ("comprobante", "tributos"), [tributo]),
        ),
        "TFC-7012",
    )
    internal = mutate(_export(), ("comprobante", "impuestos_internos"), "5")
    refused(call("facturacion/nuevo", internal), "TFC-7012")


def test_export_note_carries_associated_inside_fex(call):
    invoice = accepted(call("facturacion/nuevo", _export()))
    item = associated(invoice, "FACTURA E")
    outside = mutate(_export(), ("comprobante", "tipo"), "NOTA DE CREDITO E")
    outside["comprobante"]["comprobantes_asociados"] = [item]
    refused(call("facturacion/nuevo", outside), "TFC-7001")
    inside = mutate(_export(), ("comprobante", "tipo"), "NOTA DE CREDITO E")
    inside["comprobante"]["fex"]["comprobantes_asociados"] = [item]
    accepted(call("facturacion/nuevo", inside))
    by_period = mutate(_export(), ("comprobante", "tipo"), "NOTA DE CREDITO E")
    by_period["comprobante"]["comprobantes_asociados_periodo"] = _period()
    refused(call("facturacion/nuevo", by_period), "TFC-7001")


def test_cdex_document_digits_only(call):
    body = _export()
    body["cliente"]["documento_nro"] = "X-123"
    refused(call("facturacion/nuevo", body), "TFC-6003")


# -- instant lotes ---------------------------------------------------------
def test_lote_limits_and_order(call):
    many = [invoice_payload(numero=n) for n in range(1, 22)]
    refused(call("facturacion/lotes", {"requests": many}), "TFC-7015")
    mixed = [invoice_payload(), invoice_payload(tipo="FACTURA C")]
    refused(call("facturacion/lotes", {"requests": mixed}), "TFC-7015")
    unordered = [invoice_payload(numero=2), invoice_payload(numero=1)]
    refused(call("facturacion/lotes", {"requests": unordered}), "TFC-7015")
    dates = [
        invoice_payload(),
        invoice_payload(
            fecha=d(-1), periodo_facturado_desde=d(-1), periodo_facturado_hasta=d(-1)
        ),
    ]
    refused(call("facturacion/lotes", {"requests": dates}), "TFC-7015")
    refused(call("facturacion/lotes", {"requests": [_export()]}), "TFC-7015")
    refused(call("facturacion/lotes", {"requests": [_fce_invoice()]}), "TFC-7015")
    answer = accepted(
        call("facturacion/lotes", {"requests": [invoice_payload() for _ in range(20)]})
    )
    assert len(answer["response"]) == 20


def test_lote_refused_comprobante_refuses_the_later_ones(call, sandbox):
    sandbox.set_fault("afip_reject", endpoints=["facturacion/lotes"])
    answer = call("facturacion/lotes", {"requests": [invoice_payload()] * 3})
    assert answer["error"] == "S"
    assert [item["error"] for item in answer["response"]] == ["S", "S", "S"]
    assert all(not item["cae"] for item in answer["response"])
    assert (
        call(
            "facturacion/numeracion",
            {"comprobante": {"tipo": "FACTURA B", "punto_venta": 2}},
        )["comprobante"]["numero"]
        == "1"
    )


def test_reference_tables(call):
    rates = call("tablas_referencia/alicuotas_iva")["items"]
    assert {item["id"] for item in rates} == {"27", "21", "10.5", "0", "-1", "-2"}
    conditions = {i["id"] for i in call("tablas_referencia/condiciones_iva")["items"]}
    assert conditions == {"CF", "RI", "M", "E", "CDEX", "IVNA"}
    currencies = {i["id"] for i in call("tablas_referencia/monedas")["items"]}
    assert {"PES", "DOL", "060", "012"} <= currencies and "GBP" not in currencies
    kinds = call("tablas_referencia/tributos_percepciones_tipos")["items"]
    assert {i["id"] for i in kinds} == {"1", "6", "7"}
    regimes = call("tablas_referencia/tributos_percepciones_regimenes")["items"]
    assert {"id": "5", "descripcion": "BUENOS AIRES", "tipo": "7"} in regimes
    assert SANDBOX_CUIT and date.today()


def test_queue_blocks_instant_requests(call, sandbox):
    accepted(call("facturacion/nuevo_encola", queued("q-1", 1)))
    refused(call("facturacion/nuevo", invoice_payload()), "TFC-7016")
    refused(call("facturacion/lotes", {"requests": [invoice_payload()]}), "TFC-7016")
    call("facturacion/eliminar_encolado", {"external_reference": "q-1"})
    accepted(call("facturacion/nuevo", invoice_payload()))


def test_eliminar_encolado_partial_when_the_reference_also_names_an_emitted_one(
    call, sandbox
):
    """The page's "éxito parcial": two comprobantes under one reference
    (TusFacturas does not check it is unique), one of them already emitted."""
    accepted(call("facturacion/nuevo_encola", queued("p-1")))
    sandbox.process_queue()
    accepted(call("facturacion/nuevo_encola", queued("p-1")))
    answer = call("facturacion/eliminar_encolado", {"external_reference": "p-1"})
    assert answer["error"] == "PARCIAL"
    assert answer["procesados_cant"] == 1
    assert answer["errores"] == [
        "El comprobante FACTURA B 00002-00000001 no se ha podido eliminar."
    ]


def test_reference_table_can_be_changed_and_restored(call, sandbox):
    """Control ``/_sandbox/table``: a table changed on TusFacturas' side."""
    control = f"{sandbox.origin}/_sandbox/table"
    changed = [{"id": "21", "descripcion": "21%"}, {"id": "5", "descripcion": "5%"}]
    answer = requests.post(
        control, json={"table": "alicuotas_iva", "items": changed}, timeout=10
    )
    assert answer.status_code == 200 and answer.json() == {"ok": True}
    assert call("tablas_referencia/alicuotas_iva")["items"] == changed
    # Other tables keep their documented content.
    kinds = call("tablas_referencia/tributos_percepciones_tipos")["items"]
    assert {i["id"] for i in kinds} == {"1", "6", "7"}
    # No items: the documented table again.
    requests.post(control, json={"table": "alicuotas_iva"}, timeout=10)
    rates = {i["id"] for i in call("tablas_referencia/alicuotas_iva")["items"]}
    assert rates == {"27", "21", "10.5", "0", "-1", "-2"}
    sandbox.set_table("monedas", [{"id": "DOL", "descripcion": "Dolar"}])
    assert len(call("tablas_referencia/monedas")["items"]) == 1
    sandbox.reset()
    assert len(call("tablas_referencia/monedas")["items"]) == 14
    unknown = requests.post(control, json={"table": "nope", "items": []}, timeout=10)
    assert unknown.status_code == 404
    bad = requests.post(
        control, json={"table": "monedas", "items": ["DOL"]}, timeout=10
    )
    assert bad.status_code == 400
