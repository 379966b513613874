from odoo.tests import tagged

from .common import NUEVO, PDF, TusFacturasCommon

STATUS = "estado_servicios/alertas"
# Issue 11: SQL queries TusFacturas may add to posting an invoice.
MAX_EXTRA_QUERIES = 20


@tagged("post_install_l10n", "post_install", "-at_install")
class TestPostingCost(TusFacturasCommon):
    """Issuing through TusFacturas costs little more than posting in plain
    l10n_ar: a fixed number of queries, nothing per invoice line (no N+1),
    and two requests (the comprobante and its PDF) on the happy path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_journal = cls._plain_journal()

    def _post_lines(self, journal, line_count):
        lines = [(self.product_iva_21, 10.0 + index, 1) for index in range(line_count)]
        move = self._invoice(self.res_partner_adhoc, lines, journal=journal)
        return move, *self._post_counting(move)

    def _extra_queries(self, line_count):
        _move, plain, _requests = self._post_lines(self.plain_journal, line_count)
        move, issued, _requests = self._post_lines(self.journal, line_count)
        self.assertAuthorized(move)
        return issued - plain

    def test_extra_queries_fixed_whatever_the_lines(self):
        for journal in (self.plain_journal, self.journal):
            self._post_lines(journal, 1)  # first numbers; AFIP's status asked
        extra = {count: self._extra_queries(count) for count in (1, 50)}
        self.assertLessEqual(
            extra[1], MAX_EXTRA_QUERIES, f"queries added by TusFacturas: {extra}"
        )
        self.assertEqual(extra[1], extra[50], f"queries added per line: {extra}")

    def test_happy_path_is_two_requests_and_one_note(self):
        """AFIP's status is asked once for a few minutes; no lookup by external
        reference before a first attempt; one note carries both documents."""
        first, _queries, requests = self._post_lines(self.journal, 1)
        self.assertEqual(requests, [STATUS, NUEVO, PDF])
        move, _queries, requests = self._post_lines(self.journal, 1)
        self.assertAuthorized(move)
        self.assertEqual(requests, [NUEVO, PDF])
        for posted in first | move:
            notes = posted.message_ids.filtered("attachment_ids")
            self.assertEqual(len(notes), 1)
            self.assertEqual(
                notes.attachment_ids,
                posted.l10n_ar_tusfacturas_pdf_id | posted.l10n_ar_tusfacturas_qr_id,
            )
            self.assertEqual(len(notes.attachment_ids), 2)
