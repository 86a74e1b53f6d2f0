"""Every move of the state diagram, and the illegal ones refused without writing anything."""

from __future__ import annotations

import sqlite3
import uuid
from decimal import Decimal

import pytest

from ocafas.ledger import (
    EntryKind,
    EntrySource,
    EntryState,
    Ledger,
    OrderState,
    SkipReason,
    TransitionError,
    fingerprint,
)

BODY = {"AdministrationId": "a", "InvoiceNumber": "INV-1", "Amount": Decimal("121.00")}


def test_record_seen_inserts_seen_and_refresh_keeps_state(ledger, see):
    first = see(7)
    assert first.state is OrderState.SEEN
    assert first.order["total"] == "121.0000"
    assert first.date_added == "2025-04-01T10:20:00+02:00"
    ledger.mark_open(7)
    again = see(7, date_modified="2025-04-02T09:00:00+02:00", status_id=2)
    assert again.state is OrderState.OPEN
    assert again.status_id == 2
    assert again.first_seen_at == first.first_seen_at
    assert [e.event for e in ledger.events(7)] == ["seen", "open", "changed"]


def test_record_seen_refuses_bad_dates_and_floats(ledger, see):
    with pytest.raises(ValueError, match="ISO-8601"):
        see(1, date_added="yesterday")
    with pytest.raises(ValueError, match="floats"):
        see(1, order={"total": 12.1})
    with pytest.raises(ValueError, match="must be an object"):
        see(1, order="[1, 2]")
    assert ledger.get(1) is None


def test_open_then_skip_then_open_again(ledger, see):
    see(1)
    assert ledger.mark_open(1, reason="status pending").state is OrderState.OPEN
    skipped = ledger.mark_skipped(1, SkipReason.EXCLUDED, "excluded by the user")
    assert skipped.state is OrderState.SKIPPED
    assert skipped.skip_reason is SkipReason.EXCLUDED
    assert skipped.skip_detail == "excluded by the user"
    reopened = ledger.mark_open(1)
    assert reopened.state is OrderState.OPEN and reopened.skip_reason is None


def test_skip_reasons_are_a_closed_list(ledger, see):
    see(1)
    with pytest.raises(ValueError):
        ledger.mark_skipped(1, "because")
    assert ledger.mark_skipped(1, "zero_total").skip_reason is SkipReason.ZERO_TOTAL


def test_begin_posting_records_intent_before_the_post(ledger, see, new_tracking_id):
    see(1)
    tracking = new_tracking_id()
    entry = ledger.begin_posting(1, "booking", tracking, BODY, invoice_number="INV-1")
    assert entry.state is EntryState.POSTING
    assert entry.tracking_id == tracking
    assert entry.fingerprint == fingerprint(BODY)
    assert entry.request_body == '{"AdministrationId":"a","Amount":121.00,"InvoiceNumber":"INV-1"}'
    order = ledger.get(1)
    assert order.state is OrderState.POSTING
    assert order.attempts == 1 and order.last_attempt_at is not None
    assert [e.tracking_id for e in ledger.pending_postings()] == [tracking]


def test_begin_posting_keeps_a_string_body_byte_for_byte(ledger, see, new_tracking_id):
    see(1)
    text = '{"b": 1.50, "a": "x"}'
    entry = ledger.begin_posting(1, EntryKind.BOOKING, new_tracking_id(), text)
    assert entry.request_body == text
    assert entry.fingerprint == fingerprint({"a": "x", "b": Decimal("1.50")})


def test_begin_posting_checks_fingerprint_and_tracking_id(ledger, see, new_tracking_id):
    see(1)
    with pytest.raises(ValueError, match="fingerprint"):
        ledger.begin_posting(1, "booking", new_tracking_id(), BODY, "0" * 64)
    with pytest.raises(ValueError, match="UUID"):
        ledger.begin_posting(1, "booking", "not-a-uuid", BODY)
    assert ledger.get(1).state is OrderState.SEEN
    assert ledger.pending_postings() == []


def test_processed_with_lines_and_amounts(ledger, see, booked, new_tracking_id):
    see(1)
    tracking = new_tracking_id()
    ledger.begin_posting(1, "booking", tracking, BODY, invoice_number="INV-1")
    entry = ledger.mark_processed(1, booked(), tracking_id=tracking, response={"result": "ok"})
    assert entry.state is EntryState.PROCESSED and entry.source is EntrySource.BOOKED
    assert entry.amount_incl == Decimal("121.00") and isinstance(entry.amount_vat, Decimal)
    assert [line.amount_excl for line in entry.lines] == [Decimal("60.00"), Decimal("40.00")]
    assert entry.lines[0].vat_rate == Decimal("21")
    assert entry.response_body == '{"result":"ok"}'
    assert ledger.get(1).state is OrderState.PROCESSED
    assert ledger.pending_postings() == []
    assert ledger.entry(1) == entry


def test_found_in_afas_during_reconcile(ledger, see, booked, new_tracking_id):
    see(1)
    ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    entry = ledger.mark_processed(1, booked(afas_entry_id=None), source="found")
    assert entry.source is EntrySource.FOUND and entry.afas_entry_id is None


def test_record_found_without_posting(ledger, see, booked):
    see(1)
    entry = ledger.record_found(1, booked())
    assert entry.source is EntrySource.FOUND and entry.tracking_id is None
    assert ledger.get(1).state is OrderState.PROCESSED
    with pytest.raises(TransitionError):
        ledger.record_found(1, booked("INV-2"))


def test_error_from_checks_then_retry_then_processed(ledger, see, booked, new_tracking_id):
    see(1)
    failed = ledger.mark_error(1, "vat_unmapped", "no VAT mapping for DE 19%", "configure-vat")
    assert failed.state is OrderState.ERROR
    assert (failed.error.code, failed.error.hint) == ("vat_unmapped", "configure-vat")
    assert failed.attempts == 1
    again = ledger.mark_error(1, "vat_unmapped", "still no mapping")
    assert again.attempts == 2 and again.error.message == "still no mapping"
    entry = ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    assert ledger.get(1).error is None and ledger.get(1).attempts == 3
    ledger.mark_processed(1, booked(), tracking_id=entry.tracking_id)
    assert ledger.get(1).state is OrderState.PROCESSED
    retry_event = next(e for e in ledger.events(1) if e.event == "posting")
    assert retry_event.details["retry"] is True


def test_afas_refusal_fails_the_entry_and_retry_needs_new_tracking_id(ledger, see, new_tracking_id):
    see(1)
    first = ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    order = ledger.mark_error(1, "afas_rejected", "ledger account unknown", response='{"x":1}')
    assert order.state is OrderState.ERROR and order.attempts == 1
    (old,) = ledger.entries(1)
    assert old.state is EntryState.FAILED and old.error.code == "afas_rejected"
    assert old.response_body == '{"x":1}'
    with pytest.raises(TransitionError, match="used before"):
        ledger.begin_posting(1, "booking", first.tracking_id, BODY)
    second = ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    assert [e.state for e in ledger.entries(1)] == [EntryState.FAILED, EntryState.POSTING]
    assert ledger.entry(1) == second
    assert ledger.get(1).attempts == 2


def test_recheck_moves_error_to_open_and_skipped(ledger, see):
    see(1)
    ledger.mark_error(1, "c", "m")
    assert ledger.mark_open(1).error is None
    ledger.mark_error(1, "c", "m")
    assert ledger.mark_skipped(1, "excluded").error is None


@pytest.mark.parametrize(
    "setup",
    ["posting", "processed", "skipped"],
)
def test_booking_cannot_begin_twice_or_from_final_states(
    setup, ledger, see, booked, new_tracking_id
):
    see(1)
    if setup in ("posting", "processed"):
        ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    if setup == "processed":
        ledger.mark_processed(1, booked())
    if setup == "skipped":
        ledger.mark_skipped(1, "before_start_date")
    before = ledger.entries(1), ledger.get(1), len(ledger.events(1))
    with pytest.raises(TransitionError, match=f"is {setup}"):
        ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    assert (ledger.entries(1), ledger.get(1), len(ledger.events(1))) == before


def test_processed_is_final_for_the_booking(ledger, see, booked, new_tracking_id):
    see(1)
    ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    ledger.mark_processed(1, booked())
    for move in (
        lambda: ledger.mark_open(1),
        lambda: ledger.mark_skipped(1, "excluded"),
        lambda: ledger.mark_error(1, "c", "m"),
        lambda: ledger.mark_processed(1, booked("INV-2")),
    ):
        with pytest.raises(TransitionError):
            move()
    assert ledger.get(1).state is OrderState.PROCESSED


def test_posting_can_only_end_processed_or_error(ledger, see, new_tracking_id):
    see(1)
    ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    with pytest.raises(TransitionError):
        ledger.mark_open(1)
    with pytest.raises(TransitionError):
        ledger.mark_skipped(1, "excluded")
    assert ledger.get(1).state is OrderState.POSTING


def test_mark_processed_needs_a_posting_entry_with_that_tracking_id(
    ledger, see, booked, new_tracking_id
):
    see(1)
    with pytest.raises(TransitionError, match="no booking entry"):
        ledger.mark_processed(1, booked())
    ledger.begin_posting(1, "booking", new_tracking_id(), BODY, invoice_number="INV-1")
    with pytest.raises(TransitionError, match="not the posting one"):
        ledger.mark_processed(1, booked(), tracking_id=new_tracking_id())
    with pytest.raises(TransitionError, match="the request said INV-1"):
        ledger.mark_processed(1, booked("INV-9"))
    assert ledger.get(1).state is OrderState.POSTING


def test_amounts_that_do_not_add_up_are_refused(ledger, see, booked, new_tracking_id):
    see(1)
    ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    with pytest.raises(ValueError, match="!= incl"):
        ledger.mark_processed(1, booked(amount_incl=Decimal("121.01")))
    with pytest.raises(ValueError, match="lines sum"):
        ledger.mark_processed(
            1, booked(amount_excl=Decimal("100.01"), amount_incl=Decimal("121.01"))
        )
    assert ledger.get(1).state is OrderState.POSTING


def test_unknown_order_is_refused(ledger, new_tracking_id):
    with pytest.raises(TransitionError, match="not in the ledger"):
        ledger.mark_open(404)
    with pytest.raises(TransitionError):
        ledger.begin_posting(404, "booking", new_tracking_id(), BODY)


def test_one_invoice_number_cannot_serve_two_orders(ledger, see, booked, new_tracking_id):
    see(1)
    see(2)
    ledger.begin_posting(1, "booking", new_tracking_id(), BODY, invoice_number="INV-1")
    with pytest.raises(TransitionError, match="already used by order 1"):
        ledger.begin_posting(2, "booking", new_tracking_id(), BODY, invoice_number="INV-1")
    ledger.begin_posting(2, "booking", new_tracking_id(), BODY)
    with pytest.raises(TransitionError, match="already used by order 1"):
        ledger.mark_processed(2, booked("INV-1"))


def test_credit_entry_exactly_once_after_the_booking(ledger, see, booked, new_tracking_id):
    see(1)
    with pytest.raises(TransitionError, match="cannot begin posting a credit"):
        ledger.begin_posting(1, "credit", new_tracking_id(), BODY)
    ledger.begin_posting(1, "booking", new_tracking_id(), BODY)
    ledger.mark_processed(1, booked())
    credit = ledger.begin_posting(1, "credit", new_tracking_id(), {"credit": True})
    assert credit.kind is EntryKind.CREDIT
    assert [e.kind for e in ledger.pending_postings()] == [EntryKind.CREDIT]
    with pytest.raises(TransitionError, match="already has a posting credit"):
        ledger.begin_posting(1, "credit", new_tracking_id(), {"credit": True})
    ledger.mark_error(1, "afas_rejected", "period closed", kind="credit")
    assert ledger.get(1).state is OrderState.PROCESSED
    with pytest.raises(TransitionError, match="no posting credit"):
        ledger.mark_error(1, "afas_rejected", "again", kind="credit")
    ledger.begin_posting(1, "credit", new_tracking_id(), {"credit": True})
    done = ledger.mark_processed(1, booked("CR-1", sign=-1), kind="credit")
    assert done.amount_incl == Decimal("-121.00")
    with pytest.raises(TransitionError, match="already has a processed credit"):
        ledger.begin_posting(1, "credit", new_tracking_id(), {"credit": True})
    kinds = [(e.kind.value, e.state.value) for e in ledger.entries(1)]
    assert kinds == [
        ("booking", "processed"),
        ("credit", "failed"),
        ("credit", "processed"),
    ]
    assert ledger.get(1).state is OrderState.PROCESSED


def test_queries_errors_open_ids_counts(ledger, see, new_tracking_id):
    for order_id in range(1, 7):
        see(order_id, date_added=f"2025-04-0{order_id}T10:00:00+02:00")
    ledger.mark_open(2)
    ledger.mark_error(3, "vat_unmapped", "m")
    ledger.mark_error(4, "no_debtor", "m")
    ledger.mark_skipped(5, "zero_total")
    ledger.begin_posting(6, "booking", new_tracking_id(), BODY)
    assert ledger.open_order_ids() == [1, 2]
    assert [o.order_id for o in ledger.errors()] == [3, 4]
    assert [o.order_id for o in ledger.errors(code="no_debtor")] == [4]
    assert [o.order_id for o in ledger.errors(order_ids=[3, 5])] == [3]
    counts = ledger.counts()
    assert counts[OrderState.SEEN] == 1 and counts[OrderState.PROCESSED] == 0
    assert sum(counts.values()) == 6
    assert [o.order_id for o in ledger.orders_in_state("error", added_from="2025-04-04")] == [4]
    assert ledger.orders_in_state("error", added_before="2025-04-04")[0].order_id == 3
    assert len(ledger.orders_in_state(OrderState.ERROR, limit=1)) == 1


def test_shops_are_namespaced_in_one_file(ledger, ledger_path, see):
    see(1)
    with Ledger.open(ledger_path, shop="second") as other:
        assert other.get(1) is None
        see(1, target=other, country="BE")
        assert other.get(1).country == "BE"
        assert other.counts()[OrderState.SEEN] == 1
    assert ledger.get(1).country == "NL"


def test_triggers_refuse_raw_sql_that_breaks_the_rules(ledger, ledger_path, see, booked):
    see(1)
    ledger.record_found(1, booked())
    raw = sqlite3.connect(ledger_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="illegal order state change"):
            raw.execute("UPDATE orders SET state = 'open' WHERE order_id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):
            raw.execute("UPDATE entries SET amount_incl = '1.00'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM entries")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            raw.execute(
                "INSERT INTO entries (shop, order_id, kind, state, created_at, tracking_id,"
                " fingerprint, request_body) VALUES ('default', 1, 'booking', 'posting', 'now',"
                f" '{uuid.uuid4()}', 'f', '{{}}')"
            )
    finally:
        raw.close()
