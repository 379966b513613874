"""How a comprobante's amounts add up, and unit prices that make them add up
to exactly what the invoicing system computed.

The provider's docs leave the grouping open ("TusFacturas.app NO valida las
sumatorias"); they say unit prices carry 3 decimals, totals 2, rounded half
even (``redondeos.md``), and ARCA receives VAT per rate (AlicIva: a base and
an amount per rate). The reading this project takes, and its sandbox judges:

- a line's net is ``cantidad * precio_unitario_sin_iva * (1 - bonificacion
  / 100)``, not rounded;
- per ``alicuota``, the base is the sum of those nets and the VAT that sum
  times the rate, each rounded half-even to 2 decimals (what Odoo's *round
  globally*, l10n_ar's default, computes per tax);
- the total is the bases plus the VAT plus tributos and internal taxes.

Odoo rounds half-up and may carry prices with more decimals: where that
makes a rate's base or VAT one cent off, the unit price of one line of that
rate moves by a few thousandths (the docs' third decimal), the smallest move
that reproduces Odoo's amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")
MILL = Decimal("0.001")
# How far one line's unit price may move (in thousandths) to absorb a
# rounding difference: a tie rounded the other way, or a 4th price decimal.
MAX_PRICE_STEPS = 9


@dataclass(frozen=True)
class Line:
    """One ``detalle`` item as TusFacturas totals it."""

    quantity: Decimal
    price: Decimal
    discount: Decimal
    group: str  # the "alicuota" sent: "21", "10.5", "0", "-1" (exento), ...

    @property
    def rate(self) -> Decimal:
        return max(Decimal(self.group), Decimal(0))

    def net(self) -> Decimal:
        return self.quantity * self.price * (1 - self.discount / 100)


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def round_price(value) -> Decimal:
    """A unit price as sent: 3 decimals at most, half even."""
    return Decimal(str(value)).quantize(MILL, rounding=ROUND_HALF_EVEN)


def format_price(value: Decimal) -> str:
    """``"12.50"`` or ``"12.505"``: two decimals, a third only when needed."""
    price = round_price(value)
    return format(price if price != price.quantize(CENT) else price.quantize(CENT))


def group_amounts(lines: list[Line]) -> dict[str, tuple]:
    """``{alicuota: (base, vat)}``, each rounded to cents."""
    sums: dict[str, Decimal] = {}
    for line in lines:
        sums[line.group] = sums.get(line.group, Decimal(0)) + line.net()
    return {
        group: (round_cents(net), round_cents(net * max(Decimal(group), 0) / 100))
        for group, net in sums.items()
    }


def fit_prices(lines: list[Line], targets: dict[str, tuple]):
    """Unit prices (3 decimals) whose group amounts equal ``targets``.

    Returns ``(rows, misfits)``: per line, the ``(quantity, price)`` rows to
    send (one, or two when a line of many units has one unit priced a few
    thousandths apart, the only move fine enough for it), and the groups
    nothing fits (empty when every group fits)."""
    rows = [[(line.quantity, round_price(line.price))] for line in lines]
    misfits = []
    for group, target in targets.items():
        members = [i for i, line in enumerate(lines) if line.group == group]
        move = members and _smallest_move(lines, rows, members, target)
        if not move:
            misfits.append(group)
            continue
        index, units, delta = move
        if delta:
            quantity, price = rows[index][0]
            rows[index] = [(quantity - units, price), (units, price + delta)]
            rows[index] = [row for row in rows[index] if row[0]]
    return rows, misfits


def rows_net(line: Line, rows) -> Decimal:
    return sum(
        (Line(q, p, line.discount, line.group).net() for q, p in rows), Decimal(0)
    )


def _smallest_move(lines, rows, members, target):
    """``(index, units, delta)``: the smallest move of the unit price of
    ``units`` of one line that makes the group of ``members`` add up to
    ``target`` (delta 0 when it already does); None when none does."""
    rate = lines[members[0]].rate
    net = sum((rows_net(lines[i], rows[i]) for i in members), Decimal(0))

    def fits(total):
        return (round_cents(total), round_cents(total * rate / 100)) == target

    if fits(net):
        return members[0], Decimal(0), Decimal(0)
    low, high = _window(target, rate)
    # The whole line first, by a few thousandths at most; then a unit or a
    # hundredth of one (a row of its own), whose price moves by finer steps.
    for portion, limit in ((None, MAX_PRICE_STEPS), (Decimal(1), None), (CENT, None)):
        moves = []
        for i in members:
            quantity, price = rows[i][0]
            units = quantity if portion is None else portion
            if units > quantity or (portion and units == quantity):
                continue
            step = Line(units, MILL, lines[i].discount, "0").net()
            for k in _steps(low - net, high - net, step, limit):
                if price + k * MILL > 0 and fits(net + k * step):
                    moves.append((abs(k), i, units, k * MILL))
                    break
        if moves:
            return min(moves)[1:]
    return None


def _window(target, rate):
    """The group nets that round to ``target`` (ends may be ties)."""
    base, vat = target
    low, high = base - CENT / 2, base + CENT / 2
    if rate:
        low = max(low, (vat - CENT / 2) * 100 / rate)
        high = min(high, (vat + CENT / 2) * 100 / rate)
    return low, high


def _steps(low, high, step, limit):
    """Whole numbers of ``step`` that move a net into [low, high], nearest to
    zero first (and its neighbours, for the ties at the ends)."""
    if not step:
        return []
    first, last = sorted((low / step, high / step))
    first, last = (
        int(first.to_integral_value("ROUND_CEILING")),
        int(last.to_integral_value("ROUND_FLOOR")),
    )
    if first > last:
        return []
    nearest = min(max(0, first), last)
    ks = sorted({nearest, first, last, first + 1, last - 1} - {0}, key=abs)
    return [k for k in ks if first <= k <= last and (limit is None or abs(k) <= limit)]
