"""Crashes and outages around the POST: every order still ends booked exactly once."""

from __future__ import annotations

from collections import Counter

from pipeline_support import Setup

from ocafas.ledger import EntrySource, Ledger, OrderState
from ocafas.pipeline import run_pass
from ocafas.pipeline.result import PENDING
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID

ONE_TRY = {"max_attempts": 1}


def _assert_booked_once(setup: Setup) -> None:
    counts = Counter(e.invoice_number for e in setup.afas.entries(ADMIN_SHOP_ID))
    assert max(counts.values()) == 1
    with Ledger.open(setup.ledger_path) as ledger:
        processed = ledger.orders_in_state(OrderState.PROCESSED)
        assert not ledger.pending_postings()
        assert {f"ORD{r.order_id}" for r in processed} == set(counts)


def test_answer_lost_after_booking_is_reconciled_by_the_next_run(setup: Setup) -> None:
    setup.concurrency = 1
    setup.shop.generate(30)
    setup.afas.faults.drop_next(1, "POST salesjournalentry", after_processing=True)

    first = setup.run(run_pass, afas_options=ONE_TRY)

    lost = [o.order_id for o in first.outcomes if o.outcome == PENDING]
    assert len(lost) == 1 and lost[0] is not None
    order_id = lost[0]
    with Ledger.open(setup.ledger_path) as ledger:
        assert ledger.get(order_id).state is OrderState.POSTING  # type: ignore[union-attr]
    booked = [e for e in setup.afas.entries(ADMIN_SHOP_ID) if e.invoice_number == f"ORD{order_id}"]
    assert len(booked) == 1, "the sandbox booked it though the client never heard"

    second = setup.run(run_pass)

    assert second.reconciled == 1 and second.booked == 1
    with Ledger.open(setup.ledger_path) as ledger:
        entry = ledger.entry(order_id)
        assert entry is not None and entry.afas_entry_id == booked[0].id
        assert entry.source is EntrySource.BOOKED  # AFAS replayed its first answer
    _assert_booked_once(setup)


def test_already_exists_on_resend_counts_as_booked(setup: Setup) -> None:
    setup.concurrency = 1
    setup.shop.generate(10)
    setup.afas.faults.drop_next(1, "POST salesjournalentry", after_processing=True)
    first = setup.run(run_pass, afas_options=ONE_TRY)
    order_id = next(o.order_id for o in first.outcomes if o.outcome == PENDING)
    with setup.afas.state.lock:  # AFAS forgot the Tracking-Identifier (its replay window ended)
        setup.afas.state.replays.clear()

    second = setup.run(run_pass)

    assert second.reconciled == 1
    with Ledger.open(setup.ledger_path) as ledger:
        entry = ledger.entry(order_id)  # type: ignore[arg-type]
        assert entry is not None and entry.source is EntrySource.FOUND
        sandbox = next(
            e for e in setup.afas.entries(ADMIN_SHOP_ID) if e.invoice_number == f"ORD{order_id}"
        )
        assert entry.afas_entry_id == sandbox.id  # looked up in salesinvoices
    _assert_booked_once(setup)


def test_afas_down_stops_the_run_and_the_next_run_finishes(setup: Setup) -> None:
    setup.concurrency = 1
    generated = setup.shop.generate(40)
    setup.afas.faults.fail_next(100, 503, "POST salesjournalentry")

    first = setup.run(run_pass, afas_options=ONE_TRY)

    assert first.stopped is not None and "in a row" in first.stopped
    assert first.booked == 0
    assert setup.afas.counts().get("POST salesjournalentry", 0) == 3
    setup.afas.faults.clear()

    second = setup.run(run_pass)

    assert second.stopped is None and second.booked > 0
    _assert_booked_once(setup)
    with Ledger.open(setup.ledger_path) as ledger:
        states = Counter(ledger.get(o["order_id"]).state for o in generated)  # type: ignore[union-attr]
    assert states[OrderState.SEEN] == 0 and states[OrderState.POSTING] == 0


def test_resend_meeting_a_hand_booked_invoice_of_another_amount_is_not_taken_as_ours(
    setup: Setup,
) -> None:
    from decimal import Decimal

    from ocafas.afas import jsonbody

    setup.concurrency = 1
    setup.shop.generator.broken = 0.0
    setup.shop.generate(10)
    setup.afas.faults.drop_next(1, "POST salesjournalentry", after_processing=False)
    first = setup.run(run_pass, afas_options=ONE_TRY)
    order_id = next(o.order_id for o in first.outcomes if o.outcome == PENDING)
    assert order_id is not None
    with Ledger.open(setup.ledger_path) as ledger:
        pending = ledger.entry(order_id)
        assert pending is not None and pending.request_body is not None
        body = jsonbody.loads(pending.request_body)
    body["InvoiceLine"][0]["AmountExcludingVat"] += Decimal("1.00")
    with setup.afas.state.lock:  # a person books the same invoice number by hand meanwhile
        booked = setup.afas.state.post_entry(body, jsonbody.dumps(body), "3", None)
    assert booked.status == 200

    second = setup.run(run_pass)

    assert second.reconciled == 1
    with Ledger.open(setup.ledger_path) as ledger:
        record = ledger.get(order_id)
        assert record is not None and record.state is OrderState.ERROR
        assert record.error is not None and record.error.code == "DUPLICATE_INVOICE"
        assert not ledger.pending_postings()
