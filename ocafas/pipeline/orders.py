"""One order through the gate, the checks, the plan and the debtor, up to the POST.

The gate decides without AFAS: seen before and finished (nothing to do, never book twice),
placed before the start date (skipped), not in a processable status (open). Only an order that
passes the gate costs AFAS requests.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ocafas.booking.checks import check_order
from ocafas.booking.classify import billing_country, customer_company
from ocafas.booking.debtor_plan import plan_debtor
from ocafas.booking.entry import entry_body
from ocafas.booking.plan import plan_entry
from ocafas.booking.problems import BookingRefused, Problem
from ocafas.errors import AfasRejectedError, AfasTransientError
from ocafas.ledger import OrderRecord, OrderState, SkipReason, canonical_json
from ocafas.ledger.codec import JsonText, datetime_text, now_utc
from ocafas.money import ZERO, to_cents
from ocafas.opencart.models import MalformedOrder, Order
from ocafas.pipeline import backfill, codes, posting, vies_check
from ocafas.pipeline.context import RunContext
from ocafas.pipeline.debtors import DebtorResolver
from ocafas.pipeline.result import (
    ERROR,
    OPEN,
    PENDING,
    SKIPPED,
    UNCHANGED,
    WOULD_BOOK,
    OrderOutcome,
)

log = logging.getLogger("ocafas.pipeline")
_FINISHED = frozenset({OrderState.PROCESSED, OrderState.POSTING, OrderState.SKIPPED})


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(item: Any) -> Any:
    """An order's dataclasses and dates as JSON values, one level at a time (no deep copies)."""
    if isinstance(item, (datetime, date)):
        return item.isoformat()
    cls = type(item)
    names = _FIELDS.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(item):
            return item
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(item))
    return {name: getattr(item, name) for name in names}


def order_text(order: Order) -> str:
    """The order as the ledger keeps it: canonical JSON, Decimal amounts, ISO dates."""
    return JsonText(canonical_json(order, plain=_plain))


def _seen(ctx: RunContext, order: Order, document: str | None = None) -> None:
    ctx.ledger.store_seen(
        order.order_id,
        order=document if document is not None else order_text(order),
        date_added=order.date_added,
        date_modified=order.date_modified,
        status_id=order.order_status_id,
        country=billing_country(order),
        customer_name=order.customer.full_name or customer_company(order),
        customer_email=order.customer.email or None,
    )


#: ``gate(known=...)`` not given: the gate reads the ledger itself.
_READ = object()


def changed_after_booking(known: OrderRecord | None, order: Order) -> bool:
    """A booked order that comes back changed: the gate may then post a credit (reversals)."""
    return (
        known is not None
        and known.state is OrderState.PROCESSED
        and (
            known.date_modified != datetime_text(order.date_modified)
            or known.status_id != order.order_status_id
        )
    )


def gate(
    ctx: RunContext,
    order: Order,
    *,
    force: bool,
    document: str | None = None,
    known: OrderRecord | object | None = _READ,
) -> OrderOutcome | None:
    """The outcome when the order is not to be booked now; None when it goes on to the checks.

    ``force`` (recheck, retry) re-evaluates an open or errored order even when OpenCart did
    not change it; a sync only does so when its ``date_modified`` moved. ``document`` (the
    order's :func:`order_text`) and ``known`` (its ledger record) when the caller has them.
    """
    if known is _READ:
        known = ctx.ledger.get(order.order_id)
    assert known is None or isinstance(known, OrderRecord)
    order_id = order.order_id
    backfilled = (
        known is not None
        and known.state is OrderState.SKIPPED
        and known.skip_reason is SkipReason.BEFORE_START_DATE
        and ctx.since is not None
        and order.date_added.date() >= ctx.since
    )
    if known is not None and known.state in _FINISHED and not backfilled:
        changed = known.date_modified != datetime_text(order.date_modified) or (
            known.status_id != order.order_status_id
        )
        if not ctx.dry_run:
            _seen(ctx, order, document)  # logs a 'changed' event when it changed after booking
        if changed and known.state is OrderState.PROCESSED:
            from ocafas.pipeline.reversals import after_booking

            outcome = after_booking(ctx, known, order)
            if outcome is not None:
                return outcome
        return OrderOutcome(order_id, UNCHANGED, message=f"already {known.state.value}")
    if (
        known is not None
        and not force
        and known.state is OrderState.ERROR
        and known.date_modified == datetime_text(order.date_modified)
        # date_modified has whole seconds: a status change in the same second as the last
        # one must still be seen (a cancelled order in error becomes open).
        and known.status_id == order.order_status_id
    ):
        return OrderOutcome(order_id, UNCHANGED, message="in error, unchanged in the shop")
    if not ctx.dry_run:
        _seen(ctx, order, document)
    start = ctx.start_date()
    if order.date_added.date() < start:
        detail = f"placed {order.date_added.date().isoformat()}, before {start.isoformat()}"
        if not ctx.dry_run:
            ctx.ledger.mark_skipped(order_id, SkipReason.BEFORE_START_DATE, detail)
        return OrderOutcome(order_id, SKIPPED, message=detail)
    if order.order_status_id not in ctx.processable():
        reason = f"status {order.order_status!r} ({order.order_status_id}) is not processable"
        was_open = known is not None and known.state is OrderState.OPEN
        if not ctx.dry_run:
            ctx.ledger.mark_open(order_id, reason)
        return OrderOutcome(order_id, UNCHANGED if was_open else OPEN, message=reason)
    if ctx.settings.booking.zero_total == "skip" and zero_value(order):
        detail = "the order total is 0.00 and nothing paid for it (booking.zero_total: skip)"
        if not ctx.dry_run:
            ctx.ledger.mark_skipped(order_id, SkipReason.ZERO_TOTAL, detail)
        return OrderOutcome(order_id, SKIPPED, message=detail)
    if backfilled and not ctx.dry_run:
        # A skipped order cannot be posted; the backfill opens it first (logged).
        assert ctx.since is not None
        ctx.ledger.mark_open(order_id, f"backfill from {ctx.since.isoformat()}")
    return None


#: Total rows that pay for an order (a gift voucher, store credit): revenue all the same.
_PAID_BY = frozenset({"voucher", "credit"})


def zero_value(order: Order) -> bool:
    """A free sample or a 100 % discount: total 0.00 and no voucher or store credit paid it.

    An order paid in full with a gift voucher or store credit also totals 0.00, but it sold
    goods (revenue and VAT): ``booking.zero_total`` never skips those.
    """
    if to_cents(order.total) != ZERO:
        return False
    return all(to_cents(row.value) == ZERO for row in order.totals if row.code in _PAID_BY)


def malformed(ctx: RunContext, bad: MalformedOrder) -> OrderOutcome:
    """An unreadable order becomes an error row (never an exception that stops the page)."""
    message = f"the shop sent an order ocafas cannot read: {bad.reason}"
    hint = codes.hint_for(codes.MALFORMED_ORDER)
    if bad.order_id is None:
        if not ctx.dry_run:
            ctx.ledger.add_event(None, "malformed_order", reason=bad.reason)
        return OrderOutcome(None, ERROR, codes.MALFORMED_ORDER, message, hint)
    known = ctx.ledger.get(bad.order_id)
    if known is not None and known.state in _FINISHED:
        if not ctx.dry_run:
            ctx.ledger.add_event(bad.order_id, "malformed_after", reason=bad.reason)
        return OrderOutcome(bad.order_id, UNCHANGED, message=f"already {known.state.value}")
    if ctx.dry_run:
        return OrderOutcome(bad.order_id, ERROR, codes.MALFORMED_ORDER, message, hint)
    raw = bad.raw if isinstance(bad.raw, dict) else {}

    def when(key: str) -> str:
        try:
            return datetime_text(str(raw.get(key)))
        except ValueError:
            return now_utc()[:19] + "+00:00"

    ctx.ledger.store_seen(
        bad.order_id,
        order={"malformed": bad.reason, "raw": json.dumps(bad.raw, default=str)[:100_000]},
        date_added=when("date_added"),
        date_modified=when("date_modified"),
    )
    ctx.ledger.mark_error(bad.order_id, codes.MALFORMED_ORDER, message, hint)
    return OrderOutcome(bad.order_id, ERROR, codes.MALFORMED_ORDER, message, hint)


def refuse(ctx: RunContext, order_id: int, problems: Sequence[Problem]) -> OrderOutcome:
    first = problems[0]
    message = "; ".join([first.message] + [f"{p.code}: {p.message}" for p in problems[1:]])
    if not ctx.dry_run:
        ctx.ledger.mark_error(order_id, first.code, message, first.hint)
    return OrderOutcome(order_id, ERROR, first.code, message, first.hint)


def prepare_and_book(ctx: RunContext, resolver: DebtorResolver, order: Order) -> OrderOutcome:
    """Checks, plan, debtor, then the POST (or, in a dry run, the request that would be sent)."""
    order_id = order.order_id
    settings = ctx.settings
    if ctx.stopping():
        return OrderOutcome(order_id, PENDING, message="not attempted: the run stopped")
    currency = ctx.default_currency()
    problems = check_order(order, settings, currency)
    if problems:
        return refuse(ctx, order_id, problems)
    waiting_or_refused = vies_check.confirm_icp(ctx, order)
    if waiting_or_refused is not None:
        return waiting_or_refused
    try:
        plan = plan_entry(order, settings, ctx.accounts(), currency, checked=True)
        debtor_plan = plan_debtor(order, settings)
        debtor = resolver.resolve(order_id, debtor_plan)
    except BookingRefused as err:
        return refuse(ctx, order_id, err.problems)
    except AfasTransientError as err:
        ctx.afas_transient(str(err))
        return OrderOutcome(order_id, PENDING, message=f"AFAS SB did not answer: {err}")
    except AfasRejectedError as err:
        message = f"AFAS SB did not create the debtor: {err.message}"
        hint = codes.hint_for(codes.DEBTOR_REJECTED)
        if not ctx.dry_run:
            ctx.ledger.mark_error(order_id, codes.DEBTOR_REJECTED, message, hint)
        return OrderOutcome(order_id, ERROR, codes.DEBTOR_REJECTED, message, hint)
    checked = ctx.preflight()
    body = entry_body(
        plan,
        debtor.relation_type,
        debtor.relation_id,
        ctx.administration_id,
        settings.afas.payment_condition_id,
        department_id=checked.department_id,
        project_id=checked.project_id,
    )
    if ctx.since is not None:
        found = backfill.found_in_afas(ctx, order_id, plan, body)
        if found is not None:
            return found
    if ctx.dry_run:
        how = f"{debtor.how} {debtor.relation_type}"
        return OrderOutcome(order_id, WOULD_BOOK, body=body, debtor=how)
    outcome = posting.book(ctx, order_id, plan, body)
    refused = outcome.outcome == ERROR and outcome.code in _AFAS_REFUSALS
    if refused and zero_value(order):
        # booking.zero_total: book, and AFAS SB does not take an entry that nets to zero.
        detail = f"AFAS SB refused the zero-total entry: {outcome.message}"
        ctx.ledger.mark_skipped(order_id, SkipReason.ZERO_TOTAL, detail)
        return OrderOutcome(order_id, SKIPPED, message=detail)
    return outcome


_AFAS_REFUSALS = frozenset({codes.AFAS_FAILED, codes.AFAS_REJECTED, codes.AFAS_BROKEN_ENTRY})


__all__ = [
    "OPEN",
    "changed_after_booking",
    "gate",
    "malformed",
    "order_text",
    "prepare_and_book",
    "refuse",
]
