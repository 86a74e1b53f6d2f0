"""`ocafas demo`: runs on its own, books exactly what the shop says, explains the rest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from ocafas.cli import cli
from ocafas.config import load_settings
from ocafas.demo import check, run_demo
from ocafas.demo_orders import BY_KIND, DAY_MOVES, PROCESSABLE_IDS, break_orders
from ocafas.errors import ExitCode
from ocafas.http import is_loopback_url
from ocafas.ledger import Ledger, OrderState
from ocafas.money import to_cents
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID
from ocafas.sandbox.orders import OrderGenerator

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    # No config of the user's may leak in: the demo must not need one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCAFAS_")}
    return {**env, "PYTHONPATH": path, "OCAFAS_CONFIG": "/nonexistent/ocafas.yaml"}


def test_the_afas_sandbox_gets_exactly_the_expected_entries() -> None:
    started = time.monotonic()
    result = run_demo(orders=48, seed=11)
    assert time.monotonic() - started < 20

    # The same shop, generated again here: what must be booked follows from the orders alone.
    orders = {o["order_id"]: o for o in OrderGenerator(11).orders(48)}
    broken = break_orders(list(orders.values()), 11)
    assert broken and set(result.faults) == set(broken)
    status = {i: o["order_status_id"] for i, o in orders.items()}
    for order_id, _, _ in result.moved:
        assert status[order_id] in DAY_MOVES or order_id in result.booked_before
        status[order_id] = DAY_MOVES.get(status[order_id], 3)
    assert any(status[i] in PROCESSABLE_IDS for i, *_ in result.moved if i not in broken)
    bookable = {i for i in orders if status[i] in PROCESSABLE_IDS and i not in broken}

    entries = result.afas_entries
    assert all(e.administration_id == ADMIN_SHOP_ID and e.status == "booked" for e in entries)
    assert not any(e.deleted for e in entries)
    assert Counter(e.invoice_number for e in entries) == Counter(f"ORD{i}" for i in bookable)
    for entry in entries:
        order = orders[int(entry.invoice_number.removeprefix("ORD"))]
        taxes = sum(
            (to_cents(Decimal(r["value"])) for r in order["totals"] if r["code"] == "tax"),
            Decimal(0),
        )
        assert entry.amount_vat == taxes, entry.invoice_number
        assert entry.amount_excluding_vat + entry.amount_vat == to_cents(Decimal(order["total"]))
    assert {f.order_id: f.code for f in result.failed} == {
        i: b.code for i, b in broken.items() if status[i] in PROCESSABLE_IDS
    }
    assert all(f.hint for f in result.failed)
    assert {w.order_id for w in result.waiting} == {
        i for i in orders if status[i] not in PROCESSABLE_IDS
    }
    assert result.recheck.booked >= 1 and result.problems == []
    assert result.opencart_calls > 0 and result.afas_calls >= len(entries)
    assert not result.directory.exists(), "the temporary directory is removed"


def test_check_finds_what_differs_from_the_design(tmp_path: Path) -> None:
    result = run_demo(orders=20, seed=3, keep=tmp_path)
    assert result.problems == [] and check(result, result.ledger_path) == []
    first = result.afas_entries[0]
    twice = replace(result, afas_entries=[*result.afas_entries, first])
    missing = replace(result, afas_entries=result.afas_entries[1:])
    wrong = replace(result, booked=[replace(result.booked[0], incl=Decimal("0.01"))])
    unbroken = replace(result, faults={})
    assert any("times" in p for p in check(twice, result.ledger_path))
    assert any("AFAS has no" in p for p in check(missing, result.ledger_path))
    assert any("shop total" in p for p in check(wrong, result.ledger_path))
    assert any("should not be" in p for p in check(unbroken, result.ledger_path))


def test_cli_demo_prints_tables_and_figures_and_exits_0() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--orders", "30", "--seed", "5"], env=_env())
    assert result.exit_code == 0, result.output
    out = result.output
    for text in (
        "Booked in AFAS SB",
        "Open: waiting",
        "In error, not booked",
        "Figures:",
        "AFAS entries created:",
        "HTTP calls: OpenCart",
        "Checked: every processable",
    ):
        assert text in out, text  # fmt: skip
    codes = set(re.findall(r"\b[A-Z]+_[A-Z_]+\b", out))
    assert codes and codes <= {b.code for b in BY_KIND.values()}
    assert "In error, not booked (2)" in out and "broken on purpose" in out


def test_python_m_ocafas_demo_with_keep(tmp_path: Path) -> None:
    keep = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "ocafas", "demo", "--orders", "25", "--keep", str(keep)],
        env=_env(),
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    config = keep / "ocafas.yaml"
    assert config.stat().st_mode & 0o777 == 0o600
    assert f"ocafas --config {config} check-config" in proc.stdout
    printed = set(re.findall(r"\bORD(\d+)\b", proc.stdout))
    with Ledger.open(keep / "ledger.sqlite3") as ledger:
        processed = {str(r.order_id) for r in ledger.orders_in_state(OrderState.PROCESSED)}
        assert not ledger.pending_postings()
    assert printed == processed and len(processed) >= 15
    match = re.search(r"AFAS entries created: (\d+)", proc.stdout)
    assert match and int(match.group(1)) == len(processed)

    again = CliRunner().invoke(cli, ["demo", "--keep", str(keep)], env=_env())
    assert again.exit_code == ExitCode.CONFIG and "already holds" in again.output
    checked = CliRunner().invoke(cli, ["--config", str(config), "check-config"], env=_env())
    assert checked.exit_code == 0, checked.output
    settings, warnings = load_settings(config)
    assert warnings == [] and settings.ledger_path == keep / "ledger.sqlite3"
    assert is_loopback_url(settings.opencart.url) and is_loopback_url(settings.afas.base_url)
