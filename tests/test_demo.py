from odoo.tests import Form, tagged
from odoo.tools.convert import convert_file

from .common import TusFacturasCommon

DEMO_FILE = "demo/l10n_ar_tusfacturas_demo.xml"
DEMO_INVOICES = {
    "demo_invoice_ri": "FACTURA A",
    "demo_invoice_monotributo": "FACTURA A",
    "demo_invoice_cf_dni": "FACTURA B",
    "demo_invoice_cf_anonymous": "FACTURA B",
    "demo_invoice_exento": "FACTURA B",
    "demo_invoice_foreign": "FACTURA E",
}


@tagged("post_install_l10n", "post_install", "-at_install")
class TestDemoData(TusFacturasCommon):
    """The demo file `make run` loads, loaded here explicitly (the suite runs
    without demo data) onto l10n_ar's test RI company, which plays the part of
    l10n_ar's demo company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.configured_main_company = cls._tokens(cls.env.ref("base.main_company"))
        for name, record in (
            ("company_ri", cls.company_ri),
            ("partner_ri", cls.partner_ri),
        ):
            if not cls.env.ref(f"base.{name}", raise_if_not_found=False):
                cls.env["ir.model.data"].create(
                    {
                        "module": "base",
                        "name": name,
                        "model": record._name,
                        "res_id": record.id,
                    }
                )
        convert_file(
            cls.env, "l10n_ar_tusfacturas", DEMO_FILE, {}, mode="init", kind="demo"
        )

    @classmethod
    def _tokens(cls, company):
        return company.read(
            [
                "l10n_ar_tusfacturas_api_url",
                "l10n_ar_tusfacturas_apikey",
                "l10n_ar_tusfacturas_usertoken",
            ]
        )[0]

    def _ref(self, name):
        return self.env.ref(f"l10n_ar_tusfacturas.{name}")

    def test_argentine_company_talks_to_the_sandbox(self):
        tokens = self._tokens(self.company_ri)
        self.assertEqual(
            tokens["l10n_ar_tusfacturas_api_url"], "http://127.0.0.1:8070/app/api/v2"
        )
        self.assertEqual(tokens["l10n_ar_tusfacturas_apikey"], "1111")
        self.assertEqual(tokens["l10n_ar_tusfacturas_usertoken"], "sandbox-usertoken")
        # The non-Argentine default company is left alone.
        self.assertEqual(
            self._tokens(self.env.ref("base.main_company")),
            self.configured_main_company,
        )
        self.assertEqual(self.env.ref("base.user_admin").company_id, self.company_ri)

    def test_default_sales_journal_issues_through_tusfacturas(self):
        form = Form(
            self.env["account.move"]
            .with_company(self.company_ri)
            .with_context(default_move_type="out_invoice")
        )
        journal = self._ref("demo_journal_tusfacturas")
        self.assertEqual(form.journal_id, journal)
        self.assertTrue(journal.l10n_ar_tusfacturas_enabled)
        self.assertEqual(journal.l10n_ar_afip_pos_system, "RLI_RLM")

    def test_customers_are_known_to_the_padron(self):
        self.env.user.groups_id |= self.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_user"
        )
        self.company_ri.l10n_ar_tusfacturas_api_url = self.sandbox.url
        partners = (
            self._ref("demo_partner_ri")
            | self._ref("demo_partner_monotributo")
            | self._ref("demo_partner_exento")
        )
        action = partners.with_company(
            self.company_ri
        ).action_l10n_ar_tusfacturas_padron()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertFalse(wizard.notice_ids.filtered(lambda n: n.kind == "error"))
        self.assertEqual(wizard.line_ids.partner_id, partners)

    def test_demo_invoices_get_a_cae_from_the_sandbox(self):
        self.company_ri.l10n_ar_tusfacturas_api_url = self.sandbox.url
        for name, kind in DEMO_INVOICES.items():
            move = self._ref(name)
            self.assertEqual(move.state, "draft", name)
            move.action_post()
            self.assertAuthorized(move)
            self.assertEqual(move.l10n_ar_tusfacturas_type, kind, name)
        first = self._ref("demo_invoice_ri")
        # The demo's points of sale start where the sandbox starts.
        self.assertEqual(first.l10n_ar_tusfacturas_number, 1)
        self.assertEqual(
            self._ref("demo_invoice_foreign").l10n_ar_tusfacturas_number, 1
        )
