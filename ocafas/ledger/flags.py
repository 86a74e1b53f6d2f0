"""Flags on booked orders: something changed after booking that a person must look at.

A ``processed`` order stays processed (its entry is in AFAS SB), so it cannot be put in error;
instead the pipeline appends a ``after_booking`` event with a problem code, message and hint
(a reversal not booked because reversals are off, a partial refund, a credit AFAS refused). The
latest such event stands until an ``after_booking_cleared`` event follows it (a credit booked).
The reports list the standing flags (``report errors``, and a marker in ``report processed``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ocafas.ledger.codec import load_json
from ocafas.ledger.ledger import Ledger

FLAG_EVENT = "after_booking"
CLEARED_EVENT = "after_booking_cleared"

#: The standing flag of each order: its latest flag/cleared event, when that is a flag.
FLAGS_SQL = (
    "SELECT e.order_id, e.at, e.details, o.date_added, o.customer_name, o.country, o.order_json"
    # CROSS JOIN keeps SQLite from starting at the orders (all of them, for an open period):
    # flags are few, so the flag events come first (index events_by_event).
    " FROM events AS e CROSS JOIN orders AS o ON o.shop = e.shop AND o.order_id = e.order_id"
    " WHERE e.shop = ? AND e.event = ? AND o.date_added >= ? AND o.date_added < ?"
    " AND e.event_id = (SELECT MAX(x.event_id) FROM events AS x WHERE x.shop = e.shop"
    "  AND x.order_id = e.order_id AND x.event IN (?, ?))"
    " ORDER BY o.date_added, e.order_id"
)


@dataclass(frozen=True)
class Flag:
    order_id: int
    at: str
    code: str
    message: str
    hint: str | None
    date_added: str
    customer_name: str | None
    country: str | None
    order: dict[str, Any]


def flag(ledger: Ledger, order_id: int, code: str, message: str, hint: str | None) -> None:
    ledger.add_event(order_id, FLAG_EVENT, code=code, message=message, hint=hint)


def clear_flag(ledger: Ledger, order_id: int, reason: str) -> None:
    ledger.add_event(order_id, CLEARED_EVENT, reason=reason)


def flagged(
    ledger: Ledger, added_from: str | None = None, added_before: str | None = None
) -> list[Flag]:
    """Standing flags of orders placed in ``[added_from, added_before)`` (shop time)."""
    rows = ledger.select(
        FLAGS_SQL,
        (
            ledger.shop,
            FLAG_EVENT,
            added_from or "",
            added_before or "\uffff",
            FLAG_EVENT,
            CLEARED_EVENT,
        ),
    )
    found = []
    for row in rows:
        details = json.loads(row[2])
        found.append(
            Flag(
                order_id=int(row[0]),
                at=str(row[1]),
                code=str(details.get("code") or ""),
                message=str(details.get("message") or ""),
                hint=details.get("hint"),
                date_added=str(row[3]),
                customer_name=row[4],
                country=row[5],
                order=load_json(row[6]) if row[6] else {},
            )
        )
    return found


__all__ = ["CLEARED_EVENT", "FLAG_EVENT", "Flag", "clear_flag", "flag", "flagged"]
