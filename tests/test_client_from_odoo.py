from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestClientFromOdoo(TusFacturasCommon):
    def test_company_client_talks_to_sandbox(self):
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        self.assertEqual(client.next_number("FACTURA A", 3), 1)
        self.assertIsInstance(client.service_status(), dict)

    def test_journal_usertoken_overrides_company(self):
        self.sandbox.add_credentials(
            "1111", "sandbox-apitoken", "pos-9-token", "30111111118"
        )
        self.journal.l10n_ar_tusfacturas_usertoken = "pos-9-token"
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1)

    def test_missing_credentials_is_clear(self):
        self.company_ri.l10n_ar_tusfacturas_apitoken = False
        move = self._invoice(self.res_partner_adhoc)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("not configured for company", str(caught.exception))
        self.assertEqual(self._sent(), [])
