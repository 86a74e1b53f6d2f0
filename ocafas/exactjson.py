"""JSON whose Decimals are written digit for digit, by the C encoder: the ledger and AFAS share it.

``json`` cannot write a Decimal as a number without going through float. So each Decimal passes
the encoder as a placeholder string (a nonce fresh for the call and an index: no text in the
document can guess it), and one pass over the result puts the exact digits in their places.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

#: The placeholder of a Decimal: the call's nonce and the number's index.
_PLACEHOLDER = re.compile(r'"__dec_([0-9a-f]{32})_([0-9]+)"')


def dumps_exact(
    value: Any,
    *,
    number: Callable[[Decimal], str],
    sort_keys: bool = False,
    allow_nan: bool = True,
    default: Callable[[Any], Any] | None = None,
    check: Callable[[str], None] | None = None,
) -> str:
    """Compact UTF-8 JSON of ``value``; each Decimal written as ``number(decimal)``.

    ``number`` may raise (a non-finite amount). ``default`` turns other objects into JSON values
    (else TypeError, as ``json`` does). ``check`` sees the text before the numbers are put in,
    while every Decimal is still a string (the ledger looks for floats there).
    """
    numbers: list[str] = []
    nonce = os.urandom(16).hex()
    prefix = f"__dec_{nonce}_"

    def hook(item: Any) -> Any:
        if isinstance(item, Decimal):
            numbers.append(number(item))
            return f"{prefix}{len(numbers) - 1}"
        if default is not None:
            return default(item)
        raise TypeError(f"Object of type {type(item).__name__} is not JSON serializable")

    text = json.dumps(
        value,
        sort_keys=sort_keys,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=allow_nan,
        default=hook,
    )
    if check is not None:
        check(text)
    if not numbers:
        return text

    def put(match: re.Match[str]) -> str:
        return numbers[int(match.group(2))] if match.group(1) == nonce else match.group(0)

    return _PLACEHOLDER.sub(put, text)
