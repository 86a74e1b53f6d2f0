"""``sync --since DATE``: book older orders, asking AFAS SB first whether each is already there.

Orders placed before ``sync.start_date`` were never booked by ocafas, but they may well be in
AFAS SB: booked by hand, or by the integration ocafas replaces. So before a backfilled order is
posted, ``GET salesinvoices`` is asked for its invoice number. An invoice with this order's total
is filed as ``processed`` (source ``found``) and not booked again; one with another amount is a
collision (``DUPLICATE_INVOICE``) for a person to look at. The lookup is a read, so a run killed
anywhere simply asks again; the POST after it keeps the usual intent-before-POST discipline, and
AFAS SB's own duplicate check stays the last safety net.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from ocafas.afas import odata
from ocafas.booking.plan import EntryPlan
from ocafas.errors import AfasTransientError
from ocafas.ledger import Ledger, OrderState, SkipReason
from ocafas.opencart.client import OpenCartClient
from ocafas.opencart.models import Cursor
from ocafas.pipeline import codes
from ocafas.pipeline.context import RunContext
from ocafas.pipeline.posting import booked_entry, planned_lines
from ocafas.pipeline.result import ERROR, FOUND, PENDING, OrderOutcome

_DONE = frozenset({OrderState.PROCESSED, OrderState.POSTING})


def first_cursor(since: date) -> Cursor:
    """A day early, so every shop time zone is covered; the gate compares the shop's date."""
    return Cursor.starting_at(datetime.combine(since - timedelta(days=1), time(0), timezone.utc))


@dataclass(frozen=True)
class BackfillCount:
    """What ``sync --since`` is about to do, for the confirmation question."""

    since: date
    start_date: date
    #: Orders placed from ``since`` that ocafas has not booked (or filed as found) yet.
    to_do: int
    #: Of those, the ones placed before ``sync.start_date`` (the backfill proper).
    before_start: int


def count(ledger: Ledger, opencart: OpenCartClient, since: date, start_date: date) -> BackfillCount:
    """Read the shop's listing from ``since`` (reads only) and count what is still to book.

    Orders the user excluded, zero-total orders skipped on purpose and orders already booked or
    found are not counted: the backfill leaves them as they are.
    """
    to_do = before = 0
    for page in opencart.iter_orders(first_cursor(since)):
        for order in page.orders:
            placed = order.date_added.date()
            if placed < since:
                continue
            known = ledger.get(order.order_id)
            if known is not None and (
                known.state in _DONE
                or (
                    known.state is OrderState.SKIPPED
                    and known.skip_reason is not SkipReason.BEFORE_START_DATE
                )
            ):
                continue
            to_do += 1
            if placed < start_date:
                before += 1
    return BackfillCount(since, start_date, to_do, before)


def lookup_invoice(ctx: RunContext, invoice_number: str) -> tuple[str, Decimal] | None:
    """The id and amount of AFAS SB's sales invoice with this number; raises when AFAS is down."""
    flt = odata.all_of(
        odata.eq("AdministrationId", odata.Guid(ctx.administration_id)),
        odata.eq("SalesInvoiceNumber", invoice_number),
    )
    for row in ctx.afas.iter_list("salesinvoices", filter=flt):
        if str(row.get("SalesInvoiceNumber", "")) != invoice_number:
            continue
        entry_id = row.get("SalesInvoiceId")
        amount = row.get("AmountInvoiced")
        return (
            str(entry_id).lower() if entry_id else "",
            Decimal(str(amount)) if amount is not None else Decimal("NaN"),
        )
    return None


def found_in_afas(
    ctx: RunContext, order_id: int, plan: EntryPlan, body: dict[str, Any]
) -> OrderOutcome | None:
    """File the order as found when AFAS SB has its invoice; None when it must be booked."""
    try:
        found = lookup_invoice(ctx, plan.invoice_number)
    except AfasTransientError as err:
        ctx.afas_transient(str(err))
        return OrderOutcome(
            order_id, PENDING, message=f"AFAS SB did not answer the invoice lookup: {err}"
        )
    ctx.afas_ok()
    if found is None:
        return None
    entry_id, amount = found
    booked = booked_entry(body, planned_lines(plan), entry_id or None)
    if amount != booked.amount_incl:
        message = (
            f"AFAS SB already has invoice {plan.invoice_number} with amount {amount}; "
            f"this order totals {booked.amount_incl}"
        )
        hint = codes.hint_for(codes.DUPLICATE_INVOICE)
        if not ctx.dry_run:
            ctx.ledger.mark_error(order_id, codes.DUPLICATE_INVOICE, message, hint)
        return OrderOutcome(order_id, ERROR, codes.DUPLICATE_INVOICE, message, hint)
    message = f"found in AFAS SB as invoice {plan.invoice_number} (entry {entry_id or 'unknown'})"
    if not ctx.dry_run:
        ctx.ledger.add_event(
            order_id, "found_in_afas", invoice_number=plan.invoice_number, entry_id=entry_id
        )
        ctx.ledger.record_found(
            order_id, booked, response={"found": "salesinvoices", "entry_id": entry_id}
        )
    return OrderOutcome(order_id, FOUND, message=message)
