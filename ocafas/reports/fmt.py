"""Dates and amounts for people: English (2025-04-01, 1,234.56) or Dutch (01-04-2025, 1.234,56).

JSON never goes through here: it keeps ISO dates and plain decimal strings for machines.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ocafas.money import normalize_rate, to_cents

LOCALES = ("en", "nl")


def amount(value: Decimal, locale: str = "en", *, grouping: bool = True) -> str:
    """``1234.5`` → ``1,234.50`` (en) or ``1.234,50`` (nl); no grouping for CSV cells."""
    text = f"{to_cents(value):,.2f}" if grouping else f"{to_cents(value):.2f}"
    if locale == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def plain_amount(value: Decimal, decimal_comma: bool) -> str:
    """A CSV cell: ``1234.50`` or ``1234,50``, never a thousands separator."""
    text = f"{to_cents(value):.2f}"
    return text.replace(".", ",") if decimal_comma else text


def day(value: date | str | None, locale: str = "en") -> str:
    """An ISO date (or the date part of an ISO timestamp) as ``2025-04-01`` or ``01-04-2025``."""
    if value is None or value == "":
        return ""
    parsed = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if locale == "nl":
        return parsed.strftime("%d-%m-%Y")
    return parsed.isoformat()


def rate(value: Decimal, locale: str = "en") -> str:
    text = str(normalize_rate(value))
    if locale == "nl":
        text = text.replace(".", ",")
    return f"{text} %"
