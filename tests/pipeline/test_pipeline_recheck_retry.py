"""recheck books orders whose status changed; retry books fixed ones; neither books twice."""

from __future__ import annotations

from collections import Counter

from pipeline_support import COUNTRIES, Setup

from ocafas.ledger import Ledger, OrderState
from ocafas.pipeline import recheck, retry, run_pass
from ocafas.pipeline.result import WOULD_BOOK
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID


def _invoice_counts(setup: Setup) -> Counter[str]:
    return Counter(e.invoice_number for e in setup.afas.entries(ADMIN_SHOP_ID))


def test_recheck_books_orders_whose_status_changed(setup: Setup) -> None:
    generated = setup.shop.generate(60)
    setup.run(run_pass)
    pending = [o["order_id"] for o in generated if o["order_status_id"] in (1, 15)]
    assert len(pending) >= 3
    with Ledger.open(setup.ledger_path) as ledger:
        assert all(ledger.get(i).state is OrderState.OPEN for i in pending)  # type: ignore[union-attr]
    moved, stay = pending[:2], pending[2:]
    for order_id in moved:
        setup.shop.set_status(order_id, 5)
    before = len(setup.afas.entries(ADMIN_SHOP_ID))

    result = setup.run(recheck)

    assert result.booked == len(moved)
    with Ledger.open(setup.ledger_path) as ledger:
        for order_id in moved:
            assert ledger.get(order_id).state is OrderState.PROCESSED  # type: ignore[union-attr]
        for order_id in stay:
            assert ledger.get(order_id).state is OrderState.OPEN  # type: ignore[union-attr]
    assert len(setup.afas.entries(ADMIN_SHOP_ID)) == before + len(moved)
    # The status change also moved date_modified: the next sync sees them, and books nothing.
    again = setup.run(run_pass)
    assert again.booked == 0
    assert max(_invoice_counts(setup).values()) == 1
    assert not setup.run(recheck).booked


def test_retry_after_adding_the_missing_vat_rate(setup: Setup) -> None:
    setup.shop.generate(200)
    setup.run(run_pass)
    with Ledger.open(setup.ledger_path) as ledger:
        missing = [r.order_id for r in ledger.errors(code="RATE_NOT_CONFIGURED")]
        other_errors = [r.order_id for r in ledger.errors() if r.order_id not in missing]
        processed = next(r.order_id for r in ledger.orders_in_state(OrderState.PROCESSED, limit=1))
    assert missing, "the seed should give orders from Austria, which is not configured"

    setup.countries = (*COUNTRIES, "AT")
    setup.zero_everywhere = True
    posts = setup.afas.counts().get("POST salesjournalentry", 0)
    dry = setup.run(retry, codes=["RATE_NOT_CONFIGURED"], dry_run=True)
    assert {o.order_id for o in dry.outcomes if o.outcome == WOULD_BOOK} == set(missing)
    body = next(o.body for o in dry.outcomes if o.body is not None)
    assert body["InvoiceNumber"].startswith("ORD") and body["AdministrationId"] == ADMIN_SHOP_ID
    assert setup.afas.counts().get("POST salesjournalentry", 0) == posts
    with Ledger.open(setup.ledger_path) as ledger:
        assert [r.order_id for r in ledger.errors(code="RATE_NOT_CONFIGURED")] == missing

    result = setup.run(retry, codes=["RATE_NOT_CONFIGURED"])
    assert result.booked == len(missing)
    with Ledger.open(setup.ledger_path) as ledger:
        assert not ledger.errors(code="RATE_NOT_CONFIGURED")
        # the other errors were not selected, so not touched
        assert [r.order_id for r in ledger.errors()] == other_errors

    # A processed order asked for by id is never retried.
    refused = setup.run(retry, order_ids=[processed])
    assert refused.booked == 0 and refused.afas_requests == 0
    assert any("not in error" in note for note in refused.notes)
    assert max(_invoice_counts(setup).values()) == 1


def test_orders_of_one_new_debtor_create_it_once_with_worker_threads(setup: Setup) -> None:
    setup.concurrency = 8
    generated = setup.shop.generate(40)
    same = [o for o in generated if o["order_status_id"] == 5 and not o.get("vat_number")][:6]
    assert len(same) >= 4
    for order in same:
        order["customer"]["email"] = "Repeat.Customer@Example.nl"
        order["payment_address"]["company"] = ""
        order["payment_method"] = {"code": "bank_transfer.bank_transfer", "name": "Bank"}
        setup.shop.add_order(order)

    setup.run(run_pass)

    email = "repeat.customer@example.nl"
    made = [p for p in setup.afas.persons() if (p.email or "").lower() == email]
    assert len(made) == 1
    relation_ids = {
        e.body["RelationId"]
        for e in setup.afas.entries(ADMIN_SHOP_ID)
        if e.invoice_number in {f"ORD{o['order_id']}" for o in same}
    }
    assert relation_ids == {made[0].id}
