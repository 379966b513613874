"""An action called where the valid-actions table does not allow it is
refused with what applies instead: nothing silently succeeds."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestActions(TusFacturasCommon):
    def _refused(self, moves, action, *fragments):
        received = len(self.sandbox.requested_endpoints())
        with self.assertRaises(UserError) as caught:
            getattr(moves, f"action_l10n_ar_tusfacturas_{action}")()
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        self.assertEqual(len(self.sandbox.requested_endpoints()), received)

    def test_retry_on_an_unknown_outcome_says_verify(self):
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self._refused(
            move,
            "retry",
            "Retry sending does not apply",
            move.name,
            "Outcome unknown",
            "Verify with TusFacturas",
        )
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")

    def test_actions_on_an_authorized_invoice(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        for action in ("send_now", "retry", "verify", "async_delete", "async_resend"):
            with self.subTest(action=action):
                self._refused(move, action, "Download official PDF")

    def test_download_pdf_of_a_draft(self):
        draft = self._invoice(self.res_partner_adhoc)
        self._refused(draft, "download_pdf", "nothing to do with TusFacturas now")

    def test_one_invalid_move_in_a_selection_stops_all(self):
        authorized = self._invoice(self.res_partner_adhoc)
        authorized.action_post()
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        unknown = self._invoice(self.partner_cf)
        unknown.action_post()
        self._refused(authorized | unknown, "verify", authorized.name)
        self.assertEqual(unknown.l10n_ar_tusfacturas_state, "unknown")
