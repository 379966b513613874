"""Benchmark, not a test: ``make bench-odoo`` runs it (tag tusfacturas_bench);
the normal suite skips it. One run, ratios reported (the machine is noisy)."""

import contextlib
import functools
import logging
import statistics
import time
from collections import defaultdict
from unittest.mock import patch

from odoo.tests import tagged

from ..models import account_move as account_move_module
from ..tusfacturas.client import TusFacturasClient
from .common import TusFacturasCommon

_logger = logging.getLogger(__name__)

PAIRS = 60  # paired postings, plain and through TusFacturas alternated
LINES = 5
LATENCY = 0.2  # seconds per request, as a network round trip
LATENCY_PAIRS = 5  # postings with and without the latency, alternated
BREAKDOWN_POSTINGS = 20
# Where the added time goes: (label, owner, attribute). Timed from outside,
# nested stages included in their parent (the QR in the attachments).
STAGES = (
    ("checks before sending", "move", "_l10n_ar_tusfacturas_raise_if_invalid"),
    ("order check", "move", "_l10n_ar_tusfacturas_blocking_predecessor"),
    ("slot claim", "slot", "_claim"),
    ("attempt marker", "move", "_l10n_ar_tusfacturas_may_be_issued"),
    ("slot stamp", "move", "_l10n_ar_tusfacturas_stamp_slot"),
    ("payload", "move", "_l10n_ar_tusfacturas_prepare_payload"),
    ("nuevo round trip", "client", "issue"),
    ("PDF round trip", "client", "download_pdf"),
    ("QR image", "module", "qr_png"),
    ("attachments (QR included)", "move", "_l10n_ar_tusfacturas_store_documents"),
    ("chatter note", "move", "_l10n_ar_tusfacturas_post_attachments"),
    ("writes of the results", "move", "_l10n_ar_tusfacturas_write"),
)
# The stages issue 11 itself requires of a posting: its two requests, the QR
# drawn once with both documents attached, and one chatter note.
REQUIRED_STAGES = (
    "nuevo round trip",
    "PDF round trip",
    "attachments (QR included)",
    "chatter note",
)


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

    def _timed_post(self, journal, checked=False):
        """Seconds to post a new invoice from a cold cache, as a request does
        (``checked``: TusFacturas' checks made first, nothing sent)."""
        move = self._new(journal)
        self.env.flush_all()
        self.env.invalidate_all()
        start = time.perf_counter()
        if checked:
            move._l10n_ar_tusfacturas_get_errors()
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

    def _stage_owners(self):
        return {
            "move": type(self.env["account.move"]),
            "slot": type(self.env["l10n_ar.tusfacturas.send.slot"]),
            "client": TusFacturasClient,
            "module": account_move_module,
        }

    @contextlib.contextmanager
    def _timing_stages(self, spent):
        """Accumulate into ``spent`` the seconds each stage takes."""

        def timed(label, function):
            @functools.wraps(function)
            def wrapper(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    spent[label] += time.perf_counter() - start

            return wrapper

        owners = self._stage_owners()
        with contextlib.ExitStack() as stack:
            for label, owner, name in STAGES:
                target = owners[owner]
                stack.enter_context(
                    patch.object(target, name, timed(label, getattr(target, name)))
                )
            yield

    def _breakdown(self):
        """Milliseconds per posting through TusFacturas, by stage."""
        spent = defaultdict(float)
        with self._timing_stages(spent):
            for _posting in range(BREAKDOWN_POSTINGS):
                self._timed_post(self.journal)
        return {label: spent[label] * 1000 / BREAKDOWN_POSTINGS for label, *_ in STAGES}

    def _checks_net(self):
        """Median over pairs of what the checks add to a plain posting: they
        read records the posting reads anyway, so their own time overstates."""
        added = []
        for _pair in range(LATENCY_PAIRS * 4):
            plain = self._timed_post(self.plain_journal)
            added.append(self._timed_post(self.plain_journal, checked=True) - plain)
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
        stages = self._breakdown()
        checks_net_s = self._checks_net()
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
        _logger.info(
            "bench: where a posting through TusFacturas spends its time (ms per "
            "posting, mean of %s): %s",
            BREAKDOWN_POSTINGS,
            "; ".join(f"{label} {ms:.1f}" for label, ms in stages.items()),
        )
        _logger.info(
            "bench: the checks made before sending add %.1f ms to a plain posting "
            "(median of %s pairs; the records they read are read by posting too)",
            checks_net_s * 1000,
            LATENCY_PAIRS * 4,
        )
        required_ms = sum(stages[label] for label in REQUIRED_STAGES)
        _logger.info(
            "bench: what issue 11 itself requires (%s) takes %.1f ms, against "
            "%.1f ms for the plain posting: a ratio of at least %.2f before any "
            "check, claim, marker or payload",
            ", ".join(REQUIRED_STAGES),
            required_ms,
            plain_s * 1000,
            1 + required_ms / (plain_s * 1000),
        )
