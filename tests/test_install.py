from odoo.exceptions import AccessError
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestInstall(TusFacturasCommon):
    def test_addon_installed_with_its_parts(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "l10n_ar_tusfacturas")]
        )
        self.assertEqual(module.state, "installed")
        cron = self.env.ref("l10n_ar_tusfacturas.ir_cron_verify_unknown")
        self.assertEqual(cron.model_id.model, "account.move")
        self.assertIn("l10n_ar_tusfacturas_cae", self.env["account.move"]._fields)

    def test_invoicing_user_cannot_read_tokens(self):
        user = new_test_user(
            self.env,
            login="tf_invoicing_user",
            groups="account.group_account_invoice",
            company_id=self.company_ri.id,
        )
        company = self.company_ri.with_user(user)
        for field in (
            "l10n_ar_tusfacturas_apitoken",
            "l10n_ar_tusfacturas_usertoken",
            "l10n_ar_tusfacturas_apikey",
        ):
            with self.assertRaises(AccessError):
                company.read([field])
        with self.assertRaises(AccessError):
            self.journal.with_user(user).read(["l10n_ar_tusfacturas_usertoken"])

    def test_invoicing_user_can_still_post(self):
        """Posting reads the credentials with sudo: any invoicing user issues."""
        user = new_test_user(
            self.env,
            login="tf_poster",
            groups="account.group_account_invoice",
            company_id=self.company_ri.id,
        )
        move = self._invoice(self.res_partner_adhoc).with_user(user)
        move.action_post()
        self.assertAuthorized(move)

    def test_neutralize_blanks_credentials(self):
        with open(self._neutralize_path()) as sql:
            self.env.cr.execute(sql.read())
        self.company_ri.invalidate_recordset()
        self.assertFalse(self.company_ri.l10n_ar_tusfacturas_apitoken)
        self.assertFalse(self.company_ri.l10n_ar_tusfacturas_usertoken)

    def _neutralize_path(self):
        return get_module_path("l10n_ar_tusfacturas") + "/data/neutralize.sql"
