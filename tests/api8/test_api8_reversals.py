"""Reversals: one credit entry per reversed booked order, exactly once, also across a SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any

import pytest
from api8_support import CANCELED, REFUNDED, Api8Setup

from ocafas.errors import ExitCode
from ocafas.ledger import EntryKind, Ledger, OrderState
from ocafas.ledger.flags import flagged
from ocafas.pipeline import run_pass
from ocafas.sandbox.afas_hooks import HookedRequest
from ocafas.sandbox.afas_state import PostedEntry

ON = "  reversals: {enabled: true}"


def _total(entry: PostedEntry) -> Decimal:
    return entry.amount_excluding_vat + entry.amount_vat


def _by_number(api8: Api8Setup) -> dict[str, PostedEntry]:
    return {e.invoice_number: e for e in api8.afas.entries()}


def _booked_one(api8: Api8Setup, count: int = 12) -> int:
    api8.bookable_orders(count)
    api8.run(run_pass)
    with Ledger.open(api8.ledger_path) as ledger:
        processed = ledger.orders_in_state(OrderState.PROCESSED)
    assert processed
    return processed[0].order_id


def test_refunded_order_gets_exactly_one_credit_summing_to_minus_the_original(
    api8: Api8Setup,
) -> None:
    api8.booking_extra = ON
    order_id = _booked_one(api8)
    api8.shop.set_status(order_id, REFUNDED)
    result = api8.run(run_pass)
    assert any(o.order_id == order_id and o.outcome == "booked" for o in result.outcomes)
    entries = _by_number(api8)
    original, credit = entries[f"ORD{order_id}"], entries[f"ORD{order_id}-C"]
    assert _total(credit) == -_total(original) != 0
    assert credit.body["RelationId"] == original.body["RelationId"]
    assert credit.body["Reference"] == f"ORD{order_id}"
    modified = api8.shop.order(order_id)["date_modified"]  # type: ignore[index]
    assert credit.body["InvoiceDate"] == modified[:10]
    for mine, theirs in zip(credit.lines, original.lines, strict=True):
        assert mine["AmountExcludingVat"] == -theirs["AmountExcludingVat"]
        assert mine.get("AmountVat", 0) == -theirs.get("AmountVat", 0)
        assert mine["LedgerAccountId"] == theirs["LedgerAccountId"]
    with Ledger.open(api8.ledger_path) as ledger:
        entry = ledger.entry(order_id, EntryKind.CREDIT)
        assert entry is not None and entry.amount_incl == -_total(original)
        assert sum((line.amount_vat for line in entry.lines), Decimal(0)) == -original.amount_vat
        assert ledger.get(order_id).state is OrderState.PROCESSED  # type: ignore[union-attr]

    # it changes again (another status, same refund): no second credit
    api8.shop.set_status(order_id, CANCELED)
    api8.run(run_pass)
    api8.run(run_pass)
    assert len([e for e in api8.afas.entries() if e.invoice_number.endswith("-C")]) == 1


def test_reversals_off_posts_nothing_and_flags_the_order(api8: Api8Setup) -> None:
    order_id = _booked_one(api8)
    before = len(api8.afas.entries())
    api8.shop.set_status(order_id, REFUNDED)
    code, output = api8.invoke("sync")
    assert code == ExitCode.ORDERS_FAILED
    assert f"order {order_id}: REVERSAL_NOT_BOOKED" in output
    assert len(api8.afas.entries()) == before
    code, output = api8.invoke("report", "errors", "--from", "2025-01-01", "--to", "2030-12-31")
    assert "REVERSAL_NOT_BOOKED" in output and str(order_id) in output
    code, output = api8.invoke(
        "report", "processed", "--from", "2025-01-01", "--to", "2030-12-31", "--format", "csv"
    )
    row = next(line for line in output.splitlines() if line.startswith(f"{order_id},"))
    assert "changed after booking" in row


def test_a_changed_total_is_not_guessed_at(api8: Api8Setup) -> None:
    api8.booking_extra = ON
    order_id = _booked_one(api8)
    order: dict[str, Any] = api8.shop.order(order_id)  # type: ignore[assignment]
    order["total"] = str(Decimal(str(order["total"])) - Decimal("5.00"))
    api8.shop.add_order(order)
    api8.shop.set_status(order_id, REFUNDED)
    result = api8.run(run_pass)
    assert [o.code for o in result.outcomes if o.order_id == order_id] == ["PARTIAL_REFUND"]
    assert not [e for e in api8.afas.entries() if e.invoice_number.endswith("-C")]
    with Ledger.open(api8.ledger_path) as ledger:
        flags = flagged(ledger)
    assert [(f.order_id, f.code) for f in flags] == [(order_id, "PARTIAL_REFUND")]
    assert "by hand" in (flags[0].hint or "")


def _sync(api8: Api8Setup) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ocafas", "--config", str(api8.config_path), "sync"],
        env=api8.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("when", ["before", "after"])
def test_killed_around_the_credit_post_books_it_exactly_once(api8: Api8Setup, when: str) -> None:
    api8.booking_extra = ON
    api8.concurrency = 1
    order_id = _booked_one(api8)
    api8.write_config()
    api8.shop.set_status(order_id, REFUNDED)
    holder: dict[str, subprocess.Popen[bytes]] = {}

    def kill(request: HookedRequest) -> bool:
        if b"-C" not in request.body:
            return False
        os.kill(holder["process"].pid, signal.SIGKILL)
        time.sleep(0.2)  # the process is gone before the sandbox goes on
        return when == "before"  # before: AFAS never saw it; after: AFAS booked it

    api8.afas.on_request(kill, endpoint="POST salesjournalentry", when=when, count=None)
    holder["process"] = process = _sync(api8)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    api8.afas.hooks.clear()
    credits = [e for e in api8.afas.entries() if e.invoice_number == f"ORD{order_id}-C"]
    assert len(credits) == (1 if when == "after" else 0)
    with Ledger.open(api8.ledger_path) as ledger:
        pending = ledger.pending_postings()
        assert [(e.order_id, e.kind) for e in pending] == [(order_id, EntryKind.CREDIT)]

    code, output = api8.invoke("sync")
    assert code == ExitCode.OK, output
    credits = [e for e in api8.afas.entries() if e.invoice_number == f"ORD{order_id}-C"]
    assert len(credits) == 1
    original = _by_number(api8)[f"ORD{order_id}"]
    assert _total(credits[0]) == -_total(original)
    with Ledger.open(api8.ledger_path) as ledger:
        assert ledger.pending_postings() == []
        entry = ledger.entry(order_id, EntryKind.CREDIT)
        assert entry is not None and entry.amount_incl == -_total(original)
        assert flagged(ledger) == []
