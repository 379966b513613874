"""Benchmark, not a test: ``make bench-odoo`` runs it (tag tusfacturas_bench);
the normal suite skips it. One run, ratios reported (the machine is noisy)."""

import logging
import statistics
import time

from odoo.tests import tagged

from .common import TusFacturasCommon

_logger = logging.getLogger(__name__)

PAIRS = 25  # paired postings, plain and through TusFacturas alternated
LINES = 5
LATENCY = 0.2  # seconds per request, as a network round trip
LATENCY_PAIRS = 5  # postings with and without the latency, alternated


@tagged("tusfacturas_bench", "-standard", "post_install", "-at_install")
class BenchPosting(TusFacturasCommon):
    """Posting an invoice in plain l10n_ar vs. issued through TusFacturas (the
    sandbox on loopback, then with a latency per request)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_journal = cls._plain_journal()

    def _new(self, journal, lines=LINES):
        lines = [(self.product_iva_21, 10.0 + index, 1) for index in range(lines)]
        return self._invoice(self.res_partner_adhoc, lines, journal=journal)

    def _timed_post(self, journal):
        """Seconds to post a new invoice from a cold cache, as a request does."""
        move = self._new(journal)
        self.env.flush_all()
        self.env.invalidate_all()
        start = time.perf_counter()
        move.action_post()
        self.env.flush_all()
        return time.perf_counter() - start

    def _paired_ratios(self):
        plain, issued = [], []
        for index in range(PAIRS):
            order = (self.plain_journal, self.journal)
            for journal in order if index % 2 else reversed(order):
                seconds = self._timed_post(journal)
                (issued if journal == self.journal else plain).append(seconds)
        ratios = [tf / base for tf, base in zip(issued, plain, strict=True)]
        return ratios, statistics.median(plain), statistics.median(issued)

    def _added_by_latency(self):
        """Median over pairs of postings through TusFacturas, with and
        without the sandbox's latency, of the time the latency added."""
        added = []
        for _pair in range(LATENCY_PAIRS):
            fast = self._timed_post(self.journal)
            self.sandbox.set_latency(LATENCY)
            added.append(self._timed_post(self.journal) - fast)
            self.sandbox.set_latency(0)
        return statistics.median(added)

    def _extra_queries(self, line_count):
        plain, _requests = self._post_counting(
            self._new(self.plain_journal, line_count)
        )
        issued, requests = self._post_counting(self._new(self.journal, line_count))
        return issued - plain, requests

    def test_bench_posting(self):
        for journal in (self.plain_journal, self.journal):
            self._timed_post(journal)  # first numbers; AFIP's status asked
        ratios, plain_s, issued_s = self._paired_ratios()
        extra_1, requests = self._extra_queries(1)
        extra_50, _requests = self._extra_queries(50)
        added_s = self._added_by_latency()
        _logger.info(
            "bench: post a %s-line invoice through TusFacturas / plain l10n_ar: "
            "ratio median %.2f (min %.2f, max %.2f) over %s paired postings; "
            "plain %.1f ms, TusFacturas %.1f ms (medians)",
            LINES,
            statistics.median(ratios),
            min(ratios),
            max(ratios),
            PAIRS,
            plain_s * 1000,
            issued_s * 1000,
        )
        _logger.info(
            "bench: SQL queries TusFacturas adds to a posting: %s (1 line), "
            "%s (50 lines)",
            extra_1,
            extra_50,
        )
        _logger.info(
            "bench: requests per posting: %s (%s)", len(requests), ", ".join(requests)
        )
        _logger.info(
            "bench: with %.0f ms latency per request a posting takes %.0f ms more "
            "(median of %s pairs; %s requests x %.0f ms = %.0f ms)",
            LATENCY * 1000,
            added_s * 1000,
            LATENCY_PAIRS,
            len(requests),
            LATENCY * 1000,
            len(requests) * LATENCY * 1000,
        )
