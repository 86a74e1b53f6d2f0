"""Intents of concurrent workers share durable commits; each one still refuses on its own."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from ocafas.ledger import EntryState, OrderState, TransitionError


def test_concurrent_intents_share_commits_and_all_are_on_disk(ledger, see, monkeypatch):
    orders = range(1, 41)
    for order_id in orders:
        see(order_id)
    real = ledger.transaction

    def transaction(*, durable: bool = False):
        if durable:
            durable_commits.append(1)
            time.sleep(0.01)  # a slow disk: the others queue meanwhile
        return real(durable=durable)

    durable_commits: list[int] = []
    monkeypatch.setattr(ledger._intents, "_transaction", transaction)
    start = threading.Barrier(8)
    entries = {}

    def worker(ids):
        start.wait()
        for order_id in ids:
            entries[order_id] = ledger.begin_posting(
                order_id, "booking", str(uuid.uuid4()), {"order": order_id}
            )

    threads = [threading.Thread(target=worker, args=(orders[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(entries) == list(orders)
    assert all(e.state is EntryState.POSTING for e in entries.values())
    assert len(durable_commits) < len(orders)  # fewer syncs than intents
    assert ledger._intents.jobs == len(orders)
    for order_id in orders:
        assert ledger.get(order_id).state is OrderState.POSTING
        assert ledger.entry(order_id).tracking_id == entries[order_id].tracking_id


def test_a_refused_intent_in_a_group_undoes_only_itself(ledger, see):
    see(1)
    see(2)
    see(3)
    ledger.begin_posting(3, "booking", str(uuid.uuid4()), {}, invoice_number="INV-1")
    results: dict[int, object] = {}
    gate = threading.Event()
    real = ledger._intents._transaction

    def transaction(*, durable: bool = False):
        if durable:
            gate.wait(2)  # the first leader waits until both others queued
        return real(durable=durable)

    ledger._intents._transaction = transaction

    def post(order_id, number):
        try:
            results[order_id] = ledger.begin_posting(
                order_id, "booking", str(uuid.uuid4()), {}, invoice_number=number
            )
        except TransitionError as err:
            results[order_id] = err

    first = threading.Thread(target=post, args=(1, "INV-1"))  # used by order 3: refused
    second = threading.Thread(target=post, args=(2, "INV-2"))
    first.start()
    second.start()
    time.sleep(0.2)
    gate.set()
    first.join()
    second.join()
    assert isinstance(results[1], TransitionError) and "INV-1" in str(results[1])
    assert ledger.get(1).state is OrderState.SEEN
    assert ledger.get(2).state is OrderState.POSTING


def test_begin_posting_inside_the_callers_transaction_is_refused(ledger, see):
    see(1)
    with pytest.raises(TransitionError, match="commit on its own"), ledger.transaction():
        ledger.begin_posting(1, "booking", str(uuid.uuid4()), {})
    assert ledger.get(1).state is OrderState.SEEN
