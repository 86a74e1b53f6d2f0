"""From ledger rows to :class:`Report` objects: processed, errors, open and VAT."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ocafas.ledger import Ledger
from ocafas.ledger.codec import load_json
from ocafas.ledger.flags import flagged
from ocafas.ledger.records import EntryKind, OrderState
from ocafas.money import normalize_rate, to_cents
from ocafas.reports import queries
from ocafas.reports.icp import NOT_CHECKED, icp_evidence_table
from ocafas.reports.model import Column, Report, Section, add_totals, sum_columns
from ocafas.reports.period import Period

#: Line kinds that are payments or liabilities, not revenue (see ocafas.booking.plan).
NON_REVENUE = frozenset({"voucher_sold", "voucher_redeemed", "credit"})
ZERO = Decimal("0.00")
#: The ledger joins several problems as "message; CODE: message; ..."
_NEXT_PROBLEM = re.compile(r"; (?=[A-Z][A-Z_]+: )")

PROCESSED_COLUMNS = (
    Column("order_id", "Order", "int"),
    Column("invoice_date", "Date", "date"),
    Column("customer", "Customer"),
    Column("country", "Country"),
    Column("excl", "Excl. VAT", "money", total=True),
    Column("vat", "VAT", "money", total=True),
    Column("incl", "Incl. VAT", "money", total=True),
    Column("rates", "VAT rates", "rates"),
    Column("invoice_number", "Invoice"),
    Column("afas_entry_id", "AFAS entry id"),
    Column("kind", "Kind"),
    Column("source", "Source"),
)
ERROR_COLUMNS = (
    Column("order_id", "Order", "int"),
    Column("date", "Date", "date"),
    Column("customer", "Customer"),
    Column("country", "Country"),
    Column("total", "Total", "money", total=True),
    Column("code", "Code"),
    Column("reason", "Reason"),
    Column("hint", "What to do"),
    Column("attempts", "Attempts", "int"),
)
OPEN_COLUMNS = (
    Column("order_id", "Order", "int"),
    Column("date", "Date", "date"),
    Column("customer", "Customer"),
    Column("country", "Country"),
    Column("total", "Total", "money", total=True),
    Column("status", "Status in the shop"),
)
VAT_COLUMNS = (
    Column("country", "Country"),
    Column("rate", "VAT rate", "rate"),
    Column("vat_type", "AFAS VAT type"),
    Column("vat_calculation", "VAT calculation"),
    Column("intra_community_type", "ICP type"),
    Column("lines", "Lines", "int", total=True),
    Column("excl", "Excl. VAT", "money", total=True),
    Column("vat", "VAT", "money", total=True),
    Column("incl", "Incl. VAT", "money", total=True),
)
#: The VAT report's sections, in the order of the Dutch VAT return (1a/1b, OSS, 3b, 3a).
VAT_SECTIONS = (
    ("domestic", "Domestic sales"),
    ("eu_consumer", "EU consumers (distance sales, OSS)"),
    ("icp", "ICP: intra-community supplies (0 %, reverse charge)"),
    ("international", "International: outside the EU (0 %)"),
    ("non_revenue", "Not revenue: gift vouchers sold and redeemed, store credit"),
    ("unrecorded", "Regime not recorded (booked before ledger schema 4)"),
)
KINDS = (EntryKind.BOOKING, EntryKind.CREDIT)


def _single(
    key: str, title: str, columns: tuple[Column, ...], rows: list[dict[str, Any]]
) -> Section:
    return Section(key, title, rows, sum_columns(columns, rows))


def processed_report(ledger: Ledger, period: Period) -> Report:
    """Every entry booked in AFAS SB with an invoice date in the period, one row each."""
    rows: list[dict[str, Any]] = []
    rates: dict[str | None, list[Decimal]] = {None: []}  # parsed once per distinct text
    kinds_found = 0
    for kind in KINDS:
        entries = queries.processed_entries(ledger, period, kind)
        kinds_found += bool(entries)
        for entry in entries:
            entry_rates = rates.get(entry.rates)
            if entry_rates is None:
                assert entry.rates is not None
                parsed = {normalize_rate(Decimal(text)) for text in entry.rates.split(",")}
                entry_rates = rates[entry.rates] = sorted(parsed, reverse=True)
            rows.append(
                {
                    "order_id": entry.order_id,
                    "invoice_date": entry.invoice_date,
                    "customer": entry.customer_name or "",
                    "country": entry.vat_country or entry.country or "",
                    "excl": entry.amount_excl,
                    "vat": entry.amount_vat,
                    "incl": entry.amount_incl,
                    "rates": entry_rates,
                    "invoice_number": entry.invoice_number,
                    "afas_entry_id": entry.afas_entry_id or "",
                    "kind": entry.kind,
                    "source": entry.source,
                }
            )
    if kinds_found > 1:
        # each kind comes sorted from SQLite; only bookings and credits together need a merge
        rows.sort(key=lambda row: (row["invoice_date"], row["order_id"], row["kind"]))
    # booked orders that changed in the shop afterwards (a reversal not credited, a partial
    # refund): their booking row carries a marker, the errors report says what to do
    marked = {f.order_id: f.code for f in flagged(ledger)}
    for row in rows if marked else ():
        code = marked.get(row["order_id"])
        if code and row["kind"] == EntryKind.BOOKING.value:
            row["source"] = f"{row['source']}; changed after booking: {code}"
    section = _single("processed", "Booked in AFAS SB", PROCESSED_COLUMNS, rows)
    return Report(
        "processed",
        "Orders booked in AFAS SB",
        ledger.shop,
        period,
        PROCESSED_COLUMNS,
        [section],
        dict(section.totals),
    )


def _order_total(document: dict[str, Any]) -> Decimal | None:
    total = document.get("total")
    return None if total is None else to_cents(Decimal(str(total)))


def one_line(message: str) -> str:
    """The first problem of a recorded message, and how many more there are."""
    parts = _NEXT_PROBLEM.split(" ".join(message.split()))
    more = f" (+{len(parts) - 1} more)" if len(parts) > 1 else ""
    return parts[0] + more


def _state_rows(ledger: Ledger, state: OrderState, period: Period) -> list[dict[str, Any]]:
    rows = []
    for row in queries.orders_in_state(ledger, state, period):
        document = load_json(row["order_json"])
        rows.append(
            {
                "order_id": int(row["order_id"]),
                "date": row["date_added"],
                "customer": row["customer_name"] or "",
                "country": row["country"] or "",
                "total": _order_total(document),
                "document": document,
                "row": row,
            }
        )
    return rows


def errors_report(ledger: Ledger, period: Period) -> Report:
    """Orders in error placed in the period: code, one-line reason and what to do."""
    rows = []
    for item in _state_rows(ledger, OrderState.ERROR, period):
        row = item.pop("row")
        item.pop("document")
        reason = one_line(str(row["error_message"] or ""))
        item.update(
            code=row["error_code"],
            reason=reason,
            hint=row["error_hint"] or "",
            attempts=int(row["attempts"]),
        )
        rows.append(item)
    flags = flagged(ledger, period.first.isoformat(), period.after.isoformat())
    for found in flags:
        rows.append(
            {
                "order_id": found.order_id,
                "date": found.date_added,
                "customer": found.customer_name or "",
                "country": found.country or "",
                "total": _order_total(found.order),
                "code": found.code,
                "reason": f"booked, then changed: {one_line(found.message)}",
                "hint": found.hint or "",
                "attempts": 0,
            }
        )
    if flags:
        rows.sort(key=lambda row: (row["date"], row["order_id"]))
    section = _single("errors", "In error", ERROR_COLUMNS, rows)
    report = Report(
        "errors", "Orders in error", ledger.shop, period, ERROR_COLUMNS, [section], section.totals
    )
    if len(rows) > len(flags):
        report.notes.append("fix the cause, then run 'ocafas retry' (or 'ocafas recheck')")
    if flags:
        report.notes.append(
            f"{len(flags)} booked order(s) changed in the shop after booking: they stay booked;"
            " see 'What to do'"
        )
    return report


def open_report(ledger: Ledger, period: Period) -> Report:
    """Orders placed in the period that wait for a processable status in the shop."""
    rows = []
    for item in _state_rows(ledger, OrderState.OPEN, period):
        row = item.pop("row")
        document = item.pop("document")
        name = str(document.get("order_status") or "").strip()
        status_id = row["status_id"]
        item["status"] = f"{name} ({status_id})" if name else str(status_id or "")
        rows.append(item)
    section = _single("open", "Open", OPEN_COLUMNS, rows)
    return Report(
        "open", "Open orders", ledger.shop, period, OPEN_COLUMNS, [section], section.totals
    )


def _section_of(group: queries.VatGroup) -> str:
    if group.kind in NON_REVENUE:
        return "non_revenue"
    if group.regime in ("domestic", "eu_consumer", "icp", "international"):
        return group.regime
    return "unrecorded"


def vat_report(ledger: Ledger, period: Period) -> Report:
    """Revenue and VAT per regime, country, rate and AFAS VAT type; ties to the processed report."""
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for kind in KINDS:
        for found in queries.vat_groups(ledger, period, kind):
            rate = normalize_rate(found.vat_rate)
            key = (
                _section_of(found),
                found.country or "",
                str(rate),
                found.vat_type,
                found.vat_calculation or "",
                found.intra_community_type or "",
            )
            group = groups.get(key)
            if group is None:
                group = groups[key] = {
                    "country": key[1],
                    "rate": rate,
                    "vat_type": found.vat_type,
                    "vat_calculation": key[4],
                    "intra_community_type": key[5],
                    "lines": 0,
                    "excl": ZERO,
                    "vat": ZERO,
                    "incl": ZERO,
                }
            group["lines"] += found.lines
            group["excl"] += found.excl
            group["vat"] += found.vat
            group["incl"] += found.excl + found.vat
    sections = []
    for section_key, title in VAT_SECTIONS:
        keys = sorted(
            (key for key in groups if key[0] == section_key),
            key=lambda k: (k[1], -Decimal(k[2]), k[3], k[4], k[5]),
        )
        if keys:
            sections.append(_single(section_key, title, VAT_COLUMNS, [groups[k] for k in keys]))
    totals = add_totals(VAT_COLUMNS, [section.totals for section in sections])
    report = Report("vat", "VAT booked", ledger.shop, period, VAT_COLUMNS, sections, totals)
    booked = [queries.processed_totals(ledger, period, kind) for kind in KINDS]
    processed = {
        "excl": sum((b[1] for b in booked), ZERO),
        "vat": sum((b[2] for b in booked), ZERO),
        "incl": sum((b[3] for b in booked), ZERO),
    }
    if all(totals.get(key, ZERO) == processed[key] for key in processed):
        report.notes.append("totals tie to the processed report")
    else:
        report.notes.append(
            "totals DO NOT tie to the processed report (entries without booked lines?):"
            f" processed excl {processed['excl']}, VAT {processed['vat']}"
        )
    icp = next((section for section in sections if section.key == "icp"), None)
    if icp is not None:
        evidence = icp_evidence_table(ledger, period, KINDS)
        report.tables.append(evidence)
        if evidence.body.totals.get("excl") != icp.totals.get("excl"):
            report.notes.append(
                "the ICP supplies per order DO NOT add up to the ICP section:"
                f" {evidence.body.totals.get('excl')} against {icp.totals.get('excl')}"
            )
        unchecked = sum(1 for row in evidence.body.rows if row["vies"] == NOT_CHECKED)
        if unchecked:
            report.notes.append(
                f"{unchecked} ICP supply(ies) without a VIES answer in the ledger ('not checked':"
                " vat.vies_check was off when they were booked)"
            )
    return report


BUILDERS = {
    "processed": processed_report,
    "errors": errors_report,
    "open": open_report,
    "vat": vat_report,
}
