"""Transactions roll back on any exception, nest as savepoints, and threads share one ledger."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from ocafas.ledger import EntryState, Ledger, OrderState, TransitionError


class Boom(Exception):
    pass


@pytest.mark.parametrize("exc_type", [Boom, KeyboardInterrupt, SystemExit])
def test_rollback_on_any_exception(exc_type, ledger, see):
    see(1)
    with pytest.raises(exc_type), ledger.transaction():
        ledger.mark_open(1)
        ledger.set_cursor("page-2")
        ledger.add_event(1, "half-way")
        raise exc_type()
    assert ledger.get(1).state is OrderState.SEEN
    assert ledger.get_cursor() is None
    assert [e.event for e in ledger.events(1)] == ["seen"]
    # The connection is usable again and not left inside a transaction.
    assert not ledger._db().in_transaction
    ledger.mark_open(1)
    assert ledger.get(1).state is OrderState.OPEN


def test_page_and_cursor_commit_together(ledger, see, ledger_path):
    with ledger.transaction():
        see(1)
        see(2)
        ledger.set_cursor("after-2")
    with Ledger.open(ledger_path) as other:
        assert other.get_cursor() == "after-2" and other.get(2) is not None


def test_nested_block_is_a_savepoint(ledger, see):
    see(1)
    see(2)
    with ledger.transaction():
        ledger.mark_open(1)
        try:
            with ledger.transaction():
                ledger.mark_open(2)
                raise Boom()
        except Boom:
            pass
    assert ledger.get(1).state is OrderState.OPEN
    assert ledger.get(2).state is OrderState.SEEN


def test_a_failed_guard_inside_a_transaction_writes_nothing(ledger, see, booked):
    see(1)
    with pytest.raises(TransitionError), ledger.transaction():
        ledger.mark_open(1)
        ledger.mark_processed(1, booked())  # no posting entry: refused
    assert ledger.get(1).state is OrderState.SEEN


def test_other_readers_do_not_see_uncommitted_work(ledger, ledger_path, see):
    see(1)
    with Ledger.open(ledger_path) as reader, ledger.transaction():
        ledger.mark_open(1)
        assert reader.get(1).state is OrderState.SEEN
    assert ledger.get(1).state is OrderState.OPEN


def test_worker_threads_post_concurrently_without_double_booking(ledger, see, booked):
    order_ids = list(range(1, 41))
    for order_id in order_ids:
        see(order_id)
    barrier = threading.Barrier(8)

    def worker(order_id: int) -> str:
        # Every order is attempted by two threads at once; exactly one may win.
        if order_id <= 8:
            barrier.wait()
        try:
            entry = ledger.begin_posting(order_id % 20 + 1, "booking", str(uuid.uuid4()), {})
        except TransitionError:
            return "lost"
        ledger.mark_processed(
            entry.order_id, booked(f"INV-{entry.order_id}"), tracking_id=entry.tracking_id
        )
        return "won"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(worker, order_ids))
    assert outcomes.count("won") == 20 and outcomes.count("lost") == 20
    assert ledger.counts()[OrderState.PROCESSED] == 20
    for order_id in range(1, 21):
        assert [e.state for e in ledger.entries(order_id)] == [EntryState.PROCESSED]


def test_begin_posting_refuses_to_run_inside_a_transaction(ledger, see):
    see(1)
    with pytest.raises(TransitionError, match="before the POST"), ledger.transaction():
        ledger.begin_posting(1, "booking", str(uuid.uuid4()), {})
    assert ledger.pending_postings() == []
    assert ledger.begin_posting(1, "booking", str(uuid.uuid4()), {}).state is EntryState.POSTING


def test_only_the_intent_before_a_post_waits_for_the_disk(ledger, see):
    """The posting intent is a durable commit; seen, outcomes and events are not (reconcile)."""
    see(1)
    statements: list[str] = []
    ledger._db().set_trace_callback(statements.append)
    try:
        ledger.begin_posting(1, "booking", str(uuid.uuid4()), {"a": 1})
        intent = list(statements)
        statements.clear()
        see(2)
        ledger.add_event(2, "note")
    finally:
        ledger._db().set_trace_callback(None)
    begin = intent.index("BEGIN IMMEDIATE")
    assert "PRAGMA synchronous = FULL" in intent[:begin]
    assert intent.index("COMMIT") < intent.index("PRAGMA synchronous = NORMAL")
    assert not any("synchronous = FULL" in s for s in statements)
    assert ledger._db().execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL again
