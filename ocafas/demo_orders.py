"""The demo shop's orders: which ones it breaks on purpose, and how its owner moves orders on.

The breaks are edits a real shop produces (a total changed by hand or by a plugin, an order in a
foreign currency, a tax rate renamed without its percentage), each with the one error code ocafas
must give it, so the demo can check its own outcome. The sandbox generator's own random faults
are not used: some of them are harmless on purpose (a rate readable from its title, a total one
cent off), and the demo must know exactly which orders cannot be booked.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from ocafas.ledger import Ledger, OrderState
from ocafas.sandbox.opencart import OpenCartSandbox
from ocafas.sandbox.orders import STATUSES

PROCESSABLE = ("Complete", "Processing", "Shipped")
PROCESSABLE_IDS = frozenset(i for i, name in STATUSES.items() if name in PROCESSABLE)
#: What the shop owner does during the day: Pending -> Processing, Processed -> Shipped.
DAY_MOVES = {1: 2, 15: 3}


class Break:
    """One way an order is broken: what it looks like to a person, and the code ocafas gives."""

    def __init__(self, kind: str, description: str, code: str) -> None:
        self.kind = kind
        self.description = description
        self.code = code

    def applies(self, order: dict[str, Any]) -> bool:
        if self.kind == "renamed_rate":
            return any(row["code"] == "tax" for row in order["totals"])
        return True

    def apply(self, order: dict[str, Any]) -> None:
        if self.kind == "edited_total":
            total = Decimal(order["total"]) + Decimal("5.0000")
            order["total"] = f"{total:.4f}"
            for row in order["totals"]:
                if row["code"] == "total":
                    row["value"] = order["total"]
        elif self.kind == "foreign_currency":
            order["currency_code"], order["currency_value"] = "USD", "1.08350000"
        elif self.kind == "renamed_rate":
            row = next(r for r in order["totals"] if r["code"] == "tax")
            row["title"], row["tax_rate"] = "VAT", None


BREAKS = (
    Break("edited_total", "the total was changed by hand: it is 5.00 more than its rows",
          "TOTAL_MISMATCH"),
    Break("foreign_currency", "placed in US dollars, not the shop's euro", "CURRENCY_NOT_DEFAULT"),
    Break("renamed_rate", "its tax rate was renamed 'VAT', without the percentage",
          "TAX_ROW_UNKNOWN_RATE"),
)  # fmt: skip
BY_KIND = {b.kind: b for b in BREAKS}


def break_orders(orders: list[dict[str, Any]], seed: int) -> dict[int, Break]:
    """Break about one processable order in twelve (at least one), in place; the same every seed."""
    rnd = random.Random(seed)  # noqa: S311 - a repeatable demo, not secrets
    candidates = [o for o in orders if o["order_status_id"] in PROCESSABLE_IDS]
    rnd.shuffle(candidates)
    wanted = min(len(candidates), max(1, len(orders) // 12))
    broken: dict[int, Break] = {}
    for index in range(wanted):
        for attempt in range(len(BREAKS)):
            how = BREAKS[(index + attempt) % len(BREAKS)]
            order = candidates[index]
            if how.applies(order):
                how.apply(order)
                broken[int(order["order_id"])] = how
                break
    return broken


def move_orders_on(shop: OpenCartSandbox, ledger_path: Path) -> list[tuple[int, str, str]]:
    """Pending orders get paid, processed ones shipped; one booked order is shipped as well."""
    moved = []
    with Ledger.open(ledger_path) as ledger:
        open_ids = ledger.open_order_ids()
        booked = ledger.orders_in_state(OrderState.PROCESSED)
    for order_id in open_ids:
        order = shop.order(order_id)
        if order is not None and order["order_status_id"] in DAY_MOVES:
            target = DAY_MOVES[order["order_status_id"]]
            moved.append((order_id, order["order_status"], STATUSES[target]))
            shop.set_status(order_id, target)
    for record in booked:  # already booked: the change is logged, never booked again
        order = shop.order(record.order_id)
        if order is not None and order["order_status_id"] == 2:
            moved.append((record.order_id, order["order_status"], STATUSES[3]))
            shop.set_status(record.order_id, 3)
            break
    return moved
