"""Benchmark, not a test: ``make bench-odoo`` runs it (tag tusfacturas_bench).

Asynchronous mode, sandbox on loopback, spacing 0: the Odoo-side time and
queries to confirm 100 invoices, put them in TusFacturas' queue (one
lotes_encola) and adopt them once emitted (the poll cron's pages: CAE, number,
PDF, QR, chatter); and the comprobantes queued per hour per CUIT with the
spacing shortened for the run, as a fraction of the ceiling (100 per
generation request x 3600 / spacing: 6,000 an hour at the default 60 s).
Emitting them is TusFacturas' work.
"""

import logging
import time

from odoo.tests import tagged

from ..tusfacturas.client import QUEUED_BATCH_LIMIT
from .test_async import LOTES_ENCOLA, AsyncCommon

_logger = logging.getLogger(__name__)

SPACING = 20  # seconds, shortened for the run (60 in production)


@tagged("tusfacturas_bench", "-standard", "post_install", "-at_install")
class BenchAsync(AsyncCommon):
    def _timed(self, step):
        self.env.flush_all()
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        step()
        self.env.flush_all()
        return time.perf_counter() - start, self.cr.sql_log_count - queries

    def test_bench_async_queue_of_100(self):
        moves = self._invoices(QUEUED_BATCH_LIMIT)
        confirm_s, confirm_q = self._timed(moves.action_post)
        send_s, send_q = self._timed(self._send)
        self.assertEqual(len(self.sandbox.requests_to("facturacion/lotes_encola")), 1)
        self.sandbox.process_queue()
        self._later()
        adopt_s, adopt_q = self._timed(lambda: (self._poll(), self._poll()))
        self.assertAllAdopted(moves)
        _logger.info(
            "bench: async queue of %s: confirm %.1f s (%d queries), one "
            "lotes_encola %.1f s (%d queries), adoption %.1f s (%.1f ms and %d "
            "queries per invoice); ceiling %s queued/hour per CUIT at 60 s",
            QUEUED_BATCH_LIMIT,
            confirm_s,
            confirm_q,
            send_s,
            send_q,
            adopt_s,
            adopt_s * 1000 / QUEUED_BATCH_LIMIT,
            adopt_q / QUEUED_BATCH_LIMIT,
            QUEUED_BATCH_LIMIT * 60,
        )

    def test_bench_async_throughput(self):
        """Comprobantes queued per hour per CUIT with a shortened spacing, as a
        fraction of the ceiling (100 per request x 3600 / spacing); the send
        cron is run as Odoo's runner would, when its trigger falls due."""
        self.company_ri.l10n_ar_tusfacturas_spacing = SPACING
        count = 3 * QUEUED_BATCH_LIMIT
        moves = self._invoices(count)
        moves.action_post()
        requests, longest, used = self._run_as_cron_runner(
            moves,
            self.env.ref("l10n_ar_tusfacturas.ir_cron_async_send"),
            self._send,
            LOTES_ENCOLA,
            "async_queued",
        )
        per_hour = count * 3600 / used
        ceiling = QUEUED_BATCH_LIMIT * 3600 / SPACING
        _logger.info(
            "bench: async mode, spacing %s s (longest request %.1f s): %s "
            "invoices in %s lotes_encola over %.1f s: %.0f queued/hour per CUIT, "
            "%.1f %% of the ceiling (%.0f/hour)",
            SPACING,
            longest,
            count,
            requests,
            used,
            per_hour,
            100 * per_hour / ceiling,
            ceiling,
        )
