"""Every fault, in sync and queue modes, against the sandbox over real HTTP.

For each: no comprobante issued twice, no CAE lost, every invoice in a state
that says what happened, and the next run completes them. A summary table is
logged at the end of the class.
"""

import logging
import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NUEVO
from .test_volume import LOTES, REFUSED, VolumeCommon

_logger = logging.getLogger(__name__)

# kind, endpoint-independent sandbox fault, states right after it
FAULTS = [
    ("timeout_after_issue", {"seconds": 5}, {"unknown"}),
    ("drop_connection", {}, {"unknown"}),
    ("drop_after_issue", {}, {"unknown"}),
    ("http_500", {}, {"unknown"}),
    # Cloudflare's timeout: TusFacturas goes on processing behind it.
    ("timeout_524", {}, {"unknown"}),
    ("html_error", {}, {"unknown"}),
    ("invalid_json", {}, {"unknown"}),
    ("maintenance", {}, {"queued"}),
]


class RollbackError(Exception):
    pass


@tagged("post_install_l10n", "post_install", "-at_install")
class TestFaultSuite(VolumeCommon):
    rows = []

    @classmethod
    def tearDownClass(cls):
        header = (
            f"{'fault':<22} {'mode':<6} {'after fault':<24} {'requests':>8} "
            f"{'issued':>6} {'dupl.':>5} {'lost CAE':>8} {'next run':<10}"
        )
        lines = [header, "-" * len(header)]
        lines += [
            f"{r[0]:<22} {r[1]:<6} {r[2]:<24} {r[3]:>8} {r[4]:>6} {r[5]:>5} "
            f"{r[6]:>8} {r[7]:<10}"
            for r in cls.rows
        ]
        _logger.info("TusFacturas fault suite:\n%s", "\n".join(lines))
        super().tearDownClass()

    # -- checks ----------------------------------------------------------

    def _requests(self):
        return len(self._sent()) + len(self._lotes())

    def _check_and_record(self, fault, mode, moves, after, start=0):
        records = self.sandbox.state.records
        numbers = [(r.tipo, r.punto_venta, r.numero) for r in records]
        duplicates = len(numbers) - len(set(numbers))
        refs = {m._l10n_ar_tusfacturas_get_external_reference() for m in moves}
        mine = [r for r in records if r.external_reference in refs]
        duplicates += len(mine) - len({r.external_reference for r in mine})
        by_ref = {r.external_reference: r for r in mine}
        lost = 0
        for move in moves:
            ref = move._l10n_ar_tusfacturas_get_external_reference()
            if ref not in by_ref or by_ref[ref].cae != move.l10n_ar_tusfacturas_cae:
                lost += 1
        states = set(moves.mapped("l10n_ar_tusfacturas_state"))
        done = "complete" if states == {"authorized"} else ",".join(sorted(states))
        self.rows.append(
            (fault, mode, ",".join(sorted(after)), self._requests() - start,
             len(mine), duplicates, lost, done)
        )  # fmt: skip
        self.assertEqual(duplicates, 0, "a comprobante was issued twice")
        self.assertEqual(lost, 0, "a CAE was lost")
        self.assertEqual(states, {"authorized"}, "the next run completes them")
        self.assertEqual(len(mine), len(moves))

    def _after(self, moves):
        states = set(moves.mapped("l10n_ar_tusfacturas_state"))
        for move in moves:
            self.assertTrue(move.l10n_ar_tusfacturas_message, move.name)
        return states

    # -- transport faults ------------------------------------------------

    def test_transport_faults_sync(self):
        for kind, options, expected in FAULTS:
            with self.subTest(fault=kind):
                start = self._requests()
                self.sandbox.set_fault(kind, endpoints=[NUEVO], **options)
                move = self._invoices(1)
                if kind == "maintenance":
                    # Nothing was issued: the invoice stays in draft, said so.
                    with self.assertRaises(UserError) as caught:
                        move.action_post()
                    self.assertIn("maintenance", str(caught.exception))
                    self.assertEqual(move.state, "draft")
                    after = {"draft"}
                    move.action_post()
                else:
                    move.action_post()
                    after = self._after(move)
                    self.assertEqual(after, expected)
                    self._lost_answer_grace_over(move)
                    move.action_l10n_ar_tusfacturas_verify()
                self._run_queue()
                self._check_and_record(kind, "sync", move, after, start)

    def test_transport_faults_queue(self):
        for kind, options, expected in FAULTS:
            with self.subTest(fault=kind):
                start = self._requests()
                moves = self._invoices(3)
                moves.action_post()
                self.sandbox.set_fault(kind, endpoints=[LOTES], **options)
                self._run_queue()
                after = self._after(moves)
                self.assertEqual(after, expected)
                self._lost_answer_grace_over(moves)
                self._run_queue()
                self._check_and_record(kind, "queue", moves, after, start)

    def test_answer_lost_while_processed_in_background(self):
        """A 524 while TusFacturas goes on with the request (the lotes pages).
        The request carries its number, so the invoice is sent again at once
        (Verify, the crons): whichever arrives second is refused for its
        number, never issued twice; what TusFacturas has is adopted."""
        start = self._requests()
        self.sandbox.set_fault("background_524", endpoints=[NUEVO], seconds=2.0)
        move = self._invoices(1)
        move.action_post()
        after = self._after(move)
        self.assertEqual(after, {"unknown"})
        self.assertIs(move.action_l10n_ar_tusfacturas_verify(), True)
        self.assertAuthorized(move)
        self.assertEqual(self._requests() - start, 2, "sent again at once")
        self._processed_in_background(move)
        time.sleep(2.5)  # the background request meets the number taken
        self._check_and_record("background_524", "sync", move, after, start)

        start = self._requests()
        moves = self._invoices(3)
        moves.action_post()
        self.sandbox.set_fault("background_524", endpoints=[LOTES], seconds=0.5)
        self._run_queue()
        after = self._after(moves)
        self.assertEqual(after, {"unknown"})
        self._processed_in_background(moves)
        self._run_queue()
        self.assertEqual(self._requests() - start, 1, "found, not sent again")
        self._check_and_record("background_524", "queue", moves, after, start)

    # -- Odoo-side faults ------------------------------------------------

    def test_rollback_after_success_sync(self):
        move = self._invoices(1)
        try:
            with self.env.cr.savepoint():
                move.action_post()
                self.assertAuthorized(move)
                raise RollbackError
        except RollbackError:
            pass
        self.env.invalidate_all()
        self.assertEqual(move.state, "draft")
        move.action_post()  # adopts the comprobante the lost transaction got
        self._check_and_record("rollback after answer", "sync", move, {"draft"})
        self.assertEqual(len(self._sent()), 1)

    def test_rollback_after_success_queue(self):
        moves = self._invoices(3)
        moves.action_post()
        try:
            with self.env.cr.savepoint():
                self._run_queue()
                self.assertEqual(set(self._states(moves)), {"authorized"})
                raise RollbackError
        except RollbackError:
            pass
        self.env.invalidate_all()
        after = set(self._states(moves))
        self.assertEqual(after, {"queued"})
        self._run_queue()  # consulta by numbers adopts, nothing resent
        self._check_and_record("rollback after answer", "queue", moves, after)
        self.assertEqual(len(self._lotes()), 1)

    def test_crash_between_two_lotes(self):
        moves = self._invoices(23)
        moves.action_post()
        self._run_queue()  # the worker dies after the first lote
        after = set(self._states(moves))
        self.assertEqual(after, {"authorized", "queued"})
        self._run_queue()
        self._check_and_record("crash between lotes", "queue", moves, after)
        self.assertEqual(len(self._lotes()), 2)

    def test_crash_while_sending(self):
        """The worker died after the request: "sending" nobody holds."""
        moves = self._invoices(3)
        moves.action_post()
        payloads = [move._l10n_ar_tusfacturas_prepare_payload() for move in moves]
        moves._l10n_ar_tusfacturas_write({"l10n_ar_tusfacturas_state": "sending"})
        with moves[0]._l10n_ar_tusfacturas_client() as client:
            client.issue_batch(payloads)  # answered, never applied
        after = set(self._states(moves))
        self._run_queue()
        self._check_and_record("crash while sending", "queue", moves, after)
        self.assertEqual(len(self._lotes()), 1)

    def test_refused_comprobante_in_a_lote(self):
        moves = self._invoices(3)
        moves.action_post()
        self.sandbox.set_fault("afip_reject", endpoints=[LOTES], message=REFUSED)
        self._run_queue()
        after = set(self._states(moves))
        self.assertEqual(after, {"error", "queued"})
        moves[0].action_l10n_ar_tusfacturas_retry()
        self._run_queue()
        self._check_and_record("refused in a lote", "queue", moves, after)

    def test_cron_while_another_worker_sends(self):
        """Another worker (a real connection) is sending for this CUIT: the
        cron sends nothing meanwhile, and the next run completes the queue."""
        moves = self._invoices(3)
        moves.action_post()
        triggers = self._cron_triggers("ir_cron_send_queue")
        with self._another_worker_sending():
            self._run_queue()
        after = set(self._states(moves))
        self.assertEqual(after, {"queued"})
        self.assertEqual(self._requests(), 0, "one sender per CUIT")
        self.assertEqual(
            self._cron_triggers("ir_cron_send_queue"),
            triggers + 1,
            "looked at again soon",
        )
        self._run_queue()
        self._check_and_record("another worker sending", "queue", moves, after)
        self.assertEqual(len(self._lotes()), 1)

    def test_two_crons_at_once_on_one_point_of_sale(self):
        """Two cron workers start together (threads, each with its own
        cursor, on invoices already committed for them): one lote each, in
        number order, nothing twice. Test cursors share the test's connection
        and take turns (Odoo's test lock), so here the workers interleave per
        cursor; the exclusion between real connections (sender lock, slot
        claims) is tested in test_volume with real cursors."""
        moves = self._invoices(23)
        moves.action_post()
        # From here slot claims go through the test's connection, whose
        # snapshot predates the slot rows real cursors changed since: give the
        # workers a CUIT key no real cursor has written.
        self.company_ri.partner_id.vat = "30712345671"
        self.env.flush_all()
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        barrier = threading.Barrier(2)
        failures = []

        def cron():
            try:
                barrier.wait(timeout=10)
                with self.registry.cursor() as cr:
                    cr.transaction = api.Transaction(self.registry)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["account.move"]._cron_l10n_ar_tusfacturas_send_queue()
            except Exception as error:
                failures.append(error)

        threads = [threading.Thread(target=cron) for _index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(failures, [])
        self.env.invalidate_all()
        after = set(self._states(moves))
        lotes = [
            [item["comprobante"]["numero"] for item in lote["requests"]]
            for lote in self._lotes()
        ]
        numbers = sorted(moves.mapped("sequence_number"))
        self.assertEqual(lotes, [numbers[:20], numbers[20:]], "in number order")
        self._run_queue()
        self._check_and_record("two crons at once", "queue", moves, after)

    def test_refused_comprobante_in_the_middle_of_a_lote(self):
        """ARCA refuses the second of four: the first keeps its CAE, the second
        says why, the later ones (refused with it, per the docs) wait behind
        it. A lote exists in queue mode only: sync sends one by one."""
        moves = self._invoices(4)
        moves.action_post()
        self.sandbox.set_fault(
            "afip_reject", endpoints=[LOTES], offset=1, message=REFUSED
        )
        self._run_queue()
        first, middle, *later = moves
        after = set(self._states(moves))
        self.assertAuthorized(first)
        self.assertEqual(middle.l10n_ar_tusfacturas_state, "error")
        self.assertIn("FchVtoPago", middle.l10n_ar_tusfacturas_message)
        self.assertFalse(middle.l10n_ar_tusfacturas_cae)
        for move in later:
            self.assertEqual(move.l10n_ar_tusfacturas_state, "queued")
            self.assertEqual(move.l10n_ar_tusfacturas_blocked_by_id, middle)
            self.assertIn(middle.name, move.l10n_ar_tusfacturas_message)
        self.assertEqual(self._issued_count(), 1)
        self._run_queue()
        self.assertEqual(len(self._lotes()), 1, "nothing sent behind the refusal")
        middle.action_l10n_ar_tusfacturas_retry()
        self._run_queue()
        self._check_and_record("refused mid-lote", "queue", moves, after)
        self.assertEqual(len(self._lotes()), 2)

    def test_invalid_comprobante_in_the_middle_of_a_lote(self):
        """Its customer changed after confirming: checked again before the lote,
        it stops there, nothing is sent for it or after it."""
        partner = self.res_partner_adhoc.copy({"name": "Later Moved"})
        moves = self._invoices(1)
        moves |= self._invoice(partner)
        moves |= self._invoices(1)
        moves.action_post()
        partner.street = False
        self._run_queue()
        first, middle, last = moves
        after = set(self._states(moves))
        self.assertAuthorized(first)
        self.assertEqual(middle.l10n_ar_tusfacturas_state, "error")
        self.assertIn(middle.display_name, middle.l10n_ar_tusfacturas_message)
        self.assertEqual(last.l10n_ar_tusfacturas_blocked_by_id, middle)
        self.assertEqual(len(self._sent()), 1, "a lote of one: only the first")
        partner.street = "Calle Falsa 123"
        middle.action_l10n_ar_tusfacturas_retry()
        self._run_queue()
        self._check_and_record("invalid in mid-lote", "queue", moves, after)
