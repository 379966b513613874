from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestBadInput(TusFacturasCommon):
    """Each bad input stops the validation before any request, naming what to fix."""

    def assertRefused(self, move, *fragments):
        move_name = move.name  # the message names the invoice
        with self.assertRaises(UserError) as caught:
            move.action_post()
        message = str(caught.exception)
        for fragment in (move_name, *fragments):
            self.assertIn(fragment, message)
        self.assertEqual(move.state, "draft")
        self.assertEqual(self.sandbox.requests_to("facturacion/nuevo"), [])
        return message

    def _partner(self, **values):
        return self.res_partner_adhoc.copy({"name": "Cliente Malo", **values})

    def test_01_bad_cuit_check_digit(self):
        partner = self._partner()
        # l10n_ar's own check refuses such a write; imported data can still hold it.
        self.env.cr.execute(
            "UPDATE res_partner SET vat = '30714295699' WHERE id = %s", [partner.id]
        )
        partner.invalidate_recordset()
        self.assertRefused(
            self._invoice(partner), "Cliente Malo", "30714295699", "check digit"
        )

    def test_02_partner_without_street(self):
        self.assertRefused(
            self._invoice(self._partner(street=False)), "Cliente Malo", "street"
        )

    def test_03_partner_without_province(self):
        self.assertRefused(
            self._invoice(self._partner(state_id=False)), "Cliente Malo", "province"
        )

    def test_04_partner_without_responsibility(self):
        partner = self._partner()
        partner.l10n_ar_afip_responsibility_type_id = False
        move = self._invoice(partner)
        move.l10n_latam_document_type_id = self.env.ref("l10n_ar.dc_a_f")
        self.assertRefused(move, "AFIP responsibility")

    def test_05_letter_not_allowed_for_customer(self):
        move = self._invoice(self.partner_cf)
        move.l10n_latam_document_type_id = self.env.ref("l10n_ar.dc_a_f")
        self.assertRefused(move, "letter A")

    def test_06_more_than_130_lines(self):
        lines = [(self.product_iva_21, 1.0, 1)] * 131
        self.assertRefused(self._invoice(self.res_partner_adhoc, lines), "131 lines")

    def test_07_description_too_short(self):
        move = self._invoice(
            self.res_partner_adhoc, [(self.product_iva_21, 10.0, 1, {"name": "ab"})]
        )
        self.assertRefused(move, "4 to 255")

    def test_08_product_code_too_long(self):
        # The newest field reference allows product codes of up to 50 characters.
        self.product_iva_21.default_code = "C" * 51
        self.assertRefused(self._invoice(self.res_partner_adhoc), "C" * 51, "50")

    def test_09_line_without_vat(self):
        move = self._invoice(
            self.res_partner_adhoc,
            [(self.product_iva_21, 10.0, 1, {"tax_ids": [Command.clear()]})],
        )
        self.assertRefused(move, "exactly one supported VAT tax")

    def test_10_unit_of_measure_without_afip_code(self):
        uom = self.env.ref("uom.product_uom_unit")
        uom.l10n_ar_afip_code = False
        self.assertRefused(self._invoice(self.res_partner_adhoc), uom.name)

    def test_11_perception_without_regime(self):
        self.tax_perc_iibb.l10n_ar_tusfacturas_regime = False
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
        self.assertRefused(move, self.tax_perc_iibb.name, "perception regime")

    def test_12_per_line_vat_no_price_can_reach(self):
        """A company switched to per-line rounding: 30 lines of 0.03 at 21 %
        make Odoo's VAT 0.30 (0.0063 -> 0.01 each), ARCA's per rate 0.19: no
        unit prices give both, so nothing is sent and the accountant is told
        to round globally again."""
        self.company_ri.tax_calculation_rounding_method = "round_per_line"
        move = self._invoice(
            self.res_partner_adhoc, [(self.product_iva_21, 0.03, 1)] * 30
        )
        self.assertEqual(move.amount_tax, 0.30)
        self.assertRefused(move, "21 %", "VAT 0.30", "Round Globally")

    def test_13_credit_note_without_origin_or_period(self):
        move = self._invoice(self.res_partner_adhoc, move_type="out_refund")
        self.assertRefused(move, "associated period")

    def test_14_export_of_goods_without_incoterm(self):
        move = self._invoice(
            self.res_partner_barcelona_food, journal=self.sale_expo_journal_ri
        )
        self.assertRefused(move, "incoterm")

    def test_14_incoterm_afip_does_not_know(self):
        """Odoo ships Incoterms 2020's DPU; AFIP's table has no such code."""
        move = self._invoice(
            self.res_partner_barcelona_food,
            [(self.product_iva_105, 500.0, 1)],
            journal=self.sale_expo_journal_ri,
            invoice_incoterm_id=self.env.ref("account.incoterm_DPU").id,
        )
        self.assertRefused(move, "incoterm DPU", "FOB")

    def test_15_fce_without_cbu(self):
        move = self._invoice(
            self.partner_mipyme,
            l10n_latam_document_type_id=self.env.ref("l10n_ar.dc_fce_a_f").id,
        )
        move.partner_bank_id = False
        self.assertRefused(move, "CBU")

    def test_16_identification_type_not_accepted(self):
        partner = self.partner_cf.copy(
            {
                "name": "Cliente Cedula",
                "l10n_latam_identification_type_id": self.env.ref("l10n_ar.it_CBA").id,
                "vat": "123456",
            }
        )
        self.assertRefused(self._invoice(partner), "identification type")

    def test_17_negative_quantity(self):
        move = self._invoice(
            self.res_partner_adhoc,
            [(self.product_iva_21, 100.0, 2), (self.product_iva_21, 10.0, -1)],
        )
        self.assertRefused(move, "positive")

    def test_18_all_errors_reported_at_once(self):
        partner = self._partner(street=False, state_id=False)
        message = self.assertRefused(self._invoice(partner), "street", "province")
        self.assertIn("Nothing was sent", message)
