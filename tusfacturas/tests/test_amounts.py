"""Unit prices fitted so that TusFacturas' per-rate totals equal Odoo's."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from tusfacturas.amounts import Line, fit_prices, format_price, group_amounts


def sent(lines, rows):
    """The lines as sent: a split line gives two."""
    return [
        Line(quantity, price, line.discount, line.group)
        for line, line_rows in zip(lines, rows, strict=True)
        for quantity, price in line_rows
    ]


RATES = ["21", "10.5", "27", "0", "-1", "-2"]


def half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def odoo_round_globally(lines):
    """Odoo's round globally: per rate, the raw nets summed, then base and VAT
    rounded half-up (float_round)."""
    sums = {}
    for line in lines:
        sums[line.group] = sums.get(line.group, Decimal(0)) + line.net()
    return {
        group: (half_up(net), half_up(net * max(Decimal(group), 0) / 100))
        for group, net in sums.items()
    }


def test_a_tie_odoo_rounds_up_moves_the_price_a_thousandth():
    lines = [Line(Decimal(1), Decimal("1.00"), Decimal(0), "10.5")]
    targets = odoo_round_globally(lines)
    assert targets == {"10.5": (Decimal("1.00"), Decimal("0.11"))}
    assert group_amounts(lines) == {"10.5": (Decimal("1.00"), Decimal("0.10"))}
    rows, misfits = fit_prices(lines, targets)
    assert misfits == []
    assert rows == [[(Decimal(1), Decimal("1.001"))]]
    assert group_amounts(sent(lines, rows)) == targets


def test_prices_that_already_fit_are_not_moved():
    lines = [
        Line(Decimal(2), Decimal("0.03"), Decimal(0), "21"),
        Line(Decimal("1.5"), Decimal("99.99"), Decimal(10), "21"),
    ]
    rows, misfits = fit_prices(lines, odoo_round_globally(lines))
    assert misfits == []
    assert rows == [[(line.quantity, line.price)] for line in lines]


def test_a_line_of_many_units_gets_one_unit_priced_apart():
    # 1453 units at 10 %: one thousandth on every unit would move the base by
    # 1.31; on one unit, by 0.0009.
    lines = [Line(Decimal(1453), Decimal("44857.45"), Decimal(10), "21")]
    targets = odoo_round_globally(lines)
    rows, misfits = fit_prices(lines, targets)
    assert misfits == []
    assert rows == [
        [(Decimal(1452), Decimal("44857.45")), (Decimal(1), Decimal("44857.451"))]
    ]
    assert group_amounts(sent(lines, rows)) == targets


def test_a_target_no_price_reaches_is_a_misfit():
    lines = [Line(Decimal(1), Decimal("10.00"), Decimal(0), "21")]
    assert fit_prices(lines, {"21": (Decimal("10.00"), Decimal("2.50"))})[1] == ["21"]
    assert fit_prices(lines, {"27": (Decimal("1"), Decimal(0))})[1] == ["27"]


def test_format_price_keeps_two_decimals_unless_a_third_is_needed():
    assert format_price(Decimal("12.5")) == "12.50"
    assert format_price(Decimal("12.505")) == "12.505"
    assert format_price(Decimal("12.50049")) == "12.50"
    assert format_price(Decimal("7")) == "7.00"


def test_random_invoices_fit_odoo_exactly():
    """Seeded random invoices (1-30 lines, prices in cents or with 4
    decimals, quantities with decimals, discounts, every rate): each fits
    Odoo's amounts."""
    rng = random.Random(17)
    moved = 0
    for _ in range(3000):
        lines = [
            Line(
                quantity=Decimal(rng.randint(1, 2000))
                / (100 if rng.random() < 0.5 else 1),
                # Prices in cents, some with a 4th decimal (Odoo's price
                # precision raised).
                price=Decimal(rng.randint(1, 50_000_000)) / rng.choice([100, 10000]),
                discount=Decimal(
                    rng.choice(["0", "0", "0", "5", "10", "12.5", "33.33"])
                ),
                group=rng.choice(RATES),
            )
            for _ in range(rng.randint(1, 30))
        ]
        targets = odoo_round_globally(lines)
        rows, misfits = fit_prices(lines, targets)
        assert misfits == [], lines
        assert group_amounts(sent(lines, rows)) == targets
        moved += rows != [[(line.quantity, line.price)] for line in lines]
    # Ties rounded the other way are common enough to be exercised here.
    assert moved > 30
