"""How values are written to and read from the ledger's SQLite text columns.

Money and VAT rates are TEXT decimal strings (never REAL, which would lose cents), read back as
:class:`~decimal.Decimal`. Timestamps written by the ledger itself are fixed-width UTC ISO-8601
text, so they sort as text. Order dates are kept in the shop's own wall-clock time as the OpenCart
contract sends them (ISO-8601, seconds), so that "April" in a report means April in the shop.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from ocafas.exactjson import dumps_exact


def now_utc() -> str:
    """The current time as fixed-width UTC text, e.g. ``2025-04-01T08:20:00.000000+00:00``."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def money_text(amount: Decimal) -> str:
    """Store an amount exactly; a float or a non-finite value is a bug upstream."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"amount must be a finite Decimal, got {amount!r}")
    return str(amount)


def money_value(text: str) -> Decimal:
    return Decimal(text)


def optional_money(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _parse_iso(value: str) -> datetime:
    # Python 3.10's fromisoformat does not accept a trailing "Z".
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO-8601 date-time: {value[:40]!r}") from None


def datetime_text(value: datetime | str) -> str:
    """Normalise an order date to ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``, keeping its own offset."""
    parsed = _parse_iso(value) if isinstance(value, str) else value
    return parsed.isoformat(timespec="seconds")


def date_text(value: date | str) -> str:
    """Normalise an invoice date to ``YYYY-MM-DD``."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise ValueError(f"not an ISO-8601 date: {value[:40]!r}") from None


#: A float, written by the C encoder, is a digit followed by "." or an exponent outside strings.
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_FLOAT = re.compile(r"[0-9][.eE]")


def canonical_json(value: Any, *, plain: Callable[[Any], Any] | None = None) -> str:
    """Sorted keys, no spaces, UTF-8 text, Decimals written digit for digit (never via float).

    :func:`ocafas.exactjson.dumps_exact` does the work. A float is refused (money must be
    Decimal): the text without its strings is searched for one. ``plain`` turns other objects
    (dataclasses, dates) into JSON values; whatever it does not handle is refused.
    """

    def default(item: Any) -> Any:
        if isinstance(item, Mapping):
            return dict(item)
        if isinstance(item, Sequence) and not isinstance(item, (bytes, bytearray)):
            return list(item)
        if plain is not None:
            converted = plain(item)
            if converted is not item:
                return converted
        raise ValueError(f"cannot encode {type(item).__name__} as JSON")

    try:
        return dumps_exact(
            value,
            number=_exact,
            sort_keys=True,
            allow_nan=False,
            default=default,
            check=_no_float,
        )
    except TypeError as exc:  # keys of mixed or unsortable types
        raise ValueError(f"cannot encode as JSON: {exc}") from None


def _exact(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot encode {value!r} as JSON")
    return str(value)


def _no_float(text: str) -> None:
    # Cheap first: most documents have no digit before a "." at all, even inside strings.
    if _FLOAT.search(text) and _FLOAT.search(_STRINGS.sub("", text)):
        raise ValueError("floats are refused in ledger JSON: money must be Decimal or a string")


def load_json(text: str) -> Any:
    """Parse JSON keeping every number with a fraction exact."""
    return json.loads(text, parse_float=Decimal)


class JsonText(str):
    """Text :func:`canonical_json` made: it parses, so storing it needs no second look."""

    __slots__ = ()


def json_text(value: Mapping[str, Any] | str) -> str:
    """Text to store for a JSON document: a string is kept byte for byte once it parses."""
    if isinstance(value, JsonText):
        return str(value)
    if isinstance(value, str):
        load_json(value)
        return value
    return canonical_json(value)


def fingerprint(body: Mapping[str, Any] | str) -> str:
    """sha256 (hex) of the canonical JSON of a request body: equal requests, equal fingerprints."""
    document = load_json(body) if isinstance(body, str) else body
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


#: The one INSERT of booked lines, shared by posting outcomes and the bulk import.
ENTRY_LINE_SQL = (
    "INSERT INTO entry_lines (entry_id, line_no, ledger_account, vat_type, vat_calculation,"
    " vat_rate, country, amount_excl, amount_vat, regime, line_kind, intra_community_type)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def entry_line_rows(entry_id: int, lines: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The ``entry_lines`` rows of one entry's booked lines (numbered from 1)."""
    return [
        (
            entry_id,
            number,
            line.ledger_account,
            line.vat_type,
            line.vat_calculation,
            money_text(line.vat_rate),
            line.country,
            money_text(line.amount_excl),
            money_text(line.amount_vat),
            line.regime,
            line.kind,
            line.intra_community_type,
        )
        for number, line in enumerate(lines, start=1)
    ]
