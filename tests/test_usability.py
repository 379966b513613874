import re

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestUsability(TusFacturasCommon):
    def test_pre_printed_point_of_sale_cannot_issue(self):
        journal = self._plain_journal()
        journal.l10n_ar_afip_pos_system = "II_IM"
        pattern = re.escape(journal.display_name) + ".*Pre-printed"
        with self.assertRaisesRegex(ValidationError, pattern):
            journal.l10n_ar_tusfacturas_enabled = True
        # Nor the other way round: an issuing journal turned pre-printed.
        with self.assertRaisesRegex(ValidationError, "TusFacturas POS 3"):
            self.journal.l10n_ar_afip_pos_system = "II_IM"

    def test_storing_the_official_pdf_imports_nothing(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        move.action_l10n_ar_tusfacturas_download_pdf()
        bodies = move.message_ids.mapped("body")
        self.assertFalse([b for b in bodies if "not updated from the attachment" in b])
        self.assertEqual(len([b for b in bodies if "official PDF is attached" in b]), 2)

    def test_dates_shown_in_the_users_format(self):
        self.env["res.lang"]._lang_get("en_US").date_format = "%Y-%m-%d"
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        due = move.l10n_ar_tusfacturas_cae_due_date
        message = move.message_ids.filtered(lambda m: "CAE" in (m.body or ""))[:1]
        self.assertIn(f"due {due:%Y-%m-%d}", message.body)
        self.assertNotIn(f"{due:%d/%m/%Y}", message.body)

    def test_maintenance_end_in_the_users_format(self):
        self.env["res.lang"]._lang_get("en_US").date_format = "%Y-%m-%d"
        self.sandbox.set_fault("maintenance", endpoints=["facturacion/nuevo"])
        with self.assertRaisesRegex(
            UserError, r"maintenance until \d{4}-\d\d-\d\d \d\d:\d\d"
        ):
            self._invoice(self.res_partner_adhoc).action_post()

    def test_authorized_invoice_offers_no_reset_to_draft(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertFalse(move.show_reset_to_draft_button)
        plain = self._invoice(self.res_partner_adhoc, journal=self._plain_journal())
        plain.action_post()
        self.assertTrue(plain.show_reset_to_draft_button)

    def test_fce_fields_only_on_fce_documents(self):
        move = self._invoice(self.res_partner_adhoc)
        form = Form(move)
        self.assertTrue(
            form._get_modifier("l10n_ar_tusfacturas_fce_transmission", "invisible")
        )
        self.assertTrue(
            form._get_modifier("l10n_ar_tusfacturas_fce_cancellation", "invisible")
        )
        form.l10n_latam_document_type_id = self.env.ref("l10n_ar.dc_fce_a_f")
        self.assertFalse(
            form._get_modifier("l10n_ar_tusfacturas_fce_transmission", "invisible")
        )
        self.assertTrue(
            form._get_modifier("l10n_ar_tusfacturas_fce_cancellation", "invisible")
        )

    def test_associated_period_only_where_it_applies(self):
        issued = self._invoice(self.res_partner_adhoc)
        plain = self._invoice(self.res_partner_adhoc, journal=self._plain_journal())
        (issued | plain).action_post()
        for model in ("account.move.reversal", "account.debit.note"):
            self.assertTrue(self._period_hidden(model, issued), model)
            self.assertFalse(self._period_hidden(model, plain), model)
            self._set_fiscal_country("base.us")
            self.assertTrue(self._period_hidden(model, plain), model)
            self._set_fiscal_country("base.ar")

    def _set_fiscal_country(self, xmlid):
        """In SQL: the ORM would recompute (and check) every journal of it."""
        self.env.cr.execute(
            "UPDATE res_company SET account_fiscal_country_id = %s WHERE id = %s",
            [self.env.ref(xmlid).id, self.company_ri.id],
        )
        self.company_ri.invalidate_recordset(["account_fiscal_country_id"])

    def _period_hidden(self, model, move):
        wizard = self.env[model].with_context(
            active_model="account.move", active_ids=move.ids
        )
        return Form(wizard)._get_modifier(
            "l10n_ar_tusfacturas_period_from", "invisible"
        )

    def test_unnumbered_draft_named_by_customer_and_amount(self):
        self._invoice(
            self.res_partner_adhoc
        ).action_post()  # drafts now wait for a number
        partner = self.res_partner_adhoc.copy({"name": "Cliente Malo", "street": False})
        move = self._invoice(partner)
        self.assertEqual(move.name, "/")
        with self.assertRaises(UserError) as caught:
            move.action_post()
        message = str(caught.exception)
        self.assertNotIn("Draft Invoice :", message)
        amount = move.currency_id.format(move.amount_total)
        self.assertIn(f"Draft Invoice for Cliente Malo ({amount}): ", message)

    def test_next_numbers_dialog_fits_its_columns(self):
        self.env.user.groups_id |= self.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_user"
        )
        action = self.env.ref(
            "l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_next_number_journal"
        ).with_context(
            active_model="account.journal",
            active_id=self.journal.id,
            active_ids=self.journal.ids,
        )
        result = action.run()
        self.assertEqual(result["context"]["dialog_size"], "extra-large")
        arch = self.env[result["res_model"]].get_view(view_type="form")["arch"]
        for name in ("document_type_id", "odoo_next", "tusfacturas_next", "status"):
            self.assertRegex(arch, rf'<field name="{name}" [^>]*width="\d+px"')

    def test_first_credit_note_is_numbered_by_the_sequence(self):
        invoice = self._invoice(self.res_partner_adhoc)
        invoice.action_post()
        wizard = Form(
            self.env["account.move.reversal"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        wizard.reason = "Returned"
        action = wizard.save().refund_moves()
        note = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(note.name, "NC-A 00003-00000001")
        Form(note).save()  # the number is there: nothing to type by hand
        note.action_post()
        self.assertAuthorized(note)
        self.assertEqual(note.l10n_ar_tusfacturas_number, 1)
