from datetime import date

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tusfacturas import parse_qr_url
from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestPost(TusFacturasCommon):
    def test_invoice_a_to_ri(self):
        move = self._invoice(self.res_partner_adhoc, [(self.product_iva_21, 100.0, 2)])
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(move.l10n_ar_tusfacturas_type, "FACTURA A")
        self.assertEqual(move.l10n_ar_tusfacturas_letter, "A")
        self.assertEqual(move.l10n_ar_tusfacturas_pos_number, 3)
        self.assertEqual(move.l10n_ar_tusfacturas_number, 1)
        self.assertEqual(move.name, "FA-A 00003-00000001")
        self.assertNotIn(" ", move.l10n_ar_tusfacturas_cae)
        (body,) = self._sent()
        comprobante = body["comprobante"]
        self.assertEqual(comprobante["tipo"], "FACTURA A")
        self.assertEqual(comprobante["total"], "242.00")
        self.assertEqual(body["cliente"]["condicion_iva"], "RI")
        self.assertEqual(body["cliente"]["documento_tipo"], "CUIT")
        self.assertEqual(body["cliente"]["provincia"], "21")  # Santa Fe
        self.assertEqual(
            comprobante["detalle"][0]["producto"]["precio_unitario_sin_iva"], "100.00"
        )

    def test_invoice_m_to_ri(self):
        """Letter M (RI issuers under AFIP's scrutiny): priced like A, own type.
        Only dated before 1 December 2025 (RG 5762/2025), and AFIP's date
        window is around the day of sending: sent "on" 28/11/2025."""
        self.sandbox.set_today(date(2025, 11, 28))
        move = self._invoice(
            self.res_partner_adhoc,
            [(self.product_iva_21, 100.0, 1)],
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_m_f").id,
            invoice_date=fields.Date.to_date("2025-11-28"),
        )
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(move.name, "FA-M 00003-00000001")
        self.assertEqual(move.l10n_ar_tusfacturas_type, "FACTURA M")
        self.assertEqual(move.l10n_ar_tusfacturas_letter, "M")
        (body,) = self._sent()
        line = body["comprobante"]["detalle"][0]["producto"]
        self.assertEqual(body["comprobante"]["tipo"], "FACTURA M")
        self.assertEqual(line["precio_unitario_sin_iva"], "100.00")
        self.assertEqual(line["alicuota"], "21")
        self.assertEqual(body["comprobante"]["total"], "121.00")

    def test_pdf_and_qr_attached_and_announced(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertTrue(move.l10n_ar_tusfacturas_pdf_id.raw.startswith(b"%PDF-"))
        self.assertEqual(move.l10n_ar_tusfacturas_pdf_id.res_id, move.id)
        self.assertTrue(
            move.l10n_ar_tusfacturas_qr_id.raw.startswith(b"\x89PNG"), "QR is a PNG"
        )
        qr = parse_qr_url(move.l10n_ar_tusfacturas_qr_payload)
        self.assertEqual(int(qr["nroCmp"]), move.l10n_ar_tusfacturas_number)
        self.assertEqual(str(qr["codAut"]), move.l10n_ar_tusfacturas_cae)
        message = move.message_ids.filtered(
            lambda m: move.l10n_ar_tusfacturas_pdf_id in m.attachment_ids
        )
        self.assertTrue(message, "chatter message with both attachments")
        self.assertIn(move.l10n_ar_tusfacturas_qr_id, message.attachment_ids)

    def test_vat_included_in_the_price_is_taken_out(self):
        """A price with VAT included is sent without it, as Odoo's tax engine
        computes it (prices without VAT are sent as they are)."""
        tax = self.tax_21.copy(
            {"name": "IVA 21% incluido", "price_include_override": "tax_included"}
        )
        move = self._invoice(
            self.res_partner_adhoc,
            [
                (self.product_iva_21, 121.0, 2, {"tax_ids": [Command.set(tax.ids)]}),
                (self.product_iva_21, 50.0, 1),
            ],
        )
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        included, excluded = body["comprobante"]["detalle"]
        self.assertEqual(included["producto"]["precio_unitario_sin_iva"], "100.00")
        self.assertEqual(included["producto"]["alicuota"], "21")
        self.assertEqual(excluded["producto"]["precio_unitario_sin_iva"], "50.00")
        self.assertEqual(body["comprobante"]["total"], "302.50")

    def test_consecutive_numbers_follow_tusfacturas(self):
        first = self._invoice(self.res_partner_adhoc)
        second = self._invoice(self.res_partner_adhoc)
        (first + second).action_post()
        self._run_queue()  # confirmed together: queued, then one lote
        self.assertEqual(first.l10n_ar_tusfacturas_number, 1)
        self.assertEqual(second.l10n_ar_tusfacturas_number, 2)
        (lote,) = self.sandbox.requests_to("facturacion/lotes")
        self.assertEqual([b["comprobante"]["numero"] for b in lote["requests"]], [1, 2])
        self.assertEqual(self._sent(), [])

    def test_invoice_b_to_consumidor_final_anonymous(self):
        move = self._invoice(self.partner_cf, [(self.product_iva_21, 121.0, 1)])
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        self.assertEqual(body["comprobante"]["tipo"], "FACTURA B")
        self.assertEqual(body["cliente"]["documento_tipo"], "OTRO")
        self.assertEqual(body["cliente"]["documento_nro"], "0")
        self.assertEqual(body["cliente"]["condicion_iva"], "CF")

    def test_invoice_b_to_consumidor_final_with_dni(self):
        partner = self.partner_cf.copy(
            {
                "name": "Juana Perez",
                "l10n_latam_identification_type_id": self.env.ref("l10n_ar.it_dni").id,
                "vat": "20123456",
                "street": "San Martin 100",
                "state_id": self.env.ref("base.state_ar_c").id,
                "country_id": self.env.ref("base.ar").id,
            }
        )
        move = self._invoice(partner)
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        self.assertEqual(body["cliente"]["documento_tipo"], "DNI")
        self.assertEqual(body["cliente"]["documento_nro"], "20123456")
        self.assertEqual(body["cliente"]["provincia"], "1")

    def test_several_rates_exento_no_gravado_discount(self):
        move = self._invoice(
            self.res_partner_adhoc,
            [
                (self.product_iva_21, 100.0, 1, {"discount": 10}),
                (self.product_iva_105, 200.0, 2),
                (self.service_iva_27, 50.0, 1),
                (self.product_iva_exento, 30.0, 1),
                (self.product_no_gravado, 40.0, 1),
                (self.product_iva_cero, 10.0, 1),
            ],
        )
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        rates = [d["producto"]["alicuota"] for d in body["comprobante"]["detalle"]]
        self.assertEqual(rates, ["21", "10.5", "27", "-1", "-2", "0"])
        self.assertEqual(
            body["comprobante"]["detalle"][0]["bonificacion_porcentaje"], "10.00"
        )
        self.assertEqual(body["comprobante"]["total"], f"{move.amount_total:.2f}")

    def test_usd_invoice_sends_rate(self):
        usd = self._usd()
        move = self._invoice(self.res_partner_adhoc, currency_id=usd.id)
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        self.assertEqual(body["comprobante"]["moneda"], "DOL")
        self.assertEqual(body["comprobante"]["cotizacion"], "1000.500")

    def test_perception_goes_to_tributos(self):
        move = self._invoice(
            self.res_partner_adhoc,
            [
                (
                    self.product_iva_105_perc,
                    1000.0,
                    1,
                    {
                        "tax_ids": [
                            Command.set((self.tax_10_5 | self.tax_perc_iibb).ids)
                        ]
                    },
                )
            ],
        )
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        (tributo,) = body["comprobante"]["tributos"]
        self.assertEqual(tributo["tipo"], 7)  # Percepciones IIBB
        self.assertEqual(tributo["regimen"], 5)  # BUENOS AIRES (ARBA)
        self.assertEqual(tributo["base_imponible"], "1000.00")
        self.assertEqual(body["comprobante"]["total"], f"{move.amount_total:.2f}")

    def test_export_invoice_e(self):
        move = self._export_goods()
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        self.assertEqual(body["comprobante"]["tipo"], "FACTURA E")
        fex = body["comprobante"]["fex"]
        self.assertEqual(fex["incoterms_tipo_id"], "FOB")
        self.assertEqual(
            fex["pais_comprobante_id"], self.env.ref("base.es").l10n_ar_afip_code
        )
        self.assertEqual(body["cliente"]["condicion_iva"], "CDEX")

    def test_fce_mipyme_invoice(self):
        fce = self.env.ref("l10n_ar.dc_fce_a_f")
        move = self._invoice(
            self.partner_mipyme,
            [(self.product_iva_21, 100.0, 1)],
            l10n_latam_document_type_id=fce.id,
            partner_bank_id=self.bank_account_ri.id,
        )
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        self.assertTrue(body["comprobante"]["tipo"].startswith("FACTURA DE CREDITO"))
        datos = body["comprobante"]["rg_especiales"]["datos"]
        self.assertIn({"id": 2101, "valor": self.bank_account_ri.acc_number}, datos)
        self.assertIn({"id": 27, "valor": "SCA"}, datos)

    def test_text_is_encoded(self):
        move = self._invoice(
            self.res_partner_adhoc,
            [(self.product_iva_21, 100.0, 1, {"name": "Promo 20% OFF\nsegunda linea"})],
        )
        move.action_post()
        (body,) = self._sent()
        self.assertEqual(
            body["comprobante"]["detalle"][0]["producto"]["descripcion"],
            "Promo 20#&# OFF#@#segunda linea",
        )

    def test_authorized_invoice_cannot_go_back_to_draft(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        with self.assertRaises(UserError) as caught:
            move.button_draft()
        self.assertIn("credit note", str(caught.exception))
        self.assertEqual(move.state, "posted")

    def test_report_prints_cae_and_qr(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", move.ids)[0]
            .decode()
        )
        self.assertIn(move.l10n_ar_tusfacturas_cae, html)
        self.assertIn("data:image/png;base64,", html)

    def test_testing_mode_is_not_authorized(self):
        self.sandbox.add_credentials(
            "1111", "sandbox-apitoken", "testing-token", "30111111118", testing=True
        )
        self.company_ri.l10n_ar_tusfacturas_usertoken = "testing-token"
        self.journal.l10n_ar_tusfacturas_testing = True
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "testing")
        self.assertFalse(move.l10n_ar_tusfacturas_cae)
        self.assertIn("testing", move.l10n_ar_tusfacturas_message)

    def test_journal_without_tusfacturas_sends_nothing(self):
        self.journal.l10n_ar_tusfacturas_enabled = False
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.state, "posted")
        self.assertFalse(move.l10n_ar_tusfacturas_state)
        self.assertEqual(self._sent(), [])

    def test_invoice_c_from_monotributo_company(self):
        journal = self._monotributo_journal("1111", "mono-token")
        company = journal.company_id
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_cf.id,
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
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        self.assertEqual(body["comprobante"]["tipo"], "FACTURA C")
        (item,) = body["comprobante"]["detalle"]
        self.assertEqual(item["producto"]["precio_unitario_sin_iva"], "150.00")
        self.assertEqual(item["producto"]["alicuota"], "0")
        self.assertEqual(body["comprobante"]["total"], "300.00")
