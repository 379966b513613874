import contextlib
import threading
import time
from datetime import datetime, timezone

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common import NUEVO, TusFacturasCommon

LOTES = "facturacion/lotes"
CONSULTA = "facturacion/consulta_avanzada"
SLOT_TABLE = "l10n_ar_tusfacturas_send_slot"
# A validation ARCA refuses (a specific code): a rejection. ARCA's generic
# "Cod: 0" (the fault's default text) is an unknown outcome instead.
REFUSED = (
    "AFIP Factura electronica, rechazo el comprobante - ERROR: El campo "
    "FchVtoPago no puede ser anterior a la fecha del comprobante. Cod: 10036"
)


class VolumeCommon(TusFacturasCommon):
    """Spacing is stored in PostgreSQL: each test starts from free slots."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            cr.execute(f"DELETE FROM {SLOT_TABLE}")  # committed by other tests
        self.key = self.company_ri._l10n_ar_tusfacturas_cuit_key()
        self.slots = self.env["l10n_ar.tusfacturas.send.slot"]

    @contextlib.contextmanager
    def _another_worker_sending(self):
        """Another worker (a real connection) holds this CUIT's sender lock."""
        with self.registry.cursor() as cr:
            other = api.Environment(cr, SUPERUSER_ID, {})
            with other[self.slots._name]._sender_lock(self.key) as locked:
                self.assertTrue(locked)
                yield

    def _invoices(self, count, **values):
        moves = self.env["account.move"]
        for _index in range(count):
            moves |= self._invoice(self.res_partner_adhoc, **values)
        return moves

    def _lotes(self):
        return self.sandbox.requests_to(LOTES)

    def _issued_count(self):
        """Comprobantes the sandbox holds (duplicates would show here)."""
        return len(self.sandbox.state.records)

    def _wait_for_trigger(self, cron, longest):
        """As Odoo's cron runner: sleep until the next trigger of ``cron``
        falls due (at most ``longest`` seconds), and consume it."""
        trigger = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id)], order="call_at", limit=1
        )
        if not trigger:
            return
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        wait = (trigger.call_at - now).total_seconds()
        trigger.unlink()
        if wait > 0:
            time.sleep(min(wait, longest))

    def _run_as_cron_runner(self, moves, cron, run, endpoint, done):
        """Benchmarks: ``run`` the cron each time its trigger falls due until
        every move is in state ``done``. Returns the number of generation
        requests to ``endpoint``, the longest run that made one and the
        seconds the CUIT's capacity was used (until its next slot after the
        last request)."""
        spacing = moves.company_id[:1].l10n_ar_tusfacturas_spacing
        cron.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        claims, longest = [], 0.0
        for _run in range(3 * len(moves)):
            before = len(self.sandbox.requests_to(endpoint))
            run_start = time.perf_counter()
            run()
            if len(self.sandbox.requests_to(endpoint)) > before:
                claims.append(run_start)
                longest = max(longest, time.perf_counter() - run_start)
            if all(m.l10n_ar_tusfacturas_state == done for m in moves):
                break
            self._wait_for_trigger(cron, spacing)
        end = time.perf_counter()
        self.assertEqual(set(moves.mapped("l10n_ar_tusfacturas_state")), {done})
        return len(claims), longest, max(end, claims[-1] + spacing) - claims[0]

    def _wait_for_slot(self, spacing):
        """Bounded: until the CUIT's slot is free again (spacing is small)."""
        for _try in range(100):
            free_at = self.slots._free_at(self.key, spacing)
            if free_at <= self.slots._free_at(self.key, 0):
                return
            time.sleep(0.1)
        self.fail("the slot never became free")

    def _states(self, moves):
        return moves.mapped("l10n_ar_tusfacturas_state")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestSpacing(VolumeCommon):
    """Generation requests of one CUIT are spaced, whatever path sends them."""

    def test_second_invoice_within_spacing_is_queued_not_sent(self):
        self.company_ri.l10n_ar_tusfacturas_spacing = 30
        first, second = self._invoices(2)
        first.action_post()
        self.assertAuthorized(first)
        second.action_post()
        self.assertEqual(second.state, "posted")
        self.assertEqual(second.l10n_ar_tusfacturas_state, "queued")
        self.assertIn("Queued", second.l10n_ar_tusfacturas_message)
        self.assertTrue(second.l10n_ar_tusfacturas_send_after)
        self.assertEqual(len(self._sent()), 1)
        self._run_queue(runs=3)  # the slot is still taken: nothing sent
        self.assertEqual(len(self._sent()) + len(self._lotes()), 1)
        self.assertEqual(second.l10n_ar_tusfacturas_state, "queued")
        cron = self.env.ref("l10n_ar_tusfacturas.ir_cron_send_queue")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertTrue(triggers, "the queue is scheduled at the next free slot")

    def test_slot_taken_by_another_worker_is_respected(self):
        """A claim committed by another transaction (worker, server) counts."""
        self.company_ri.l10n_ar_tusfacturas_spacing = 30
        with self.registry.cursor() as cr:
            other = api.Environment(cr, SUPERUSER_ID, {})
            self.assertIsNone(other[self.slots._name]._claim(self.key, 30))
        move = self._invoices(1)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "queued")
        self.assertEqual(self._sent(), [])

    def test_claims_from_concurrent_workers_give_one_slot(self):
        """Four workers (threads, each its own cursor) claim at once."""
        barrier = threading.Barrier(4)
        results = []

        def claim():
            with self.registry.cursor() as cr:
                # The main thread holds the registry lock while tests run.
                cr.transaction = api.Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait(timeout=10)
                results.append(env[self.slots._name]._claim("20000000028", 30))

        threads = [threading.Thread(target=claim) for _index in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(len(results), 4)
        self.assertEqual(sum(1 for r in results if r is None), 1)

    def test_one_sender_per_cuit_among_concurrent_workers(self):
        """Four workers (threads, own cursors) start sending at once."""
        barrier = threading.Barrier(4)
        got = []

        def send():
            with self.registry.cursor() as cr:
                cr.transaction = api.Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait(timeout=10)
                with env[self.slots._name]._sender_lock("20000000036") as locked:
                    got.append(locked)
                    barrier.wait(timeout=10)  # all have tried while one holds it

        threads = [threading.Thread(target=send) for _index in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(sorted(got), [False, False, False, True])

    def test_sender_busy_in_another_worker_queues(self):
        with self._another_worker_sending():
            move = self._invoices(1)
            move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "queued")
        self.assertEqual(self._sent(), [])

    def test_queue_sends_one_lote_per_interval(self):
        """A run sends at most one lote; the slot (not a fixed pause) says
        when the next may go (that a taken slot sends nothing is tested
        above)."""
        spacing = 1
        self.company_ri.l10n_ar_tusfacturas_spacing = spacing
        moves = self._invoices(23)
        moves.action_post()
        self.assertEqual(set(self._states(moves)), {"queued"})
        self.assertEqual(self._sent() + self._lotes(), [], "confirming sent nothing")
        self._run_queue()
        (lote,) = self._lotes()
        self.assertEqual(len(lote["requests"]), 20)
        self.assertEqual(self._states(moves).count("authorized"), 20)
        self._wait_for_slot(spacing)
        self._run_queue()
        self.assertEqual(len(self._lotes()), 2)
        self.assertEqual(len(self._lotes()[1]["requests"]), 3)
        self.assertEqual(self._sent(), [])
        for move in moves:
            self.assertAuthorized(move)
        self.assertEqual(self._issued_count(), 23)

    def test_verify_does_not_burst(self):
        self.company_ri.l10n_ar_tusfacturas_spacing = 30
        self.sandbox.set_fault("drop_connection", endpoints=[NUEVO])
        move = self._invoices(1)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self._lost_answer_grace_over(move)
        move.action_l10n_ar_tusfacturas_verify()
        # TusFacturas has nothing: it is to be sent again, at the next slot.
        self.assertEqual(move.l10n_ar_tusfacturas_state, "queued")
        self.assertEqual(len(self._sent()), 1)
        self.env["account.move"]._cron_l10n_ar_tusfacturas_verify()
        self.assertEqual(len(self._sent()) + len(self._lotes()), 1)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestNumberOrder(VolumeCommon):
    """Never sent while an earlier one of its sequence is pending."""

    def test_unknown_predecessor_is_verified_first(self):
        self.sandbox.set_fault("drop_after_issue", endpoints=[NUEVO])
        first, second = self._invoices(2)
        first.action_post()
        self.assertEqual(first.l10n_ar_tusfacturas_state, "unknown")
        second.action_post()
        self.assertEqual(second.l10n_ar_tusfacturas_state, "queued")
        self.assertEqual(second.l10n_ar_tusfacturas_blocked_by_id, first)
        self.assertIn(first.name, second.l10n_ar_tusfacturas_message)
        self.assertEqual(len(self._sent()), 1)
        self._lost_answer_grace_over(first)
        self._run_queue()
        self.assertAuthorized(first)
        self.assertAuthorized(second)
        self.assertEqual(len(self._sent()), 2, "the first one was adopted")
        self.assertEqual(self._issued_count(), 2)
        self.assertEqual(
            [first.l10n_ar_tusfacturas_number, second.l10n_ar_tusfacturas_number],
            [1, 2],
        )

    def test_refusal_stops_the_sequence_and_names_the_blocker(self):
        moves = self._invoices(3)
        moves.action_post()
        self.sandbox.set_fault("afip_reject", endpoints=[LOTES], message=REFUSED)
        self._run_queue()
        first, second, third = moves
        self.assertEqual(first.l10n_ar_tusfacturas_state, "error")
        self.assertIn("rejected", first.l10n_ar_tusfacturas_message)
        for move in second | third:
            self.assertEqual(move.l10n_ar_tusfacturas_state, "queued")
            self.assertEqual(move.l10n_ar_tusfacturas_blocked_by_id, first)
            self.assertIn(first.name, move.l10n_ar_tusfacturas_message)
        activity = first.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, first.invoice_user_id or first.create_uid)
        self._run_queue(runs=2)
        self.assertEqual(len(self._lotes()), 1, "nothing sent behind a failure")
        first.action_l10n_ar_tusfacturas_retry()
        self.assertEqual(first.l10n_ar_tusfacturas_state, "queued")
        self._run_queue()
        for move in moves:
            self.assertAuthorized(move)
        self.assertEqual(self._issued_count(), 3)

    def test_arca_failure_in_a_lote_is_unknown_then_verified(self):
        """ARCA's generic failure may hide a CAE: not an error to retry, an
        unknown outcome asked by consulta_avanzada before sending again."""
        moves = self._invoices(3)
        moves.action_post()
        self.sandbox.set_fault("afip_reject", endpoints=[LOTES])  # "... Cod: 0"
        self._run_queue()
        first = moves[0]
        self.assertEqual(first.l10n_ar_tusfacturas_state, "unknown")
        self.assertIn("ARCA failed", first.l10n_ar_tusfacturas_message)
        self.assertNotIn("error", self._states(moves))
        self.assertEqual(len(self._lotes()), 1)
        self._lost_answer_grace_over(moves)
        self._run_queue(runs=3)
        for move in moves:
            self.assertAuthorized(move)
        self.assertEqual(self._issued_count(), 3, "nothing issued twice")

    def test_other_sequences_go_on(self):
        """A failure on one point of sale does not hold another."""
        other_journal = self.journal.copy(
            {"name": "TusFacturas POS 5", "code": "TF5", "l10n_ar_afip_pos_number": 5}
        )
        blocked = self._invoices(2)
        free = self._invoices(2, journal=other_journal)
        (blocked | free).action_post()
        self.sandbox.set_fault("afip_reject", endpoints=[LOTES], message=REFUSED)
        self._run_queue(runs=3)
        self.assertEqual(set(self._states(free)), {"authorized"})
        self.assertEqual(self._states(blocked), ["error", "queued"])


@tagged("post_install_l10n", "post_install", "-at_install")
class TestQueueMode(VolumeCommon):
    """Queued invoices go out in lotes; unknown outcomes are asked first."""

    def test_cron_user_outside_the_company_still_sends(self):
        moves = self._invoices(2)
        moves.action_post()
        main = self.env.ref("base.main_company")
        clerk = self.env["res.users"].create(
            {
                "name": "Cron user elsewhere",
                "login": "tf_cron_elsewhere",
                "company_id": main.id,
                "company_ids": [(6, 0, main.ids)],
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        self.env["account.move"].with_user(clerk).with_context(
            allowed_company_ids=main.ids
        )._cron_l10n_ar_tusfacturas_send_queue()
        for move in moves:
            self.assertAuthorized(move)

    def test_queue_journal_queues_a_lone_invoice(self):
        self.journal.l10n_ar_tusfacturas_send_mode = "queue"
        move = self._invoices(1)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "queued")
        self.assertTrue(move.l10n_ar_tusfacturas_can_send_now)
        self.assertFalse(move.l10n_ar_tusfacturas_can_verify)
        self.assertEqual(self._sent(), [])
        move.action_l10n_ar_tusfacturas_send_now()
        self._run_queue()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1, "a lote of one goes through nuevo")
        self.assertEqual(self._lotes(), [])

    def test_lote_timeout_is_resolved_by_consulta_before_resending(self):
        moves = self._invoices(3)
        moves.action_post()
        self.sandbox.set_fault("timeout_after_issue", endpoints=[LOTES], seconds=5)
        self._run_queue()
        self.assertEqual(set(self._states(moves)), {"unknown"})
        self.assertTrue(all(m.l10n_ar_tusfacturas_can_verify for m in moves))
        self.assertEqual(len(moves.activity_ids), 3)
        self._lost_answer_grace_over(moves)
        self._run_queue()
        for move in moves:
            self.assertAuthorized(move)
        self.assertEqual(len(self._lotes()), 1, "never sent twice")
        self.assertEqual(self._issued_count(), 3)

    def test_lote_dropped_before_processing_is_sent_once_more(self):
        moves = self._invoices(3)
        moves.action_post()
        self.sandbox.set_fault("drop_connection", endpoints=[LOTES])
        self._run_queue()
        self.assertEqual(set(self._states(moves)), {"unknown"})
        self._lost_answer_grace_over(moves)
        self._run_queue()
        for move in moves:
            self.assertAuthorized(move)
        self.assertEqual(len(self._lotes()), 2)
        self.assertEqual(self._issued_count(), 3)

    def test_export_invoice_goes_alone_through_nuevo(self):
        export = self._export_goods()
        local = self._invoices(2)
        (export | local).action_post()
        self._run_queue(runs=2)
        self.assertAuthorized(export)
        for move in local:
            self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1)
        self.assertEqual(self._sent()[0]["comprobante"]["tipo"], "FACTURA E")
        (lote,) = self._lotes()
        self.assertEqual(len(lote["requests"]), 2)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestQueueView(VolumeCommon):
    """What users see: counts per state, what waits and why, valid actions."""

    def test_queue_view_counts_and_reasons(self):
        moves = self._invoices(3)
        moves.action_post()
        self.sandbox.set_fault("afip_reject", endpoints=[LOTES], message=REFUSED)
        self._run_queue()
        action = self.env.ref("l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_queue")
        views = self.env["account.move"].get_views(
            [(v.view_id.id, v.view_mode) for v in action.view_ids]
            + [(action.search_view_id.id, "search")]
        )
        self.assertIn(
            "l10n_ar_tusfacturas_blocked_by_id", views["views"]["list"]["arch"]
        )
        self.assertIn("group_by_tf_state", views["views"]["search"]["arch"])
        domain = [("l10n_ar_tusfacturas_state", "!=", False)]
        groups = self.env["account.move"].read_group(
            domain, ["l10n_ar_tusfacturas_state"], ["l10n_ar_tusfacturas_state"]
        )
        counts = {
            g["l10n_ar_tusfacturas_state"]: g["l10n_ar_tusfacturas_state_count"]
            for g in groups
        }
        self.assertEqual(counts, {"error": 1, "queued": 2})
        failed = moves.filtered(lambda m: m.l10n_ar_tusfacturas_state == "error")
        self.assertEqual(failed._l10n_ar_tusfacturas_get_valid_actions(), ("retry",))
        self.assertTrue(failed.l10n_ar_tusfacturas_can_retry)
        self.assertFalse(failed.l10n_ar_tusfacturas_can_send_now)

    def test_form_buttons_follow_the_valid_actions(self):
        arch = self.env["account.move"].get_view(
            self.env.ref("account.view_move_form").id, "form"
        )["arch"]
        for button, flag in (
            ("action_l10n_ar_tusfacturas_send_now", "can_send_now"),
            ("action_l10n_ar_tusfacturas_retry", "can_retry"),
            ("action_l10n_ar_tusfacturas_verify", "can_verify"),
        ):
            self.assertRegex(
                arch, rf'name="{button}"[^>]*invisible="not l10n_ar_tusfacturas_{flag}"'
            )


@tagged("post_install_l10n", "post_install", "-at_install")
class TestSpacingJudgedBySandbox(VolumeCommon):
    """The sandbox refuses generation requests of one CUIT closer than its own
    spacing (the docs' one-minute rule, measured by its own clock on arrival):
    with both set to a short spacing, the addon is never refused."""

    SPACING = 2

    def test_confirming_many_and_the_queue_are_never_refused(self):
        self.company_ri.l10n_ar_tusfacturas_spacing = self.SPACING
        self.sandbox.set_generation_spacing(self.SPACING)
        alone = self._invoices(1)
        alone.action_post()  # the slot is free: sent at once
        self.assertAuthorized(alone)
        many = self._invoices(23)
        many.action_post()  # several at once: queued
        self.assertEqual(set(self._states(many)), {"queued"})
        late = self.env["account.move"]
        # The cron as often as a busy server might run it (bounded): the slot,
        # not this loop, decides when a lote leaves.
        for _poll in range(60):
            self._run_queue()
            if self._lotes() and not late:
                late = self._invoices(1)
                late.action_post()  # right after a lote: must wait its turn
            if late and set(self._states(alone | many | late)) == {"authorized"}:
                break
            time.sleep(0.2)
        for move in alone | many | late:
            self.assertAuthorized(move)
        requests = [[body] for body in self._sent()]
        requests += [lote["requests"] for lote in self._lotes()]
        self.assertEqual(sum(len(items) for items in requests), 25, "each sent once")
        self.assertLessEqual(len(requests), 4, "lotes of up to 20, no burst")
        self.assertEqual(self._issued_count(), 25, "no request was refused")
