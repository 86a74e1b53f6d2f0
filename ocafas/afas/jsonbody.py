"""JSON bodies with exact decimal amounts.

AFAS wants amounts as JSON numbers with two decimals. ``json`` cannot write a Decimal as a number
without going through float, so amounts are written from their exact text instead.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from ocafas.exactjson import dumps_exact


def dumps(body: Any) -> str:
    """Serialise ``body`` to compact JSON, writing each Decimal as its exact number text."""
    return dumps_exact(body, number=_amount)


def _amount(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot send a non-finite amount: {value}")
    return format(value, "f")


def loads(text: str) -> Any:
    """Parse JSON, reading every number with a fraction as an exact Decimal."""
    return json.loads(text, parse_float=Decimal)


def fingerprint(body: Any) -> str:
    """A stable sha256 of a request body (keys sorted), stored with the intent before a POST."""
    canonical = dumps(_sorted(body))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [_sorted(v) for v in value]
    return value
