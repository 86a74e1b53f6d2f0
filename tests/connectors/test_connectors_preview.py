"""``sync --dry-run``: every check and plan, no AFAS SB write, a byte-identical ledger."""

from __future__ import annotations

import json
from decimal import Decimal

from connectors_support import ConnSetup, invoke, posted_writes, sha256

from ocafas.afas import jsonbody
from ocafas.errors import ExitCode
from ocafas.ledger import Ledger, OrderState
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID


def test_dry_run_writes_nothing_and_its_bodies_are_what_the_real_run_sends(
    conn: ConnSetup,
) -> None:
    conn.shop.generate(30)
    code, _, err = invoke(conn, "sync")  # a first real run: the ledger exists and has state
    assert code == ExitCode.OK, err
    booked_first = len(conn.afas.entries())
    new = conn.shop.generate(25)
    conn.shop.set_status(new[0]["order_id"], 1)  # Pending: waits as open
    for path in conn.tmp.iterdir():  # the WAL of the first run is checkpointed at close
        assert not path.name.endswith("-wal") or path.stat().st_size == 0
    before = sha256(conn.ledger_path)
    writes_before = posted_writes(conn.afas)
    get_before = sum(n for k, n in conn.afas.counts().items() if k.startswith("GET "))

    code, out, err = invoke(conn, "sync", "--dry-run", "--format", "json")
    assert code == ExitCode.OK, err
    assert sha256(conn.ledger_path) == before  # not one byte changed
    assert posted_writes(conn.afas) == writes_before  # no POST, PUT or DELETE reached AFAS
    assert sum(n for k, n in conn.afas.counts().items() if k.startswith("GET ")) > get_before
    assert len(conn.afas.entries()) == booked_first
    document = jsonbody.loads(out)
    assert document["dry_run"] is True and document["command"] == "sync"
    would = {o["order_id"]: o for o in document["orders"] if o["outcome"] == "would_book"}
    assert new[0]["order_id"] not in would
    assert any(o["outcome"] == "open" for o in document["orders"])
    assert len(would) >= 15
    with Ledger.open(conn.ledger_path) as ledger:
        assert all(ledger.get(order_id) is None for order_id in would)

    code, _, err = invoke(conn, "sync")
    assert code == ExitCode.OK, err
    sent = {
        int(e.body["Reference"]): e.raw for e in conn.afas.entries(ADMIN_SHOP_ID)[booked_first:]
    }
    assert set(sent) == set(would)
    exact = 0
    for order_id, outcome in would.items():
        request, body = outcome["request"], jsonbody.loads(sent[order_id])
        if str(outcome["debtor"]).startswith("would_create"):
            # a relation the real run creates first: its id cannot be known in advance
            assert request["RelationId"] == "(new)"
            request = {**request, "RelationId": body["RelationId"]}
        else:
            exact += 1
        # same JSON, and the same exact text (amounts written as sent: 12.30, not 12.3)
        assert request == body
        assert jsonbody.dumps(request) == sent[order_id]
    assert exact >= 1  # known debtors (fixed, cached, found in AFAS): the body to the byte
    assert isinstance(
        next(iter(would.values()))["request"]["InvoiceLine"][0]["AmountExcludingVat"], Decimal
    )


def test_dry_run_before_the_first_sync_creates_no_file(conn: ConnSetup) -> None:
    conn.shop.generate(10)
    code, out, err = invoke(conn, "sync", "--dry-run")
    assert code == ExitCode.OK, err
    assert "would book" in out and '"InvoiceNumber": "ORD' in out
    assert "would be booked" in out  # the summary line
    assert sorted(p.name for p in conn.tmp.iterdir()) == [conn.config_path.name]
    assert posted_writes(conn.afas) == 0


def test_dry_run_shows_errors_with_code_and_hint(conn: ConnSetup) -> None:
    conn.countries = ("NL", "BE", "DE", "FR")  # Austrian orders: RATE_NOT_CONFIGURED
    conn.shop.generate(80)
    code, out, err = invoke(conn, "sync", "--dry-run", "--format", "json")
    assert code == ExitCode.OK, err
    errors = [o for o in json.loads(out)["orders"] if o["outcome"] == "error"]
    assert errors and all(o["code"] and o["hint"] for o in errors)
    assert any(o["code"] == "RATE_NOT_CONFIGURED" for o in errors)
    assert posted_writes(conn.afas) == 0


def test_recheck_and_retry_dry_runs_change_nothing(conn: ConnSetup) -> None:
    conn.countries = ("NL", "BE", "DE", "FR")
    orders = conn.shop.generate(80)
    invoke(conn, "sync")
    with Ledger.open(conn.ledger_path) as ledger:
        open_ids = [r.order_id for r in ledger.orders_in_state(OrderState.OPEN)]
        assert open_ids and ledger.errors()
    for order in orders:
        if order["order_id"] in open_ids:
            conn.shop.set_status(order["order_id"], 5)
    conn.countries = ("NL", "BE", "DE", "FR", "AT")
    before, writes = sha256(conn.ledger_path), posted_writes(conn.afas)
    code, out, err = invoke(conn, "recheck", "--dry-run", "--format", "json")
    assert code == ExitCode.OK, err
    assert any(o["outcome"] == "would_book" for o in json.loads(out)["orders"])
    code, out, err = invoke(conn, "retry", "--dry-run", "--format", "json")
    assert code == ExitCode.OK, err
    assert any(o["outcome"] == "would_book" for o in json.loads(out)["orders"])
    assert sha256(conn.ledger_path) == before
    assert posted_writes(conn.afas) == writes


def test_format_json_needs_dry_run(conn: ConnSetup) -> None:
    code, _, err = invoke(conn, "sync", "--format", "json")
    assert code == 2 and "--dry-run" in err


def test_report_order_request_prints_the_body_sent(conn: ConnSetup) -> None:
    conn.shop.generate(10)
    code, _, err = invoke(conn, "sync")
    assert code == ExitCode.OK, err
    entry = conn.afas.entries(ADMIN_SHOP_ID)[0]
    order_id = int(entry.body["Reference"])
    code, out, err = invoke(conn, "report", "order", str(order_id), "--request")
    assert code == ExitCode.OK, err
    assert out == entry.raw + "\n"  # byte for byte
    code, _, err = invoke(conn, "report", "order", "99999", "--request")
    assert code == ExitCode.CONFIG and "no AFAS SB request" in err
