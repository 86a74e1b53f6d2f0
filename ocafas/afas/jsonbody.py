"""JSON bodies with exact decimal amounts.

AFAS wants amounts as JSON numbers with two decimals. ``json`` cannot write a Decimal as a number
without going through float, so amounts are written from their exact text instead.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any


def dumps(body: Any) -> str:
    """Serialise ``body`` to compact JSON, writing each Decimal as its exact number text."""
    marks: dict[str, str] = {}

    def convert(value: Any) -> Any:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"cannot send a non-finite amount: {value}")
            token = f"__dec_{uuid.uuid4().hex}__"
            marks[f'"{token}"'] = format(value, "f")
            return token
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    text = json.dumps(convert(body), ensure_ascii=False, separators=(",", ":"))
    for token, number in marks.items():
        text = text.replace(token, number, 1)
    return text


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
