"""``ocafas reconcile``: does AFAS SB still hold what the ledger says was booked?

Reads only (no AFAS write, no ledger write). The source in AFAS is ``GET /api/salesinvoices``
(1.2): of the three reconcile views of API 8.0 it is the one that carries the invoice number
(``SalesInvoiceNumber``) together with the amounts (``AmountInvoiced``, ``AmountExcludingVat``,
``AmountVat``) of every entry, credits included; ``journalentries`` carries only journal lines and
``debtorinvoicebalance`` only outstanding debt (a paid invoice would look different). One list
per period, filtered on administration and ``IssueDate``, paged; an entry of the ledger that the
period list lacks is looked up once by its number, so an entry whose date was changed in AFAS is
told apart from a deleted one.

Differences:

- ``missing``: booked by ocafas, no longer in AFAS SB (deleted there);
- ``amount``: the amount incl. VAT (or excl. VAT, when AFAS gives it) differs;
- ``date``: in AFAS under another date;
- ``unknown``: in AFAS under ocafas's invoice-number pattern, unknown to the ledger.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ocafas.afas import odata
from ocafas.afas.client import AfasClient
from ocafas.config import Settings
from ocafas.ledger import EntryKind, EntryRecord, Ledger

MISSING, AMOUNT, DATE, UNKNOWN = "missing", "amount", "date", "unknown"
_ENTRY_BY_NUMBER = (
    "SELECT order_id FROM entries WHERE shop = ? AND invoice_number = ? AND state = 'processed'"
)


@dataclass(frozen=True)
class AfasInvoice:
    number: str
    issue_date: str  # YYYY-MM-DD
    incl: Decimal | None
    excl: Decimal | None
    status: str
    entry_id: str | None


@dataclass(frozen=True)
class Difference:
    what: str  # missing | amount | date | unknown
    invoice_number: str
    order_id: int | None
    kind: str | None  # booking | credit (None: unknown to the ledger)
    ledger_date: str | None
    afas_date: str | None
    ledger_incl: Decimal | None
    afas_incl: Decimal | None
    afas_status: str | None = None


@dataclass
class Reconciliation:
    first: date
    last: date
    checked: int = 0
    afas_rows: int = 0
    differences: list[Difference] = field(default_factory=list)


def number_pattern(*templates: str) -> re.Pattern[str]:
    """A regex matching what the invoice-number templates produce (``{order_id}`` = digits)."""
    parts = []
    for template in templates:
        regex = ""
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            regex += re.escape(literal)
            if name == "order_id":
                regex += r"(\d+)"
            elif name is not None:
                regex += ".*?"
        parts.append(f"(?:{regex})")
    return re.compile("^(?:" + "|".join(parts) + ")$")


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _invoice(row: dict[str, Any]) -> AfasInvoice | None:
    number = row.get("SalesInvoiceNumber")
    if not isinstance(number, str) or not number:
        return None
    entry_id = row.get("SalesInvoiceId")
    return AfasInvoice(
        number=number,
        issue_date=str(row.get("IssueDate") or "")[:10],
        incl=_money(row.get("AmountInvoiced")),
        excl=_money(row.get("AmountExcludingVat")),
        status=str(row.get("Status") or ""),
        entry_id=entry_id.lower() if isinstance(entry_id, str) else None,
    )


def afas_invoices(
    afas: AfasClient, administration_id: str, first: date, after: date
) -> list[AfasInvoice]:
    flt = odata.all_of(
        odata.eq("AdministrationId", odata.Guid(administration_id)),
        odata.cmp("IssueDate", "ge", first),
        odata.cmp("IssueDate", "lt", after),
    )
    rows = afas.iter_list("salesinvoices", filter=flt, sort="SalesInvoiceNumber Ascending")
    return [found for found in map(_invoice, rows) if found is not None]


def _by_number(afas: AfasClient, administration_id: str, number: str) -> AfasInvoice | None:
    flt = odata.all_of(
        odata.eq("AdministrationId", odata.Guid(administration_id)),
        odata.eq("SalesInvoiceNumber", number),
    )
    for row in afas.iter_list("salesinvoices", filter=flt, page_size=5):
        found = _invoice(row)
        if found is not None:
            return found
    return None


def _ledger_entries(ledger: Ledger, first: date, after: date) -> list[EntryRecord]:
    found: list[EntryRecord] = []
    for kind in (EntryKind.BOOKING, EntryKind.CREDIT):
        found += ledger.processed_entries(first, after, kind)
    return found


def reconcile(
    settings: Settings, ledger: Ledger, afas: AfasClient, first: date, last: date
) -> Reconciliation:
    """Compare the ledger's processed entries of ``[first, last]`` with AFAS SB's invoices."""
    from datetime import timedelta

    after = last + timedelta(days=1)
    admin = settings.afas.administration_id
    result = Reconciliation(first, last)
    listed = afas_invoices(afas, admin, first, after)
    result.afas_rows = len(listed)
    in_afas = {invoice.number: invoice for invoice in listed}
    entries = _ledger_entries(ledger, first, after)
    result.checked = len(entries)
    known = set()
    for entry in entries:
        number = entry.invoice_number or ""
        known.add(number)
        ledger_date = str(entry.invoice_date or "")[:10]
        found = in_afas.get(number) or _by_number(afas, admin, number)

        def diff(
            what: str,
            found: AfasInvoice | None = found,
            entry: EntryRecord = entry,
            number: str = number,
            ledger_date: str = ledger_date,
        ) -> None:
            result.differences.append(
                Difference(
                    what,
                    number,
                    entry.order_id,
                    entry.kind.value,
                    ledger_date,
                    found.issue_date if found else None,
                    entry.amount_incl,
                    found.incl if found else None,
                    found.status if found else None,
                )
            )

        if found is None:
            diff(MISSING)
            continue
        amounts_differ = found.incl != entry.amount_incl or (
            found.excl is not None and found.excl != entry.amount_excl
        )
        if amounts_differ:
            diff(AMOUNT)
        if found.issue_date != ledger_date:
            diff(DATE)
    pattern = number_pattern(
        settings.booking.invoice_number, settings.booking.reversals.invoice_number
    )
    for invoice in listed:
        if invoice.number in known or not pattern.match(invoice.number):
            continue
        if ledger.select(_ENTRY_BY_NUMBER, (ledger.shop, invoice.number)):
            continue  # ocafas booked it under another date: that period's reconcile says so
        match = pattern.match(invoice.number)
        order_id = next((g for g in match.groups() if g), None) if match else None
        result.differences.append(
            Difference(
                UNKNOWN,
                invoice.number,
                int(order_id) if order_id else None,
                None,
                None,
                invoice.issue_date,
                None,
                invoice.incl,
                invoice.status,
            )
        )
    result.differences.sort(key=lambda d: (d.invoice_number, d.what))
    return result
