"""The three passes: ``sync`` (new and changed orders), ``recheck`` (open ones) and ``retry``.

Each takes the run lock, finishes what a crashed run left in ``posting`` first, then handles
orders page by page. Orders of a page are gated one by one (cheap, no AFAS) and the bookable
ones are posted by ``settings.sync.concurrency`` worker threads, which go on posting while the
next page is read and gated (:mod:`ocafas.pipeline.workers`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone

from ocafas.config import Settings
from ocafas.ledger import Ledger, OrderState
from ocafas.opencart.client import OpenCartClient
from ocafas.opencart.models import Cursor, MalformedOrder, Order
from ocafas.pipeline import backfill, posting, vies_check
from ocafas.pipeline.context import AfasFactory, RunContext
from ocafas.pipeline.debtors import DebtorResolver
from ocafas.pipeline.result import PENDING, OrderOutcome, PassResult
from ocafas.pipeline.workers import Workers

log = logging.getLogger("ocafas.pipeline")


def _context(
    command: str,
    settings: Settings,
    opencart: OpenCartClient,
    afas_factory: AfasFactory,
    ledger: Ledger,
    now: datetime | None,
    dry_run: bool = False,
    since: date | None = None,
) -> RunContext:
    result = PassResult(command, dry_run=dry_run)
    ctx = RunContext(settings, opencart, afas_factory, ledger, result, dry_run=dry_run, since=since)
    if now is not None:
        ctx.now = now
    return ctx


def handle_orders(
    ctx: RunContext,
    resolver: DebtorResolver,
    found: Sequence[Order],
    bad: Sequence[MalformedOrder] = (),
    *,
    force: bool = False,
) -> None:
    """Gate every order, then book the bookable ones (in worker threads when configured)."""
    with Workers(ctx, resolver) as workers:
        _add_page(ctx, workers, found, bad, force=force)
        workers.drain()


def _add_page(
    ctx: RunContext,
    workers: Workers,
    found: Sequence[Order],
    bad: Sequence[MalformedOrder],
    *,
    force: bool = False,
    cursor: str | None = None,
) -> str | None:
    found, bad = _once_each(ctx, found, bad)
    return workers.add_page(found, bad, cursor=cursor, force=force)


def _once_each(
    ctx: RunContext, found: Sequence[Order], bad: Sequence[MalformedOrder]
) -> tuple[list[Order], list[MalformedOrder]]:
    """One version of each order id: a page that lists an order twice must not book it twice.

    The later version wins (pages run by date_modified), and a readable version beats an
    unreadable one. Two bookings of one order in the same page would otherwise both pass the
    gate before either is posted.
    """
    latest: dict[int, Order] = {}
    for order in found:
        latest.pop(order.order_id, None)
        latest[order.order_id] = order
    twice = len(found) - len(latest)
    kept_bad: list[MalformedOrder] = []
    for item in bad:
        if item.order_id is not None and (
            item.order_id in latest or any(k.order_id == item.order_id for k in kept_bad)
        ):
            twice += 1
        else:
            kept_bad.append(item)
    if twice:
        counts: dict[int, int] = {}
        for order_id in [o.order_id for o in found] + [b.order_id for b in bad if b.order_id]:
            counts[order_id] = counts.get(order_id, 0) + 1
        ids = sorted(order_id for order_id, n in counts.items() if n > 1)
        ctx.result.note(f"the shop listed order(s) {ids} more than once in one page; used one each")
        log.warning("the shop listed orders %s more than once in one page", ids)
        if not ctx.dry_run:
            for order_id in ids:
                ctx.ledger.add_event(order_id, "listed_twice")
    return list(latest.values()), kept_bad


def _first_cursor(settings: Settings) -> Cursor:
    # The shop's time zone is unknown here; a day early covers every offset, and the gate skips
    # whatever was placed before the start date.
    start = datetime.combine(settings.sync.start_date - timedelta(days=1), time(0), timezone.utc)
    return Cursor.starting_at(start)


def _leftovers(ctx: RunContext, resolver: DebtorResolver) -> None:
    """Orders a crashed or stopped run read but never gated: fetch them again by id."""
    ids = [record.order_id for record in ctx.ledger.orders_in_state(OrderState.SEEN)]
    if ids:
        _by_id(ctx, resolver, ids, force=True)


def _waiting_for_vies(ctx: RunContext, resolver: DebtorResolver) -> None:
    """ICP orders a VIES outage left open: ask again now rather than only at the nightly recheck."""
    ids = vies_check.waiting_for_vies(ctx.ledger)
    if ids:
        _by_id(ctx, resolver, ids, force=True, vies_wait=True)


def _by_id(
    ctx: RunContext,
    resolver: DebtorResolver,
    ids: Iterable[int],
    *,
    force: bool,
    vies_wait: bool = False,
) -> None:
    page = ctx.opencart.get_orders(list(ids))
    if vies_wait:
        vies_check.wait_over(ctx, page.orders)
    handle_orders(ctx, resolver, page.orders, page.malformed, force=force)
    for order_id in page.missing:
        ctx.result.note(f"order {order_id} is no longer in the shop; it keeps its state")
        if not ctx.dry_run:
            ctx.ledger.add_event(order_id, "missing_in_shop")


def _reconcile(ctx: RunContext) -> None:
    """Finish what a crashed run left in ``posting``; a dry run only says it would."""
    if not ctx.dry_run:
        posting.reconcile(ctx)
        return
    for entry in ctx.ledger.pending_postings():
        ctx.result.add(
            OrderOutcome(
                entry.order_id,
                PENDING,
                message=f"posting since a crashed run: the next run resends its {entry.kind.value}"
                f" request (tracking id {entry.tracking_id})",
            )
        )


def run_pass(
    settings: Settings,
    opencart: OpenCartClient,
    afas_factory: AfasFactory,
    ledger: Ledger,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    since: date | None = None,
) -> PassResult:
    """One ``sync``: reconcile, then every order changed since the stored cursor.

    ``dry_run`` runs every check and plans every entry but writes nothing (give it a read-only
    ledger, ``ocafas.pipeline.preview``) and sends AFAS SB only GETs. ``since`` reads the
    shop from that date instead of the stored cursor and books orders placed from then, even
    before ``sync.start_date``, each after asking AFAS SB for its invoice number
    (:mod:`ocafas.pipeline.backfill`); the stored cursor moves only when the listing finished.

    Raises :class:`~ocafas.errors.LockedError` when another run holds the ledger, and lets
    AfasAuthError / AfasForbiddenError / OpenCartError through: they concern the whole run.
    """
    with ledger.lock():
        ctx = _context("sync", settings, opencart, afas_factory, ledger, now, dry_run, since)
        resolver = DebtorResolver(ctx)
        _reconcile(ctx)
        if not ctx.stopping():
            _leftovers(ctx, resolver)
        if not ctx.stopping():
            _waiting_for_vies(ctx, resolver)
        stored = ledger.get_cursor()
        if since is not None:
            cursor = backfill.first_cursor(since)
        else:
            cursor = Cursor.from_string(stored) if stored else _first_cursor(settings)

        def store(done: str | None) -> None:
            # A backfill or a dry run leaves the cursor alone while it reads (see below).
            nonlocal stored
            if done is not None and not dry_run and since is None and done != stored:
                stored = done
                ledger.set_cursor(done)

        if not ctx.stopping():
            last: Cursor | None = None
            with Workers(ctx, resolver) as workers:
                for page in opencart.iter_orders(cursor):
                    text = page.next_cursor.to_string() if page.next_cursor else None
                    store(_add_page(ctx, workers, page.orders, page.malformed, cursor=text))
                    if ctx.stopping():
                        break  # the pages in flight finish; the cursor stays before them
                    last = page.next_cursor or last
                store(workers.drain())
            # A finished backfill read everything up to now: its last cursor is current.
            finished = since is not None and not dry_run and not ctx.stopping()
            if finished and last is not None and last.to_string() != stored:
                ledger.set_cursor(last.to_string())
        return ctx.finish()


def recheck(
    settings: Settings,
    opencart: OpenCartClient,
    afas_factory: AfasFactory,
    ledger: Ledger,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PassResult:
    """Every ``open`` (and never gated ``seen``) order again by id; book those now processable.

    ``dry_run`` as for :func:`run_pass`.
    """
    with ledger.lock():
        ctx = _context("recheck", settings, opencart, afas_factory, ledger, now, dry_run)
        resolver = DebtorResolver(ctx)
        _reconcile(ctx)
        ids = ledger.open_order_ids()
        if ids and not ctx.stopping():
            _by_id(ctx, resolver, ids, force=True)
        return ctx.finish()


def retry(
    settings: Settings,
    opencart: OpenCartClient,
    afas_factory: AfasFactory,
    ledger: Ledger,
    *,
    order_ids: Sequence[int] | None = None,
    codes: Sequence[str] | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> PassResult:
    """Errored orders again, fetched fresh by id: all, these ids, and/or these error codes.

    A processed order is never retried. ``dry_run`` makes no AFAS write and no ledger change:
    the result's outcomes carry the request each order would send.
    """
    with ledger.lock():
        ctx = _context("retry", settings, opencart, afas_factory, ledger, now, dry_run)
        resolver = DebtorResolver(ctx)
        _reconcile(ctx)
        chosen = ledger.errors(code=list(codes) if codes else None, order_ids=order_ids)
        for order_id in order_ids or ():
            if not any(r.order_id == order_id for r in chosen):
                record = ledger.get(order_id)
                state = record.state.value if record else "not in the ledger"
                ctx.result.note(f"order {order_id} is {state}, not in error: not retried")
        ids = [record.order_id for record in chosen]
        if ids and not ctx.stopping():
            _by_id(ctx, resolver, ids, force=True)
        return ctx.finish()
