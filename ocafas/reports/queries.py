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
from typing import NamedTuple

from ocafas.ledger import Ledger
from ocafas.ledger.records import EntryKind, OrderState
from ocafas.reports.period import Period

#: Processed entries of one kind with an invoice date in [from, after), with their order's row,
#: the VAT rates of their revenue lines and their VAT country (one query: the lines are read by
#: primary key inside SQLite, not row by row in Python).
PROCESSED_SQL = (
    "SELECT e.entry_id, e.order_id, e.kind, e.source, e.invoice_number, e.invoice_date,"
    " e.afas_entry_id, e.amount_excl, e.amount_vat, e.amount_incl,"
    " o.customer_name, o.country, o.date_added,"
    " (SELECT group_concat(l.vat_rate) FROM entry_lines AS l"
    "  WHERE l.entry_id = e.entry_id AND (l.line_kind IS NULL"
    "  OR l.line_kind NOT IN ('voucher_sold', 'voucher_redeemed', 'credit'))),"
    " (SELECT l.country FROM entry_lines AS l WHERE l.entry_id = e.entry_id"
    "  AND l.country IS NOT NULL ORDER BY l.line_no LIMIT 1)"
    " FROM entries AS e JOIN orders AS o ON o.shop = e.shop AND o.order_id = e.order_id"
    " WHERE e.shop = ? AND e.state = 'processed' AND e.kind = ?"
    " AND e.invoice_date >= ? AND e.invoice_date < ?"
    " ORDER BY e.invoice_date, e.order_id"
)
_PERIOD_JOIN = (
    " FROM entries AS e JOIN entry_lines AS l ON l.entry_id = e.entry_id"
    " WHERE e.shop = ? AND e.state = 'processed' AND e.kind = ?"
    " AND e.invoice_date >= ? AND e.invoice_date < ?"
)
#: The VAT report's groups. SQLite groups (in C); the amounts come back as text joined by spaces
#: and are summed with Decimal in Python, because the ledger stores money as exact text.
VAT_GROUPS_SQL = (
    "SELECT l.regime, l.line_kind, l.country, l.vat_rate, l.vat_type, l.vat_calculation,"
    " l.intra_community_type, COUNT(*), group_concat(l.amount_excl, ' '),"
    " group_concat(l.amount_vat, ' ')" + _PERIOD_JOIN + " GROUP BY 1, 2, 3, 4, 5, 6, 7"
)
#: The processed report's totals alone, for the VAT report's tie-out.
TOTALS_SQL = (
    "SELECT COUNT(*), group_concat(amount_excl, ' '), group_concat(amount_vat, ' '),"
    " group_concat(amount_incl, ' ') FROM entries WHERE shop = ? AND state = 'processed'"
    " AND kind = ? AND invoice_date >= ? AND invoice_date < ?"
)
#: The ICP supplies of the period, one row per entry, with the order's last VIES answer (the
#: evidence with the highest id, found through ``icp_evidence_by_order``) and the VAT number the
#: order carried (read from its JSON only when there is no evidence): one query for the whole
#: period, however many ICP orders it holds. The lines are those of the VAT report's ICP
#: section (regime icp, not a voucher or store credit line).
ICP_SQL = (
    "SELECT e.order_id, e.kind, e.invoice_number, e.invoice_date, o.customer_name,"
    " CASE WHEN v.evidence_id IS NULL THEN json_extract(o.order_json, '$.vat_number') END,"
    " min(l.country),"
    " group_concat(l.amount_excl, ' '),"
    " v.vat_number, v.country_code, v.valid, v.checked_at, v.consultation_number"
    " FROM entries AS e JOIN entry_lines AS l ON l.entry_id = e.entry_id"
    " JOIN orders AS o ON o.shop = e.shop AND o.order_id = e.order_id"
    " LEFT JOIN icp_evidence AS v ON v.evidence_id = (SELECT max(x.evidence_id)"
    "  FROM icp_evidence AS x WHERE x.shop = e.shop AND x.order_id = e.order_id)"
    " WHERE e.shop = ? AND e.state = 'processed' AND e.kind = ?"
    " AND e.invoice_date >= ? AND e.invoice_date < ? AND l.regime = 'icp'"
    " AND (l.line_kind IS NULL"
    "  OR l.line_kind NOT IN ('voucher_sold', 'voucher_redeemed', 'credit'))"
    " GROUP BY e.entry_id ORDER BY e.invoice_date, e.entry_id"
)
#: Orders in one state placed in [from, after) (shop time; text compare on ISO dates).
ORDERS_SQL = (
    "SELECT order_id, date_added, status_id, country, customer_name, order_json, error_code,"
    " error_message, error_hint, attempts, last_attempt_at, updated_at"
    " FROM orders WHERE shop = ? AND state = ? AND date_added >= ? AND date_added < ?"
    " ORDER BY date_added, order_id"
)


class EntryRow(NamedTuple):
    """One booked entry of the period (a tuple: 90,000 of them are built for one month)."""

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
    rates: str | None  # the revenue lines' rates as stored, joined by commas
    vat_country: str | None


@dataclass(frozen=True)
class VatGroup:
    regime: str | None
    kind: str | None
    country: str | None
    vat_rate: Decimal
    vat_type: str
    vat_calculation: str | None
    intra_community_type: str | None
    lines: int
    excl: Decimal
    vat: Decimal


@dataclass(frozen=True)
class IcpSupply:
    """One ICP entry of the period and the VIES evidence kept for its order (if any)."""

    order_id: int
    kind: str
    invoice_number: str
    invoice_date: str
    customer_name: str | None
    order_vat_number: str | None  # as the order carried it (the shop's field)
    country: str | None
    excl: Decimal
    evidence_vat_number: str | None
    evidence_country: str | None
    valid: bool | None  # None: no VIES answer kept (the check was off)
    checked_at: str | None
    consultation_number: str | None


def decimal_sum(joined: str | None) -> Decimal:
    """Sum of amounts joined by ``group_concat(..., ' ')``; exact, never via float."""
    return sum(map(Decimal, joined.split()), Decimal("0.00")) if joined else Decimal("0.00")


def _period_params(ledger: Ledger, kind: EntryKind, period: Period) -> tuple[str, ...]:
    return (ledger.shop, kind.value, period.first.isoformat(), period.after.isoformat())


def processed_entries(
    ledger: Ledger, period: Period, kind: EntryKind = EntryKind.BOOKING
) -> list[EntryRow]:
    rows = ledger.select(PROCESSED_SQL, _period_params(ledger, kind, period))
    return [
        EntryRow(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            Decimal(row[7]),
            Decimal(row[8]),
            Decimal(row[9]),
            row[10],
            row[11],
            row[12],
            row[13],
            row[14],
        )
        for row in rows
    ]


def vat_groups(
    ledger: Ledger, period: Period, kind: EntryKind = EntryKind.BOOKING
) -> list[VatGroup]:
    rows = ledger.select(VAT_GROUPS_SQL, _period_params(ledger, kind, period))
    return [
        VatGroup(
            regime=row[0],
            kind=row[1],
            country=row[2],
            vat_rate=Decimal(row[3]),
            vat_type=row[4],
            vat_calculation=row[5],
            intra_community_type=row[6],
            lines=int(row[7]),
            excl=decimal_sum(row[8]),
            vat=decimal_sum(row[9]),
        )
        for row in rows
    ]


def processed_totals(
    ledger: Ledger, period: Period, kind: EntryKind = EntryKind.BOOKING
) -> tuple[int, Decimal, Decimal, Decimal]:
    """Count and sums (excl, VAT, incl) of the processed entries of the period."""
    row = ledger.select(TOTALS_SQL, _period_params(ledger, kind, period))[0]
    return int(row[0]), decimal_sum(row[1]), decimal_sum(row[2]), decimal_sum(row[3])


def icp_supplies(
    ledger: Ledger, period: Period, kind: EntryKind = EntryKind.BOOKING
) -> list[IcpSupply]:
    rows = ledger.select(ICP_SQL, _period_params(ledger, kind, period))
    return [
        IcpSupply(
            order_id=int(row[0]),
            kind=row[1],
            invoice_number=row[2],
            invoice_date=row[3],
            customer_name=row[4],
            order_vat_number=None if row[5] is None else str(row[5]),
            country=row[6],
            excl=decimal_sum(row[7]),
            evidence_vat_number=row[8],
            evidence_country=row[9],
            valid=None if row[10] is None else bool(row[10]),
            checked_at=row[11],
            consultation_number=row[12],
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
        "vat": ledger.explain(VAT_GROUPS_SQL, params),
        "totals": ledger.explain(TOTALS_SQL, params),
        "icp": ledger.explain(ICP_SQL, params),
        "orders": ledger.explain(ORDERS_SQL, state),
    }
