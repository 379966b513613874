from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TusFacturasCommon

NUMERACION = "facturacion/numeracion"
ACTIONS = {
    "account.move": "l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_next_number_move",
    "account.journal": (
        "l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_next_number_journal"
    ),
}


@tagged("post_install_l10n", "post_install", "-at_install")
class TestNextNumber(TusFacturasCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The accountant running these tests manages TusFacturas (admin does).
        cls.env.user.groups_id |= cls.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_manager"
        )

    def _open(self, record, user=None):
        """Run the server action the journal button or the invoice menu runs."""
        env = self.env(user=user) if user else self.env
        action = env.ref(ACTIONS[record._name]).with_context(
            active_model=record._name, active_id=record.id, active_ids=record.ids
        )
        result = action.run()
        self.assertEqual(result["res_model"], "l10n_ar.tusfacturas.next.number")
        self.assertEqual(result["target"], "new")
        return env[result["res_model"]].browse(result["res_id"])

    def _line(self, wizard, code):
        line = wizard.line_ids.filtered(lambda li: li.document_type_id.code == code)
        self.assertEqual(len(line), 1, f"one line for document type {code}")
        return line

    def _issue_outside_odoo(self, partner, numero=1):
        """Issue a comprobante straight through the client (real HTTP to the
        sandbox), as TusFacturas' website or another system would: Odoo keeps
        no trace of it."""
        draft = self._invoice(partner)
        payload = draft._l10n_ar_tusfacturas_prepare_payload()
        payload["comprobante"]["numero"] = numero
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        comprobante = client.issue(payload)
        draft.unlink()
        return comprobante

    def _user(self, login, groups):
        return new_test_user(
            self.env, login=login, groups=groups, company_id=self.company_ri.id
        )

    def test_match_after_posting(self):
        first = self._invoice(self.partner_ri)
        first.action_post()
        self.assertAuthorized(first)
        wizard = self._open(self.journal)
        self.assertEqual(wizard.journal_id, self.journal)
        self.assertFalse(wizard.move_id)
        codes = wizard.line_ids.document_type_id.mapped("code")
        # RI on an online POS: letters A, B, M (and MiPyME); no C, no receipts.
        for code in ("1", "2", "3", "6", "8", "51", "201", "206"):
            self.assertIn(code, codes)
        for code in ("11", "4", "19"):
            self.assertNotIn(code, codes)
        self.assertEqual(set(wizard.line_ids.mapped("status")), {"match"})
        invoice_a = self._line(wizard, "1")
        self.assertEqual((invoice_a.odoo_next, invoice_a.tusfacturas_next), (2, 2))
        self.assertEqual(invoice_a.tusfacturas_type, "FACTURA A")
        self.assertIn("agree", invoice_a.explanation)
        self.assertIn("00003-00000002", invoice_a.explanation)
        credit_a = self._line(wizard, "3")
        self.assertEqual((credit_a.odoo_next, credit_a.tusfacturas_next), (1, 1))
        self.assertFalse(wizard.line_ids.filtered("is_current"))
        # One numeracion call per document type, each for its own type.
        asked = [
            body["comprobante"]["tipo"] for body in self.sandbox.requests_to(NUMERACION)
        ]
        self.assertEqual(
            sorted(asked), sorted(wizard.line_ids.mapped("tusfacturas_type"))
        )

    def test_tusfacturas_ahead_align_then_post(self):
        self._issue_outside_odoo(self.partner_ri)
        move = self._invoice(self.partner_ri)
        self.assertEqual(move.name, "FA-A 00003-00000001")
        with self.assertRaises(UserError) as cm:
            move.action_post()
        self.assertIn("00003-00000002", str(cm.exception))
        self.assertEqual(move.state, "draft")

        wizard = self._open(move)
        self.assertEqual(wizard.move_id, move)
        line = self._line(wizard, "1")
        self.assertTrue(line.is_current)
        self.assertEqual(wizard.line_ids.filtered("is_current"), line)
        self.assertEqual(line.status, "tusfacturas_ahead")
        self.assertEqual((line.odoo_next, line.tusfacturas_next), (1, 2))
        self.assertTrue(line.can_align)
        self.assertIn("it already has 00003-00000001, issued outside", line.explanation)
        self.assertIn("Align gives this draft number 00003-00000002", line.explanation)
        self.assertFalse((wizard.line_ids - line).filtered("can_align"))

        result = line.action_align()
        self.assertEqual(move.name, "FA-A 00003-00000002")
        refreshed = self.env[result["res_model"]].browse(result["res_id"])
        self.assertEqual(self._line(refreshed, "1").status, "match")
        for record in (move, self.journal):
            body = record.message_ids[0].body
            self.assertIn("aligned with TusFacturas by", body)
            self.assertIn(self.env.user.name, body)
            self.assertIn("FA-A 00003-00000001", body)
            self.assertIn("FA-A 00003-00000002", body)

        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(move.name, "FA-A 00003-00000002")
        self.assertEqual(move.l10n_ar_tusfacturas_number, 2)
        self.assertEqual(self._sent()[-1]["comprobante"]["numero"], 2)
        # Odoo's numbering continues from the aligned number.
        after = self._line(self._open(self.journal), "1")
        self.assertEqual((after.odoo_next, after.tusfacturas_next), (3, 3))

    def test_aligned_number_goes_to_the_invoice_sent_first(self):
        """An aligned draft left aside does not block: the invoice sent first
        takes the aligned number, the draft gets the next one later."""
        self._issue_outside_odoo(self.partner_ri)
        aligned = self._invoice(self.partner_ri)
        self._line(self._open(aligned), "1").action_align()
        self.assertEqual(aligned.name, "FA-A 00003-00000002")
        second = self._invoice(self.partner_ri)
        line = self._line(self._open(second), "1")
        self.assertEqual((line.odoo_next, line.tusfacturas_next), (2, 2))
        self.assertEqual(line.status, "match")
        second.action_post()
        self.assertAuthorized(second)
        self.assertEqual(second.name, "FA-A 00003-00000002")
        self.assertEqual(aligned.name, "/")
        aligned.action_post()
        self.assertAuthorized(aligned)
        self.assertEqual(aligned.name, "FA-A 00003-00000003")

    def test_tusfacturas_ahead_from_journal_explains_how(self):
        self._issue_outside_odoo(self.partner_ri)
        self._issue_outside_odoo(self.partner_ri, numero=2)
        line = self._line(self._open(self.journal), "1")
        self.assertEqual(line.status, "tusfacturas_ahead")
        self.assertFalse(line.can_align)
        self.assertEqual((line.odoo_next, line.tusfacturas_next), (1, 3))
        self.assertIn("00003-00000001 to 00003-00000002", line.explanation)
        self.assertIn("open the next draft of this type", line.explanation)
        with self.assertRaises(UserError) as cm:
            line.action_align()
        self.assertIn("Nothing was aligned", str(cm.exception))

    def test_credit_note_type_is_highlighted(self):
        note = self._invoice(self.partner_ri, move_type="out_refund")
        wizard = self._open(note)
        current = wizard.line_ids.filtered("is_current")
        self.assertEqual(current.document_type_id.code, "3")
        self.assertEqual(current.status, "match")
        self.assertEqual(current.odoo_next, 1)

    def test_odoo_ahead_is_explained_and_never_aligned(self):
        # Posted while the journal did not issue through TusFacturas yet.
        self.journal.l10n_ar_tusfacturas_enabled = False
        old = self._invoice(self.partner_ri)
        old.action_post()
        self.assertFalse(old.l10n_ar_tusfacturas_state)
        self.journal.l10n_ar_tusfacturas_enabled = True
        move = self._invoice(self.partner_ri)
        line = self._line(self._open(move), "1")
        self.assertEqual(line.status, "odoo_ahead")
        self.assertEqual((line.odoo_next, line.tusfacturas_next), (2, 1))
        self.assertFalse(line.can_align)
        self.assertIn("never authorized", line.explanation)
        self.assertIn("Never align backwards", line.explanation)
        self.assertIn("it used 00003-00000001, which", line.explanation)
        name = move.name
        with self.assertRaises(UserError) as cm:
            line.action_align()
        self.assertIn("Nothing was aligned", str(cm.exception))
        self.assertEqual(move.name, name)

    def test_failing_type_does_not_hide_the_others(self):
        self.sandbox.set_fault("maintenance", endpoints=[NUMERACION], times=1)
        wizard = self._open(self.journal)
        failed = wizard.line_ids.filtered(lambda li: li.status == "error")
        self.assertEqual(failed, wizard.line_ids[0])
        self.assertIn("under maintenance until", failed.explanation)
        self.assertIn("press Ask again to retry", failed.explanation)
        others = wizard.line_ids - failed
        self.assertTrue(others)
        self.assertEqual(set(others.mapped("status")), {"match"})
        self.assertEqual(
            len(self.sandbox.requests_to(NUMERACION)), len(wizard.line_ids)
        )
        wizard.action_refresh()
        self.assertEqual(set(wizard.line_ids.mapped("status")), {"match"})

    def test_unreachable_stops_asking(self):
        self.sandbox.set_fault("drop_connection", endpoints=[NUMERACION], times=None)
        wizard = self._open(self.journal)
        self.assertEqual(set(wizard.line_ids.mapped("status")), {"error"})
        self.assertIn("could not be reached", wizard.line_ids[0].explanation)
        self.assertIn("Not asked", wizard.line_ids[-1].explanation)
        # The first type only: one try and the client's 3 retries.
        self.assertEqual(len(self.sandbox.requests_to(NUMERACION)), 4)

    def test_user_can_open_but_not_align(self):
        self._issue_outside_odoo(self.partner_ri)
        move = self._invoice(self.partner_ri)
        user = self._user("tf_next_user", "l10n_ar_tusfacturas.group_tusfacturas_user")
        for record in (self.journal, move):
            wizard = self._open(record.with_user(user), user=user)
            self.assertEqual(wizard.env.user, user)
            line = self._line(wizard, "1")
            self.assertEqual(line.status, "tusfacturas_ahead")
            self.assertTrue(line.explanation)
        self.assertTrue(line.can_align)
        with self.assertRaises(AccessError) as cm:
            line.action_align()
        self.assertIn("Only a TusFacturas manager", str(cm.exception))
        self.assertEqual(move.name, "FA-A 00003-00000001")
        view = wizard.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_refresh", view)
        self.assertNotIn("action_align", view)

    def test_invoicing_user_without_tusfacturas_group_cannot_open(self):
        user = self._user("tf_next_invoicing", "account.group_account_invoice")
        with self.assertRaises(AccessError):
            self._open(self.journal, user=user)
        with self.assertRaises(AccessError):
            self.env["l10n_ar.tusfacturas.next.number"].with_user(user).create(
                {"journal_id": self.journal.id}
            )

    def test_not_for_a_journal_without_tusfacturas(self):
        self.journal.l10n_ar_tusfacturas_enabled = False
        with self.assertRaises(UserError) as cm:
            self._open(self.journal)
        self.assertIn("does not issue through TusFacturas", str(cm.exception))
        self.assertFalse(self.sandbox.requests_to(NUMERACION))

    def test_invoice_form_offers_the_tool(self):
        action = self.env.ref(ACTIONS["account.move"])
        arch = self.env["account.move"].get_view(
            self.env.ref("account.view_move_form").id, "form"
        )["arch"]
        self.assertIn(f'name="{action.id}"', arch)
