"""Ordinary invoices of a company set up by l10n_ar's chart alone: whatever
its lines, each is authorized with exactly Odoo's amounts."""

import random
from decimal import Decimal

from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestRounding(TusFacturasCommon):
    def _random_lines(self, rng, count):
        products = [
            self.product_iva_21,
            self.product_iva_105,
            self.service_iva_27,
            self.product_iva_cero,
            self.product_iva_exento,
            self.product_no_gravado,
            self.product_iva_105_perc,
        ]
        return [
            (
                rng.choice(products),
                rng.randint(1, 500_000) / 100,  # prices in cents
                rng.choice([rng.randint(1, 50), rng.randint(1, 5000) / 100]),
                {"discount": rng.choice([0, 0, 0, 5, 10, 12.5, 33.33])},
            )
            for _ in range(count)
        ]

    def _assert_sent_as_odoo_computed(self, move):
        self.assertAuthorized(move)
        comprobante = self._sent()[-1]["comprobante"]
        self.assertEqual(Decimal(comprobante["total"]), Decimal(str(move.amount_total)))
        record = self.sandbox.state.records[-1]
        self.assertEqual(record.total, Decimal(comprobante["total"]))

    def test_01_l10n_ar_rounds_globally(self):
        # The subject: l10n_ar's default, which the fixture does not change.
        self.assertEqual(
            self.company_ri.tax_calculation_rounding_method, "round_globally"
        )

    def test_02_random_invoices_all_authorized(self):
        """40 seeded random invoices of 1-30 lines (prices in cents, quantities
        with decimals, discounts, 21/10.5/27/0 %, exempt, not taxed,
        perceptions), confirmed one after the other: none refused."""
        rng = random.Random(2026)
        for _ in range(40):
            partner = rng.choice([self.res_partner_adhoc, self.partner_cf])
            move = self._invoice(partner, self._random_lines(rng, rng.randint(1, 30)))
            move.action_post()
            self._assert_sent_as_odoo_computed(move)

    def test_03_the_first_ordinary_invoice(self):
        """An ordinary 5-line invoice: integer prices, 21 and 10.5 %. The 10.5 %
        VAT is 221 x 0.105 = 23.205: Odoo rounds it up, half-even down."""
        lines = [
            (self.product_iva_21, 100.0, 3),
            (self.product_iva_105, 45.0, 1),
            (self.product_iva_105, 3.0, 7),
            (self.product_iva_21, 250.0, 1),
            (self.product_iva_105, 31.0, 5),
        ]
        move = self._invoice(self.res_partner_adhoc, lines)
        move.action_post()
        self._assert_sent_as_odoo_computed(move)
        prices = [
            item["producto"]["precio_unitario_sin_iva"]
            for item in self._sent()[-1]["comprobante"]["detalle"]
        ]
        # One 10.5 % price carries a third decimal; the others are Odoo's.
        self.assertEqual(sum(len(p.split(".")[1]) == 3 for p in prices), 1, prices)

    def test_04_round_per_line_small_invoices_authorized(self):
        self.company_ri.tax_calculation_rounding_method = "round_per_line"
        rng = random.Random(5)
        for _ in range(15):
            move = self._invoice(self.res_partner_adhoc, self._random_lines(rng, 1))
            move.action_post()
            self._assert_sent_as_odoo_computed(move)

    def test_05_cases_once_refused(self):
        """Once refused over a cent: VAT rounded globally below the per-line
        sum (2 x 0.03 at 21 % is 0.07), and 4-decimal prices."""
        move = self._invoice(
            self.res_partner_adhoc, [(self.product_iva_21, 0.03, 1)] * 2
        )
        self.assertEqual(move.amount_total, 0.07)
        move.action_post()
        self._assert_sent_as_odoo_computed(move)
        self.env.ref("product.decimal_price").digits = 4
        move = self._invoice(
            self.res_partner_adhoc, [(self.product_iva_21, 0.3333, 3)] * 3
        )
        move.action_post()
        self._assert_sent_as_odoo_computed(move)
