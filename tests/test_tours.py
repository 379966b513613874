"""What a person does, in headless Chromium, against the sandbox.

Each test runs one tour (static/tests/tours/), then checks what the sandbox
received and the records' state: a tour passing without doing the work fails.
"""

import json

from odoo.tests import HttpCase, new_test_user, tagged

from .common import TusFacturasCommon

SANDBOX_URL_KEY = "l10n_ar_tusfacturas.tour.sandbox_url"
STATUS = "estado_servicios/alertas"
NUMERACION = "facturacion/numeracion"
AFIP_INFO = "clientes/afip-info"
VAT_RATES = "tablas_referencia/alicuotas_iva"
LOTES = "facturacion/lotes"
# /web URLs: the Odoo 18 web client turns them into its own paths.
INVOICES = "/web#action=account.action_move_out_invoice_type&view_type=form"
SETTINGS = "/web#action=base_setup.action_general_configuration"
# What the settings tour types (static/tests/tours/settings_tour.js).
TOUR_CREDENTIALS = ("7777", "tour-apitoken", "tour-usertoken")


class TusFacturasTourCommon(TusFacturasCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The point of sale new invoices get (invoicing users see no journal).
        cls.journal.sequence = 1
        cls.invoicer = cls._user("tf_invoicer")

    @classmethod
    def _user(cls, login, lang="en_US"):
        """An invoicing user (not an administrator) who may edit contacts."""
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_user,base.group_partner_manager,"
            "l10n_ar_tusfacturas.group_tusfacturas_user",
            company_id=cls.company_ri.id,
            lang=lang,
        )

    def _tour(self, tour, url, login):
        """Run ``tour`` from ``url`` as ``login`` (password = login); the tour
        reads the sandbox's URL from the browser's localStorage."""
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False}
        code = (
            f"localStorage.setItem({json.dumps(SANDBOX_URL_KEY)}, "
            f"{json.dumps(self.sandbox.url)}); "
            f"odoo.startTour({json.dumps(tour)}, {json.dumps(options)})"
        )
        self.start_tour(url, tour, login=login, code=code)
        self.env.invalidate_all()

    def _moves_of(self, partner):
        return self.env["account.move"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company_ri.id)]
        )

    def _check_authorized_invoice(self, move):
        self.assertAuthorized(move)
        self.assertEqual(move.create_uid, self.invoicer)
        self.assertEqual(move.journal_id, self.journal)
        self.assertEqual(move.l10n_ar_tusfacturas_pdf_id.mimetype, "application/pdf")
        self.assertEqual(move.l10n_ar_tusfacturas_qr_id.mimetype, "image/png")
        [sent] = self._sent()
        self.assertEqual(
            sent["comprobante"]["numero"], int(move.l10n_ar_tusfacturas_number)
        )


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourSettings(TusFacturasTourCommon):
    def test_admin_configures_and_tests_the_connection(self):
        self.sandbox.add_credentials(*TOUR_CREDENTIALS, "30111111118")
        self.company_ri.write(
            {
                "l10n_ar_tusfacturas_apikey": False,
                "l10n_ar_tusfacturas_apitoken": False,
                "l10n_ar_tusfacturas_usertoken": False,
                "l10n_ar_tusfacturas_api_url": "https://www.tusfacturas.app/app/api/v2",
            }
        )
        self.assertTrue(self.env.user.has_group("base.group_system"))
        # The fixtures hold a cash-basis tax: Settings refuses to load while
        # cash basis is off.
        self.company_ri.tax_exigibility = True
        self.company_ri.l10n_ar_tusfacturas_pays_same_currency = False
        self._tour("l10n_ar_tusfacturas_settings", SETTINGS, self.env.user.login)
        company = self.company_ri
        saved = (
            company.l10n_ar_tusfacturas_apikey,
            company.l10n_ar_tusfacturas_apitoken,
            company.l10n_ar_tusfacturas_usertoken,
        )
        self.assertEqual(saved, TOUR_CREDENTIALS)
        self.assertEqual(company.l10n_ar_tusfacturas_api_url, self.sandbox.url)
        self.assertTrue(company.l10n_ar_tusfacturas_pays_same_currency)
        # Test connection asked the sandbox once, with the saved credentials
        # (the sandbox accepts only those it knows: a refusal would fail the tour).
        self.assertEqual(len(self.sandbox.requests_to(STATUS)), 1)
        self.assertEqual(self._sent(), [])


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourInvoice(TusFacturasTourCommon):
    def test_invoicing_user_confirms_an_invoice(self):
        self.assertFalse(self.invoicer.has_group("base.group_system"))
        self._tour("l10n_ar_tusfacturas_invoice", INVOICES, "tf_invoicer")
        move = self._moves_of(self.res_partner_adhoc)
        self.assertEqual(len(move), 1)
        self._check_authorized_invoice(move)
        self.assertEqual(move.invoice_line_ids.product_id, self.product_iva_21)

    def test_spanish_user_confirms_an_invoice(self):
        self.env["res.lang"]._activate_lang("es_419")
        self.env["ir.module.module"]._load_module_terms(
            ["l10n_ar_tusfacturas"], ["es_419"], overwrite=True
        )
        self.invoicer.lang = "es_419"
        # The first page in a new language compiles its templates: do it
        # before the browser, which waits at most 20 s for a page.
        self.authenticate("tf_invoicer", "tf_invoicer")
        self.assertEqual(self.url_open("/web", timeout=120).status_code, 200)
        self._tour("l10n_ar_tusfacturas_invoice_es_419", INVOICES, "tf_invoicer")
        move = self._moves_of(self.res_partner_adhoc)
        self.assertEqual(len(move), 1)
        self._check_authorized_invoice(move)

    def test_credit_note_from_the_invoice(self):
        invoice = self._invoice(self.res_partner_adhoc)
        invoice.action_post()
        self.assertAuthorized(invoice)
        # The origin stays at the sandbox: the note's association is checked.
        sent_before = len(self._sent())
        self._tour(
            "l10n_ar_tusfacturas_credit_note",
            f"{INVOICES}&model=account.move&id={invoice.id}",
            "tf_invoicer",
        )
        note = self._moves_of(self.res_partner_adhoc) - invoice
        self.assertEqual(len(note), 1)
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.reversed_entry_id, invoice)
        self.assertAuthorized(note)
        [sent] = self._sent()[sent_before:]
        [associated] = sent["comprobante"]["comprobantes_asociados"]
        self.assertEqual(
            int(associated["numero"]), int(invoice.l10n_ar_tusfacturas_number)
        )

    def test_bad_input_is_shown_and_nothing_is_sent(self):
        partner = self.res_partner_adhoc.copy(
            {"name": "Cliente Sin Calle", "street": False}
        )
        self._tour("l10n_ar_tusfacturas_bad_input", INVOICES, "tf_invoicer")
        move = self._moves_of(partner)
        self.assertEqual(len(move), 1, "the draft was saved, not lost")
        self.assertEqual(move.state, "draft")
        self.assertFalse(move.l10n_ar_tusfacturas_state)
        self.assertEqual(self._sent(), [])


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourTools(TusFacturasTourCommon):
    def test_next_numbers_align_a_draft(self):
        user = self.env.user
        user.groups_id |= self.env.ref("l10n_ar_tusfacturas.group_tusfacturas_manager")
        self._issue_outside_odoo()
        move = self._invoice(self.partner_ri)
        self.assertEqual(move.name, "FA-A 00003-00000001")
        self._tour(
            "l10n_ar_tusfacturas_next_numbers",
            f"{INVOICES}&model=account.move&id={move.id}",
            user.login,
        )
        self.assertEqual(move.name, "FA-A 00003-00000002")
        self.assertEqual(move.state, "draft")
        # Asked when opening, again by Align, and by the refreshed wizard.
        self.assertGreaterEqual(len(self.sandbox.requests_to(NUMERACION)), 3)
        move.action_post()
        self.assertAuthorized(move)

    def test_reference_check_shows_a_changed_table(self):
        user = self.env.user
        user.groups_id |= self.env.ref("l10n_ar_tusfacturas.group_tusfacturas_manager")
        self.sandbox.set_table(
            "alicuotas_iva",
            [
                {"id": code, "descripcion": name}
                for code, name in (("21", "21%"), ("10.5", "10.5%"), ("5", "5%"))
            ],
        )
        self._tour(
            "l10n_ar_tusfacturas_reference_check",
            "/web#action=l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_reference_check",
            user.login,
        )
        # One request per table, once.
        self.assertEqual(len(self.sandbox.requests_to(VAT_RATES)), 1)
        check = self.env["l10n_ar.tusfacturas.reference.check"].search([])
        self.assertEqual(len(check), 1)
        self.assertIn(
            "unknown",
            check.line_ids.filtered(lambda line: line.table == "vat_rate").mapped(
                "status"
            ),
        )

    def _issue_outside_odoo(self):
        """One comprobante issued straight through the client (as TusFacturas'
        website would): Odoo keeps no trace of it."""
        draft = self._invoice(self.partner_ri)
        payload = draft._l10n_ar_tusfacturas_prepare_payload()
        payload["comprobante"]["numero"] = 1
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        client.issue(payload)
        draft.unlink()

    def test_padron_applies_the_chosen_field(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Distribuidora Modelo",
                "is_company": True,
                "l10n_latam_identification_type_id": self.env.ref("l10n_ar.it_cuit").id,
                "vat": "30712345671",
                "street": "CALLE FALSA 123",
                "city": "Rosario",
                "zip": "1712",
                "state_id": self.env.ref("base.state_ar_s").id,
                "country_id": self.env.ref("base.ar").id,
            }
        )
        self._tour(
            "l10n_ar_tusfacturas_padron",
            f"/web#model=res.partner&view_type=form&id={partner.id}",
            "tf_invoicer",
        )
        self.assertEqual(partner.city, "CASTELAR")
        self.assertEqual(partner.name, "Distribuidora Modelo")
        self.assertEqual(partner.state_id, self.env.ref("base.state_ar_s"))
        [asked] = self.sandbox.requests_to(AFIP_INFO)
        self.assertEqual(asked["cliente"]["documento_nro"], "30712345671")
        notes = partner.message_ids.filtered(lambda m: "CASTELAR" in (m.body or ""))
        self.assertEqual(len(notes), 1, "Apply leaves one note in the chatter")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourQueue(TusFacturasTourCommon):
    def test_confirm_several_then_send_now_from_the_queue(self):
        # Confirming several at once queues them whatever the spacing; a real
        # spacing keeps the tour's Send now from racing a cron.
        self.company_ri.l10n_ar_tusfacturas_spacing = 60
        self.env.cr.execute("DELETE FROM l10n_ar_tusfacturas_send_slot")
        drafts = self.env["account.move"]
        for _index in range(3):
            drafts |= self._invoice(self.res_partner_adhoc)
        cron = self.env.ref("l10n_ar_tusfacturas.ir_cron_send_queue")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        triggers.unlink()
        self._tour(
            "l10n_ar_tusfacturas_queue",
            "/web#action=account.action_move_out_invoice_type",
            "tf_invoicer",
        )
        self.assertEqual(set(drafts.mapped("state")), {"posted"})
        self.assertEqual(set(drafts.mapped("l10n_ar_tusfacturas_state")), {"queued"})
        self.assertEqual(self._sent() + self.sandbox.requests_to(LOTES), [])
        # Confirming asked the queue cron once, Send now once more.
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertEqual(len(triggers), 2)
        self.env["account.move"]._cron_l10n_ar_tusfacturas_send_queue()
        for move in drafts:
            self.assertAuthorized(move)
        self.assertEqual(self._sent(), [], "no burst: one lote, no single sends")
        (lote,) = self.sandbox.requests_to(LOTES)
        self.assertEqual(
            [item["comprobante"]["numero"] for item in lote["requests"]],
            sorted(int(n) for n in drafts.mapped("l10n_ar_tusfacturas_number")),
        )
