"""Cent allocation by largest remainder: amounts that add up exactly to a target.

Every amount is rounded to the cent as usual (half-up); the cents still missing from the target
go one each to the amounts that lost the most by rounding, and cents too many are taken from those
that gained the most (ties: the larger amount, then the earlier one). The results always add up
to the target, nothing is dropped, and no amount moves more than one cent from its ordinary
rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ocafas.money import CENT, ZERO, to_cents


def round_to_total(exact: Sequence[Decimal], target: Decimal) -> list[Decimal] | None:
    """Round each amount to cents so they add up to ``target`` (a cent amount).

    None when that needs more than one extra cent per amount beyond ordinary rounding.
    """
    nearest = [to_cents(amount) for amount in exact]
    missing = (target - sum(nearest, ZERO)) / CENT
    if missing != missing.to_integral_value():
        raise ValueError(f"target {target} is not a cent amount")
    cents = int(missing)
    if abs(cents) > len(exact):
        return None
    step = CENT if cents > 0 else -CENT
    # adding: the amounts rounded down the most first; taking: those rounded up the most
    order = sorted(
        range(len(exact)),
        key=lambda i: (-(exact[i] - nearest[i]) * (1 if cents > 0 else -1), -abs(exact[i]), i),
    )
    result = list(nearest)
    for i in order[: abs(cents)]:
        result[i] += step
    return result


def allocate(target: Decimal, weights: Sequence[Decimal]) -> list[Decimal] | None:
    """Split ``target`` (a cent amount) over ``weights`` in proportion; None if they sum to 0."""
    total = sum(weights, ZERO)
    if total == 0:
        return [ZERO for _ in weights] if target == 0 else None
    shares = [target * weight / total for weight in weights]
    return round_to_total(shares, target)
