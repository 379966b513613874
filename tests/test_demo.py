import random

from odoo.tests import Form, tagged
from odoo.tools.convert import convert_file

from ..models.res_company import PDF_HOSTS_PARAM
from ..tusfacturas_sandbox import SandboxServer
from .common import PDF, TusFacturasCommon

DEMO_FILE = "demo/l10n_ar_tusfacturas_demo.xml"
DEMO_INVOICES = {
    "demo_invoice_ri": "FACTURA A",
    "demo_invoice_monotributo": "FACTURA A",
    "demo_invoice_cf_dni": "FACTURA B",
    "demo_invoice_cf_anonymous": "FACTURA B",
    "demo_invoice_exento": "FACTURA B",
    "demo_invoice_foreign": "FACTURA E",
}


# The order the demo drafts are confirmed in after a new invoice (issue 17).
# Seed 4 confirms a B draft holding no number (Consumidor Final Anónimo)
# before the one Odoo proposed B number 1 to, and the A draft holding A
# number 1 after the new invoice.
SHUFFLE_SEED = 4


class DemoDataCommon(TusFacturasCommon):
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

    def _issue_through_test_sandbox(self):
        """Point the demo company at this test's sandbox. The demo points it
        at the one `make run` starts (scripts/run.sh: port 8070, PDFs served
        by localhost on the next port): its API URL, and the PDF host without
        which the official PDF is never downloaded (issue 17)."""
        run_sandbox = SandboxServer(port=8070, pdf_port=8071)  # never started
        company = self.company_ri
        self.assertEqual(company.l10n_ar_tusfacturas_api_url, run_sandbox.url)
        client = company._l10n_ar_tusfacturas_get_client()
        pdf_url = f"{run_sandbox.pdf_origin}/app/comprobantes/demo.pdf"
        self.assertTrue(client.pdf_url_allowed(pdf_url), pdf_url)
        company.l10n_ar_tusfacturas_api_url = self.sandbox.url
        self.env["ir.config_parameter"].sudo().set_param(
            PDF_HOSTS_PARAM, self.sandbox.pdf_origin
        )

    def assertOfficialDocuments(self, move):
        """The official PDF, downloaded from the sandbox, and the AFIP QR are
        stored on ``move`` and shown in its chatter."""
        pdf, qr = move.l10n_ar_tusfacturas_pdf_id, move.l10n_ar_tusfacturas_qr_id
        self.assertEqual(pdf.mimetype, "application/pdf", move.name)
        self.assertEqual(pdf.name, move.name.replace(" ", "_") + ".pdf")
        self.assertEqual(move.invoice_pdf_report_id, pdf)
        token = move.l10n_ar_tusfacturas_pdf_url.rsplit("/", 1)[-1].removesuffix(".pdf")
        self.assertIn({"pdf": token}, self.sandbox.requests_to(PDF))
        served = self.company_ri._l10n_ar_tusfacturas_get_client().download_pdf(
            move.l10n_ar_tusfacturas_pdf_url
        )
        self.assertEqual(pdf.raw, served)
        self.assertEqual(qr.mimetype, "image/png", move.name)
        self.assertTrue(qr.raw.startswith(b"\x89PNG"))
        self.assertEqual(move.message_main_attachment_id, pdf)
        self.assertLessEqual(pdf | qr, move.message_ids.attachment_ids)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestDemoData(DemoDataCommon):
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
        self._issue_through_test_sandbox()
        for name, kind in DEMO_INVOICES.items():
            move = self._ref(name)
            self.assertEqual(move.state, "draft", name)
            move.action_post()
            self.assertAuthorized(move)
            self.assertOfficialDocuments(move)
            self.assertEqual(move.l10n_ar_tusfacturas_type, kind, name)
        first = self._ref("demo_invoice_ri")
        # The demo's points of sale start where the sandbox starts.
        self.assertEqual(first.l10n_ar_tusfacturas_number, 1)
        self.assertEqual(
            self._ref("demo_invoice_foreign").l10n_ar_tusfacturas_number, 1
        )

    def test_new_invoice_first_then_the_drafts_in_any_order(self):
        """Issue 17: Odoo proposes the first number of a journal to its first
        draft, a demo invoice. A user's new invoice, confirmed before any
        demo draft, is still the one TusFacturas expects (number 1), and the
        drafts confirmed afterwards, in any order, follow it."""
        self._issue_through_test_sandbox()
        journal = self._ref("demo_journal_tusfacturas")
        form = Form(
            self.env["account.move"]
            .with_company(self.company_ri)
            .with_context(default_move_type="out_invoice")
        )
        form.partner_id = self._ref("demo_partner_ri")
        with form.invoice_line_ids.new() as line:
            line.product_id = self._ref("demo_product_service_21")
        move = form.save()
        self.assertEqual(move.journal_id, journal)
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(move.l10n_ar_tusfacturas_type, "FACTURA A")
        self.assertEqual(move.l10n_ar_tusfacturas_number, 1)
        self.assertEqual(move.name, "FA-A 00005-00000001")
        self.assertOfficialDocuments(move)

        names = list(DEMO_INVOICES)
        random.Random(SHUFFLE_SEED).shuffle(names)
        self.assertNotEqual(names, list(DEMO_INVOICES), "not shuffled")
        for name in names:
            draft = self._ref(name)
            self.assertEqual(draft.state, "draft", name)
            draft.action_post()
            self.assertAuthorized(draft)
            self.assertOfficialDocuments(draft)
            self.assertEqual(draft.l10n_ar_tusfacturas_type, DEMO_INVOICES[name])
        # Every point of sale and type numbered from 1, without a gap.
        moves = move | self.env["account.move"].browse(
            self._ref(name).id for name in names
        )
        numbers = {}
        for issued in moves:
            key = (
                issued.l10n_ar_tusfacturas_pos_number,
                issued.l10n_ar_tusfacturas_type,
            )
            numbers.setdefault(key, []).append(issued.l10n_ar_tusfacturas_number)
        for key, issued_numbers in numbers.items():
            self.assertEqual(
                sorted(issued_numbers), list(range(1, len(issued_numbers) + 1)), key
            )
