"""What a plain user can force through RPC (XML-RPC, as any client would):
internal flags cannot be forged in the context, the fields only the
integration writes cannot be written, and no action spends the company's
requests before its access check."""

from xmlrpc.client import Fault

from odoo.tests import new_test_user, tagged

from .test_tours import TusFacturasTourCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestRpc(TusFacturasTourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = new_test_user(
            cls.env,
            login="tf_reader",
            groups="base.group_user,account.group_account_readonly",
            company_id=cls.company_ri.id,
        )

    def _call(self, login, method, ids, *args, context=None):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, login, {})
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            uid,
            login,
            "account.move",
            method,
            [ids, *args],
            {"context": context or {}},
        )

    def _refused(self, login, method, ids, *args, context=None, fragment=""):
        received = len(self.sandbox.requested_endpoints())
        with self.assertRaises(Fault) as caught:
            self._call(login, method, ids, *args, context=context)
        self.assertIn(fragment, caught.exception.faultString)
        self.assertEqual(len(self.sandbox.requested_endpoints()), received)

    def test_a_forged_emitted_flag_does_not_post_without_sending(self):
        move = self._invoice(self.res_partner_adhoc)
        self._call(
            "tf_invoicer",
            "action_post",
            move.ids,
            context={"l10n_ar_tusfacturas_emitted": True},
        )
        self.env.invalidate_all()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1, "sent, as any confirmation")

    def test_managed_fields_cannot_be_written(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        for values in (
            {"l10n_ar_tusfacturas_state": False},
            {"l10n_ar_tusfacturas_cae": "12345678901234"},
            {"l10n_ar_tusfacturas_external_reference": "other"},
        ):
            with self.subTest(values=values):
                self._refused(
                    "tf_invoicer",
                    "write",
                    move.ids,
                    values,
                    fragment="written by the TusFacturas integration only",
                )
        self._refused("tf_invoicer", "button_draft", move.ids, fragment="reset")
        self.env.invalidate_all()
        self.assertAuthorized(move)

    def test_an_authorization_cannot_be_created(self):
        uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "tf_invoicer", "tf_invoicer", {}
        )
        with self.assertRaises(Fault) as caught:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                uid,
                "tf_invoicer",
                "account.move",
                "create",
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.res_partner_adhoc.id,
                        "journal_id": self.journal.id,
                        "l10n_ar_tusfacturas_state": "authorized",
                    }
                ],
            )
        self.assertIn("integration only", caught.exception.faultString)

    def test_forged_checked_ids_do_not_skip_the_lookup(self):
        """After a lost answer, a resend is looked up first: ids named in the
        context by a caller are not the addon's own 'checked absent'."""
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        lookups = self._lookups()
        self._call(
            "tf_invoicer",
            "action_l10n_ar_tusfacturas_verify",
            move.ids,
            context={"l10n_ar_tusfacturas_checked_absent_ids": move.ids},
        )
        self.env.invalidate_all()
        self.assertAuthorized(move)
        self.assertGreater(self._lookups(), lookups)
        self.assertEqual(len(self.sandbox.state.records), 1)

    def test_a_reader_spends_no_request(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        for method in (
            "action_l10n_ar_tusfacturas_download_pdf",
            "action_l10n_ar_tusfacturas_verify",
            "action_l10n_ar_tusfacturas_update_rate",
            "action_l10n_ar_tusfacturas_send_now",
        ):
            with self.subTest(method=method):
                self._refused(
                    "tf_reader", method, move.ids, fragment="not allowed to modify"
                )
