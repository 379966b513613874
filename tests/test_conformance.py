"""Conformance: each kind of comprobante, as the sandbox received it, checked
field by field against the provider's documented tables.

The expectations below are written from the docs (the newest field reference
``referencia-api-afip-arca.md``, the export, notes and FCE pages beside it, and
the reference tables of ``tusfacturas-api-2024-10/parametros``), not from the
payload builder: a regression in any required field fails here.
"""

import re
from decimal import Decimal, InvalidOperation

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NUEVO, TusFacturasCommon

DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
DIGITS = re.compile(r"^\d+$")
YES_NO = {"S", "N"}

# Tablas de referencia.
COMPROBANTE_TYPES = {
    "FACTURA A",
    "FACTURA B",
    "NOTA DE DEBITO A",
    "NOTA DE DEBITO B",
    "NOTA DE CREDITO A",
    "NOTA DE CREDITO B",
    "FACTURA C",
    "NOTA DE DEBITO C",
    "NOTA DE CREDITO C",
    "FACTURA M",
    "NOTA DE DEBITO M",
    "NOTA DE CREDITO M",
    "FACTURA E",
    "NOTA DE DEBITO E",
    "NOTA DE CREDITO E",
    "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) A",
    "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) A",
    "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) A",
    "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) B",
    "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) B",
    "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) B",
    "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) C",
    "NOTA DE DEBITO ELECTRONICA MiPyME (FCE) C",
    "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) C",
}
PROVINCES = {str(n) for n in range(1, 27)}
IVA_CONDITIONS = {"CF", "RI", "M", "E", "CDEX", "IVNA"}
CONDICIONES_VENTA = {str(n) for n in range(201, 216)}
MONEDAS = {
    "PES",
    "DOL",
    "004",
    "003",
    "011",
    "012",
    "023",
    "033",
    "032",
    "031",
    "060",
    "036",
    "035",
    "010",
}
ALICUOTAS = {"27", "21", "10.5", "0", "-1", "-2"}
DOCUMENT_TYPES = {"CUIT", "DNI", "PASAPORTE", "OTRO"}
PERCEPTION_TYPES = {6, 7, 1}
PERCEPTION_REGIMES = set(range(1, 29)) | {31, 32, 33, 34}
FCE_REGIME = "Factura de Crédito Electrónica MiPyMEs (FCE)"


def decimal(value):
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@tagged("post_install_l10n", "post_install", "-at_install")
class TestConformance(TusFacturasCommon):
    # -- the documented rules, block by block --------------------------------
    def assertText(self, value, field, minimum=0, maximum=255):
        self.assertIsInstance(value, str, field)
        self.assertTrue(minimum <= len(value) <= maximum, f"{field}: {value!r}")

    def assertAmount(self, value, field, positive=True):
        amount = decimal(value)
        self.assertIsNotNone(amount, f"{field}: {value!r}")
        if positive:
            self.assertGreaterEqual(amount, 0, field)
        self.assertLessEqual(-amount.as_tuple().exponent, 2, f"{field}: 2 decimals")

    def assertCliente(self, cliente, **expected):
        self.assertIn(cliente["documento_tipo"], DOCUMENT_TYPES)
        self.assertRegex(cliente["documento_nro"], DIGITS)
        self.assertText(cliente["razon_social"], "razon_social", 1)
        self.assertText(cliente["domicilio"], "domicilio", 1)
        self.assertIn(cliente["provincia"], PROVINCES)
        self.assertIn(cliente["envia_por_mail"], YES_NO)
        self.assertIn(cliente["condicion_pago"], CONDICIONES_VENTA)
        if cliente["condicion_pago"] == "214":
            self.assertText(
                cliente["condicion_pago_otra"], "condicion_pago_otra", 1, 100
            )
        self.assertIn(cliente["condicion_iva"], IVA_CONDITIONS)
        # RG 5616/2024: sent explicitly, from the same table.
        self.assertIn(cliente["condicion_iva_operacion"], IVA_CONDITIONS)
        self.assertText(cliente["codigo"], "codigo", 1, 50)
        self.assertIn(cliente["rg5329"], YES_NO)
        # Not dunning unless asked: "reclama_deuda" "N".
        self.assertEqual(cliente["reclama_deuda"], "N")
        emails = [e for e in cliente.get("email", "").split(",") if e]
        self.assertLessEqual(len(emails), 15)
        self.assertLessEqual(len(cliente.get("email", "")), 255)
        for email in emails:
            self.assertRegex(email, r"^[^\s<>,;]+@[^\s<>,;]+$")
        for key, value in expected.items():
            self.assertEqual(cliente[key], value, key)

    def assertDetalle(self, detalle, letter):
        self.assertTrue(1 <= len(detalle) <= 130)
        for item in detalle:
            self.assertAmount(item["cantidad"], "cantidad")
            self.assertIn(item["afecta_stock"], YES_NO)
            producto = item["producto"]
            self.assertText(producto["descripcion"], "descripcion", 4, 255)
            self.assertGreaterEqual(int(producto["unidad_bulto"]), 1)
            self.assertText(producto["lista_precios"], "lista_precios", 4, 255)
            self.assertText(producto["codigo"], "codigo", 1, 50)
            self.assertAmount(producto["precio_unitario_sin_iva"], "precio")
            self.assertIn(producto["alicuota"], {"0"} if letter == "C" else ALICUOTAS)
            self.assertRegex(producto["unidad_medida"], DIGITS)
            self.assertIn(producto["actualiza_precio"], YES_NO)
            self.assertIn(producto["rg5329"], YES_NO)

    def assertComprobante(self, comprobante, tipo, **expected):
        self.assertEqual(comprobante["tipo"], tipo)
        self.assertRegex(comprobante["fecha"], DATE)
        self.assertEqual(comprobante["operacion"], "V")
        self.assertIn(comprobante["idioma"], {"1", "2"})
        self.assertTrue(0 < int(comprobante["punto_venta"]) <= 99999)
        self.assertTrue(0 < int(comprobante["numero"]) <= 99999999)
        self.assertIn(comprobante["moneda"], MONEDAS)
        rate = decimal(comprobante["cotizacion"])
        self.assertGreater(rate, 0)
        self.assertLessEqual(-rate.as_tuple().exponent, 3, "cotizacion: 3 decimals")
        self.assertRegex(comprobante["vencimiento"], DATE)
        # REQUERIDO except for "products only" points of sale.
        self.assertRegex(comprobante["periodo_facturado_desde"], DATE)
        self.assertRegex(comprobante["periodo_facturado_hasta"], DATE)
        self.assertText(comprobante["rubro"], "rubro", 1)
        self.assertText(comprobante["rubro_grupo_contable"], "rubro_grupo_contable", 1)
        self.assertRegex(comprobante["external_reference"], r"^[A-Za-z0-9_-]{1,255}$")
        self.assertAmount(comprobante["total"], "total")
        self.assertDetalle(comprobante["detalle"], tipo[-1])
        self.assertTributos(comprobante.get("tributos", []))
        if "leyenda_gral" in comprobante:
            self.assertText(comprobante["leyenda_gral"], "leyenda_gral", 0, 500)
        for key, value in expected.items():
            self.assertEqual(comprobante[key], value, key)

    def assertTributos(self, tributos):
        self.assertLessEqual(len(tributos), 7)
        for tributo in tributos:
            self.assertIn(tributo["tipo"], PERCEPTION_TYPES)
            self.assertIn(tributo["regimen"], PERCEPTION_REGIMES)
            self.assertAmount(tributo["base_imponible"], "base_imponible")
            self.assertAmount(tributo["alicuota"], "alicuota", positive=False)
            self.assertAmount(tributo["total"], "total")

    def assertAssociated(self, items, tipo, origin):
        self.assertTrue(1 <= len(items) <= 10)
        (item,) = items
        self.assertIn(item["tipo_comprobante"], COMPROBANTE_TYPES)
        self.assertEqual(item["tipo_comprobante"], tipo)
        self.assertTrue(0 < int(item["punto_venta"]) <= 99999)
        self.assertTrue(0 < int(item["numero"]) <= 99999999)
        self.assertEqual(
            item["comprobante_fecha"], origin.invoice_date.strftime("%d/%m/%Y")
        )
        # The issuer's CUIT: always the one issuing the note.
        self.assertEqual(str(item["cuit"]), "30111111118")

    def assertFex(self, comprobante, tipo_exportacion, is_invoice=True):
        fex = comprobante["fex"]
        self.assertEqual(fex["tipo_exportacion"], tipo_exportacion)
        self.assertIn(fex["permisos_tiene"], {"S", "N", ""})
        if fex["permisos_tiene"] == "S":
            for permit in fex["permisos"]:
                self.assertRegex(
                    permit["codigo_despacho"], r"^\d{5}[A-Z]{2}[A-Z0-9]{2}\d{6}[A-Z]$"
                )
                self.assertRegex(permit["pais_destino_id"], DIGITS)
        else:
            self.assertNotIn("permisos", fex)
        self.assertRegex(fex["pais_comprobante_id"], DIGITS)
        self.assertRegex(fex["cliente_pais_cuit"], DIGITS)
        if tipo_exportacion == "1":
            self.assertTrue(fex["incoterms_tipo_id"])
        if is_invoice and tipo_exportacion in ("2", "4"):
            self.assertRegex(fex["fecha_pago"], DATE)
        # Exports: "tributos" empty, internal taxes zero.
        self.assertEqual(comprobante.get("tributos", []), [])
        self.assertEqual(decimal(comprobante.get("impuestos_internos", "0")), 0)
        return fex

    # -- helpers -------------------------------------------------------------
    def _body(self, move):
        move.action_post()
        self.assertAuthorized(move)
        body = self.sandbox.requests_to(NUEVO)[-1]
        # The sandbox keeps no credentials in its log: the two documented blocks.
        self.assertEqual(
            set(body) - {"apikey", "apitoken", "usertoken"}, {"cliente", "comprobante"}
        )
        return body

    def _reverse(self, invoice, journal):
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Ajuste", "journal_id": journal.id})
        )
        return self.env["account.move"].browse(wizard.refund_moves()["res_id"])

    def _export(self, lines, **values):
        return self._invoice(
            self.res_partner_barcelona_food,
            lines,
            journal=self.sale_expo_journal_ri,
            **values,
        )

    # -- one test per kind ---------------------------------------------------
    def test_factura_a(self):
        body = self._body(
            self._invoice(
                self.res_partner_adhoc,
                [
                    (self.product_iva_21, 100.0, 2),
                    (
                        self.product_iva_105_perc,
                        1000.0,
                        1,
                        {
                            "tax_ids": [
                                Command.set((self.tax_10_5 | self.tax_perc_iibb).ids)
                            ]
                        },
                    ),
                ],
            )
        )
        self.assertCliente(
            body["cliente"],
            documento_tipo="CUIT",
            documento_nro="30714295698",
            condicion_iva="RI",
            condicion_iva_operacion="RI",
            provincia="21",
        )
        self.assertComprobante(body["comprobante"], "FACTURA A", moneda="PES")
        (tributo,) = body["comprobante"]["tributos"]
        self.assertEqual((tributo["tipo"], tributo["regimen"]), (7, 5))

    def test_factura_b(self):
        body = self._body(
            self._invoice(self.partner_cf, [(self.product_iva_21, 121.0, 1)])
        )
        self.assertCliente(
            body["cliente"],
            documento_tipo="OTRO",
            condicion_iva="CF",
            condicion_iva_operacion="CF",
        )
        self.assertComprobante(body["comprobante"], "FACTURA B")

    def test_factura_c(self):
        journal = self._monotributo_journal("2222", "mono-c")
        company = journal.company_id
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.res_partner_adhoc.id,
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Servicio de diseno",
                                "price_unit": 150.0,
                                "quantity": 2,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        body = self._body(move)
        self.assertCliente(body["cliente"], condicion_iva="RI")
        self.assertComprobante(body["comprobante"], "FACTURA C", total="300.00")

    def test_factura_m_replaced_by_a(self):
        """RG 5762/2025: no new Factura M; the same sale goes out as an A."""
        move = self._invoice(
            self.res_partner_adhoc,
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_m_f").id,
        )
        with self.assertRaises(UserError):
            move.action_post()
        self.assertEqual(self.sandbox.requests_to(NUEVO), [])
        move.l10n_latam_document_type_id = self.env.ref("l10n_ar.dc_a_f")
        body = self._body(move)
        self.assertComprobante(body["comprobante"], "FACTURA A")

    def test_factura_e_goods(self):
        move = self._export(
            [(self.product_iva_105, 500.0, 1)],
            invoice_incoterm_id=self.env.ref("account.incoterm_FOB").id,
        )
        move.l10n_ar_tusfacturas_permit_ids = [
            Command.create(
                {"name": "23001EC01000123X", "country_id": self.env.ref("base.es").id}
            )
        ]
        body = self._body(move)
        self.assertCliente(
            body["cliente"],
            documento_tipo="OTRO",
            provincia="25",
            condicion_iva="CDEX",
            condicion_iva_operacion="CDEX",
        )
        self.assertComprobante(body["comprobante"], "FACTURA E")
        fex = self.assertFex(body["comprobante"], "1")
        self.assertEqual(fex["permisos_tiene"], "S")
        self.assertEqual(fex["incoterms_tipo_id"], "FOB")

    def test_factura_e_services(self):
        move = self._export([(self.service_iva_21, 300.0, 1)])
        body = self._body(move)
        self.assertCliente(body["cliente"], condicion_iva="CDEX")
        self.assertComprobante(body["comprobante"], "FACTURA E")
        fex = self.assertFex(body["comprobante"], "2")
        self.assertEqual(fex["permisos_tiene"], "")

    def test_nota_de_credito_e(self):
        invoice = self._export(
            [(self.product_iva_105, 500.0, 1)],
            invoice_incoterm_id=self.env.ref("account.incoterm_FOB").id,
        )
        invoice.action_post()
        refund = self._reverse(invoice, self.sale_expo_journal_ri)
        body = self._body(refund)
        comprobante = body["comprobante"]
        self.assertComprobante(comprobante, "NOTA DE CREDITO E")
        fex = self.assertFex(comprobante, "1", is_invoice=False)
        # E notes: associated inside "fex"; never by period.
        self.assertNotIn("comprobantes_asociados_periodo", comprobante)
        self.assertAssociated(fex["comprobantes_asociados"], "FACTURA E", invoice)

    def test_factura_fce(self):
        move = self._invoice(
            self.partner_mipyme,
            [(self.product_iva_21, 100.0, 1)],
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_fce_a_f").id,
            partner_bank_id=self.bank_account_ri.id,
        )
        body = self._body(move)
        self.assertCliente(body["cliente"], condicion_iva="RI")
        comprobante = body["comprobante"]
        self.assertComprobante(
            comprobante, "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) A"
        )
        rg = comprobante["rg_especiales"]
        self.assertEqual(rg["regimen"], FCE_REGIME)
        datos = {d["id"]: d["valor"] for d in rg["datos"]}
        self.assertRegex(datos[2101], r"^\d{22}$")  # CBU: 22 digits
        self.assertIn(datos[27], {"SCA", "ADC"})
        self.assertNotIn(22, datos)  # only for notes

    def test_nota_de_credito_fce(self):
        invoice = self._invoice(
            self.partner_mipyme,
            [(self.product_iva_21, 100.0, 1)],
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_fce_a_f").id,
            partner_bank_id=self.bank_account_ri.id,
        )
        invoice.action_post()
        refund = self._reverse(invoice, self.journal)
        comprobante = self._body(refund)["comprobante"]
        self.assertComprobante(
            comprobante, "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) A"
        )
        datos = {d["id"]: d["valor"] for d in comprobante["rg_especiales"]["datos"]}
        self.assertIn(datos[22], YES_NO)
        self.assertNotIn(2101, datos)  # no CBU on notes
        self.assertNotIn(27, datos)
        self.assertNotIn("comprobantes_asociados_periodo", comprobante)
        self.assertAssociated(
            comprobante["comprobantes_asociados"],
            "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) A",
            invoice,
        )

    def test_factura_usd(self):
        usd = self._usd()
        body = self._body(self._invoice(self.res_partner_adhoc, currency_id=usd.id))
        self.assertComprobante(
            body["comprobante"], "FACTURA A", moneda="DOL", cotizacion="1000.500"
        )

    def test_factura_usd_internal_taxes_in_its_currency(self):
        """Every amount of the comprobante is in its moneda: the internal
        taxes' base too (Odoo keeps tax_base_amount in pesos)."""
        usd = self._usd()
        internal = self._sale_tax(
            "Impuestos internos 8%", 8.0, "tax_impuestos_internos"
        )
        taxes = Command.set((self.tax_21 | internal).ids)
        move = self._invoice(
            self.res_partner_adhoc,
            [(self.product_iva_21, 100.0, 1, {"tax_ids": [taxes]})],
            currency_id=usd.id,
        )
        comprobante = self._body(move)["comprobante"]
        self.assertEqual(comprobante["impuestos_internos"], "8.00")
        self.assertEqual(comprobante["impuestos_internos_base"], "100.00")

    def test_note_of_an_origin_not_issued_through_tusfacturas(self):
        plain = self._plain_journal()
        legacy = self._invoice(self.res_partner_adhoc, journal=plain)
        legacy.action_post()
        self.assertFalse(legacy.l10n_ar_tusfacturas_state)
        self.assertEqual(self.sandbox.requests_to(NUEVO), [])
        self._at_arca_outside_tusfacturas(legacy)
        refund = self._reverse(legacy, self.journal)
        comprobante = self._body(refund)["comprobante"]
        self.assertComprobante(comprobante, "NOTA DE CREDITO A")
        self.assertNotIn("comprobantes_asociados_periodo", comprobante)
        self.assertAssociated(
            comprobante["comprobantes_asociados"], "FACTURA A", legacy
        )
        self.assertEqual(comprobante["comprobantes_asociados"][0]["punto_venta"], 4)
        self.assertEqual(comprobante["comprobantes_asociados"][0]["numero"], 1)
        self.assertEqual(fields.Date.today(), refund.invoice_date)
