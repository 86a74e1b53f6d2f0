"""The optional VIES confirmation of an ICP order's VAT number, between the checks and the plan.

With ``vat.vies_check`` on, an order that the checks classify as ICP (0 % to a company in
another member state, its VAT number valid by format and check digit) is booked only when VIES
confirms the number. VIES's answer is kept in the ledger as evidence (valid or not, when, the
consultation number). A number VIES does not know is an error a person must look at; VIES being
down is nobody's fault, so the order waits as ``open`` and the next sync (or the nightly
recheck) asks again. It is never failed for that.
"""

from __future__ import annotations

import logging

from ocafas.booking.classify import Regime, classify, vat_number_country
from ocafas.ledger import IcpEvidence, Ledger, OrderState
from ocafas.opencart.models import Order
from ocafas.pipeline import codes
from ocafas.pipeline.context import RunContext
from ocafas.pipeline.result import ERROR, OPEN, OrderOutcome
from ocafas.vies import ViesInvalid, ViesUnavailable, ViesValid

log = logging.getLogger("ocafas.pipeline")

#: Ledger events that say an open order waits for VIES, and that it no longer does.
WAITING_EVENT = "vies_unavailable"
WAIT_OVER_EVENT = "vies_wait_over"
_OPEN_EVENT = "open"
OPEN_REASON = "VIES unavailable"


def _evidence(result: ViesValid | ViesInvalid) -> IcpEvidence:
    return IcpEvidence(
        country_code=vat_number_country(result.vat_number),
        vat_number=result.vat_number,
        valid=isinstance(result, ViesValid),
        checked_at=result.checked_at,
        consultation_number=result.consultation_number,
        trader_name=result.name if isinstance(result, ViesValid) else None,
        trader_address=result.address if isinstance(result, ViesValid) else None,
        raw=result.raw,
    )


def confirm_icp(ctx: RunContext, order: Order) -> OrderOutcome | None:
    """None when the order may be booked (no check needed, or VIES confirmed it); else its outcome.

    Call it after the checks passed. An order whose last evidence in the ledger already confirms
    this very number is not asked about again (a retry after an AFAS refusal, say).
    """
    vat = ctx.settings.vat
    if not vat.vies_check:
        return None
    classification, problems = classify(order, vat)
    if problems or classification is None or classification.regime is not Regime.ICP:
        return None
    number = classification.vat_number
    if number is None:
        return None
    order_id = order.order_id
    known = ctx.ledger.icp_evidence(order_id)
    if known and known[-1].valid and known[-1].vat_number == number:
        return None
    result = ctx.vies().check(number)
    if isinstance(result, ViesUnavailable):
        return _wait(ctx, order_id, number, result)
    if not ctx.dry_run:
        ctx.ledger.add_icp_evidence(order_id, _evidence(result))
    if isinstance(result, ViesValid):
        return None
    consultation = (
        f", consultation number {result.consultation_number}" if result.consultation_number else ""
    )
    message = (
        f"VIES does not confirm VAT number {number} ({result.reason}; checked "
        f"{result.checked_at}{consultation})"
    )
    code = codes.ICP_VAT_NUMBER_NOT_IN_VIES
    hint = codes.hint_for(code)
    if not ctx.dry_run:
        ctx.ledger.mark_error(order_id, code, message, hint)
    return OrderOutcome(order_id, ERROR, code, message, hint)


def _wait(ctx: RunContext, order_id: int, number: str, result: ViesUnavailable) -> OrderOutcome:
    reason = f"{OPEN_REASON} for {number} ({result.code}): {result.message}"
    if not ctx.dry_run:
        ctx.ledger.mark_open(order_id, reason)
        ctx.ledger.add_event(order_id, WAITING_EVENT, vat_number=number, code=result.code)
    ctx.vies_waiting(result.code)
    log.info("order %s waits: %s", order_id, reason)
    return OrderOutcome(order_id, OPEN, message=reason)


def waiting_for_vies(ledger: Ledger) -> list[int]:
    """Open orders that wait only for VIES: the next sync fetches them again by id."""
    waiting = []
    for record in ledger.orders_in_state(OrderState.OPEN):
        for event in reversed(ledger.events(record.order_id)):
            if event.event in (WAITING_EVENT, WAIT_OVER_EVENT, _OPEN_EVENT):
                if event.event == WAITING_EVENT:
                    waiting.append(record.order_id)
                break
    return waiting


def wait_over(ctx: RunContext, orders: list[Order]) -> None:
    """Orders fetched again for VIES that are no longer processable stop waiting for it."""
    if ctx.dry_run:
        return
    processable = ctx.processable()
    for order in orders:
        if order.order_status_id not in processable:
            ctx.ledger.add_event(order.order_id, WAIT_OVER_EVENT, reason="status changed")


__all__ = ["OPEN_REASON", "confirm_icp", "wait_over", "waiting_for_vies"]
