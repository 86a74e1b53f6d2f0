"""Money is Decimal from the JSON string to the AFAS request; rounding happens here only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0")


class MoneyError(ValueError):
    """Raised when a value is not a decimal amount."""


def parse_amount(value: object) -> Decimal:
    """Parse an amount as sent by the OpenCart contract (a string such as ``"12.3967"``).

    Integers are accepted; floats are refused because they have already lost the exact value.
    """
    if isinstance(value, (bool, float)):
        raise MoneyError(f"amount must be a decimal string, got {type(value).__name__}")
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, str):
        raise MoneyError(f"amount must be a decimal string, got {type(value).__name__}")
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise MoneyError(f"not a decimal amount: {value[:40]!r}") from None
    if not amount.is_finite():
        raise MoneyError(f"not a finite amount: {value[:40]!r}")
    return amount


def to_cents(amount: Decimal) -> Decimal:
    """Round half-up to two decimals: the one rounding ocafas does."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    """Two-decimal string of an amount, e.g. ``"12.40"``."""
    return str(to_cents(amount))


def normalize_rate(rate: Decimal) -> Decimal:
    """A VAT percentage in one canonical form, so ``21``, ``21.0000`` and ``21.00`` are equal keys.

    ``Decimal.normalize`` alone would turn 20 into ``2E+1``; whole rates keep exponent 0.
    """
    if rate == rate.to_integral_value():
        return rate.quantize(Decimal(1))
    return rate.normalize()
