"""Event log, debtor cache, sync cursor and ICP evidence."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from ocafas.ledger import DebtorKey, IcpEvidence, Ledger, TransitionError, normalise_debtor_value


def test_events_are_appended_in_order_with_details(ledger, see):
    see(1)
    ledger.add_event(1, "debtor_matched", relation_id="r-1", amount=Decimal("12.40"))
    ledger.add_event(None, "pass_started", page_size=100)
    events = ledger.events(1)
    assert [e.event for e in events] == ["seen", "debtor_matched"]
    assert events[1].details == {"relation_id": "r-1", "amount": Decimal("12.40")}
    assert events[0].event_id < events[1].event_id
    assert [e.event for e in ledger.events(None)] == ["pass_started"]
    assert len(ledger.events(1, limit=1)) == 1


def test_events_can_never_be_updated_or_deleted(ledger, ledger_path, see):
    see(1)
    raw = sqlite3.connect(ledger_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("UPDATE events SET event = 'forged'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM events")
    finally:
        raw.close()
    assert [e.event for e in ledger.events(1)] == ["seen"]


def test_event_needs_a_name(ledger):
    with pytest.raises(ValueError):
        ledger.add_event(1, "")


def test_cursor_per_shop(ledger, ledger_path):
    assert ledger.get_cursor() is None
    ledger.set_cursor("2025-04-01T10:22:05|1234")
    ledger.set_cursor("2025-04-02T08:00:00|1300")
    assert ledger.get_cursor() == "2025-04-02T08:00:00|1300"
    with Ledger.open(ledger_path, shop="other") as other:
        assert other.get_cursor() is None


def test_debtor_cache_normalises_keys(ledger):
    assert ledger.get_debtor("email", "jan@example.nl") is None
    stored = ledger.put_debtor("email", "  Jan@Example.NL ", "rel-1", "person", created_by_us=True)
    assert stored.value == "jan@example.nl" and stored.created_by_us
    found = ledger.get_debtor(DebtorKey.EMAIL, "JAN@example.nl")
    assert found == stored
    ledger.put_debtor("vat", "NL 8538.34.582-B01", "rel-2", "organisation")
    assert ledger.get_debtor("vat", "nl853834582b01").relation_id == "rel-2"
    assert ledger.get_debtor("email", "nl853834582b01") is None


def test_debtor_cache_replace_and_drop(ledger):
    ledger.put_debtor("email", "a@b.nl", "rel-1", "person")
    ledger.put_debtor("email", "a@b.nl", "rel-9", "organisation")
    assert ledger.get_debtor("email", "a@b.nl").relation_id == "rel-9"
    assert ledger.drop_debtor("email", "A@B.nl") is True
    assert ledger.drop_debtor("email", "a@b.nl") is False
    assert ledger.get_debtor("email", "a@b.nl") is None


def test_debtor_cache_refuses_empty_keys_and_kinds(ledger):
    with pytest.raises(ValueError):
        ledger.put_debtor("email", "   ", "rel", "person")
    with pytest.raises(ValueError):
        ledger.put_debtor("phone", "0612345678", "rel", "person")
    with pytest.raises(ValueError):
        normalise_debtor_value("vat", " . - ")


def test_icp_evidence_is_kept_per_order_append_only(ledger, ledger_path, see):
    see(1)
    first = IcpEvidence("be", "BE0123456749", False, "2025-04-01T10:00:00+00:00")
    second = IcpEvidence(
        "BE",
        "BE0123456749",
        True,
        "2025-04-02T10:00:00+00:00",
        "WAPIAAAAW1234567",
        "Example BV",
        "Straat 1, Gent",
        '{"valid": true}',
    )
    ledger.add_icp_evidence(1, first)
    ledger.add_icp_evidence(1, second)
    kept = ledger.icp_evidence(1)
    assert [e.valid for e in kept] == [False, True]
    assert kept[0].country_code == "BE"
    assert kept[1] == second
    with pytest.raises(TransitionError):
        ledger.add_icp_evidence(2, first)
    raw = sqlite3.connect(ledger_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("UPDATE icp_evidence SET valid = 1")
    finally:
        raw.close()
