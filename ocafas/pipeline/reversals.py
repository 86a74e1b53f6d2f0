"""A booked order that comes back from the shop changed: credit it, or flag it for a person.

With ``booking.reversals.enabled`` an order already booked that arrives in a reversing status
(Refunded, Reversed, Chargeback, Voided, Canceled by default) gets exactly one credit entry:
the booked request with every amount negated, the same debtor, its own invoice number
(``booking.reversals.invoice_number``), dated the day of the status change (the order's
``date_modified`` in shop time), ``Reference`` = the original invoice number. It goes through
the same discipline as a booking: the exact request and a fresh Tracking-Identifier are committed
(``begin_posting`` kind ``credit``) before the POST, and a run that died around the POST is
finished by the next run's reconcile, which resends the same request with the same identifier.

Nothing is guessed: an order whose total differs from what was booked (a partial refund, an
edit) gets no credit; it is flagged with a hint to credit it by hand. With reversals off a
reversing status is only flagged. Flags are ledger events (:mod:`ocafas.ledger.flags`) the
reports show. OpenCart's returns (``oc_return``) are not part of the extension's API, so a
refund recorded only there is invisible to ocafas.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

from ocafas.afas import jsonbody
from ocafas.booking.templates import render
from ocafas.ledger import EntryKind, EntryRecord, EntryState, OrderRecord
from ocafas.ledger.flags import flag
from ocafas.ledger.records import TransitionError
from ocafas.money import to_cents
from ocafas.opencart.models import Order
from ocafas.pipeline import codes, posting
from ocafas.pipeline.context import RunContext
from ocafas.pipeline.result import ERROR, UNCHANGED, OrderOutcome

log = logging.getLogger("ocafas.pipeline")

REVERSAL_NOT_BOOKED = "REVERSAL_NOT_BOOKED"
PARTIAL_REFUND = "PARTIAL_REFUND"
CHANGED_AFTER_BOOKING = "CHANGED_AFTER_BOOKING"
CREDIT_FAILED = "CREDIT_FAILED"
HINTS = {
    REVERSAL_NOT_BOOKED: "credit it by hand in AFAS SB, or set booking.reversals.enabled and "
    "credit it there by hand (only reversals after that are booked automatically)",
    PARTIAL_REFUND: "ocafas does not guess a partial credit: credit the refunded part by hand "
    "in AFAS SB",
    CHANGED_AFTER_BOOKING: "the order changed after it was booked: correct the entry in AFAS "
    "SB by hand if needed",
    CREDIT_FAILED: "fix the cause in AFAS SB, then credit the order by hand (ocafas does not "
    "post this credit again unless the order changes in the shop)",
}


def _negate(value: Any) -> Decimal:
    return -Decimal(str(value)) + Decimal("0.00")


def credit_body(
    booking: dict[str, Any], invoice_number: str, day: str, note: str
) -> dict[str, Any]:
    """The booked request with every amount negated: its own number, date and reference."""
    body = dict(booking)
    original = str(booking["InvoiceNumber"])
    body["InvoiceNumber"] = invoice_number
    body["InvoiceDate"] = day
    body["Reference"] = original
    body["Description"] = f"Credit of {original} ({note})"[:255]
    lines = []
    for line in booking["InvoiceLine"]:
        negated = dict(line)
        negated["AmountExcludingVat"] = _negate(line["AmountExcludingVat"])
        if "AmountVat" in line:
            negated["AmountVat"] = _negate(line["AmountVat"])
        lines.append(negated)
    body["InvoiceLine"] = lines
    return body


def credit_lines(entry: EntryRecord) -> list[dict[str, Any]]:
    """The booking's ledger lines negated, as the credit's ``planned`` event keeps them."""
    return [
        {
            "account": line.ledger_account,
            "vat_type": line.vat_type,
            "vat_calculation": line.vat_calculation,
            "rate": line.vat_rate,
            "excl": -line.amount_excl + Decimal("0.00"),
            "vat": -line.amount_vat + Decimal("0.00"),
            "country": line.country,
            "regime": line.regime,
            "kind": line.kind,
            "intra_community_type": line.intra_community_type,
        }
        for line in entry.lines
    ]


def _flag(ctx: RunContext, order_id: int, code: str, message: str) -> OrderOutcome:
    hint = HINTS[code]
    if not ctx.dry_run:
        flag(ctx.ledger, order_id, code, message, hint)
    return OrderOutcome(order_id, ERROR, code, message, hint)


def after_booking(ctx: RunContext, known: OrderRecord, order: Order) -> OrderOutcome | None:
    """What a changed, already processed order needs; None when nothing (the gate says so)."""
    order_id = order.order_id
    booking = ctx.ledger.entry(order_id, EntryKind.BOOKING)
    if booking is None or booking.state is not EntryState.PROCESSED:
        return None
    if ctx.ledger.entry(order_id, EntryKind.CREDIT) is not None:
        return OrderOutcome(order_id, UNCHANGED, message="already credited")
    reversing = order.order_status_id in ctx.reversing()
    booked_total = booking.amount_incl
    status = f"{order.order_status!r} ({order.order_status_id})"
    if booked_total is not None and to_cents(order.total) != booked_total:
        code = PARTIAL_REFUND if reversing else CHANGED_AFTER_BOOKING
        message = (
            f"the order now totals {to_cents(order.total)} (status {status}); "
            f"{booking.invoice_number} booked {booked_total}"
        )
        return _flag(ctx, order_id, code, message)
    if not reversing:
        return None
    settings = ctx.settings.booking.reversals
    if not settings.enabled:
        message = (
            f"status {status} after booking as {booking.invoice_number}; no credit booked "
            "(booking.reversals is off)"
        )
        return _flag(ctx, order_id, REVERSAL_NOT_BOOKED, message)
    if booking.request_body is None:
        message = f"{booking.invoice_number} was found in AFAS SB, not posted by ocafas"
        return _flag(ctx, order_id, CREDIT_FAILED, message + "; its lines are unknown")
    if ctx.dry_run:
        return OrderOutcome(order_id, UNCHANGED, message="would book a credit")
    return _book_credit(ctx, order, booking, status)


def _book_credit(ctx: RunContext, order: Order, booking: EntryRecord, status: str) -> OrderOutcome:
    order_id = order.order_id
    number = render(ctx.settings.booking.reversals.invoice_number, order)
    day = order.date_modified.date().isoformat()
    assert booking.request_body is not None
    body = credit_body(jsonbody.loads(booking.request_body), number, day, order.order_status)
    tracking = str(uuid.uuid4())
    ledger = ctx.ledger
    ledger.add_event(
        order_id, "planned", tracking_id=tracking, kind="credit", lines=credit_lines(booking)
    )
    try:
        entry = ledger.begin_posting(
            order_id, EntryKind.CREDIT, tracking, jsonbody.dumps(body), invoice_number=number
        )
    except TransitionError as err:
        return _flag(ctx, order_id, CREDIT_FAILED, f"credit {number} not posted: {err}")
    log.info("order %s: %s after booking, posting credit %s", order_id, status, number)
    return posting.send(ctx, entry, reconciling=False)


__all__ = ["HINTS", "after_booking", "credit_body", "credit_lines"]
_ = codes  # the booking codes live in codes.py; the after-booking codes above
