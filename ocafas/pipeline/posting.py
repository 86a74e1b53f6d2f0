"""Sending one entry to AFAS SB with the ledger written before and after, and reconciling.

``begin_posting`` commits the exact request text and its Tracking-Identifier before the POST.
What comes back decides the next state: booked → processed; AFAS kept a broken entry → delete
it, then error; refused → error with the reason; no answer (timeout, 5xx, dropped connection)
→ the entry stays ``posting`` and the next run's reconcile sends the SAME request with the SAME
Tracking-Identifier, which AFAS answers with its first answer instead of booking twice. An
"invoice number already exists" answer to a resent request means an earlier attempt booked it.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

from ocafas.afas import jsonbody, odata
from ocafas.afas.outcomes import Booked, BrokenEntry, Duplicate, Failed, PostOutcome, Rejected
from ocafas.booking.plan import EntryPlan
from ocafas.errors import AfasAuthError, AfasError, AfasForbiddenError, AfasTransientError
from ocafas.ledger import BookedEntry, BookedLine, EntryKind, EntryRecord, EntrySource
from ocafas.ledger.flags import clear_flag, flag
from ocafas.ledger.records import TransitionError
from ocafas.money import ZERO
from ocafas.pipeline import codes
from ocafas.pipeline.context import RunContext
from ocafas.pipeline.result import BOOKED, ERROR, PENDING, OrderOutcome

log = logging.getLogger("ocafas.pipeline")


def planned_lines(plan: EntryPlan) -> list[dict[str, Any]]:
    """The booked lines as the ledger keeps them (account numbers and rates, for VAT reports)."""
    country = plan.classification.country
    regime = plan.classification.regime.value
    return [
        {
            "account": line.account,
            "vat_type": line.vat_type,
            "vat_calculation": line.vat_calculation,
            "rate": line.rate,
            "excl": line.amount_excl,
            "vat": line.amount_vat,
            "country": country,
            "regime": regime,
            "kind": line.kind,
            "intra_community_type": line.intra_community_type,
        }
        for line in plan.lines
    ]


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else ZERO


def booked_entry(
    body: dict[str, Any], lines: list[dict[str, Any]] | None, afas_entry_id: str | None
) -> BookedEntry:
    """What AFAS holds, from the exact request sent (and the planned lines, when known)."""
    excl = sum((_dec(line.get("AmountExcludingVat")) for line in body["InvoiceLine"]), ZERO)
    vat = sum((_dec(line.get("AmountVat")) for line in body["InvoiceLine"]), ZERO)
    booked_lines = tuple(
        BookedLine(
            ledger_account=str(line["account"]),
            vat_type=str(line["vat_type"]),
            vat_rate=_dec(line["rate"]),
            amount_excl=_dec(line["excl"]),
            amount_vat=_dec(line["vat"]),
            country=line.get("country"),
            vat_calculation=line.get("vat_calculation"),
            regime=line.get("regime"),
            kind=line.get("kind"),
            intra_community_type=line.get("intra_community_type"),
        )
        for line in lines or ()
    )
    return BookedEntry(
        relation_id=str(body["RelationId"]),
        relation_type=str(body["RelationType"]),
        invoice_number=str(body["InvoiceNumber"]),
        invoice_date=str(body["InvoiceDate"]),
        amount_excl=excl,
        amount_vat=vat,
        amount_incl=excl + vat,
        lines=booked_lines,
        afas_entry_id=afas_entry_id,
    )


def book(ctx: RunContext, order_id: int, plan: EntryPlan, body: dict[str, Any]) -> OrderOutcome:
    """Record the intent, POST, record the outcome; never raises for one order's failure."""
    ledger = ctx.ledger
    text = jsonbody.dumps(body)
    tracking = str(uuid.uuid4())
    lines = planned_lines(plan)
    planned = {"tracking_id": tracking, "lines": lines}
    try:
        entry = ledger.begin_posting(
            order_id,
            EntryKind.BOOKING,
            tracking,
            text,
            invoice_number=plan.invoice_number,
            events=[("planned", planned)],
        )
    except TransitionError as err:
        if "invoice number" not in str(err):
            raise
        message = str(err)
        ledger.mark_error(
            order_id,
            codes.INVOICE_NUMBER_IN_USE,
            message,
            codes.hint_for(codes.INVOICE_NUMBER_IN_USE),
        )
        return OrderOutcome(order_id, ERROR, codes.INVOICE_NUMBER_IN_USE, message)
    return send(ctx, entry, reconciling=False, lines=lines, body=body)


def send(
    ctx: RunContext,
    entry: EntryRecord,
    *,
    reconciling: bool,
    lines: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
) -> OrderOutcome:
    """POST the stored request of a ``posting`` entry and settle what comes back.

    ``lines`` and ``body``: the planned lines logged with the intent and the request whose text
    it recorded, when the caller has them at hand (otherwise they are read back from the
    ledger). The text recorded is what is sent, byte for byte.
    """
    assert entry.request_body is not None and entry.tracking_id is not None
    if body is None:
        body = jsonbody.loads(entry.request_body)
    try:
        outcome = ctx.afas.post_sales_entry(body, entry.tracking_id, text=entry.request_body)
    except AfasTransientError as err:
        ctx.afas_transient(str(err))
        ctx.ledger.add_event(entry.order_id, "posting_unanswered", reason=str(err))
        return OrderOutcome(
            entry.order_id, PENDING, None, f"AFAS SB did not answer: {err}", reconciled=reconciling
        )
    ctx.afas_ok()
    return settle(ctx, entry, body, outcome, reconciling=reconciling, lines=lines)


def _lines_of(ctx: RunContext, entry: EntryRecord) -> list[dict[str, Any]] | None:
    for event in reversed(ctx.ledger.events(entry.order_id)):
        if event.event == "planned" and event.details.get("tracking_id") == entry.tracking_id:
            lines = event.details.get("lines")
            return lines if isinstance(lines, list) else None
    return None


def find_entry_id(ctx: RunContext, invoice_number: str) -> tuple[str, Decimal] | None:
    """The id and amount of the booked sales invoice with this number, if AFAS lists it.

    Raises AfasTransientError when AFAS could not be asked: "not listed" and "could not look"
    must not be confused, since the first may mean the invoice is ours.
    """
    flt = odata.all_of(
        odata.eq("AdministrationId", odata.Guid(ctx.administration_id)),
        odata.eq("SalesInvoiceNumber", invoice_number),
    )
    try:
        for row in ctx.afas.iter_list("salesinvoices", filter=flt):
            entry_id = row.get("SalesInvoiceId")
            if isinstance(entry_id, str) and entry_id:
                return entry_id.lower(), _dec(row.get("AmountInvoiced"))
    except (AfasTransientError, AfasAuthError, AfasForbiddenError):
        raise
    except (AfasError, ValueError) as err:
        log.info("could not look up invoice %s in AFAS SB: %s", invoice_number, err)
    return None


def settle(
    ctx: RunContext,
    entry: EntryRecord,
    body: dict[str, Any],
    outcome: PostOutcome,
    *,
    reconciling: bool,
    lines: list[dict[str, Any]] | None = None,
) -> OrderOutcome:
    ledger = ctx.ledger
    order_id = entry.order_id
    if lines is None:
        lines = _lines_of(ctx, entry)
    if isinstance(outcome, Booked):
        booked = booked_entry(body, lines, outcome.entry_id)
        ledger.mark_processed(
            order_id,
            booked,
            kind=entry.kind,
            tracking_id=entry.tracking_id,
            response={"entry_id": outcome.entry_id},
            returning=False,
        )
        if entry.kind is EntryKind.CREDIT:
            clear_flag(ledger, order_id, f"credit {booked.invoice_number} booked")
            message = f"credit {booked.invoice_number} booked"
            return OrderOutcome(order_id, BOOKED, message=message, reconciled=reconciling)
        return OrderOutcome(order_id, BOOKED, reconciled=reconciling)
    if isinstance(outcome, Duplicate):
        return _duplicate(ctx, entry, body, lines, outcome, reconciling=reconciling)
    if isinstance(outcome, BrokenEntry):
        reasons = "; ".join(outcome.reasons)
        try:
            ctx.afas.delete_sales_entry(ctx.administration_id, outcome.entry_id, str(uuid.uuid4()))
            message = f"AFAS SB booked the entry with errors (deleted again): {reasons}"
            hint = codes.hint_for(codes.AFAS_BROKEN_ENTRY)
        except AfasError as err:
            message = (
                f"AFAS SB booked the entry with errors and refused to delete it ({err}): {reasons}"
            )
            hint = f"delete entry {outcome.entry_id} in AFAS SB by hand, then run 'ocafas retry'"
        return _error(ctx, entry, codes.AFAS_BROKEN_ENTRY, message, hint, reconciling)
    if isinstance(outcome, Failed):
        message = "AFAS SB refused the entry: " + "; ".join(outcome.reasons)
        return _error(ctx, entry, codes.AFAS_FAILED, message, None, reconciling)
    assert isinstance(outcome, Rejected)
    detail = f" [{outcome.exception_code}]" if outcome.exception_code else ""
    extra = ("; " + "; ".join(outcome.details)) if outcome.details else ""
    message = f"AFAS SB rejected the request (HTTP {outcome.status}{detail}): {outcome.message}"
    return _error(ctx, entry, codes.AFAS_REJECTED, message + extra, None, reconciling)


def _error(
    ctx: RunContext,
    entry: EntryRecord,
    code: str,
    message: str,
    hint: str | None,
    reconciling: bool,
) -> OrderOutcome:
    order_id = entry.order_id
    hint = hint or codes.hint_for(code)
    ctx.ledger.mark_error(order_id, code, message, hint, kind=entry.kind)
    if entry.kind is EntryKind.CREDIT:
        # the order stays processed (its booking is in AFAS): flag it for a person instead
        message = f"credit {entry.invoice_number} refused ({code}): {message}"
        hint = "fix the cause in AFAS SB, then credit the order by hand"
        flag(ctx.ledger, order_id, "CREDIT_FAILED", message, hint)
        code = "CREDIT_FAILED"
    return OrderOutcome(order_id, ERROR, code, message, hint, reconciled=reconciling)


def _duplicate(
    ctx: RunContext,
    entry: EntryRecord,
    body: dict[str, Any],
    lines: list[dict[str, Any]] | None,
    outcome: Duplicate,
    *,
    reconciling: bool,
) -> OrderOutcome:
    """AFAS has this invoice number: ours if the amount fits (a resend: also when not listed).

    A resend's "already exists" usually means our first attempt booked it, but someone may
    have booked the number by hand while our answer was lost: another amount is not ours.
    """
    order_id = entry.order_id
    try:
        found = find_entry_id(ctx, outcome.invoice_number)
    except AfasTransientError as err:  # cannot tell whose it is: stays posting, next run asks
        ctx.afas_transient(str(err))
        ctx.ledger.add_event(order_id, "posting_unanswered", reason=f"salesinvoices: {err}")
        return OrderOutcome(
            order_id, PENDING, None, f"AFAS SB did not answer: {err}", reconciled=reconciling
        )
    booked = booked_entry(body, lines, found[0] if found else None)
    other_amount = found is not None and found[1] != booked.amount_incl
    if other_amount or (not reconciling and found is None):
        what = "an unknown amount" if found is None else f"amount {found[1]}"
        message = (
            f"AFAS SB already has invoice {outcome.invoice_number} with {what}; "
            f"this order totals {booked.amount_incl}"
        )
        return _error(ctx, entry, codes.DUPLICATE_INVOICE, message, None, reconciling)
    if found is None:
        ctx.ledger.add_event(
            order_id,
            "entry_id_unknown",
            invoice_number=outcome.invoice_number,
            reason="AFAS SB answered 'already exists' and listed no sales invoice with it",
        )
    ctx.ledger.mark_processed(
        order_id,
        booked,
        kind=entry.kind,
        source=EntrySource.FOUND,
        tracking_id=entry.tracking_id,
        response={"duplicate": outcome.message},
    )
    return OrderOutcome(order_id, BOOKED, reconciled=reconciling, message="already in AFAS SB")


def reconcile(ctx: RunContext) -> None:
    """Finish every ``posting`` entry (booking or credit) a crashed or stopped run left behind."""
    for entry in ctx.ledger.pending_postings():
        if ctx.stopping():
            return
        ctx.result.add(send(ctx, entry, reconciling=True))
