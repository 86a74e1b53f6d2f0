"""JSON bodies with exact decimal amounts.

AFAS wants amounts as JSON numbers with two decimals. ``json`` cannot write a Decimal as a number
without going through float, so amounts are written from their exact text instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from decimal import Decimal
from typing import Any


def dumps(body: Any) -> str:
    """Serialise ``body`` to compact JSON, writing each Decimal as its exact number text.

    Each Decimal goes through the C encoder as a placeholder string made of a nonce fresh for
    this call and its index (no text in the body can guess it), then one pass puts the
    numbers in their places.
    """
    numbers: list[str] = []
    nonce = os.urandom(16).hex()
    prefix = f"__dec_{nonce}_"

    def convert(value: Any) -> Any:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"cannot send a non-finite amount: {value}")
            numbers.append(format(value, "f"))
            return f"{prefix}{len(numbers) - 1}"
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    text = json.dumps(convert(body), ensure_ascii=False, separators=(",", ":"))
    if not numbers:
        return text

    def number(match: re.Match[str]) -> str:
        return numbers[int(match.group(2))] if match.group(1) == nonce else match.group(0)

    return _PLACEHOLDER.sub(number, text)


#: The placeholder of a Decimal in :func:`dumps`: the call's nonce and the number's index.
_PLACEHOLDER = re.compile(r'"__dec_([0-9a-f]{32})_([0-9]+)"')


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
