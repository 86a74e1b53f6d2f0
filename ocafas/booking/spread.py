"""How a coupon or reward points spread over an order's product lines, per VAT rate.

OpenCart spreads each discount over its eligible product lines in proportion to their totals
(coupon.php: a percentage of each line, or a fixed amount times line / eligible total; reward.php:
each line with points times points redeemed / points total). So a discount is one fraction of some
of the lines, and a coupon together with reward points is the sum of two such spreads. The
attribution uses these shapes to tell a plausible reading of the tax rows from an implausible one,
and, when the tax rows leave the split over two rates open, to find the splits that are possible.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from ocafas.money import ZERO

#: How far an implied discount may be from a fraction of the products: the error of a 4-decimal
#: tax row divided by its rate, with room to spare.
FIT_TOLERANCE = Decimal("0.002")
#: Above this many product lines at one rate, only "all" or "one" of them are tried as eligible.
MAX_SUBSET_LINES = 12
#: Up to this many product lines, a coupon and reward points are tried on every pair of subsets.
MAX_PAIR_LINES = 7

Lines = Mapping[Decimal, list[Decimal]]  # per rate: the totals of its product lines


def subset_sums(amounts: list[Decimal]) -> set[Decimal]:
    """Every sum of some of the lines (only all or one of them when there are many)."""
    if len(amounts) > MAX_SUBSET_LINES:
        return {ZERO, sum(amounts, ZERO), *amounts}
    sums = {ZERO}
    for amount in amounts:
        sums |= {s + amount for s in sums}
    return sums


def spreads(lines: Lines, size: Decimal) -> list[dict[Decimal, Decimal]]:
    """Per rate, the discount ``size`` gives when spread over each possible set of eligible lines.

    Every set of lines is tried up to :data:`MAX_PAIR_LINES` lines, beyond that only all of them.
    """
    flat = [(rate, amount) for rate, amounts in lines.items() for amount in amounts]
    everything = 2 ** len(flat) - 1
    masks = range(1, everything + 1) if len(flat) <= MAX_PAIR_LINES else (everything,)
    found = []
    for mask in masks:
        chosen = [flat[i] for i in range(len(flat)) if mask >> i & 1]
        eligible = sum((amount for _, amount in chosen), ZERO)
        if eligible <= 0 or size > eligible + FIT_TOLERANCE:
            continue
        per_rate: dict[Decimal, Decimal] = {}
        for rate, amount in chosen:
            per_rate[rate] = per_rate.get(rate, ZERO) + amount * size / eligible
        found.append(per_rate)
    return found


def combined_spreads(lines: Lines, sizes: list[Decimal]) -> Iterator[dict[Decimal, Decimal]]:
    """Per rate, the discount of every way one or two discounts can spread over the lines."""
    if not sizes or len(sizes) > 2:
        return
    first = spreads(lines, sizes[0])
    if len(sizes) == 1:
        yield from first
        return
    second = spreads(lines, sizes[1])
    for one in first:
        for other in second:
            yield {rate: one.get(rate, ZERO) + other.get(rate, ZERO) for rate in {*one, *other}}


def fits_some_products(
    discounts: Mapping[Decimal, Decimal], lines: Lines, sizes: list[Decimal]
) -> bool:
    """Do the discounts follow from each discount spread over some of the product lines?"""
    if len(sizes) == 1:
        return one_fraction(discounts, lines)
    flat = sum(len(amounts) for amounts in lines.values())
    if len(sizes) != 2 or flat > MAX_PAIR_LINES:
        return False
    rates = sorted({*lines, *discounts})
    target = [discounts.get(rate, ZERO) for rate in rates]
    first = {tuple(s.get(rate, ZERO) for rate in rates) for s in spreads(lines, sizes[0])}
    second = {tuple(s.get(rate, ZERO) for rate in rates) for s in spreads(lines, sizes[1])}
    for one in first:
        for other in second:
            if all(
                abs(t - a - b) <= FIT_TOLERANCE for t, a, b in zip(target, one, other, strict=True)
            ):
                return True
    return False


def one_fraction(discounts: Mapping[Decimal, Decimal], lines: Lines) -> bool:
    """Is every rate's discount one and the same fraction of some of its product lines?

    That is how a percentage or fixed coupon on some products, or reward points on the products
    that have points, spread: ``discount x line / eligible total`` per eligible line.
    """
    positive = {r: d for r, d in discounts.items() if d > FIT_TOLERANCE}
    if not positive:
        return False
    anchor = max(positive, key=lambda r: positive[r])
    sums = {rate: subset_sums(amounts) for rate, amounts in lines.items()}
    for eligible in sums.get(anchor, set()):
        if eligible <= 0 or positive[anchor] > eligible + FIT_TOLERANCE:
            continue
        fraction = positive[anchor] / eligible
        if all(
            any(
                abs(discounts.get(rate, ZERO) - fraction * s) <= FIT_TOLERANCE
                for s in sums.get(rate, {ZERO})
            )
            for rate in {*discounts, *lines}
        ):
            return True
    return False
