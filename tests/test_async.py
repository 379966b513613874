"""Asynchronous points of sale: TusFacturas' queue (nuevo_encola, lotes_encola),
against the sandbox over real HTTP, webhooks through Odoo's HTTP server."""

import json
import logging
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..tusfacturas.client import BATCH_LIMIT
from ..tusfacturas_sandbox import SANDBOX_CREDENTIALS, SANDBOX_CUIT
from .common import NUEVO
from .test_service_status import STATUS
from .test_tours import INVOICES, TusFacturasTourCommon
from .test_volume import LOTES, SLOT_TABLE, VolumeCommon

NUEVO_ENCOLA = "facturacion/nuevo_encola"
LOTES_ENCOLA = "facturacion/lotes_encola"
GENERATION = (NUEVO, LOTES, NUEVO_ENCOLA, LOTES_ENCOLA)
# A validation ARCA refuses with a specific code (the queue marks it failed).
REFUSED = "AFIP rechazo el comprobante - ERROR: El campo DocNro es invalido. Cod: 10015"


class AsyncCommon(VolumeCommon):
    def setUp(self):
        super().setUp()
        self.journal.l10n_ar_tusfacturas_send_mode = "async"

    def _send(self):
        return self.env["account.move"]._cron_l10n_ar_tusfacturas_async_send()

    def _poll(self):
        return self.env["account.move"]._cron_l10n_ar_tusfacturas_async_poll()

    def _emit(self):
        """TusFacturas' worker emits what is due; a poll interval later, Odoo
        reads the queue."""
        self.sandbox.process_queue()
        self._later()
        self._poll()

    def _later(self):
        """As if the poll interval had passed since the last reading."""
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE account_move SET l10n_ar_tusfacturas_async_checked_at =
                      l10n_ar_tusfacturas_async_checked_at - interval '10 minutes'
                WHERE l10n_ar_tusfacturas_async_checked_at IS NOT NULL"""
        )
        self.env["account.move"].invalidate_model(
            ["l10n_ar_tusfacturas_async_checked_at"]
        )

    def _generation_requests(self):
        return sum(len(self.sandbox.requests_to(e)) for e in GENERATION)

    def _queued_in_sandbox(self, moves):
        self._send()
        self.assertEqual(set(self._states(moves)), {"async_queued"})

    def assertAllAdopted(self, moves):
        """Every sandbox comprobante is one of ``moves`` with its number and
        CAE: no duplicate, no lost CAE, the Odoo number is TusFacturas'."""
        records = {r.external_reference: r for r in self.sandbox.state.records}
        self.assertEqual(len(records), len(self.sandbox.state.records))
        self.assertEqual(len(records), len(moves))
        for move in moves:
            self.assertAuthorized(move)
            record = records[move.l10n_ar_tusfacturas_external_reference]
            self.assertEqual(move.l10n_ar_tusfacturas_cae, record.cae)
            self.assertEqual(move.l10n_ar_tusfacturas_number, record.numero)
            self.assertTrue(move.name.endswith(f"{record.numero:08d}"))


@tagged("post_install_l10n", "post_install", "-at_install")
class TestAsync(AsyncCommon):
    def test_single_invoice_waits_unnumbered_then_takes_tusfacturas_number(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_waiting")
        self.assertEqual(self._generation_requests(), 0)
        self.assertTrue(move.hide_post_button)
        self._queued_in_sandbox(move)
        (body,) = self.sandbox.requests_to(NUEVO_ENCOLA)
        self.assertEqual(int(body["comprobante"]["numero"]), 0)
        self.assertEqual(
            body["comprobante"]["external_reference"],
            move._l10n_ar_tusfacturas_get_external_reference(),
        )
        self.assertEqual(move.state, "draft")
        self.assertTrue(move.l10n_ar_tusfacturas_can_async_delete)
        self.assertFalse(move.l10n_ar_tusfacturas_can_async_resend)
        with self.assertRaises(UserError):
            move.action_post()
        with self.assertRaises(UserError):
            move.partner_id = self.partner_cf
        self._poll()  # not emitted yet: still queued
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")
        messages = len(move.message_ids)
        self._emit()
        self.assertAllAdopted(move)
        self.assertTrue(move.l10n_ar_tusfacturas_pdf_id)
        self.assertTrue(move.l10n_ar_tusfacturas_qr_id)
        self.assertEqual(len(move.message_ids) - messages, 1)  # one message
        self._poll()
        self.assertAllAdopted(move)
        self.assertEqual(self._generation_requests(), 1)

    def test_several_invoices_go_in_one_lotes_encola(self):
        """More than an instant lote holds: lotes_encola takes up to 100."""
        count = BATCH_LIMIT + 1
        moves = self._invoices(count)
        moves.action_post()
        self._queued_in_sandbox(moves)
        self.assertEqual(len(self.sandbox.requests_to(LOTES_ENCOLA)), 1)
        (body,) = self.sandbox.requests_to(LOTES_ENCOLA)
        self.assertEqual(len(body["requests"]), count)
        self._emit()
        self.assertAllAdopted(moves)
        self.assertEqual(
            moves.sorted("l10n_ar_tusfacturas_number").mapped("id"), moves.ids
        )
        self.assertEqual(self._generation_requests(), 1)

    def test_error_in_queue_then_resend(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        self.sandbox.set_fault("afip_reject", endpoints=[NUEVO_ENCOLA], message=REFUSED)
        self._emit()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_error")
        self.assertIn("10015", move.l10n_ar_tusfacturas_message)
        self.assertTrue(move.activity_ids)
        self.assertTrue(move.l10n_ar_tusfacturas_can_async_resend)
        self._poll()  # read again: nothing new, nothing repeated
        self.assertEqual(len(move.activity_ids), 1)
        move.action_l10n_ar_tusfacturas_async_resend()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")
        self._emit()
        self.assertAllAdopted(move)
        self.assertFalse(move.activity_ids)

    def test_delete_from_queue_back_to_draft(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        move.action_l10n_ar_tusfacturas_async_delete()
        self.assertFalse(move.l10n_ar_tusfacturas_state)
        self.assertEqual(move.state, "draft")
        self.assertFalse(self.sandbox.state.records)
        self.assertEqual(self.sandbox.process_queue(), 0)
        move.partner_id = self.partner_cf  # editable again
        move.action_post()
        self._queued_in_sandbox(move)
        self._emit()
        self.assertAllAdopted(move)

    def test_delete_before_sending(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        move.action_l10n_ar_tusfacturas_async_delete()
        self.assertFalse(move.l10n_ar_tusfacturas_state)
        self._send()
        self.assertEqual(self._generation_requests(), 0)

    def test_poll_while_tusfacturas_is_down(self):
        """A failed reading changes nothing and is not repeated at once."""
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        self.sandbox.process_queue()
        self.sandbox.set_fault(
            "http_500", endpoints=["facturacion/consulta_avanzada"], times=20
        )
        logger = "odoo.addons.l10n_ar_tusfacturas.models.account_move_async"
        with self.assertLogs(logger, "WARNING") as logged:
            self.assertEqual(self._poll(), 1)
        self.assertIn(f"{move.id} not read", logged.output[0])
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")
        self.assertEqual(self._poll(), 0)
        self.sandbox.clear_faults()
        self._later()
        self._poll()
        self.assertAllAdopted(move)

    def test_deleted_at_tusfacturas_is_seen_by_the_poll(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        with self.company_ri._l10n_ar_tusfacturas_get_client() as client:
            client.queue_delete(move.l10n_ar_tusfacturas_external_reference, None)
        self._later()
        self._poll()
        self.assertFalse(move.l10n_ar_tusfacturas_state)
        self.assertEqual(move.state, "draft")

    def test_change_date_in_odoo_and_at_tusfacturas(self):
        today = fields.Date.today()
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        wizard = self.env["l10n_ar.tusfacturas.async.date"].create(
            {"move_id": move.id, "invoice_date": today + timedelta(days=2)}
        )
        wizard.action_apply()
        self.assertEqual(move.invoice_date, today + timedelta(days=2))
        (record,) = self.sandbox.state.records
        self.assertEqual(record.fecha, today + timedelta(days=2))
        self.assertEqual(self.sandbox.process_queue(), 0)  # not due yet
        # Changed at TusFacturas (its web screen): the invoice follows.
        with self.company_ri._l10n_ar_tusfacturas_get_client() as client:
            client.queue_change_date(
                move.l10n_ar_tusfacturas_external_reference, today, today
            )
        self._emit()
        self.assertEqual(move.invoice_date, today)
        self.assertAllAdopted(move)

    def test_paid_in_its_currency_dated_after_today_is_refused(self):
        """AFIP publishes no rate for a day to come: nothing is queued."""
        usd = self._usd(990.0)
        self.company_ri.l10n_ar_tusfacturas_pays_same_currency = True
        move = self._invoice(
            self.res_partner_adhoc,
            currency_id=usd.id,
            invoice_date=fields.Date.today() + timedelta(days=3),
        )
        with self.assertRaisesRegex(UserError, "after today"):
            move.action_post()
        self.assertEqual(self.sandbox.requests_to(NUEVO_ENCOLA), [])

    def test_paid_in_its_currency_takes_afips_rate_and_keeps_it(self):
        """RG 5616 on an asynchronous point of sale: AFIP's rate is taken when
        confirming, as before an instant send (the sandbox refuses "S" with
        another rate), and a date moved at TusFacturas does not change it."""
        usd = self._usd(990.0)
        self.company_ri.l10n_ar_tusfacturas_pays_same_currency = True
        move = self._invoice(self.res_partner_adhoc, currency_id=usd.id)
        move.action_post()
        self._queued_in_sandbox(move)
        (body,) = self.sandbox.requests_to(NUEVO_ENCOLA)
        self.assertEqual(body["comprobante"]["cotizacion"], "1000.500")
        self.assertEqual(
            body["comprobante"]["datos_informativos"], {"paga_misma_moneda": "S"}
        )
        rate = move.invoice_currency_rate
        later = fields.Date.today() + timedelta(days=2)
        self.env["res.currency.rate"].create(
            {
                "currency_id": usd.id,
                "name": later,
                "rate": 1 / 1200,
                "company_id": self.company_ri.id,
            }
        )
        with self.company_ri._l10n_ar_tusfacturas_get_client() as client:
            client.queue_change_date(
                move.l10n_ar_tusfacturas_external_reference, later, later
            )
        self._later()
        self._poll()
        self.assertEqual(move.invoice_date, later)
        self.assertEqual(move.invoice_currency_rate, rate)

    def test_a_move_odoo_cannot_record_does_not_stop_the_poll(self):
        """Emitted, but Odoo refuses to post it (a deprecated account): that
        move says so and waits; the others are adopted in the same run."""
        stuck = self._invoice(self.res_partner_adhoc)  # read first (lower id)
        account = stuck.invoice_line_ids.account_id.copy()
        stuck.invoice_line_ids.account_id = account
        other = self._invoice(self.res_partner_adhoc)
        (stuck | other).action_post()
        self._queued_in_sandbox(stuck | other)
        self.sandbox.process_queue()
        account.deprecated = True
        logger = "odoo.addons.l10n_ar_tusfacturas.models.account_move_async"
        with self.assertLogs(logger, "WARNING"):
            self.assertEqual(self._poll(), 2)
        self.assertAuthorized(other)
        self.assertEqual(stuck.state, "draft")
        self.assertEqual(stuck.l10n_ar_tusfacturas_state, "async_queued")
        self.assertIn("deprecated account", stuck.l10n_ar_tusfacturas_message)
        self.assertTrue(stuck.activity_ids)
        account.deprecated = False
        self._later()
        self._poll()
        self.assertAllAdopted(stuck | other)

    def test_read_only_user_cannot_touch_the_queue(self):
        """Delete and Re-send ask TusFacturas with the company's credentials:
        refused before any request to a user who may not change invoices."""
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        auditor = new_test_user(
            self.env,
            login="tf_async_auditor",
            groups="account.group_account_readonly",
            company_id=self.company_ri.id,
            company_ids=[(6, 0, self.company_ri.ids)],
        )
        for action in ("async_delete", "async_resend"):
            with self.assertRaises(AccessError):
                getattr(
                    move.with_user(auditor), f"action_l10n_ar_tusfacturas_{action}"
                )()
        self.assertFalse(self.sandbox.requests_to("facturacion/eliminar_encolado"))
        self.assertFalse(self.sandbox.requests_to("facturacion/reenviar_encolado"))
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")

    def test_mode_switch_refused_while_queued(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        with self.assertRaisesRegex(UserError, "cannot change"):
            self.journal.l10n_ar_tusfacturas_send_mode = "instant"
        self._queued_in_sandbox(move)
        with self.assertRaisesRegex(UserError, "cannot change"):
            self.journal.l10n_ar_tusfacturas_send_mode = "queue"
        self._emit()
        self.assertAllAdopted(move)
        self.journal.l10n_ar_tusfacturas_send_mode = "instant"

    def test_export_invoice_goes_instant(self):
        self.sandbox.add_credentials(
            SANDBOX_CREDENTIALS["apikey"],
            "sandbox-apitoken",
            "sandbox-expo-usertoken",
            SANDBOX_CUIT,
        )
        self.sale_expo_journal_ri.write(
            {
                "l10n_ar_tusfacturas_send_mode": "async",
                "l10n_ar_tusfacturas_usertoken": "sandbox-expo-usertoken",
            }
        )
        move = self._export_goods()
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1)
        self.assertFalse(self.sandbox.requests_to(NUEVO_ENCOLA))

    def test_one_sender_per_cuit(self):
        """Another worker sending for this CUIT: this run sends nothing."""
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        triggers = self._cron_triggers("ir_cron_async_send")
        with self._another_worker_sending():
            self._send()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_waiting")
        self.assertEqual(self._generation_requests(), 0)
        self.assertEqual(
            self._cron_triggers("ir_cron_async_send"),
            triggers + 1,
            "looked at again soon",
        )
        self._send()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")

    def test_confirmed_during_an_afip_incident(self):
        """TusFacturas' queue is made for AFIP's outages (its async FAQ):
        confirming does not ask AFIP's service, and the queue takes it."""
        self.company_ri.l10n_ar_tusfacturas_check_service = True
        self.company_ri.l10n_ar_tusfacturas_service_ok_at = False
        self.sandbox.set_afip_status("WSFE de AFIP no responde")
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_waiting")
        self.assertEqual(self.sandbox.requests_to(STATUS), [])
        self._send()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")

    def test_a_failed_request_keeps_the_slot(self):
        """Maintenance, or an answer lost: a request was made, so the CUIT's
        slot keeps its stamp and the next run waits for it, instead of asking
        again at once for as long as the cause lasts."""
        self.company_ri.l10n_ar_tusfacturas_spacing = 30
        for kind, state in (
            ("maintenance", "async_waiting"),
            ("http_500", "async_sending"),
        ):
            with self.subTest(kind=kind):
                with self.registry.cursor() as cr:
                    cr.execute(f"DELETE FROM {SLOT_TABLE}")  # a free slot
                self.sandbox.clear_faults()
                start = len(self.sandbox.requests_to(NUEVO_ENCOLA))
                move = self._invoice(self.res_partner_adhoc)
                move.action_post()
                self.sandbox.set_fault(kind, endpoints=[NUEVO_ENCOLA], times=None)
                self._send()
                self.assertEqual(move.l10n_ar_tusfacturas_state, state)
                free_at = self.slots._free_at(self.key, 30)
                later = fields.Datetime.now() + timedelta(seconds=20)
                self.assertGreater(free_at, later, "the slot keeps its stamp")
                self._lost_answer_grace_over(move)  # due to be sent again
                self._send()
                sent = len(self.sandbox.requests_to(NUEVO_ENCOLA)) - start
                self.assertEqual(sent, 1, "one request while the slot is taken")
                self.assertEqual(move.l10n_ar_tusfacturas_state, "async_waiting")
                move.action_l10n_ar_tusfacturas_async_delete()

    def test_no_burst_across_async_and_instant(self):
        """One CUIT, two points of sale (async and instant): the second
        generation request waits for the slot, whichever mode asks."""
        self.company_ri.l10n_ar_tusfacturas_spacing = 30
        self.sandbox.add_credentials(
            SANDBOX_CREDENTIALS["apikey"],
            "sandbox-apitoken",
            "sandbox-pos7-usertoken",
            SANDBOX_CUIT,
        )
        instant = self.journal.copy(
            {
                "name": "TusFacturas POS 7",
                "code": "TF7",
                "l10n_ar_afip_pos_number": 7,
                "l10n_ar_tusfacturas_send_mode": "instant",
                "l10n_ar_tusfacturas_usertoken": "sandbox-pos7-usertoken",
            }
        )
        first = self._invoice(self.res_partner_adhoc)
        first.action_post()
        self._send()
        self.assertEqual(first.l10n_ar_tusfacturas_state, "async_queued")
        second = self._invoice(self.res_partner_adhoc, journal=instant)
        second.action_post()
        self.assertEqual(second.l10n_ar_tusfacturas_state, "queued")
        third = self._invoice(self.res_partner_adhoc)
        third.action_post()
        self._send()
        self._run_queue()
        self.assertEqual(self._generation_requests(), 1)
        self.assertEqual(third.l10n_ar_tusfacturas_state, "async_waiting")
        cron = self.env.ref("l10n_ar_tusfacturas.ir_cron_async_send")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]),
            "the async queue is scheduled at the CUIT's next free slot",
        )


@tagged("post_install_l10n", "post_install", "-at_install")
class TestAsyncWebhook(AsyncCommon, HttpCase):
    """TusFacturas' hooks through Odoo's HTTP server: only hints."""

    def setUp(self):
        super().setUp()
        self.company_ri._l10n_ar_tusfacturas_new_webhook_token()
        self.url = self.company_ri.l10n_ar_tusfacturas_webhook_url

    def _hook(self, url, reference, event="emitido", msg=()):
        body = {
            "creado": "18/03/2025 15:58:11",
            "evento": event,
            "recurso": "facturacion",
            "external_reference": reference,
            "intento": 1,
            "msg": list(msg),
            "hook_id": "x",
        }
        return self.url_open(
            url,
            data=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )

    def _poll_triggers(self):
        return self._cron_triggers("ir_cron_async_poll")

    def _snapshot(self, move):
        move.invalidate_recordset()
        return (
            move.state,
            move.l10n_ar_tusfacturas_state,
            move.l10n_ar_tusfacturas_message,
            move.l10n_ar_tusfacturas_async_checked_at,
            len(move.message_ids),
            len(self.sandbox.state.records),
        )

    def test_request_log_hides_the_secret(self):
        secret = self.company_ri.l10n_ar_tusfacturas_webhook_token
        path = self.url.split("//", 1)[1].split("/", 1)[1]
        record = logging.LogRecord(
            "werkzeug",
            logging.INFO,
            __file__,
            0,
            '"%s" %s %s',
            (f"POST /{path} HTTP/1.1", "200", "-"),
            None,
        )
        self.assertTrue(logging.getLogger("werkzeug").filter(record))
        self.assertNotIn(secret, record.getMessage())
        self.assertIn("/l10n_ar_tusfacturas/webhook/***", record.getMessage())

    def test_url_shown_to_administrators_only(self):
        self.assertIn("/l10n_ar_tusfacturas/webhook/", self.url)
        invoicer = new_test_user(
            self.env,
            login="tf_async_invoicer",
            groups="account.group_account_invoice",
            company_id=self.company_ri.id,
        )
        company = self.company_ri.with_user(invoicer)
        for name in (
            "l10n_ar_tusfacturas_webhook_token",
            "l10n_ar_tusfacturas_webhook_url",
        ):
            with self.assertRaises(AccessError):
                company.read([name])
        settings = self.env["res.config.settings"].with_user(invoicer)
        self.assertNotIn("l10n_ar_tusfacturas_webhook_url", settings.fields_get())
        # A new secret: the old URL stops working at once.
        old = self.url
        self.company_ri._l10n_ar_tusfacturas_new_webhook_token()
        self.assertNotEqual(self.company_ri.l10n_ar_tusfacturas_webhook_url, old)
        self.assertEqual(self._hook(old, "odoo-x-1").status_code, 404)

    def test_sandbox_hooks_lead_to_adoption(self):
        self.sandbox.set_webhook(self.url)
        moves = self._invoices(2)
        moves.action_post()
        self._queued_in_sandbox(moves)
        self.sandbox.process_queue()
        triggers = self._poll_triggers()
        self.env.flush_all()  # what Odoo's HTTP server reads (the test's cursor)
        hooks = self.sandbox.deliver_webhooks()
        self.env.invalidate_all()
        self.assertEqual(
            [h["evento"] for h in hooks],
            ["encolado", "encolado", "emitido", "emitido"],
        )
        self.assertEqual({h["status"] for h in hooks}, {200})
        self.assertGreater(self._poll_triggers(), triggers)
        self.assertFalse(any(moves.mapped("l10n_ar_tusfacturas_async_checked_at")))
        self.env["account.move"]._cron_l10n_ar_tusfacturas_async_poll()
        self.assertAllAdopted(moves)
        # The same hook again (TusFacturas retries): nothing changes.
        before = [self._snapshot(m) for m in moves]
        triggers = self._poll_triggers()
        for move in moves:
            response = self._hook(self.url, move.l10n_ar_tusfacturas_external_reference)
            self.assertEqual(response.status_code, 200)
        self.assertEqual([self._snapshot(m) for m in moves], before)
        self.assertEqual(self._poll_triggers(), triggers)

    def test_error_hook_msg_is_kept_as_information(self):
        """The "error" event's msg (the only documented carrier of why it
        failed) is kept on the invoice; the state stays the lookup's."""
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        self.env.flush_all()
        response = self._hook(
            self.url,
            move.l10n_ar_tusfacturas_external_reference,
            event="error",
            msg=["El CUIT del receptor no es valido"],
        )
        self.assertEqual(response.status_code, 200)
        move.invalidate_recordset()
        self.assertIn("not verified", move.l10n_ar_tusfacturas_webhook_note)
        self.assertIn("CUIT del receptor", move.l10n_ar_tusfacturas_webhook_note)
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")

    def test_forged_hooks_change_nothing(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        reference = move.l10n_ar_tusfacturas_external_reference
        before = self._snapshot(move)
        triggers = self._poll_triggers()
        base = self.url.rsplit("/", 1)[0]
        for token in ("x" * 43, "", "short"):
            response = self._hook(f"{base}/{token}", reference)
            self.assertEqual(response.status_code, 404)
        # A good token with a made-up reference.
        self.assertEqual(self._hook(self.url, "odoo-made-up-1").status_code, 200)
        # Another company's secret with this company's reference.
        self.company_mono._l10n_ar_tusfacturas_new_webhook_token()
        other = self.company_mono.l10n_ar_tusfacturas_webhook_url
        self.assertEqual(self._hook(other, reference).status_code, 200)
        self.assertEqual(self._snapshot(move), before)
        self.assertEqual(self._poll_triggers(), triggers)
        # Not JSON at all.
        response = self.url_open(self.url, data="not json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._snapshot(move), before)

    def test_hook_of_a_forged_emission_changes_nothing(self):
        """A good token and the real reference, but TusFacturas has not emitted
        it: the hint leads to a reading, the reading says queued."""
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self._queued_in_sandbox(move)
        self._hook(self.url, move.l10n_ar_tusfacturas_external_reference)
        self._poll()
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")
        self.assertEqual(len(self.sandbox.state.records), 1)
        self.assertTrue(SANDBOX_CREDENTIALS["usertoken"])


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTourAsync(AsyncCommon, TusFacturasTourCommon):
    """What an invoicing user sees on an asynchronous point of sale."""

    def test_confirm_then_resend(self):
        self.assertFalse(self.invoicer.has_group("base.group_system"))
        self._tour("l10n_ar_tusfacturas_async_confirm", INVOICES, "tf_invoicer")
        move = self._moves_of(self.res_partner_adhoc)
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_waiting")
        self.assertEqual(self._generation_requests(), 0)
        self._send()
        self.sandbox.set_fault("afip_reject", endpoints=[NUEVO_ENCOLA], message=REFUSED)
        self._emit()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_error")
        url = f"/web#action=account.action_move_out_invoice_type&id={move.id}"
        self._tour("l10n_ar_tusfacturas_async_resend", url, "tf_invoicer")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "async_queued")
        self._emit()
        self.assertAllAdopted(move)
        self.assertEqual(move.create_uid, self.invoicer)
