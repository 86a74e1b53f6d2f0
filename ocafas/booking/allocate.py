"""Cent allocation by largest remainder: amounts that add up exactly, each off by under a cent.

Every amount is rounded down to the cent, and the cents still missing from the target go one each
to the amounts that lost the most by rounding down (ties: the larger amount, then the earlier
one). Nothing is dropped: the results always add up to the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from ocafas.money import CENT, ZERO


def round_to_total(exact: Sequence[Decimal], target: Decimal) -> list[Decimal] | None:
    """Round each amount to cents so they add up to ``target`` (a cent amount).

    None when that would move an amount by a cent or more, i.e. when the exact amounts are more
    than one cent per amount away from the target.
    """
    floors = [amount.quantize(CENT, rounding=ROUND_FLOOR) for amount in exact]
    missing = (target - sum(floors, ZERO)) / CENT
    if missing != missing.to_integral_value():
        raise ValueError(f"target {target} is not a cent amount")
    cents = int(missing)
    if cents < 0 or cents > len(exact):
        return None
    order = sorted(
        range(len(exact)),
        key=lambda i: (-(exact[i] - floors[i]), -abs(exact[i]), i),
    )
    result = list(floors)
    for i in order[:cents]:
        result[i] += CENT
    return result


def allocate(target: Decimal, weights: Sequence[Decimal]) -> list[Decimal] | None:
    """Split ``target`` (a cent amount) over ``weights`` in proportion; None if they sum to 0."""
    total = sum(weights, ZERO)
    if total == 0:
        return [ZERO for _ in weights] if target == 0 else None
    shares = [target * weight / total for weight in weights]
    return round_to_total(shares, target)
