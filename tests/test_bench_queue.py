"""Benchmark, not a test: ``make bench-odoo`` runs it (tag tusfacturas_bench).

- the Odoo-side time to prepare, send and store a lote of 20, and a queue of
  100 (sandbox on loopback, spacing 0);
- invoices per hour per CUIT in queue mode with the spacing shortened for the
  run, as a fraction of the ceiling (lote size x 3600 / spacing). The cron
  runner is emulated exactly: each run starts when the trigger the previous
  run set falls due.
"""

import logging
import time

from odoo import sql_db
from odoo.tests import tagged

from ..models.account_move_queue import LOTE_SIZE
from .test_volume import LOTES, VolumeCommon

_logger = logging.getLogger(__name__)

SPACING = 20  # seconds, shortened for the run (60 in production)
QUEUE = 100


@tagged("tusfacturas_bench", "-standard", "post_install", "-at_install")
class BenchQueue(VolumeCommon):
    def _queued(self, count):
        moves = self._invoices(count)
        moves.action_post()
        self.env.flush_all()
        return moves

    def _timed_run(self):
        queries = sql_db.sql_counter  # every cursor's queries
        start = time.perf_counter()
        self._run_queue()
        self.env.flush_all()
        return time.perf_counter() - start, sql_db.sql_counter - queries

    def test_bench_lote_and_queue(self):
        moves = self._queued(LOTE_SIZE)
        start = time.perf_counter()
        for move in moves:
            move._l10n_ar_tusfacturas_prepare_payload()
        prepare = time.perf_counter() - start
        lote_s, lote_q = self._timed_run()
        self.assertEqual(set(moves.mapped("l10n_ar_tusfacturas_state")), {"authorized"})
        moves = self._queued(QUEUE)
        queue_s, queue_q = 0.0, 0
        for _run in range(QUEUE // LOTE_SIZE):
            seconds, queries = self._timed_run()
            queue_s, queue_q = queue_s + seconds, queue_q + queries
        self.assertEqual(set(moves.mapped("l10n_ar_tusfacturas_state")), {"authorized"})
        _logger.info(
            "bench: lote of %s: prepare %.0f ms, prepare+send+store %.0f ms "
            "(%.1f ms and %d queries per invoice); queue of %s: %.1f s "
            "(%.1f ms and %d queries per invoice)",
            LOTE_SIZE,
            prepare * 1000,
            lote_s * 1000,
            lote_s * 1000 / LOTE_SIZE,
            lote_q / LOTE_SIZE,
            QUEUE,
            queue_s,
            queue_s * 1000 / QUEUE,
            queue_q / QUEUE,
        )

    def test_bench_throughput(self):
        self.company_ri.l10n_ar_tusfacturas_spacing = SPACING
        moves = self._queued(QUEUE)
        lotes, longest, used = self._run_as_cron_runner(
            moves,
            self.env.ref("l10n_ar_tusfacturas.ir_cron_send_queue"),
            self._run_queue,
            LOTES,
            "authorized",
        )
        per_hour = QUEUE * 3600 / used
        ceiling = LOTE_SIZE * 3600 / SPACING
        _logger.info(
            "bench: queue mode, spacing %s s (longest lote %.1f s): %s invoices in %s "
            "lotes over %.1f s: %.0f invoices/hour per CUIT, %.1f %% of the ceiling "
            "(%.0f/hour)",
            SPACING,
            longest,
            QUEUE,
            lotes,
            used,
            per_hour,
            100 * per_hour / ceiling,
            ceiling,
        )
