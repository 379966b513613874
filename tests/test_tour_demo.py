"""`make run`'s demo in headless Chromium (issue 17): the first thing a user
does there, creating and confirming a new invoice, gives a CAE and the
official PDF, whatever demo drafts wait beside it."""

from odoo.tests import tagged

from .common import NUEVO
from .test_demo import DEMO_INVOICES, DemoDataCommon
from .test_tours import TusFacturasTourCommon

# The invoices list, where a user starts (the demo drafts are there).
INVOICE_LIST = "/web#action=account.action_move_out_invoice_type"


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourDemo(DemoDataCommon, TusFacturasTourCommon):
    def test_admin_confirms_a_new_invoice_before_the_demo_drafts(self):
        self._issue_through_test_sandbox()
        admin = self.env.ref("base.user_admin")
        drafts = self.env["account.move"].browse(
            self._ref(name).id for name in DEMO_INVOICES
        )
        self._tour("l10n_ar_tusfacturas_demo_invoice", INVOICE_LIST, admin.login)
        move = (
            self.env["account.move"].search(
                [
                    ("partner_id", "=", self._ref("demo_partner_ri").id),
                    ("company_id", "=", self.company_ri.id),
                ]
            )
            - drafts
        )
        self.assertEqual(len(move), 1)
        self.assertEqual(move.create_uid, admin)
        self.assertEqual(move.journal_id, self._ref("demo_journal_tusfacturas"))
        self.assertAuthorized(move)
        self.assertEqual(move.name, "FA-A 00005-00000001")
        self.assertOfficialDocuments(move)
        [sent] = self.sandbox.requests_to(NUEVO)
        self.assertEqual(sent["comprobante"]["numero"], 1)
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
