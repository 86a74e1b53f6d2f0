"""``sync --since``: 500 older orders, 100 of them already in AFAS SB: 400 booked, 0 doubles.

The 100 are booked first by "the previous integration" (another config and ledger on the same
sandboxes), so AFAS SB holds them exactly as a real earlier booking would. The backfill must
find each of them by its invoice number, file it as processed (found), and book the other 400,
also when it is SIGKILLed halfway and started again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from connectors_support import ConnSetup, invoke, posted_writes

from ocafas.errors import ExitCode
from ocafas.ledger import EntrySource, Ledger, OrderState
from ocafas.money import to_cents
from ocafas.sandbox.afas_hooks import HookedRequest
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID

TOTAL, ALREADY = 500, 100


def _shop_with_history(conn: ConnSetup) -> list[dict[str, Any]]:
    """500 complete orders from March 2025; the first 100 booked by a previous integration."""
    orders = conn.shop.generator.orders(TOTAL)
    for order in orders:
        order.update(order_status_id=5, order_status="Complete")
    conn.shop.add_orders(orders[:ALREADY])
    # (order 480 is a free one: booked too, at 0.00, by booking.zero_total's default)
    previous = ConnSetup(conn.shop, conn.afas, conn.tmp, name="previous")
    previous.countries, previous.zero_everywhere = conn.countries, True
    code, _, err = invoke(previous, "sync")
    assert code == ExitCode.OK, err
    assert len(conn.afas.entries(ADMIN_SHOP_ID)) == ALREADY
    conn.shop.add_orders(orders[ALREADY:])
    conn.start_date = "2025-12-01"  # every order lies before the configured start date
    conn.concurrency = 8
    return orders


def _check_books(conn: ConnSetup, orders: list[dict[str, Any]]) -> None:
    entries = conn.afas.entries(ADMIN_SHOP_ID)
    numbers = Counter(e.invoice_number for e in entries)
    assert len(entries) == TOTAL and max(numbers.values()) == 1  # 0 duplicates
    assert set(numbers) == {f"ORD{o['order_id']}" for o in orders}
    by_number = {e.invoice_number: e for e in entries}
    with Ledger.open(conn.ledger_path) as ledger:
        assert ledger.counts().get(OrderState.PROCESSED) == TOTAL
        assert not ledger.pending_postings()
        sources: Counter[EntrySource] = Counter()
        for order in orders:
            entry = ledger.entry(order["order_id"])
            assert entry is not None and entry.source is not None
            sources[entry.source] += 1
            afas = by_number[f"ORD{order['order_id']}"]
            total = to_cents(Decimal(order["total"]))
            assert afas.amount_excluding_vat + afas.amount_vat == total == entry.amount_incl
            assert entry.afas_entry_id == afas.id
            if order["order_id"] <= orders[ALREADY - 1]["order_id"]:
                assert entry.source is EntrySource.FOUND, order["order_id"]
        assert sources == {EntrySource.FOUND: ALREADY, EntrySource.BOOKED: TOTAL - ALREADY}


def test_backfill_books_400_and_files_100_as_found(conn: ConnSetup) -> None:
    orders = _shop_with_history(conn)
    # a plain sync books nothing: every order is before the start date
    code, _, err = invoke(conn, "sync")
    assert code == ExitCode.OK, err
    assert len(conn.afas.entries(ADMIN_SHOP_ID)) == ALREADY
    # no terminal, no --yes: refused with one message, nothing written to AFAS SB
    writes = posted_writes(conn.afas)
    code, _, err = invoke(conn, "sync", "--since", "2025-03-01")
    assert code == ExitCode.CONFIG
    assert "500 order(s) placed from 2025-03-01 are not booked yet (500 of them before" in err
    assert "pass --yes" in err
    assert posted_writes(conn.afas) == writes
    # the preview shows the 100 found ones and the 400 to book
    code, out, err = invoke(conn, "sync", "--since", "2025-03-01", "--dry-run", "--format", "json")
    assert code == ExitCode.OK, err
    outcomes = Counter(o["outcome"] for o in json.loads(out)["orders"])
    assert outcomes["found"] == ALREADY and outcomes["would_book"] == TOTAL - ALREADY
    assert posted_writes(conn.afas) == writes

    code, out, err = invoke(conn, "-v", "sync", "--since", "2025-03-01", "--yes")
    assert code == ExitCode.OK, err
    _check_books(conn, orders)
    # again: nothing left to do, nothing posted
    writes = posted_writes(conn.afas)
    code, _, err = invoke(conn, "sync", "--since", "2025-03-01", "--yes")
    assert code == ExitCode.OK and "0 order(s)" in err
    assert posted_writes(conn.afas) == writes


def _sync_process(conn: ConnSetup) -> subprocess.Popen[bytes]:
    conn.write_config()
    command = [sys.executable, "-m", "ocafas", "--config", str(conn.config_path)]
    return subprocess.Popen(
        [*command, "sync", "--since", "2025-03-01", "--yes"],
        env=conn.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(conn.tmp),
    )


def test_backfill_killed_halfway_and_started_again(conn: ConnSetup) -> None:
    orders = _shop_with_history(conn)
    process: subprocess.Popen[bytes] | None = None
    posts: Counter[str] = Counter()

    def kill_halfway(_: HookedRequest) -> None:
        posts["seen"] += 1
        if posts["seen"] == 200 and process is not None:
            os.kill(process.pid, signal.SIGKILL)  # AFAS has stored it; ocafas never hears

    conn.afas.on_request(kill_halfway, "POST salesjournalentry", when="after", count=None)
    process = _sync_process(conn)
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL
    halfway = len(conn.afas.entries(ADMIN_SHOP_ID))
    assert ALREADY < halfway < TOTAL
    conn.afas.hooks.clear()
    again = _sync_process(conn)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode() + out.decode()
    _check_books(conn, orders)
