"""End to end through the CLI: exit codes, quiet clean runs, the lock, a SIGKILLed run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from click.testing import CliRunner
from pipeline_support import COUNTRIES, Setup

from ocafas.cli import cli
from ocafas.errors import ExitCode, LockedError
from ocafas.ledger import Ledger, OrderState, lock_path
from ocafas.pipeline import run_pass
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID


def _invoke(setup: Setup, *args: str) -> tuple[int, str]:
    setup.write_config()
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(setup.config_path), *args], env=setup.env())
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_sync_lists_errors_with_codes_and_exits_3(setup: Setup) -> None:
    setup.shop.generate(120)
    code, output = _invoke(setup, "sync")
    assert code == ExitCode.ORDERS_FAILED
    assert "RATE_NOT_CONFIGURED" in output and "(add vat.rates." in output
    assert "sync: " in output and " booked" in output  # the summary follows the problems

    setup.countries = (*COUNTRIES, "AT")
    setup.zero_everywhere = True
    code, output = _invoke(setup, "retry", "--code", "RATE_NOT_CONFIGURED", "--dry-run")
    assert code == ExitCode.OK
    assert "would book" in output and '"InvoiceNumber": "ORD' in output
    code, output = _invoke(setup, "retry", "--code", "RATE_NOT_CONFIGURED")
    with Ledger.open(setup.ledger_path) as ledger:
        assert not ledger.errors(code="RATE_NOT_CONFIGURED")
    # every retried order booked; errors of other codes stand, and are the nightly recheck's to
    # remind of, so the retry itself succeeded
    assert code == ExitCode.OK, output


def test_clean_run_is_quiet_and_verbose_prints_one_line(setup: Setup) -> None:
    setup.shop.generator.broken = 0.0
    setup.countries = (*COUNTRIES, "AT")
    setup.zero_everywhere = True
    setup.shop.generate(40)
    code, output = _invoke(setup, "sync")
    assert (code, output) == (ExitCode.OK, "")
    setup.shop.generate(5)
    code, output = _invoke(setup, "-v", "sync")
    assert code == ExitCode.OK
    lines = [line for line in output.splitlines() if line.startswith("sync:")]
    assert len(lines) == 1, output
    assert " booked" in lines[0] and "requests: OpenCart" in lines[0]
    code, output = _invoke(setup, "-v", "recheck")
    assert code == ExitCode.OK and output.startswith("recheck:")


def test_a_held_lock_exits_6_and_does_nothing(setup: Setup) -> None:
    setup.shop.generate(10)
    setup.write_config()
    with Ledger.open(setup.ledger_path) as ledger, ledger.lock():
        try:
            setup.run(run_pass)
        except LockedError as err:
            assert "another ocafas run is busy" in str(err)
        else:  # pragma: no cover - the assertion below explains
            raise AssertionError("a second run got past the lock")
        code, output = _invoke(setup, "sync")
    assert code == ExitCode.LOCKED and "this run did nothing" in output
    assert setup.afas.entries(ADMIN_SHOP_ID) == []
    assert setup.shop.request_count == 0


def _start_sync(setup: Setup) -> subprocess.Popen[bytes]:
    config = setup.write_config()
    return subprocess.Popen(
        [sys.executable, "-m", "ocafas", "--config", str(config), "sync"],
        env=setup.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(condition: object, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_two_overlapping_syncs_never_both_book(setup: Setup) -> None:
    setup.concurrency = 1
    setup.shop.generate(40)
    setup.afas.faults.set_latency(0.05, "POST salesjournalentry")
    proc = _start_sync(setup)
    lock = lock_path(setup.ledger_path)
    _wait_for(lambda: lock.exists() and lock.read_text().strip() != "")

    code, output = _invoke(setup, "sync")

    assert code == ExitCode.LOCKED, output
    proc.communicate(timeout=60)
    assert proc.returncode in (ExitCode.OK, ExitCode.ORDERS_FAILED)
    counts = Counter(e.invoice_number for e in setup.afas.entries(ADMIN_SHOP_ID))
    assert counts and max(counts.values()) == 1


def test_sigkill_during_a_run_then_a_second_run_books_each_once(setup: Setup) -> None:
    setup.concurrency = 2
    generated = setup.shop.generate(60)
    setup.afas.faults.set_latency(0.03, "POST salesjournalentry")
    proc = _start_sync(setup)
    _wait_for(lambda: len(setup.afas.entries(ADMIN_SHOP_ID)) >= 8)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    setup.afas.faults.clear()
    with Ledger.open(setup.ledger_path) as ledger:
        cut_off = ledger.counts()
    assert cut_off[OrderState.PROCESSED] < 40  # really killed mid-run

    setup.run(run_pass)

    counts = Counter(e.invoice_number for e in setup.afas.entries(ADMIN_SHOP_ID))
    assert max(counts.values()) == 1
    with Ledger.open(setup.ledger_path) as ledger:
        assert not ledger.pending_postings()
        processed = {f"ORD{r.order_id}" for r in ledger.orders_in_state(OrderState.PROCESSED)}
        states = Counter(ledger.get(o["order_id"]).state for o in generated)  # type: ignore[union-attr]
    assert processed == set(counts)
    assert states[OrderState.SEEN] == 0 and states[OrderState.POSTING] == 0


def test_hourly_sync_does_not_repeat_old_errors_but_recheck_reminds(setup: Setup) -> None:
    setup.shop.generate(120)
    code, output = _invoke(setup, "sync")
    assert code == ExitCode.ORDERS_FAILED and "RATE_NOT_CONFIGURED" in output
    code, output = _invoke(setup, "sync")
    assert (code, output) == (ExitCode.OK, "")  # same old errors: cron stays quiet
    code, output = _invoke(setup, "recheck")
    assert code == ExitCode.ORDERS_FAILED
    assert "orders are in error in the ledger" in output
