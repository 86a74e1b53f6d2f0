"""The posting workers of one pass: the next page is read and gated while earlier ones post.

AFAS SB's latency, not ocafas, should set the pace of a backfill. So the main thread fetches and
gates the next page while ``sync.concurrency`` worker threads post the bookable orders of the
previous ones; at most :data:`PAGES_AHEAD` pages are in flight, so memory stays flat however many
orders there are. Pages finish in order, and a page's cursor is handed back only when it and
every page before it are done and the run is not stopping, so a stopped or crashed run re-reads
what it did not finish (the ledger's gate skips what was booked).

Each page's outcomes reach the :class:`~ocafas.pipeline.result.PassResult` when the page
finishes, in the order a single thread would give: unreadable orders, the gate's outcomes,
then the booked ones in page order.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ocafas.ledger import OrderRecord
from ocafas.opencart.models import MalformedOrder, Order
from ocafas.pipeline import orders
from ocafas.pipeline.context import RunContext
from ocafas.pipeline.debtors import DebtorResolver
from ocafas.pipeline.result import OrderOutcome

#: Worker threads per AFAS request allowed in flight (``sync.concurrency``).
THREADS_PER_REQUEST = 2
#: Pages gated ahead of the one being finished: the workers never wait for a page boundary.
PAGES_AHEAD = 2
#: Gate writes (seen, open, skipped) share one commit per this many orders: fewer commits, and
#: the workers, who need the ledger for their intents, wait at most one such chunk.
GATE_CHUNK = 25


@dataclass
class _Page:
    gated: list[OrderOutcome]
    futures: list[Future[OrderOutcome | None]] = field(default_factory=list)
    cursor: str | None = None


class Workers:
    """The pool of a pass (none when ``concurrency`` is 1: orders are then booked inline).

    Use as a context manager; leaving it by an exception drops the orders not started yet
    (they stay ``seen``: the next run fetches them again) and waits for those in flight.
    """

    def __init__(self, ctx: RunContext, resolver: DebtorResolver) -> None:
        self.ctx = ctx
        self.resolver = resolver
        count = max(1, ctx.settings.sync.concurrency)
        # ``concurrency`` requests to AFAS SB at once (the AFAS client enforces it); twice as
        # many threads, so an order is checked, planned and recorded while others wait for AFAS.
        self._pool = (
            ThreadPoolExecutor(
                max_workers=THREADS_PER_REQUEST * count, thread_name_prefix="ocafas-post"
            )
            if count > 1
            else None
        )
        self._busy: dict[int, Future[OrderOutcome | None]] = {}  # main thread only
        self._window: deque[_Page] = deque()
        self._failed = threading.Event()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=exc is not None)

    # -- posting -------------------------------------------------------------------------------

    def _book(self, order: Order) -> OrderOutcome | None:
        # A worker's AfasAuthError/AfasForbiddenError stops the run at once: orders not started
        # yet stay unposted (None: the next run picks them up), so a refused app does not get
        # one POST per order. Only those already in flight finish.
        if self._failed.is_set():
            return None
        try:
            return orders.prepare_and_book(self.ctx, self.resolver, order)
        except BaseException:
            self._failed.set()
            raise

    def _submit(self, order: Order) -> Future[OrderOutcome | None]:
        if self._pool is None:
            done: Future[OrderOutcome | None] = Future()
            done.set_result(orders.prepare_and_book(self.ctx, self.resolver, order))
            return done
        future = self._pool.submit(self._book, order)
        self._busy[order.order_id] = future
        return future

    # -- gating --------------------------------------------------------------------------------

    def _gate(self, found: Sequence[Order], bad: Sequence[MalformedOrder], force: bool) -> _Page:
        ctx = self.ctx
        # An order changed in the shop while a worker books it comes back in a later page:
        # let that worker finish first, so the gate sees what it left.
        again = [self._busy[o.order_id] for o in found if o.order_id in self._busy]
        if again:
            wait(again)
        page = _Page([])
        # The ledger's JSON of each order is made before any ledger lock is taken.
        texts = [None if ctx.dry_run else orders.order_text(order) for order in found]
        bookable: list[Order] = []
        chunk: list[tuple[Order, str | None, OrderRecord | None]] = []

        def gate_chunk() -> None:
            with self._writes():
                for order, text, known in chunk:
                    outcome = orders.gate(ctx, order, force=force, document=text, known=known)
                    if outcome is None:
                        bookable.append(order)
                    else:
                        page.gated.append(outcome)
            chunk.clear()

        with self._writes():
            for item in bad:
                page.gated.append(orders.malformed(ctx, item))
        for order, text in zip(found, texts, strict=True):
            known = ctx.ledger.get(order.order_id)
            if orders.changed_after_booking(known, order):
                # Its gate may post a credit, which commits on its own: never inside a chunk.
                gate_chunk()
                outcome = orders.gate(ctx, order, force=force, document=text, known=known)
                if outcome is None:
                    bookable.append(order)
                else:
                    page.gated.append(outcome)
                continue
            chunk.append((order, text, known))
            if len(chunk) >= GATE_CHUNK:
                gate_chunk()
        gate_chunk()
        if bookable:
            ctx.preflight()  # a config AFAS cannot honour stops the run here, before any POST
        page.futures = [self._submit(order) for order in bookable]
        return page

    @contextlib.contextmanager
    def _writes(self) -> Iterator[None]:
        if self.ctx.dry_run:
            yield
        else:
            with self.ctx.ledger.transaction():
                yield

    # -- pages ---------------------------------------------------------------------------------

    def add_page(
        self,
        found: Sequence[Order],
        bad: Sequence[MalformedOrder] = (),
        *,
        cursor: str | None = None,
        force: bool = False,
    ) -> str | None:
        """Gate a page and hand its bookable orders to the workers.

        Returns the cursor to store now: that of the last page finished, in order (None when
        no page finished or the run is stopping).
        """
        page = self._gate(found, bad, force)
        page.cursor = cursor
        self._window.append(page)
        finished = None
        while self._window and (
            len(self._window) > PAGES_AHEAD or all(f.done() for f in self._window[0].futures)
        ):
            finished = self._finish_oldest() or finished
        return finished

    def drain(self) -> str | None:
        """Finish every page in flight; returns the cursor to store as :meth:`add_page` does."""
        finished = None
        while self._window:
            finished = self._finish_oldest() or finished
        return finished

    def _finish_oldest(self) -> str | None:
        page = self._window.popleft()
        if self._failed.is_set():
            # Raise the first worker's error now, not after every page before it has drained.
            for item in (*page.futures, *(f for p in self._window for f in p.futures)):
                if item.done() and not item.cancelled() and item.exception() is not None:
                    item.result()
        for outcome in page.gated:
            self.ctx.result.add(outcome)
        for future in page.futures:
            # .result() re-raises a worker's AfasAuthError/AfasForbiddenError: the run stops.
            booked = future.result()
            if booked is None:
                continue
            self.ctx.result.add(booked)
            if booked.order_id is not None and self._busy.get(booked.order_id) is future:
                del self._busy[booked.order_id]
        return None if self.ctx.stopping() else page.cursor
