"""SIGKILL at each step of booking one order, then sync again: every order booked exactly once.

The ``ocafas sync`` under test is a real subprocess with no test hook in it; the AFAS sandbox,
running in this process, kills it at the exact moment (``AfasSandbox.on_request``):

- before: the posting intent is committed and the POST reaches AFAS, which drops it unprocessed
  (the process died before its request left);
- during: the POST is inside AFAS (its latency) when the process dies; AFAS books it anyway;
- after: AFAS has stored the entry and not yet answered; the ledger never hears of it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from pipeline_support import COUNTRIES, Setup

from ocafas.ledger import EntrySource, Ledger, OrderState
from ocafas.money import to_cents
from ocafas.sandbox.afas_hooks import HookedRequest
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID

PROCESSABLE = {2, 3, 5}  # Processing, Shipped, Complete: the conftest's processable_statuses


def _sync(setup: Setup) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ocafas", "--config", str(setup.config_path), "sync"],
        env=setup.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(condition: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize("step", ["before", "during", "after"])
def test_sigkill_at_each_step_of_booking_one_order(setup: Setup, step: str) -> None:
    setup.concurrency = 1  # one POST in flight: the kill hits exactly one order
    setup.shop.generator.broken = 0.0
    setup.countries = (*COUNTRIES, "AT")
    setup.zero_everywhere = True  # every processable order is bookable
    generated = setup.shop.generate(12)
    bookable = {o["order_id"]: o for o in generated if o["order_status_id"] in PROCESSABLE}
    assert len(bookable) >= 4
    setup.write_config()

    pid: list[int] = []
    pid_known, hit = threading.Event(), threading.Event()

    def kill(request: HookedRequest) -> bool:
        assert pid_known.wait(10)
        hit.set()
        if step != "during":
            os.kill(pid[0], signal.SIGKILL)
        return step == "before"  # before: the request never left the dead process

    if step == "during":
        setup.afas.faults.set_latency(0.8, "POST salesjournalentry")
    setup.afas.on_request(kill, when="after" if step == "after" else "before")
    proc = _sync(setup)
    pid.append(proc.pid)
    pid_known.set()
    assert hit.wait(30), "the run never posted an entry"
    if step == "during":
        time.sleep(0.1)  # the POST is inside the sandbox, in its latency
        proc.kill()
    proc.communicate(timeout=20)
    assert proc.returncode == -signal.SIGKILL
    expect_in_afas = 0 if step == "before" else 1
    _wait_for(lambda: len(setup.afas.entries(ADMIN_SHOP_ID)) == expect_in_afas)
    setup.afas.faults.clear()

    with Ledger.open(setup.ledger_path) as ledger:
        pending = ledger.pending_postings()
        assert len(pending) == 1 and ledger.counts()[OrderState.PROCESSED] == 0
    killed = pending[0]
    in_afas = setup.afas.entries(ADMIN_SHOP_ID)
    if expect_in_afas:
        assert in_afas[0].invoice_number == f"ORD{killed.order_id}"
        assert in_afas[0].tracking_identifier == killed.tracking_id

    again = subprocess.run(
        [sys.executable, "-m", "ocafas", "--config", str(setup.config_path), "sync"],
        env=setup.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    entries = setup.afas.entries(ADMIN_SHOP_ID)
    assert Counter(e.invoice_number for e in entries) == Counter(f"ORD{i}" for i in bookable)
    assert all(e.status == "booked" for e in entries)
    by_number = {e.invoice_number: e for e in entries}
    with Ledger.open(setup.ledger_path) as ledger:
        assert not ledger.pending_postings()
        processed = {r.order_id for r in ledger.orders_in_state(OrderState.PROCESSED)}
        assert processed == set(bookable)
        for order_id, order in bookable.items():
            entry = ledger.entry(order_id)
            afas = by_number[f"ORD{order_id}"]
            total = to_cents(Decimal(order["total"]))
            assert afas.amount_excluding_vat + afas.amount_vat == total
            assert entry is not None and entry.afas_entry_id == afas.id
            assert entry.amount_incl == total
        resent = ledger.entry(killed.order_id)
    assert resent is not None and resent.tracking_id == killed.tracking_id
    assert resent.source is EntrySource.BOOKED
    replays = [r for r in setup.afas.request_log() if r.replayed]
    assert [r.tracking_identifier for r in replays] == (
        [killed.tracking_id] if expect_in_afas else []
    )
    emails = Counter(p.email for p in setup.afas.persons() if p.email)
    assert not emails or max(emails.values()) == 1, "a customer was created twice"
