"""Ledger files for damage tests: filled with orders, the WAL folded in, so the file is all."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ocafas.ledger import Ledger


def folded_ledger(path: Path, see: Callable[..., Any], orders: int) -> bytearray:
    """A ledger at ``path`` with orders 1..``orders`` seen, WAL folded and dropped; its bytes."""
    with Ledger.open(path) as ledger:
        for order_id in range(1, orders + 1):
            see(order_id, target=ledger)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.close()
    return bytearray(path.read_bytes())
