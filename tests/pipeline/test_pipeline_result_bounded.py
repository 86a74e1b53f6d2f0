"""A pass counts every order but keeps only what a person reads, so memory stays flat."""

from __future__ import annotations

from ocafas.pipeline.result import (
    BOOKED,
    ERROR,
    KEEP_ALL_UP_TO,
    PENDING,
    WOULD_BOOK,
    OrderOutcome,
    PassResult,
)


def test_counts_every_outcome_and_keeps_those_a_person_reads() -> None:
    result = PassResult("sync")
    for order_id in range(1, 5001):
        result.add(OrderOutcome(order_id, BOOKED, reconciled=order_id % 1000 == 0))
    result.add(OrderOutcome(9001, ERROR, "AFAS_FAILED", "refused"))
    result.add(OrderOutcome(9002, PENDING, message="no answer"))
    assert result.counts[BOOKED] == 5000 and result.booked == 5000
    assert result.reconciled == 5
    assert len(result.outcomes) == KEEP_ALL_UP_TO + 2
    assert [o.order_id for o in result.errors] == [9001]
    assert result.counts[PENDING] == 1 and not result.clean


def test_a_dry_run_keeps_every_outcome() -> None:
    result = PassResult("sync", dry_run=True)
    for order_id in range(1, KEEP_ALL_UP_TO + 11):
        result.add(OrderOutcome(order_id, WOULD_BOOK, body={"InvoiceNumber": str(order_id)}))
    assert len(result.outcomes) == KEEP_ALL_UP_TO + 10
