"""What the demo did, read back from its ledger, and the check of it against the design.

The check compares three independent views: the shop's orders (what must be booked, from their
final status and the deliberate breaks), the AFAS sandbox's entries (what was booked) and the
ledger (what ocafas believes it booked). Any difference is a problem the demo reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ocafas.demo_orders import BY_KIND, PROCESSABLE_IDS
from ocafas.ledger import EntryRecord, Ledger, OrderRecord, OrderState
from ocafas.money import to_cents
from ocafas.pipeline import PassResult
from ocafas.pipeline.result import BOOKED
from ocafas.sandbox.afas_state import PostedEntry

CONFIG_NAME = "ocafas.yaml"
LEDGER_NAME = "ledger.sqlite3"


@dataclass(frozen=True)
class Booked:
    order_id: int
    customer: str
    country: str
    excl: Decimal
    vat: Decimal
    incl: Decimal
    invoice_number: str
    by: str  # "sync" or "recheck"


@dataclass(frozen=True)
class Waiting:
    order_id: int
    customer: str
    status: str


@dataclass(frozen=True)
class Failed:
    order_id: int
    customer: str
    code: str
    hint: str
    why: str  # the deliberate fault, in words


@dataclass
class DemoResult:
    orders: int
    seed: int
    directory: Path
    kept: bool
    sync: PassResult
    recheck: PassResult
    moved: list[tuple[int, str, str]]
    booked: list[Booked]
    waiting: list[Waiting]
    failed: list[Failed]
    #: What the AFAS sandbox holds at the end, and the shop's orders (for the checks and tests).
    afas_entries: list[PostedEntry]
    shop_orders: dict[int, dict[str, Any]]
    faults: dict[int, str]
    relations_created: int
    opencart_calls: int
    afas_calls: int
    problems: list[str] = field(default_factory=list)

    @property
    def booked_before(self) -> set[int]:
        """Orders the first sync booked."""
        return {o.order_id for o in self.sync.outcomes if o.outcome == BOOKED and o.order_id}

    @property
    def config_path(self) -> Path:
        return self.directory / CONFIG_NAME

    @property
    def ledger_path(self) -> Path:
        return self.directory / LEDGER_NAME


def _customer(record: OrderRecord) -> str:
    return record.customer_name or record.customer_email or "?"


def read_ledger(result: DemoResult, ledger_path: Path) -> None:
    rechecked = {o.order_id for o in result.recheck.outcomes if o.outcome == BOOKED}
    with Ledger.open(ledger_path) as ledger:
        for record in ledger.orders_in_state(OrderState.PROCESSED):
            entry = ledger.entry(record.order_id)
            if entry is None or entry.amount_incl is None:
                continue  # check() reports it
            result.booked.append(
                Booked(
                    record.order_id,
                    _customer(record),
                    record.country or "",
                    entry.amount_excl or Decimal(0),
                    entry.amount_vat or Decimal(0),
                    entry.amount_incl,
                    entry.invoice_number or "",
                    "recheck" if record.order_id in rechecked else "sync",
                )
            )
        for state in (OrderState.OPEN, OrderState.SEEN):
            for record in ledger.orders_in_state(state):
                status = record.order.get("order_status") or str(record.status_id)
                result.waiting.append(Waiting(record.order_id, _customer(record), status))
        for record in ledger.errors():
            error = record.error
            result.failed.append(
                Failed(
                    record.order_id,
                    _customer(record),
                    error.code if error else "?",
                    (error.hint or error.message) if error else "",
                    _why(result.faults.get(record.order_id)),
                )
            )
    for rows in (result.booked, result.waiting, result.failed):
        rows.sort(key=lambda row: row.order_id)


def _why(kind: str | None) -> str:
    return BY_KIND[kind].description if kind in BY_KIND else "not broken on purpose"


def check(result: DemoResult, ledger_path: Path) -> list[str]:
    """What differs from the design; empty when the demo worked as designed."""
    problems: list[str] = []
    live = [e for e in result.afas_entries if not e.deleted]
    numbers = Counter(e.invoice_number for e in live)
    problems += [f"AFAS holds invoice {n} {c} times" for n, c in numbers.items() if c > 1]
    problems += [f"AFAS holds a broken entry {e.invoice_number}" for e in live if e.errors]
    expected_booked, expected_error, expected_open = set(), set(), set()
    for order_id, order in result.shop_orders.items():
        if order.get("order_status_id") not in PROCESSABLE_IDS:
            expected_open.add(order_id)
        elif order_id in result.faults:
            expected_error.add(order_id)
        else:
            expected_booked.add(order_id)
    booked = {row.order_id for row in result.booked}
    for label, want, got in (
        ("booked", expected_booked, booked),
        ("in error", expected_error, {row.order_id for row in result.failed}),
        ("open", expected_open, {row.order_id for row in result.waiting}),
    ):
        if want - got:
            problems.append(f"orders {sorted(want - got)} should be {label} and are not")
        if got - want:
            problems.append(f"orders {sorted(got - want)} are {label} and should not be")
    for fail in result.failed:
        kind = result.faults.get(fail.order_id)
        if kind in BY_KIND and fail.code != BY_KIND[kind].code:
            problems.append(f"order {fail.order_id}: {fail.code}, expected {BY_KIND[kind].code}")
    by_number = {e.invoice_number: e for e in live}
    with Ledger.open(ledger_path) as ledger:
        if ledger.pending_postings():
            problems.append("the ledger still has entries in posting")
        for row in result.booked:
            entry = ledger.entry(row.order_id)
            problems += _entry_problems(row, entry, by_number.pop(row.invoice_number, None), result)
    problems += [f"AFAS holds {n}, which the ledger does not know" for n in sorted(by_number)]
    return problems


def _entry_problems(
    row: Booked, entry: EntryRecord | None, afas: PostedEntry | None, result: DemoResult
) -> list[str]:
    if afas is None or entry is None:
        return [f"order {row.order_id} is booked in the ledger; AFAS has no {row.invoice_number}"]
    total = to_cents(Decimal(result.shop_orders[row.order_id]["total"]))
    in_afas = afas.amount_excluding_vat + afas.amount_vat
    problems = []
    if not total == in_afas == row.incl == row.excl + row.vat:
        problems.append(
            f"order {row.order_id}: shop total {total}, AFAS {in_afas}, ledger {row.incl}"
        )
    if entry.afas_entry_id != afas.id:
        problems.append(f"order {row.order_id}: the ledger has another AFAS entry id")
    return problems
