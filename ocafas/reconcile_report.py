"""The reconciliation as a :class:`~ocafas.reports.model.Report`, for the reports' renderers."""

from __future__ import annotations

from ocafas.reconcile import AMOUNT, DATE, MISSING, UNKNOWN, Reconciliation
from ocafas.reports.model import Column, Report, Section, sum_columns
from ocafas.reports.period import Period

WHAT = {
    MISSING: "missing in AFAS SB (deleted there?)",
    AMOUNT: "amount differs",
    DATE: "date differs",
    UNKNOWN: "in AFAS SB, unknown to the ledger",
}
COLUMNS = (
    Column("invoice_number", "Invoice"),
    Column("difference", "Difference"),
    Column("order_id", "Order", "int"),
    Column("kind", "Kind"),
    Column("ledger_date", "Ledger date", "date"),
    Column("afas_date", "AFAS date", "date"),
    Column("ledger_incl", "Ledger incl. VAT", "money"),
    Column("afas_incl", "AFAS incl. VAT", "money"),
    Column("afas_status", "AFAS status"),
)


def reconcile_report(result: Reconciliation, shop: str) -> Report:
    rows = [
        {
            "invoice_number": d.invoice_number,
            "difference": WHAT[d.what],
            "order_id": d.order_id,
            "kind": d.kind or "",
            "ledger_date": d.ledger_date,
            "afas_date": d.afas_date,
            "ledger_incl": d.ledger_incl,
            "afas_incl": d.afas_incl,
            "afas_status": d.afas_status or "",
        }
        for d in result.differences
    ]
    section = Section("reconcile", "Differences", rows, sum_columns(COLUMNS, rows))
    report = Report(
        "reconcile",
        "Ledger against AFAS SB",
        shop,
        Period(result.first, result.last),
        COLUMNS,
        [section],
        {},
    )
    report.notes.append(
        f"{result.checked} ledger entries checked against {result.afas_rows} AFAS SB invoices: "
        + (f"{len(rows)} difference(s)" if rows else "no differences")
    )
    return report
