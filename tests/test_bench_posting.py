"""Benchmark, not a test: ``make bench-odoo`` runs it (tag tusfacturas_bench);
the normal suite skips it. One run, ratios reported (the machine is noisy)."""

import logging
import time

from odoo.tests import tagged

from .common import TusFacturasCommon

_logger = logging.getLogger(__name__)

ROUNDS = 10
LINES = 40


@tagged("tusfacturas_bench", "-standard", "post_install", "-at_install")
class BenchPosting(TusFacturasCommon):
    """Posting a 40-line invoice: plain l10n_ar vs. issued through TusFacturas
    (sandbox on loopback: status, lookup, issue and PDF round trips)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_journal = cls._plain_journal()

    def _measure(self, journal):
        lines = [(self.product_iva_21, 10.0 + index, 1) for index in range(LINES)]
        moves = [
            self._invoice(self.res_partner_adhoc, lines, journal=journal)
            for _round in range(ROUNDS + 1)
        ]
        moves[0].action_post()  # the first number of a sequence costs more
        self.env.flush_all()
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        for move in moves[1:]:
            move.action_post()
            self.env.flush_all()
        seconds = (time.perf_counter() - start) / ROUNDS
        return seconds, (self.cr.sql_log_count - queries) / ROUNDS

    def test_bench_posting(self):
        plain_s, plain_q = self._measure(self.plain_journal)
        issued_s, issued_q = self._measure(self.journal)
        _logger.info(
            "bench: post %s-line invoice, plain %.1f ms (%d queries), through "
            "TusFacturas %.1f ms (%d queries), ratio %.2f",
            LINES,
            plain_s * 1000,
            plain_q,
            issued_s * 1000,
            issued_q,
            issued_s / plain_s,
        )
