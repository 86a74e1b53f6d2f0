"""The VAT report's ICP evidence: per ICP supply, the customer's VAT number and what VIES said.

The Dutch ICP declaration (opgaaf intracommunautaire prestaties) lists the customer's VAT number
and the amount per period, and the tax office may ask how the shop knew the number was valid: the
VIES answer with its date and consultation number, kept by ``vat.vies_check``. One row per booked
entry (a credit note is a negative row), so the accountant can add them up per VAT number.
"""

from __future__ import annotations

from typing import Any

from ocafas.ledger import Ledger
from ocafas.ledger.records import EntryKind
from ocafas.reports import queries
from ocafas.reports.model import Column, Section, Table, sum_columns
from ocafas.reports.period import Period

ICP_EVIDENCE_COLUMNS = (
    Column("order_id", "Order", "int"),
    Column("invoice_date", "Date", "date"),
    Column("invoice_number", "Invoice"),
    Column("kind", "Kind"),
    Column("customer", "Customer"),
    Column("vat_number", "Customer VAT number"),
    Column("country", "Country"),
    Column("excl", "ICP amount", "money", total=True),
    Column("vies", "VIES"),
    Column("checked_at", "Checked at"),
    Column("consultation_number", "Consultation number"),
)
ICP_EVIDENCE_TITLE = "ICP supplies per order: customer VAT number and VIES evidence"
NOT_CHECKED = "not checked"


def _vat_number(supply: queries.IcpSupply) -> str:
    if supply.evidence_vat_number:
        return supply.evidence_vat_number
    raw = (supply.order_vat_number or "").strip()
    if not raw:
        return ""
    from ocafas.booking.classify import normalize_vat_number

    compact, _reason = normalize_vat_number(raw, supply.country or "")
    return compact or raw


def _row(supply: queries.IcpSupply) -> dict[str, Any]:
    if supply.valid is None:
        vies = NOT_CHECKED
    else:
        vies = "valid" if supply.valid else "not valid"
    return {
        "order_id": supply.order_id,
        "invoice_date": supply.invoice_date,
        "invoice_number": supply.invoice_number,
        "kind": supply.kind,
        "customer": supply.customer_name or "",
        "vat_number": _vat_number(supply),
        "country": supply.country or supply.evidence_country or "",
        "excl": supply.excl,
        "vies": vies,
        "checked_at": supply.checked_at or "",
        "consultation_number": supply.consultation_number or "",
    }


def icp_evidence_table(ledger: Ledger, period: Period, kinds: tuple[EntryKind, ...]) -> Table:
    """Every ICP entry of the period with its evidence: one query per entry kind."""
    rows = [_row(s) for kind in kinds for s in queries.icp_supplies(ledger, period, kind)]
    if len(kinds) > 1:
        rows.sort(key=lambda row: (row["invoice_date"], row["order_id"], row["kind"]))
    body = Section(
        "icp_evidence", ICP_EVIDENCE_TITLE, rows, sum_columns(ICP_EVIDENCE_COLUMNS, rows)
    )
    return Table("icp_evidence", ICP_EVIDENCE_TITLE, "icp", ICP_EVIDENCE_COLUMNS, body)
