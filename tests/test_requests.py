from datetime import timedelta
from decimal import Decimal

import requests
from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tusfacturas_sandbox import SANDBOX_CREDENTIALS
from .common import NUEVO, TusFacturasCommon


def ddmmyyyy(day):
    return day.strftime("%d/%m/%Y")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestRequests(TusFacturasCommon):
    """Each request as the newest field reference documents it; every refusal
    before anything is sent, naming the invoice, the record and the field."""

    def assertRefused(self, move, *fragments):
        # An unnumbered draft is named by its type and customer (the number
        # would be "/").
        named = (move.name,) if move.name != "/" else ("Draft", move.partner_id.name)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        message = str(caught.exception)
        for fragment in (*named, *fragments):
            self.assertIn(fragment, message)
        self.assertEqual(move.state, "draft")
        self.assertEqual(self.sandbox.requests_to(NUEVO), [])
        return message

    def _post(self, move):
        move.action_post()
        self.assertAuthorized(move)
        return self._sent()[-1]

    def _export(self, partner=None, lines=None, **values):
        values.setdefault(
            "invoice_incoterm_id", self.env.ref("account.incoterm_FOB").id
        )
        return self._invoice(
            partner or self.res_partner_barcelona_food,
            lines or [(self.product_iva_105, 500.0, 1)],
            journal=self.sale_expo_journal_ri,
            **values,
        )

    def _reverse(self, invoice, journal=None):
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Ajuste", "journal_id": (journal or self.journal).id})
        )
        return wizard, self.env["account.move"].browse(wizard.refund_moves()["res_id"])

    # 1. periodo_facturado_desde / _hasta ------------------------------------
    def test_01_period_is_the_invoice_date_without_service_dates(self):
        body = self._post(self._invoice(self.res_partner_adhoc))
        today = ddmmyyyy(fields.Date.today())
        self.assertEqual(body["comprobante"]["periodo_facturado_desde"], today)
        self.assertEqual(body["comprobante"]["periodo_facturado_hasta"], today)

    def test_01_period_is_the_service_dates_when_set(self):
        today = fields.Date.today()
        move = self._invoice(self.res_partner_adhoc, [(self.service_iva_21, 50.0, 1)])
        move.write(
            {
                "l10n_ar_afip_service_start": today - timedelta(days=30),
                "l10n_ar_afip_service_end": today - timedelta(days=1),
            }
        )
        comprobante = self._post(move)["comprobante"]
        self.assertEqual(
            comprobante["periodo_facturado_desde"],
            ddmmyyyy(today - timedelta(days=30)),
        )
        self.assertEqual(
            comprobante["periodo_facturado_hasta"], ddmmyyyy(today - timedelta(days=1))
        )

    def test_01_no_period_on_a_products_only_point_of_sale(self):
        self.journal.l10n_ar_tusfacturas_products_only = True
        # TusFacturas' own setting of the point of sale, which the addon mirrors
        self.sandbox.set_point_of_sale(
            self.journal.l10n_ar_afip_pos_number, products_only=True
        )
        comprobante = self._post(self._invoice(self.res_partner_adhoc))["comprobante"]
        self.assertNotIn("periodo_facturado_desde", comprobante)
        self.assertNotIn("periodo_facturado_hasta", comprobante)

    # 2. reclama_deuda -------------------------------------------------------
    def test_02_reclama_deuda_no_unless_the_company_asks(self):
        self.assertEqual(
            self._post(self._invoice(self.res_partner_adhoc))["cliente"][
                "reclama_deuda"
            ],
            "N",
        )
        self.env["res.config.settings"].create(
            {
                "l10n_ar_tusfacturas_reclama_deuda": True,
                "l10n_ar_tusfacturas_reclama_deuda_dias": 10,
                "l10n_ar_tusfacturas_reclama_deuda_repite_dias": 5,
            }
        ).execute()
        self.assertTrue(self.company_ri.l10n_ar_tusfacturas_reclama_deuda)
        cliente = self._post(self._invoice(self.res_partner_adhoc))["cliente"]
        # The field reference: with the reminder on, both "se debe indicar".
        self.assertEqual(
            (
                cliente["reclama_deuda"],
                cliente["reclama_deuda_dias"],
                cliente["reclama_deuda_repite_dias"],
            ),
            ("S", 10, 5),
        )

    # 3. VAT rates -----------------------------------------------------------
    def test_03_vat_5_and_2_5_refused_saying_why(self):
        tax_5 = self._search_tax("iva_5")
        tax_25 = self._search_tax("iva_025")
        move = self._invoice(
            self.res_partner_adhoc,
            [
                (self.product_iva_21, 100.0, 1, {"tax_ids": [Command.set(tax_5.ids)]}),
                (
                    self.product_iva_105,
                    100.0,
                    1,
                    {"tax_ids": [Command.set(tax_25.ids)]},
                ),
            ],
        )
        self.assertRefused(
            move, "VAT 5 %", "VAT 2.5 %", "27, 21, 10.5 and 0", self.product_iva_21.name
        )

    # 4. RG 5616/2024 condicion_iva_operacion -------------------------------
    def test_04_condicion_iva_operacion_sent_explicitly(self):
        body = self._post(self._invoice(self.res_partner_gritti_mono))
        self.assertEqual(body["cliente"]["condicion_iva"], "M")
        self.assertEqual(body["cliente"]["condicion_iva_operacion"], "M")

    def test_04_responsibility_without_counterpart_refused(self):
        for xml_id in ("l10n_ar.res_NOCATEG", "l10n_ar.res_MON_SOCIAL"):
            responsibility = self.env.ref(xml_id)
            partner = self.res_partner_adhoc.copy(
                {
                    "name": f"Cliente {responsibility.code}",
                    "l10n_ar_afip_responsibility_type_id": responsibility.id,
                }
            )
            move = self._invoice(
                partner,
                l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_b_f").id,
            )
            self.assertRefused(
                move, partner.name, responsibility.name, "no counterpart"
            )

    # 5. customers abroad ----------------------------------------------------
    def test_05_foreign_document_digits_only(self):
        partner = self.res_partner_barcelona_food.copy(
            {"name": "Foreign Co", "vat": "ES-B.123.456-7"}
        )
        body = self._post(self._export(partner))
        self.assertEqual(body["cliente"]["documento_tipo"], "OTRO")
        self.assertEqual(body["cliente"]["documento_nro"], "1234567")
        self.assertEqual(body["cliente"]["provincia"], "25")
        self.assertEqual(body["cliente"]["condicion_iva_operacion"], "CDEX")

    def test_05_foreign_customer_needs_an_address(self):
        partner = self.res_partner_barcelona_food.copy(
            {"name": "Foreign Nostreet", "street": False}
        )
        self.assertRefused(self._export(partner), "Foreign Nostreet", "street")

    # 6. exports -------------------------------------------------------------
    def test_06_export_services_fecha_pago_without_incoterm(self):
        move = self._export(
            lines=[(self.service_iva_21, 300.0, 1)], invoice_incoterm_id=False
        )
        move.invoice_date_due = fields.Date.today() + timedelta(days=20)
        fex = self._post(move)["comprobante"]["fex"]
        self.assertEqual(fex["tipo_exportacion"], "2")
        self.assertEqual(
            fex["fecha_pago"], ddmmyyyy(fields.Date.today() + timedelta(days=20))
        )
        self.assertEqual(fex["permisos_tiene"], "")
        self.assertNotIn("permisos", fex)

    def test_06_export_goods_sends_its_permits(self):
        move = self._export()
        move.l10n_ar_tusfacturas_permit_ids = [
            Command.create(
                {"name": "23001EC01000123X", "country_id": self.env.ref("base.es").id}
            )
        ]
        comprobante = self._post(move)["comprobante"]
        fex = comprobante["fex"]
        self.assertEqual(fex["tipo_exportacion"], "1")
        self.assertNotIn("fecha_pago", fex)
        self.assertEqual(fex["permisos_tiene"], "S")
        self.assertEqual(
            fex["permisos"],
            [
                {
                    "codigo_despacho": "23001EC01000123X",
                    "pais_destino_id": self.env.ref("base.es").l10n_ar_afip_code,
                }
            ],
        )
        self.assertEqual(comprobante["tributos"], [])

    def test_06_export_goods_without_permits_says_none(self):
        fex = self._post(self._export())["comprobante"]["fex"]
        self.assertEqual(fex["permisos_tiene"], "N")

    def test_06_export_refuses_perceptions(self):
        move = self._export(
            lines=[
                (
                    self.product_iva_105,
                    500.0,
                    1,
                    {
                        "tax_ids": [
                            Command.set((self.tax_10_5 | self.tax_perc_iibb).ids)
                        ]
                    },
                )
            ]
        )
        self.assertRefused(move, "perceptions nor internal taxes")

    def test_06_export_takes_only_exempt_or_zero_vat_lines(self):
        """Export page: "no gravados" in zero; a positive VAT is refused too
        (ARCA's export comprobante carries no VAT)."""
        for tax in (self.tax_no_gravado, self.tax_21):
            move = self._export(
                lines=[
                    (
                        self.product_iva_105,
                        500.0,
                        1,
                        {"name": "Export line", "tax_ids": [Command.set(tax.ids)]},
                    )
                ]
            )
            self.assertRefused(move, "line 'Export line'", "only exempt or 0", tax.name)
            move.unlink()  # a refused draft would hold the number
        for tax in (self.tax_iva_exento, self.tax_0):
            move = self._export(
                lines=[
                    (
                        self.product_iva_105,
                        500.0,
                        1,
                        {"tax_ids": [Command.set(tax.ids)]},
                    )
                ]
            )
            self._post(move)

    def test_06_export_credit_note_associates_inside_fex(self):
        invoice = self._export()
        invoice.action_post()
        _wizard, refund = self._reverse(invoice, self.sale_expo_journal_ri)
        comprobante = self._post(refund)["comprobante"]
        self.assertEqual(comprobante["tipo"], "NOTA DE CREDITO E")
        self.assertNotIn("comprobantes_asociados", comprobante)
        self.assertNotIn("comprobantes_asociados_periodo", comprobante)
        (assoc,) = comprobante["fex"]["comprobantes_asociados"]
        self.assertEqual(assoc["tipo_comprobante"], "FACTURA E")
        self.assertEqual(assoc["numero"], invoice.l10n_ar_tusfacturas_number)

    def test_06_zona_franca_customer_receives_an_export_invoice(self):
        move = self._export(self.res_partner_montana_sur, invoice_incoterm_id=False)
        body = self._post(move)
        self.assertEqual(body["comprobante"]["tipo"], "FACTURA E")
        self.assertEqual(body["cliente"]["documento_tipo"], "CUIT")
        self.assertEqual(body["cliente"]["documento_nro"], "27333333339")
        self.assertEqual(body["cliente"]["provincia"], "23")  # Tierra del Fuego
        self.assertEqual(body["cliente"]["condicion_iva_operacion"], "CDEX")
        fex = body["comprobante"]["fex"]
        self.assertEqual(fex["tipo_exportacion"], "4")
        self.assertEqual(fex["cliente_pais_cuit"], "27333333339")
        self.assertIn("fecha_pago", fex)

    # 7. notes by period -----------------------------------------------------
    def test_07_export_note_by_period_refused(self):
        today = fields.Date.today()
        move = self._export(
            move_type="out_refund",
            l10n_ar_tusfacturas_period_from=today.replace(day=1),
            l10n_ar_tusfacturas_period_to=today,
        )
        self.assertRefused(move, "export (E) or MiPyME (FCE)", "origin")

    # 8. FCE MiPyME ----------------------------------------------------------
    def _fce(self, acc_number=None):
        bank = self.bank_account_ri
        if acc_number:
            bank = bank.copy({"acc_number": acc_number})
        return self._invoice(
            self.partner_mipyme,
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_fce_a_f").id,
            partner_bank_id=bank.id,
        )

    def test_08_fce_cbu_alias_is_id_2102(self):
        datos = self._post(self._fce("mi.empresa-pagos"))["comprobante"][
            "rg_especiales"
        ]["datos"]
        self.assertIn({"id": 2102, "valor": "mi.empresa-pagos"}, datos)
        self.assertNotIn(2101, [d["id"] for d in datos])

    def test_08_fce_bad_cbu_refused(self):
        self.assertRefused(self._fce("12345"), "12345", "22 digits", "alias")

    def test_08_fce_credit_note_proposed_and_sent(self):
        invoice = self._fce()
        invoice.action_post()
        wizard, refund = self._reverse(invoice)
        fce_note = self.env.ref("l10n_ar.dc_fce_a_nc")
        self.assertEqual(wizard.l10n_latam_document_type_id, fce_note)
        self.assertEqual(refund.l10n_latam_document_type_id, fce_note)
        refund.partner_bank_id = False  # not required on FCE notes
        comprobante = self._post(refund)["comprobante"]
        self.assertEqual(
            comprobante["tipo"], "NOTA DE CREDITO ELECTRONICA MiPyME (FCE) A"
        )
        self.assertEqual(
            comprobante["rg_especiales"]["datos"], [{"id": 22, "valor": "N"}]
        )
        (assoc,) = comprobante["comprobantes_asociados"]
        self.assertEqual(
            assoc["tipo_comprobante"], "FACTURA DE CREDITO ELECTRONICA MiPyME (FCE) A"
        )

    def test_08_fce_debit_note_proposed(self):
        invoice = self._fce()
        invoice.action_post()
        wizard = (
            self.env["account.debit.note"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Intereses", "journal_id": self.journal.id})
        )
        debit = self.env["account.move"].browse(wizard.create_debit()["res_id"])
        self.assertEqual(
            debit.l10n_latam_document_type_id, self.env.ref("l10n_ar.dc_fce_a_nd")
        )

    def test_08_plain_note_of_an_fce_invoice_refused(self):
        invoice = self._fce()
        invoice.action_post()
        self.sandbox.reset()
        _wizard, refund = self._reverse(invoice)
        refund.l10n_latam_document_type_id = self.env.ref("l10n_ar.dc_a_nc")
        self.assertRefused(refund, invoice.name, "FCE note")

    # 9. documented limits ---------------------------------------------------
    def test_09_more_than_7_tributos_refused(self):
        perceptions = self.tax_perc_iibb
        for index in range(7):
            perceptions |= self.tax_perc_iibb.copy({"name": f"Perc IIBB {index}"})
        move = self._invoice(
            self.res_partner_adhoc,
            [
                (
                    self.product_iva_21,
                    100.0,
                    1,
                    {"tax_ids": [Command.set((self.tax_21 | perceptions).ids)]},
                )
            ],
        )
        self.assertRefused(move, "8 perceptions", "at most 7")

    def test_09_long_address_and_too_many_emails_refused(self):
        emails = ",".join(f"c{index}@example.com" for index in range(16))
        partner = self.res_partner_adhoc.copy(
            {"name": "Cliente Largo", "street": "Calle " * 60, "email": emails}
        )
        self.assertRefused(
            self._invoice(partner), "Cliente Largo", "address", "16 addresses"
        )

    def test_09_emails_plain_and_separated_by_commas(self):
        partner = self.res_partner_adhoc.copy(
            {"name": "Cliente Mails", "email": "Ana <ana@example.com>; b@example.com"}
        )
        body = self._post(self._invoice(partner))
        self.assertEqual(body["cliente"]["email"], "ana@example.com,b@example.com")

    def test_09_client_code_unique_per_partner(self):
        first = self.res_partner_adhoc.copy({"name": "Uno", "ref": "SAME"})
        second = self.res_partner_adhoc.copy({"name": "Dos", "ref": "SAME"})
        codes = [
            self._post(self._invoice(partner))["cliente"]["codigo"]
            for partner in (first, second)
        ]
        self.assertTrue(codes[0].startswith(f"ODOO-{first.id}-"))
        self.assertTrue(codes[1].startswith(f"ODOO-{second.id}-"))
        self.assertNotEqual(codes[0], codes[1])

    def test_09_client_code_changes_with_the_identification(self):
        """TusFacturas never updates an existing client's document nor IVA
        condition (field reference, cliente): another identification is
        another client code; the same one keeps its code."""
        partner = self.res_partner_adhoc.copy({"name": "Cliente Cambia"})
        first = self._post(self._invoice(partner))["cliente"]["codigo"]
        again = self._post(self._invoice(partner))["cliente"]["codigo"]
        partner.l10n_ar_afip_responsibility_type_id = self.env.ref("l10n_ar.res_IVAE")
        other = self._post(self._invoice(partner))["cliente"]["codigo"]
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)
        self.assertLessEqual(len(other), 50)

    def test_09_short_price_list_refused(self):
        self.company_ri.l10n_ar_tusfacturas_price_list = "abc"
        self.assertRefused(self._invoice(self.res_partner_adhoc), "abc", "4 to 255")

    # 10. perceptions from TusFacturas' tables -------------------------------
    def test_10_iibb_perception_defaults_to_its_province(self):
        self.assertEqual(self.tax_perc_iibb.l10n_ar_tusfacturas_regime, "5")
        field = self.env["account.tax"]._fields["l10n_ar_tusfacturas_regime"]
        labels = dict(field._description_selection(self.env))
        self.assertEqual(labels["5"], "IIBB - BUENOS AIRES")

    def test_10_regime_of_another_kind_refused(self):
        self.tax_perc_iibb.l10n_ar_tusfacturas_regime = "2"  # an IVA regime
        move = self._invoice(
            self.res_partner_adhoc,
            [
                (
                    self.product_iva_21,
                    100.0,
                    1,
                    {"tax_ids": [Command.set((self.tax_21 | self.tax_perc_iibb).ids)]},
                )
            ],
        )
        self.assertRefused(move, self.tax_perc_iibb.name, "RG 2408", "not of the")

    # 11. currencies ---------------------------------------------------------
    def _gbp(self):
        gbp = self.env.ref("base.GBP")
        gbp.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": gbp.id,
                "rate": 1 / 1500.0,
                "company_id": self.company_ri.id,
            }
        )
        return gbp

    def _rg5329_invoice(self, partner):
        perception = self._sale_tax(
            "Perc IVA RG 5329",
            3.0,
            "tax_group_percepcion_iva",
            l10n_ar_tusfacturas_regime="3",
        )
        taxes = Command.set((self.tax_21 | perception).ids)
        return self._invoice(
            partner,
            [
                (self.product_iva_21, 1000.0, 1, {"tax_ids": [taxes]}),
                (self.product_iva_105, 100.0, 1),
            ],
        )

    def test_10_rg5329_marks_the_customer_and_the_perceived_products(self):
        """2024-10 FAQ RG5329: customer and products "rg5329" S (with
        "actualiza_precio" S); an unperceived line stays N."""
        body = self._post(self._rg5329_invoice(self.res_partner_adhoc))
        self.assertEqual(body["cliente"]["rg5329"], "S")
        perceived, other = (d["producto"] for d in body["comprobante"]["detalle"])
        self.assertEqual(
            (perceived["rg5329"], perceived["actualiza_precio"]), ("S", "S")
        )
        self.assertEqual((other["rg5329"], other["actualiza_precio"]), ("N", "N"))
        (tributo,) = body["comprobante"]["tributos"]
        self.assertEqual((tributo["tipo"], tributo["regimen"]), (6, 3))

    def test_10_rg5329_only_on_letter_a(self):
        # Identified (DNI): the anonymous cap is not the subject (nor asked).
        customer = self.partner_cf.copy(
            {
                "l10n_latam_identification_type_id": self.env.ref("l10n_ar.it_dni").id,
                "vat": "12345678",
            }
        )
        move = self._rg5329_invoice(customer)
        self.assertEqual(move.l10n_latam_document_type_id.l10n_ar_letter, "B")
        self.assertRefused(move, "Perc IVA RG 5329", "letter A comprobantes only")

    def test_10_fixed_amount_perception_sends_its_rate(self):
        """l10n_ar's perceptions are fixed-amount taxes (3.00 here): the
        tributo's alicuota is the rate the amounts give, not the money."""
        self.assertEqual(self.tax_perc_iibb.amount_type, "fixed")
        move = self._invoice(
            self.res_partner_adhoc,
            [
                (
                    self.product_iva_21,
                    1000.0,
                    1,
                    {"tax_ids": [Command.set((self.tax_21 | self.tax_perc_iibb).ids)]},
                )
            ],
        )
        (tributo,) = self._post(move)["comprobante"]["tributos"]
        self.assertEqual(tributo["base_imponible"], "1000.00")
        self.assertEqual(tributo["total"], "3.00")
        self.assertEqual(tributo["alicuota"], "0.30")

    def test_11_currency_outside_the_table_refused(self):
        move = self._invoice(self.res_partner_adhoc, currency_id=self._gbp().id)
        self.assertRefused(move, "GBP", "currency table")

    def test_11_afip_rate_button_says_so_instead_of_asking(self):
        move = self._invoice(self.res_partner_adhoc, currency_id=self._gbp().id)
        with self.assertRaises(UserError) as caught:
            move.action_l10n_ar_tusfacturas_update_rate()
        self.assertIn("does not accept currency GBP", str(caught.exception))
        self.assertEqual(self.sandbox.requests_to("tablas_referencia/cotizacion"), [])

    # 12. RG 5762/2025: no new Factura M -------------------------------------
    def _m_invoice(self, day=None):
        return self._invoice(
            self.res_partner_adhoc,
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_m_f").id,
            invoice_date=day or fields.Date.today(),
        )

    def test_12_new_factura_m_refused(self):
        self.assertRefused(self._m_invoice(), "Factura M", "RG 5762/2025")

    def test_12_note_of_an_old_m_invoice_still_sent(self):
        # AFIP's date window is around the day of sending: the old M invoice
        # was sent on its day; the note is sent today.
        self.sandbox.set_today(fields.Date.to_date("2025-11-20"))
        old = self._m_invoice(fields.Date.to_date("2025-11-20"))
        old.action_post()
        self.sandbox.set_today(None)
        _wizard, refund = self._reverse(old)
        refund.l10n_latam_document_type_id = self.env.ref("l10n_ar.dc_m_nc")
        comprobante = self._post(refund)["comprobante"]
        self.assertEqual(comprobante["tipo"], "NOTA DE CREDITO M")
        (assoc,) = comprobante["comprobantes_asociados"]
        self.assertEqual(assoc["tipo_comprobante"], "FACTURA M")

    def test_12_m_note_without_old_m_origin_refused(self):
        today = fields.Date.today()
        move = self._invoice(
            self.res_partner_adhoc,
            move_type="out_refund",
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_m_nc").id,
            l10n_ar_tusfacturas_period_from=today.replace(day=1),
            l10n_ar_tusfacturas_period_to=today,
        )
        self.assertRefused(move, "M credit or debit note", "RG 5762/2025")

    # 13. escapes only where documented, never cut -------------------------
    def test_13_escapes_only_where_documented_and_never_cut(self):
        partner = self.res_partner_adhoc.copy(
            {"name": "Cien % Natural", "street": "Calle 1\nPiso 2"}
        )
        move = self._invoice(partner)
        move.narration = "a" * 498 + "%"
        body = self._post(move)
        self.assertEqual(body["cliente"]["razon_social"], "Cien % Natural")
        self.assertTrue(body["cliente"]["domicilio"].startswith("Calle 1 Piso 2"))
        self.assertEqual(body["comprobante"]["leyenda_gral"], "a" * 498)

    # 15. unidentified consumidor final above AFIP's cap --------------------
    def test_15_anonymous_consumidor_final_above_the_cap_refused(self):
        answer = requests.post(
            f"{self.sandbox.url}/facturacion/topecf",
            json=SANDBOX_CREDENTIALS,
            timeout=5,
        )
        self.assertEqual(answer.status_code, 200)
        cap = Decimal(str(answer.json()["monto"]))
        self.sandbox.reset()
        for _attempt in range(2):
            move = self._invoice(
                self.partner_cf, [(self.product_iva_21, float(cap), 1)]
            )
            self.assertRefused(move, self.partner_cf.name, "cap", "DNI")
            # Odoo numbers the first draft of a period: the refused draft is
            # discarded so that it does not hold the number the next one needs.
            move.unlink()
        # Asked once a day, not once per invoice.
        self.assertEqual(len(self.sandbox.requests_to("facturacion/topecf")), 1)
        below = self._invoice(self.partner_cf, [(self.product_iva_21, 100.0, 1)])
        self._post(below)

    # 16. dates and note types ARCA refuses (checked before sending) ----------
    def test_16_origin_dated_after_the_note_refused(self):
        invoice = self._invoice(self.res_partner_adhoc)
        invoice.action_post()
        _wizard, refund = self._reverse(invoice)
        refund.invoice_date = fields.Date.today() - timedelta(days=1)
        self.sandbox.reset()  # only the note's attempt is watched
        self.assertRefused(refund, invoice.name, "after the note's date")

    def test_16_fce_note_of_a_plain_invoice_refused(self):
        invoice = self._invoice(self.partner_mipyme)
        invoice.action_post()
        self.assertEqual(invoice.l10n_latam_document_type_id.code, "1")
        _wizard, refund = self._reverse(invoice)
        refund.l10n_latam_document_type_id = self.env.ref("l10n_ar.dc_fce_a_nc")
        self.sandbox.reset()  # only the note's attempt is watched
        self.assertRefused(refund, invoice.name, "is not an FCE invoice")

    def test_16_due_date_before_the_date_refused(self):
        move = self._invoice(self.res_partner_adhoc, invoice_payment_term_id=False)
        move.invoice_date_due = fields.Date.today() - timedelta(days=1)
        self.assertRefused(move, "due date", "FchVtoPago")

    # 17. RG 5616: paga_misma_moneda ---------------------------------------------
    def test_17_paga_misma_moneda_from_the_company_with_afip_rate(self):
        usd = self._usd(990.0)
        self.company_ri.l10n_ar_tusfacturas_pays_same_currency = True
        move = self._invoice(self.res_partner_adhoc, currency_id=usd.id)
        self.assertTrue(move.l10n_ar_tusfacturas_pays_same_currency)
        comprobante = self._post(move)["comprobante"]
        self.assertEqual(comprobante["datos_informativos"], {"paga_misma_moneda": "S"})
        # "S" needs AFIP's official rate: taken when validating, not the 990.
        self.assertEqual(comprobante["cotizacion"], "1000.500")
        self.assertEqual(
            len(self.sandbox.requests_to("tablas_referencia/cotizacion")), 1
        )
        other = self._invoice(self.res_partner_adhoc, currency_id=usd.id)
        other.l10n_ar_tusfacturas_pays_same_currency = False
        comprobante = self._post(other)["comprobante"]
        self.assertEqual(comprobante["datos_informativos"], {"paga_misma_moneda": "N"})
        pesos = self._post(self._invoice(self.res_partner_adhoc))["comprobante"]
        self.assertNotIn("datos_informativos", pesos)
