"""The sandbox shop's orders, indexed like the extension's SQL: by (date_modified, order_id).

Orders are kept as compact JSON bytes (a 10,000-order shop stays small) beside a sorted key
index, so a page costs O(page) whatever the number of orders: the client's memory test measures
the client, not the sandbox.
"""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

Key = tuple[datetime, int]


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time with offset; naive values are refused like the extension does."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("date-time without UTC offset")
    return moment.astimezone(timezone.utc)


@dataclass
class _Stored:
    key: Key
    modified: str  # date_modified as the shop formats it, for the ``next`` cursor
    status_id: int
    body: bytes


class OrderStore:
    """Thread-safe orders with keyset paging; status 0 (abandoned) is stored, never listed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._orders: dict[int, _Stored] = {}
        self._index: list[Key] = []

    def __len__(self) -> int:
        return len(self._orders)

    def put(self, order: dict[str, Any]) -> None:
        order_id = int(order["order_id"])
        key = (parse_moment(str(order["date_modified"])), order_id)
        body = json.dumps(order, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        status_id = int(order.get("order_status_id") or 0)
        stored = _Stored(key, str(order["date_modified"]), status_id, body)
        with self._lock:
            self._remove(order_id)
            self._orders[order_id] = stored
            bisect.insort(self._index, key)

    def put_many(self, orders: Iterable[dict[str, Any]]) -> None:
        for order in orders:
            self.put(order)

    def get(self, order_id: int) -> dict[str, Any] | None:
        with self._lock:
            stored = self._orders.get(order_id)
        return None if stored is None else dict(json.loads(stored.body))

    def delete(self, order_id: int) -> bool:
        with self._lock:
            return self._remove(order_id)

    def _remove(self, order_id: int) -> bool:
        stored = self._orders.pop(order_id, None)
        if stored is None:
            return False
        position = bisect.bisect_left(self._index, stored.key)
        del self._index[position]
        return True

    def page_after(
        self, after: Key | None, limit: int
    ) -> tuple[list[bytes], tuple[str, int] | None]:
        """Up to ``limit`` listed orders after ``after``, and the last one's position if more
        follow (looking one order ahead, so ``next`` is null exactly when nothing is left)."""
        bodies: list[bytes] = []
        last: tuple[str, int] | None = None
        with self._lock:
            position = 0 if after is None else bisect.bisect_right(self._index, after)
            while position < len(self._index):
                key = self._index[position]
                position += 1
                stored = self._orders[key[1]]
                if stored.status_id == 0:
                    continue
                if len(bodies) == limit:
                    return bodies, last
                bodies.append(stored.body)
                last = (stored.modified, key[1])
        return bodies, None

    def lookup(self, order_ids: Sequence[int], limit: int) -> list[bytes]:
        with self._lock:
            found = [self._orders[i] for i in set(order_ids) if i in self._orders]
        listed = sorted((s for s in found if s.status_id != 0), key=lambda s: s.key)
        return [stored.body for stored in listed[:limit]]

    def positions(self) -> list[Key]:
        with self._lock:
            return list(self._index)
