"""Every fault in asynchronous mode (TusFacturas' queue), against the sandbox
over real HTTP: no comprobante queued (so issued) twice, no CAE lost, every
invoice in a state that says what happened, and the next run completes them.
A summary table is logged at the end of the class."""

import logging

from odoo.tests import tagged

from .test_async import LOTES_ENCOLA, NUEVO_ENCOLA, AsyncCommon

_logger = logging.getLogger(__name__)

# kind, sandbox fault options, states right after it
FAULTS = [
    ("timeout_after_issue", {"seconds": 5}, {"async_sending"}),
    ("drop_connection", {}, {"async_sending"}),
    ("drop_after_issue", {}, {"async_sending"}),
    ("http_500", {}, {"async_sending"}),
    ("html_error", {}, {"async_sending"}),
    ("invalid_json", {}, {"async_sending"}),
    ("maintenance", {}, {"async_waiting"}),
]


class RollbackError(Exception):
    pass


@tagged("post_install_l10n", "post_install", "-at_install")
class TestFaultSuiteAsync(AsyncCommon):
    rows = []

    @classmethod
    def tearDownClass(cls):
        header = (
            f"{'fault':<22} {'mode':<12} {'after fault':<22} {'requests':>8} "
            f"{'queued':>6} {'dupl.':>5} {'lost CAE':>8} {'next run':<10}"
        )
        lines = [header, "-" * len(header)]
        lines += [
            f"{r[0]:<22} {r[1]:<12} {r[2]:<22} {r[3]:>8} {r[4]:>6} {r[5]:>5} "
            f"{r[6]:>8} {r[7]:<10}"
            for r in cls.rows
        ]
        _logger.info("TusFacturas fault suite (async):\n%s", "\n".join(lines))
        super().tearDownClass()

    def _enqueue_requests(self):
        return len(self.sandbox.requests_to(NUEVO_ENCOLA)) + len(
            self.sandbox.requests_to(LOTES_ENCOLA)
        )

    def _check_and_record(self, fault, mode, moves, after, start=0):
        records = self.sandbox.state.records
        refs = {m.l10n_ar_tusfacturas_external_reference for m in moves}
        mine = [r for r in records if r.external_reference in refs]
        duplicates = len(mine) - len({r.external_reference for r in mine})
        numbers = [(r.tipo, r.punto_venta, r.numero) for r in records]
        duplicates += len(numbers) - len(set(numbers))
        by_ref = {r.external_reference: r for r in mine}
        lost = sum(
            1
            for m in moves
            if m.l10n_ar_tusfacturas_external_reference not in by_ref
            or by_ref[m.l10n_ar_tusfacturas_external_reference].cae
            != m.l10n_ar_tusfacturas_cae
        )
        states = set(moves.mapped("l10n_ar_tusfacturas_state"))
        done = "complete" if states == {"authorized"} else ",".join(sorted(states))
        self.rows.append(
            (fault, mode, ",".join(sorted(after)),
             self._enqueue_requests() - start, len(mine), duplicates, lost, done)
        )  # fmt: skip
        self.assertEqual(duplicates, 0, "a comprobante was queued twice")
        self.assertEqual(lost, 0, "a CAE was lost")
        self.assertEqual(states, {"authorized"}, "the next run completes them")
        self.assertEqual(len(mine), len(moves))
        for move in moves:
            record = by_ref[move.l10n_ar_tusfacturas_external_reference]
            self.assertTrue(move.name.endswith(f"{record.numero:08d}"))

    def _fault_run(self, fault, count, endpoint):
        kind, options, expected = fault
        mode = endpoint.split("/")[-1]
        start = self._enqueue_requests()
        moves = self._invoices(count)
        moves.action_post()
        self.sandbox.set_fault(kind, endpoints=[endpoint], **options)
        self._send()
        after = set(self._states(moves))
        self.assertEqual(after, expected)
        for move in moves:
            self.assertTrue(move.l10n_ar_tusfacturas_message)
            self.assertEqual(move.state, "draft")
        self._lost_answer_grace_over(moves)
        self._send()  # looked up by reference first: never queued twice
        self.assertEqual(set(self._states(moves)), {"async_queued"})
        self._emit()
        self._check_and_record(kind, mode, moves, after, start)

    def test_answer_lost_while_processed_in_background(self):
        """A 524 while TusFacturas goes on with the request (the lotes_encola
        page): not found at once, so not sent again; found later, adopted."""
        for count, endpoint in ((1, NUEVO_ENCOLA), (3, LOTES_ENCOLA)):
            with self.subTest(endpoint=endpoint):
                start = self._enqueue_requests()
                moves = self._invoices(count)
                moves.action_post()
                self.sandbox.set_fault(
                    "background_524", endpoints=[endpoint], seconds=1.0
                )
                self._send()
                after = set(self._states(moves))
                self.assertEqual(after, {"async_sending"})
                lookups = self._lookups()
                self._send()  # within the grace: not looked up, not sent again
                self.assertEqual(set(self._states(moves)), {"async_sending"})
                self.assertEqual(self._lookups(), lookups)
                self.assertEqual(self._enqueue_requests() - start, 1)
                self._processed_in_background(moves)
                self._lost_answer_grace_over(moves)
                self._send()
                self.assertEqual(set(self._states(moves)), {"async_queued"})
                self._emit()
                mode = endpoint.split("/")[-1]
                self._check_and_record("background_524", mode, moves, after, start)

    def test_transport_faults_nuevo_encola(self):
        for fault in FAULTS:
            with self.subTest(fault=fault[0]):
                self._fault_run(fault, 1, NUEVO_ENCOLA)

    def test_transport_faults_lotes_encola(self):
        for fault in FAULTS:
            with self.subTest(fault=fault[0]):
                self._fault_run(fault, 3, LOTES_ENCOLA)

    def test_crash_while_sending(self):
        """The worker died after the request: "being queued" nobody holds."""
        moves = self._invoices(3)
        moves.action_post()
        payloads = [move._l10n_ar_tusfacturas_prepare_payload() for move in moves]
        moves._l10n_ar_tusfacturas_write({"l10n_ar_tusfacturas_state": "async_sending"})
        with moves[0]._l10n_ar_tusfacturas_client() as client:
            client.enqueue_batch(payloads)  # answered, never applied
        after = set(self._states(moves))
        self._send()
        self._emit()
        self._check_and_record("crash while sending", "lotes_encola", moves, after)
        self.assertEqual(self._enqueue_requests(), 1)

    def test_rollback_after_success(self):
        moves = self._invoices(2)
        moves.action_post()
        try:
            with self.env.cr.savepoint():
                self._send()
                self.assertEqual(set(self._states(moves)), {"async_queued"})
                raise RollbackError
        except RollbackError:
            pass
        self.env.invalidate_all()
        after = set(self._states(moves))
        self.assertEqual(after, {"async_waiting"})
        # Odoo lost the answer, TusFacturas has them: the next run must not
        # queue them again. (In production "being queued" is committed before
        # the request; here the test's transaction cannot commit.)
        moves._l10n_ar_tusfacturas_write({"l10n_ar_tusfacturas_state": "async_sending"})
        self._send()
        self._emit()
        self._check_and_record("rollback after answer", "lotes_encola", moves, after)
        self.assertEqual(self._enqueue_requests(), 1)

    def test_refused_in_queue_then_resent(self):
        moves = self._invoices(3)
        moves.action_post()
        self._send()
        self.sandbox.set_fault("afip_reject", endpoints=[NUEVO_ENCOLA], times=1)
        self._emit()
        after = set(self._states(moves))
        self.assertEqual(after, {"async_error", "authorized"})
        failed = moves.filtered(lambda m: m.l10n_ar_tusfacturas_state == "async_error")
        self.assertEqual(failed.state, "draft")
        failed.action_l10n_ar_tusfacturas_async_resend()
        self._emit()
        self._check_and_record("refused in the queue", "lotes_encola", moves, after)
