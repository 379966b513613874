from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestPostingCost(TusFacturasCommon):
    """Issuing through TusFacturas adds a fixed amount of database work to
    posting: nothing per invoice line (no N+1), whatever the invoice's size."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_journal = cls._plain_journal()

    def _queries_to_post(self, journal, line_count):
        lines = [(self.product_iva_21, 10.0 + index, 1) for index in range(line_count)]
        move = self._invoice(self.res_partner_adhoc, lines, journal=journal)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        move.action_post()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_extra_queries_do_not_grow_with_lines(self):
        for journal in (self.plain_journal, self.journal):  # first numbers
            self._queries_to_post(journal, 1)
        extra = {
            count: self._queries_to_post(self.journal, count)
            - self._queries_to_post(self.plain_journal, count)
            for count in (5, 40)
        }
        self.assertEqual(len(self._sent()), 3)
        self.assertGreater(extra[5], 0, "issuing stores the CAE, PDF and QR")
        self.assertLessEqual(
            extra[40] - extra[5],
            5,
            f"queries added by TusFacturas for 5 and 40 lines: {extra}",
        )
