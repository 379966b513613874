import time

from odoo import Command, fields, sql_db
from odoo.addons.l10n_ar.tests.common import TestAr

from ..models.res_company import PDF_HOSTS_PARAM
from ..tusfacturas_sandbox import SANDBOX_CREDENTIALS, SandboxServer

NUEVO = "facturacion/nuevo"
PDF = "comprobantes/pdf"


class TusFacturasCommon(TestAr):
    """l10n_ar's RI company and partners, issuing through a real local sandbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = SandboxServer().start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.company_ri.write(
            {
                "l10n_ar_tusfacturas_api_url": cls.sandbox.url,
                "l10n_ar_tusfacturas_apikey": SANDBOX_CREDENTIALS["apikey"],
                "l10n_ar_tusfacturas_apitoken": SANDBOX_CREDENTIALS["apitoken"],
                "l10n_ar_tusfacturas_usertoken": SANDBOX_CREDENTIALS["usertoken"],
                "l10n_ar_tusfacturas_timeout": 3,
                # Spacing is the subject of test_volume only.
                "l10n_ar_tusfacturas_spacing": 0,
            }
        )
        cls.journal = cls.env["account.journal"].create(
            {
                "name": "TusFacturas POS 3",
                "type": "sale",
                "code": "TF3",
                "company_id": cls.company_ri.id,
                "l10n_latam_use_documents": True,
                "l10n_ar_afip_pos_number": 3,
                "l10n_ar_afip_pos_partner_id": cls.partner_ri.id,
                "l10n_ar_afip_pos_system": "RLI_RLM",
                "l10n_ar_tusfacturas_enabled": True,
            }
        )
        # The sandbox serves its PDFs from another host, as TusFacturas does.
        cls.env["ir.config_parameter"].sudo().set_param(
            PDF_HOSTS_PARAM, cls.sandbox.pdf_origin
        )
        cls.sale_expo_journal_ri.l10n_ar_tusfacturas_enabled = True
        # Perc IIBB ARBA: TusFacturas' regime 5 (BUENOS AIRES) by default.
        cls.tax_perc_iibb.write({"amount": 3.0})

    @classmethod
    def _plain_journal(cls):
        """Point of sale 4: the same l10n_ar journal, not issuing through
        TusFacturas (what plain Odoo does)."""
        return cls.journal.copy(
            {
                "name": "Plain POS 4",
                "code": "PL4",
                "l10n_ar_afip_pos_number": 4,
                "l10n_ar_tusfacturas_enabled": False,
            }
        )

    def setUp(self):
        super().setUp()
        # Odoo rolls each test back; the sandbox must forget it too.
        self.sandbox.reset()

    def _export_goods(self):
        """An export (E) invoice of goods, FOB, to a customer abroad."""
        return self._invoice(
            self.res_partner_barcelona_food,
            [(self.product_iva_105, 500.0, 1)],
            journal=self.sale_expo_journal_ri,
            invoice_incoterm_id=self.env.ref("account.incoterm_FOB").id,
        )

    def _invoice(self, partner, lines=None, move_type="out_invoice", **values):
        """lines: (product, price_unit, quantity[, extra line values]) tuples."""
        lines = lines or [(self.product_iva_21, 100.0, 1)]
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "journal_id": values.pop("journal", self.journal).id,
                "invoice_date": fields.Date.today(),
                "company_id": self.company_ri.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "price_unit": line[1],
                            "quantity": line[2],
                            **(line[3] if len(line) > 3 else {}),
                        }
                    )
                    for line in lines
                ],
                **values,
            }
        )

    def _at_arca_outside_tusfacturas(self, move, tipo="FACTURA A"):
        """State that ARCA authorised ``move`` without TusFacturas (a legacy
        origin): the sandbox then knows it as ARCA does when a note cites it."""
        pv, number = move.l10n_latam_document_number.split("-")
        self.sandbox.add_outside_comprobante(
            tipo, int(pv), int(number), move.invoice_date
        )

    def _monotributo_journal(self, apikey, usertoken):
        """l10n_ar's monotributo company on point of sale 5, issuing through its
        own CUIT account at the sandbox (letter C)."""
        self.sandbox.add_credentials(
            apikey, "sandbox-apitoken", usertoken, "20222222223"
        )
        company = self.company_mono
        company.write(
            {
                "l10n_ar_tusfacturas_api_url": self.sandbox.url,
                "l10n_ar_tusfacturas_apikey": apikey,
                "l10n_ar_tusfacturas_apitoken": "sandbox-apitoken",
                "l10n_ar_tusfacturas_usertoken": usertoken,
                # Spacing is not the subject (slot claims commit for real).
                "l10n_ar_tusfacturas_spacing": 0,
            }
        )
        return self.env["account.journal"].create(
            {
                "name": "Mono TusFacturas",
                "type": "sale",
                "code": "MTF",
                "company_id": company.id,
                "l10n_latam_use_documents": True,
                "l10n_ar_afip_pos_number": 5,
                "l10n_ar_afip_pos_partner_id": company.partner_id.id,
                "l10n_ar_afip_pos_system": "RLI_RLM",
                "l10n_ar_tusfacturas_enabled": True,
                "default_account_id": self.env["account.account"]
                .with_company(company)
                .search([("account_type", "=", "income")], limit=1)
                .id,
            }
        )

    def _post_counting(self, move):
        """Post ``move`` from a cold cache, as a request does; return the SQL
        queries it made on every connection (the attempt marker has its own)
        and the requests TusFacturas received, by endpoint."""
        self.env.flush_all()
        self.env.invalidate_all()
        received = len(self.sandbox.requested_endpoints())
        queries = sql_db.sql_counter  # every cursor's queries (the process's)
        move.action_post()
        self.env.flush_all()
        queries = sql_db.sql_counter - queries
        return queries, self.sandbox.requested_endpoints()[received:]

    def _usd(self, rate=1000.5):
        """USD active, with ``rate`` pesos per dollar in Odoo (not AFIP's)."""
        usd = self.env.ref("base.USD")
        usd.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": usd.id, "rate": 1 / rate, "company_id": self.company_ri.id}
        )
        return usd

    def _sale_tax(self, name, amount, group, **values):
        """A sale tax of the RI company in l10n_ar's tax group ``group``."""
        company = self.company_ri
        return self.env["account.tax"].create(
            {
                "name": name,
                "amount": amount,
                "type_tax_use": "sale",
                "company_id": company.id,
                "tax_group_id": self.env.ref(f"account.{company.id}_{group}").id,
                **values,
            }
        )

    def _run_queue(self, runs=1):
        """What the queue cron would do in ``runs`` consecutive runs."""
        for _run in range(runs):
            self.env["account.move"]._cron_l10n_ar_tusfacturas_send_queue()

    def _lost_answer_grace_over(self, moves):
        """As if LOST_ANSWER_GRACE had passed since ``moves`` were sent (until
        then TusFacturas may still be processing a request whose answer was
        lost, so a comprobante it does not have is not sent again)."""
        moves._l10n_ar_tusfacturas_write(
            {"l10n_ar_tusfacturas_send_after": fields.Datetime.now()}
        )

    def _processed_in_background(self, moves):
        """Bounded wait: until the sandbox has every one of ``moves``."""
        references = {m._l10n_ar_tusfacturas_get_external_reference() for m in moves}
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            held = {r.external_reference for r in self.sandbox.state.records}
            if references <= held:
                return
            time.sleep(0.05)
        self.fail("the sandbox did not process the request in background")

    def _lookups(self):
        """Lookups (consulta_avanzada) received in this test."""
        return len(self.sandbox.requests_to("facturacion/consulta_avanzada"))

    def _cron_triggers(self, cron):
        """Pending wake-ups of this addon's ``cron`` (its xml id)."""
        cron = self.env.ref(f"l10n_ar_tusfacturas.{cron}")
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

    def _sent(self):
        """Bodies facturacion/nuevo received in this test."""
        return self.sandbox.requests_to(NUEVO)

    def assertAuthorized(self, move):
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "authorized")
        self.assertRegex(move.l10n_ar_tusfacturas_cae, r"^\d{14}$")
        self.assertTrue(move.l10n_ar_tusfacturas_cae_due_date)
        parts = move._l10n_ar_tusfacturas_get_number_parts()
        self.assertEqual(parts["invoice_number"], move.l10n_ar_tusfacturas_number)
        self.assertEqual(parts["point_of_sale"], move.l10n_ar_tusfacturas_pos_number)
