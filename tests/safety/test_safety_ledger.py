"""Ledger safety through the CLI: a damaged or newer ledger is refused untouched (exit 7),
``ocafas ledger backup`` makes a checked copy that restores, and a full disk mid-run leaves a
consistent ledger that the next run finishes without double bookings."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from safety_world import Setup

from ocafas.errors import ExitCode, LedgerError
from ocafas.ledger import SCHEMA_VERSION, Ledger, OrderState
from ocafas.pipeline import run_pass
from ocafas.pipeline.build import afas_factory, opencart_client
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID


def _sync_in_process(setup: Setup, ledger: Ledger | None = None) -> None:
    from safety_world import ENVIRON

    from ocafas.config import parse_settings

    settings = parse_settings(
        setup.config_path.read_text(), source=setup.config_path, environ=ENVIRON
    )[0]
    client = opencart_client(settings, backoff=0)
    factory = afas_factory(settings, backoff=0, max_backoff=0)
    if ledger is not None:
        run_pass(settings, client, factory, ledger)
        return
    with Ledger.open(settings.ledger_path) as opened:
        run_pass(settings, client, factory, opened)


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


def _wreck(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode = DELETE")  # fold the WAL in: the damage is all there is
    raw.close()
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):
        data[page * page_size : page * page_size + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))


def _booked(setup: Setup) -> Counter[str]:
    return Counter(e.invoice_number for e in setup.afas.entries(ADMIN_SHOP_ID))


def test_corrupt_ledger_exits_7_with_a_clear_error_and_writes_nothing(setup: Setup) -> None:
    setup.shop.generate(30)
    assert setup.cli("sync").code in (ExitCode.OK, ExitCode.ORDERS_FAILED)
    _wreck(setup.ledger_path)
    before = _files(setup.ledger_path)
    requests = setup.shop.request_count

    commands = (("sync",), ("recheck",), ("retry",), ("ledger", "backup", "x.sqlite"))
    for command in (*commands, ("ledger", "check")):
        ran = setup.cli(*command)
        assert ran.code == ExitCode.LEDGER, (command, ran.output)
        assert "is corrupt" in ran.stderr and "nothing was written" in ran.stderr
        assert "restore it from a backup" in ran.stderr
        assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr  # one line, no traceback
    assert _files(setup.ledger_path) == before
    assert setup.shop.request_count == requests  # not even the shop was asked


def test_ledger_of_a_newer_ocafas_exits_7_and_writes_nothing(setup: Setup) -> None:
    setup.shop.generate(5)
    setup.cli("sync")
    raw = sqlite3.connect(setup.ledger_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    before = _files(setup.ledger_path)
    ran = setup.cli("sync")
    assert ran.code == ExitCode.LEDGER
    assert f"newer ocafas (schema {SCHEMA_VERSION + 1}); upgrade ocafas" in ran.stderr
    assert _files(setup.ledger_path) == before


def test_backup_is_checked_private_and_restores_without_double_bookings(setup: Setup) -> None:
    setup.shop.generator.broken = 0.0
    setup.shop.generate(12)
    setup.cli("sync")
    dest = setup.tmp / "backups" / "ledger-1.sqlite"
    ran = setup.cli("ledger", "backup", str(dest))
    assert ran.code == ExitCode.OK, ran.output
    assert f"backed up to {dest}" in ran.stdout
    assert dest.stat().st_mode & 0o777 == 0o600
    with Ledger.open(dest) as copy, Ledger.open(setup.ledger_path) as live:
        assert copy.counts() == live.counts()
    again = setup.cli("ledger", "backup", str(dest))
    assert again.code == ExitCode.LEDGER and "--force" in again.stderr
    assert setup.cli("ledger", "backup", "--force", str(dest)).code == ExitCode.OK

    setup.shop.generate(6)  # booked after the backup: the restored ledger does not know them
    setup.cli("sync")
    booked = _booked(setup)
    for companion in setup.tmp.glob("ledger.sqlite3-*"):
        companion.unlink()
    shutil.copyfile(dest, setup.ledger_path)  # the restore of the docs
    assert setup.cli("sync").code in (ExitCode.OK, ExitCode.ORDERS_FAILED)

    assert _booked(setup) == booked and max(booked.values()) == 1
    with Ledger.open(setup.ledger_path) as ledger:
        processed = {f"ORD{r.order_id}" for r in ledger.orders_in_state(OrderState.PROCESSED)}
    assert processed == set(booked)  # found again in AFAS SB, never booked twice


def test_backup_without_a_ledger_says_so(setup: Setup) -> None:
    ran = setup.cli("ledger", "backup", str(setup.tmp / "b.sqlite"))
    assert ran.code == ExitCode.LEDGER and "no ledger at" in ran.stderr
    assert not setup.ledger_path.exists()


@pytest.mark.parametrize("spare_pages", [2, 6, 14, 30])
def test_full_disk_mid_run_leaves_a_consistent_ledger(setup: Setup, spare_pages: int) -> None:
    setup.shop.generator.broken = 0.0
    setup.shop.generate(40)
    setup.write_config()
    Ledger.open(setup.ledger_path).close()
    with Ledger.open(setup.ledger_path) as ledger:
        conn = ledger._db()
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        with pytest.raises(LedgerError, match="disk is full") as caught:
            _sync_in_process(setup, ledger)
        assert caught.value.exit_code is ExitCode.LEDGER
    with sqlite3.connect(setup.ledger_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Ledger.open(setup.ledger_path) as ledger:
        processed_before = {r.order_id for r in ledger.orders_in_state(OrderState.PROCESSED)}
        for order_id in processed_before:  # every processed row is whole: entry and amounts
            entry = ledger.entry(order_id)
            assert entry is not None and entry.amount_incl is not None
    assert processed_before <= {int(n[3:]) for n in _booked(setup)}

    _sync_in_process(setup)  # space again: the next run finishes what the full one began

    booked = _booked(setup)
    assert max(booked.values()) == 1
    with Ledger.open(setup.ledger_path) as ledger:
        assert not ledger.pending_postings()
        processed = {f"ORD{r.order_id}" for r in ledger.orders_in_state(OrderState.PROCESSED)}
        assert not ledger.orders_in_state(OrderState.SEEN)
    assert processed == set(booked)


def test_ledger_check_reads_a_large_ledger_in_full(setup: Setup, monkeypatch) -> None:
    import ocafas.ledger.db as db

    setup.shop.generate(10)
    assert setup.cli("sync").code in (ExitCode.OK, ExitCode.ORDERS_FAILED)
    ran = setup.cli("ledger", "check")
    assert ran.code == ExitCode.OK and "checks out" in ran.output
    assert setup.cli("ledger", "check").code == ExitCode.OK  # checking changes nothing
    seen: list[bool] = []
    real = db.check_integrity
    monkeypatch.setattr(db, "FULL_CHECK_LIMIT", 1)
    monkeypatch.setattr(
        db,
        "check_integrity",
        lambda conn, path, *, full=True: (seen.append(full), real(conn, path, full=full))[1],
    )
    setup.cli("sync")
    setup.cli("recheck")
    assert seen[0] is False  # the hourly sync: the structure only
    assert True in seen[1:]  # the nightly recheck: every page
