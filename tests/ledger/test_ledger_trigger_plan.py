"""The state triggers must find an order's entry by index, not by scanning the shop's entries."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ocafas.ledger import Ledger
from ocafas.ledger.schema import ORDER_ENTRY_SQL


def test_the_triggers_entry_lookup_uses_the_order_index(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        sql = ORDER_ENTRY_SQL.format(shop="?", order_id="?", state="'processed'")
        plan = " ".join(ledger.explain(sql, (ledger.shop, 1)))
        assert "entries_by_order" in plan or "entries_one_live" in plan, plan
        assert "entries_by_invoice_date" not in plan, plan
    raw = sqlite3.connect(tmp_path / "ledger.sqlite")
    triggers = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    raw.close()
    for name in ("orders_processed_needs_entry", "orders_posting_needs_entry"):
        assert "+e.state" in triggers[name] and "+e.kind" in triggers[name]


def test_flags_start_from_the_flag_events_not_from_every_order(tmp_path: Path) -> None:
    from ocafas.ledger.flags import CLEARED_EVENT, FLAG_EVENT, FLAGS_SQL

    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        params = (ledger.shop, FLAG_EVENT, "", "\uffff", FLAG_EVENT, CLEARED_EVENT)
        plan = ledger.explain(FLAGS_SQL, params)
    # the first step reads the (few) flag events by name; scanning orders first read the whole
    # ledger for every processed report (1.2 s on 1,000,000 orders)
    assert "events_by_event" in plan[0], plan


def test_errors_and_their_count_use_the_state_index(ledger) -> None:
    """A run's end counts the errors: it must not read every order of a large ledger."""
    from ocafas.ledger.queries import ERRORS_ORDER, ERRORS_SQL

    plan = " | ".join(ledger.explain(ERRORS_SQL + ERRORS_ORDER, (ledger.shop,)))
    assert "orders_by_state_date" in plan, plan
    count = " | ".join(
        ledger.explain("SELECT COUNT(*) FROM orders WHERE shop = ? AND state = 'error'", ("x",))
    )
    assert "orders_by_state_date" in count, count
    assert ledger.error_count() == 0
