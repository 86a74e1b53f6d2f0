"""The one place for report SQL, on top of the ledger's tables.

Money is stored as decimal text, so the SQL selects and the Python side sums with Decimal. Every
month query is served by an index (pinned by an ``EXPLAIN QUERY PLAN`` test on a large ledger):

- entries of a period: ``entries_by_invoice_date`` (shop, state, kind, invoice_date), then
  ``orders`` and ``entry_lines`` by their primary keys;
- orders in a state added in a period: ``orders_by_state_date`` (shop, state, date_added).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from ocafas.ledger import Ledger
from ocafas.ledger.records import EntryKind, OrderState
from ocafas.reports.period import Period

#: Processed entries of one kind with an invoice date in [from, after), with their order's row.
PROCESSED_SQL = (
    "SELECT e.entry_id, e.order_id, e.kind, e.source, e.invoice_number, e.invoice_date,"
    " e.afas_entry_id, e.amount_excl, e.amount_vat, e.amount_incl,"
    " o.customer_name, o.country, o.date_added"
    " FROM entries AS e JOIN orders AS o ON o.shop = e.shop AND o.order_id = e.order_id"
    " WHERE e.shop = ? AND e.state = 'processed' AND e.kind = ?"
    " AND e.invoice_date >= ? AND e.invoice_date < ?"
    " ORDER BY e.invoice_date, e.entry_id"
)
#: The booked lines of those same entries.
LINES_SQL = (
    "SELECT l.entry_id, l.line_no, l.ledger_account, l.vat_type, l.vat_calculation, l.vat_rate,"
    " l.country, l.amount_excl, l.amount_vat, l.regime, l.line_kind, l.intra_community_type"
    " FROM entries AS e JOIN entry_lines AS l ON l.entry_id = e.entry_id"
    " WHERE e.shop = ? AND e.state = 'processed' AND e.kind = ?"
    " AND e.invoice_date >= ? AND e.invoice_date < ?"
)
#: Orders in one state placed in [from, after) (shop time; text compare on ISO dates).
ORDERS_SQL = (
    "SELECT order_id, date_added, status_id, country, customer_name, order_json, error_code,"
    " error_message, error_hint, attempts, last_attempt_at, updated_at"
    " FROM orders WHERE shop = ? AND state = ? AND date_added >= ? AND date_added < ?"
    " ORDER BY date_added, order_id"
)


@dataclass(frozen=True)
class EntryRow:
    entry_id: int
    order_id: int
    kind: str
    source: str
    invoice_number: str
    invoice_date: str
    afas_entry_id: str | None
    amount_excl: Decimal
    amount_vat: Decimal
    amount_incl: Decimal
    customer_name: str | None
    country: str | None
    date_added: str


@dataclass(frozen=True)
class LineRow:
    entry_id: int
    ledger_account: str
    vat_type: str
    vat_calculation: str | None
    vat_rate: Decimal
    country: str | None
    amount_excl: Decimal
    amount_vat: Decimal
    regime: str | None
    kind: str | None
    intra_community_type: str | None


def _period_params(ledger: Ledger, kind: EntryKind, period: Period) -> tuple[str, ...]:
    return (ledger.shop, kind.value, period.first.isoformat(), period.after.isoformat())


def processed_entries(
    ledger: Ledger, period: Period, kind: EntryKind = EntryKind.BOOKING
) -> list[EntryRow]:
    rows = ledger.select(PROCESSED_SQL, _period_params(ledger, kind, period))
    return [
        EntryRow(
            entry_id=int(row["entry_id"]),
            order_id=int(row["order_id"]),
            kind=row["kind"],
            source=row["source"],
            invoice_number=row["invoice_number"],
            invoice_date=row["invoice_date"],
            afas_entry_id=row["afas_entry_id"],
            amount_excl=Decimal(row["amount_excl"]),
            amount_vat=Decimal(row["amount_vat"]),
            amount_incl=Decimal(row["amount_incl"]),
            customer_name=row["customer_name"],
            country=row["country"],
            date_added=row["date_added"],
        )
        for row in rows
    ]


def processed_lines(
    ledger: Ledger, period: Period, kind: EntryKind = EntryKind.BOOKING
) -> list[LineRow]:
    rows = ledger.select(
        LINES_SQL + " ORDER BY l.entry_id, l.line_no", _period_params(ledger, kind, period)
    )
    return [
        LineRow(
            entry_id=int(row["entry_id"]),
            ledger_account=row["ledger_account"],
            vat_type=row["vat_type"],
            vat_calculation=row["vat_calculation"],
            vat_rate=Decimal(row["vat_rate"]),
            country=row["country"],
            amount_excl=Decimal(row["amount_excl"]),
            amount_vat=Decimal(row["amount_vat"]),
            regime=row["regime"],
            kind=row["line_kind"],
            intra_community_type=row["intra_community_type"],
        )
        for row in rows
    ]


def orders_in_state(ledger: Ledger, state: OrderState, period: Period) -> list[sqlite3.Row]:
    return ledger.select(
        ORDERS_SQL,
        (ledger.shop, state.value, period.first.isoformat(), period.after.isoformat()),
    )


def query_plans(ledger: Ledger, period: Period) -> dict[str, list[str]]:
    """``EXPLAIN QUERY PLAN`` of each month query, for the index test and the benchmark."""
    params = _period_params(ledger, EntryKind.BOOKING, period)
    state = (
        ledger.shop,
        OrderState.ERROR.value,
        period.first.isoformat(),
        period.after.isoformat(),
    )
    return {
        "processed": ledger.explain(PROCESSED_SQL, params),
        "lines": ledger.explain(LINES_SQL, params),
        "orders": ledger.explain(ORDERS_SQL, state),
    }
