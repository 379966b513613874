"""Benchmark, not a test: ``make bench-odoo`` runs it (tag tusfacturas_bench).

Asynchronous mode, sandbox on loopback, spacing 0: the Odoo-side time and
queries to confirm 100 invoices, put them in TusFacturas' queue (one
lotes_encola) and adopt them once emitted (the poll cron's pages: CAE, number,
PDF, QR, chatter). The ceiling per CUIT is 100 comprobantes per generation
request, so 6,000 an hour queued at the default 60 s spacing; emitting them is
TusFacturas' work.
"""

import logging
import time

from odoo.tests import tagged

from ..tusfacturas.client import QUEUED_BATCH_LIMIT
from .test_async import AsyncCommon

_logger = logging.getLogger(__name__)


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
