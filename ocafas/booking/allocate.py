"""Cent allocation by largest remainder: amounts that add up exactly to a target.

Every amount is rounded down to the cent, and the cents still missing from the target go one each
to the amounts that lost the most by rounding down (ties: the larger amount, then the earlier
one). When the target lies below the rounded-down amounts (the order total was rounded down
while its VAT rows were rounded up), a cent is taken from the amounts that lost the least.
Nothing is dropped; no amount moves by more than one cent beyond its rounding down.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from ocafas.money import CENT, ZERO


def round_to_total(exact: Sequence[Decimal], target: Decimal) -> list[Decimal] | None:
    """Round each amount to cents so they add up to ``target`` (a cent amount).

    Each amount is rounded down, then the missing cents go one each to the amounts that lost the
    most; when the floors already exceed the target, a cent is taken from those that lost the
    least. None when more than one cent per amount would be needed.
    """
    floors = [amount.quantize(CENT, rounding=ROUND_FLOOR) for amount in exact]
    missing = (target - sum(floors, ZERO)) / CENT
    if missing != missing.to_integral_value():
        raise ValueError(f"target {target} is not a cent amount")
    cents = int(missing)
    if abs(cents) > len(exact):
        return None
    order = sorted(
        range(len(exact)),
        key=lambda i: (-(exact[i] - floors[i]), -abs(exact[i]), i),
    )
    result = list(floors)
    if cents >= 0:
        for i in order[:cents]:
            result[i] += CENT
    else:
        lost_least = sorted(
            range(len(exact)), key=lambda i: (exact[i] - floors[i], -abs(exact[i]), i)
        )
        for i in lost_least[:-cents]:
            result[i] -= CENT
    return result


def allocate(target: Decimal, weights: Sequence[Decimal]) -> list[Decimal] | None:
    """Split ``target`` (a cent amount) over ``weights`` in proportion; None if they sum to 0."""
    total = sum(weights, ZERO)
    if total == 0:
        return [ZERO for _ in weights] if target == 0 else None
    shares = [target * weight / total for weight in weights]
    return round_to_total(shares, target)
