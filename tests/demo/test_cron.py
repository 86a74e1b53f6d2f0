"""Cron: a clean run prints nothing, --log-json prints only JSON lines, crontab.example works."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ocafas.cli import cli
from ocafas.demo import config_text, write_private
from ocafas.demo_orders import break_orders
from ocafas.errors import ExitCode
from ocafas.ledger import Ledger
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.opencart import OpenCartSandbox

ROOT = Path(__file__).resolve().parents[2]
CRONTAB = ROOT / "crontab.example"


@dataclass
class Shop:
    shop: OpenCartSandbox
    afas: AfasSandbox
    config: Path
    ledger: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ocafas", "--config", str(self.config), *args],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCAFAS_")}
    return {**env, "PYTHONPATH": path}


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    with OpenCartSandbox(seed=5) as oc, AfasSandbox() as afas:
        ledger = tmp_path / "ledger.sqlite3"
        config = tmp_path / "shop.yaml"
        write_private(config, config_text(oc, afas, ledger))
        yield Shop(oc, afas, config, ledger)


def _break_some(shop: Shop, count: int) -> int:
    orders = shop.shop.generate(count)
    broken = break_orders(orders, seed=5)
    shop.shop.add_orders(orders)
    return len(broken)


def test_a_clean_sync_prints_nothing_at_all(shop: Shop) -> None:
    shop.shop.generate(30)
    first = shop.run("sync")
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    assert len(shop.afas.entries()) > 10
    shop.shop.generate(5)
    for args in (("sync",), ("-q", "sync"), ("--log-json", "sync"), ("recheck",)):
        again = shop.run(*args)
        assert (again.returncode, again.stdout, again.stderr) == (0, "", ""), args


def _json_lines(text: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in text.splitlines()]  # every line, or this raises
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line)
    return lines


def test_log_json_prints_only_json_lines(shop: Shop) -> None:
    broken = _break_some(shop, 36)
    result = shop.run("--log-json", "-v", "sync")
    assert result.returncode == ExitCode.ORDERS_FAILED
    lines = _json_lines(result.stdout) + _json_lines(result.stderr)
    problems = [line for line in lines if line.get("event") == "problem"]
    assert len(problems) == broken and all(p["level"] == "warning" for p in problems)
    assert any("TOTAL_MISMATCH" in str(p["message"]) for p in problems)
    summaries = [line for line in lines if line.get("event") == "summary"]
    assert len(summaries) == 1 and str(summaries[0]["message"]).startswith("sync: ")

    missing = subprocess.run(
        [sys.executable, "-m", "ocafas", "--config", "/nonexistent.yaml", "--log-json", "sync"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == ExitCode.CONFIG and missing.stdout == ""
    (error,) = _json_lines(missing.stderr)
    assert error["level"] == "error" and "not found" in str(error["message"])


def test_an_overlapping_run_exits_6_at_once(shop: Shop) -> None:
    shop.shop.generate(5)
    with Ledger.open(shop.ledger) as ledger, ledger.lock():
        started = time.monotonic()
        result = shop.run("--log-json", "sync")
        assert time.monotonic() - started < 10
    assert result.returncode == ExitCode.LOCKED
    (line,) = _json_lines(result.stderr)
    assert "this run did nothing" in str(line["message"])
    assert shop.shop.request_count == 0 and shop.afas.entries() == []


def _jobs() -> list[str]:
    """The crontab's job lines, commented-out variants included."""
    jobs = []
    for raw in CRONTAB.read_text(encoding="utf-8").splitlines():
        line = raw.removeprefix("# ").strip()
        if re.match(r"^(\S+\s+){5}ocafas ", line):
            jobs.append(line)
    return jobs


def test_crontab_example_has_hourly_sync_and_nightly_recheck() -> None:
    text = CRONTAB.read_text(encoding="utf-8")
    assert re.search(r"^MAILTO=\S+@\S+$", text, re.M)
    active = [line for line in text.splitlines() if re.match(r"^\d", line)]
    assert len(active) == 2
    hourly, nightly = (line.split(None, 5) for line in active)
    assert hourly[1:5] == ["*", "*", "*", "*"] and " sync " in hourly[5]
    assert nightly[2:5] == ["*", "*", "*"] and nightly[1] != "*" and " recheck " in nightly[5]
    assert "flock -n" in text and "code 6" in text


@pytest.mark.parametrize("job", _jobs())
def test_every_crontab_command_parses(job: str) -> None:
    command = job.split(None, 5)[5]
    args = shlex.split(re.split(r"\s(?:>>|\|\||\|)", command)[0])[1:]
    at = next(i for i, arg in enumerate(args) if arg in cli.commands)
    ctx = cli.make_context("ocafas", args[: at + 1])  # refuses unknown global options
    name = args[at]
    cli.commands[name].make_context(name, args[at + 1 :], parent=ctx)  # and the command's


def _as_test_job(job: str, shop: Shop, log: Path) -> str:
    command = job.split(None, 5)[5]
    ocafas = f"{shlex.quote(sys.executable)} -m ocafas"
    command = command.replace("/etc/ocafas/shop.yaml", str(shop.config))
    return command.replace("/var/log/ocafas/shop.log", str(log)).replace(
        "ocafas --", ocafas + " --"
    )


def test_the_hourly_job_mails_only_on_problems(shop: Shop, tmp_path: Path) -> None:
    hourly = next(job for job in _jobs() if " -v sync >>/var/log/ocafas/shop.log" in job)
    log = tmp_path / "shop.log"
    shop.shop.generate(20)

    def cron() -> subprocess.CompletedProcess[str]:
        line = _as_test_job(hourly, shop, log)
        return subprocess.run(
            ["/bin/sh", "-c", line], env=_env(), capture_output=True, text=True, check=False
        )

    clean = cron()
    assert (clean.stdout, clean.stderr) == ("", ""), "a clean run mails nothing"
    assert re.search(r"^sync: \d+ booked", log.read_text(encoding="utf-8"), re.M)

    broken = _break_some(shop, 24)
    mail = cron()
    assert mail.stdout.startswith("ocafas sync: exit code 3; the end of ")
    assert mail.stdout.count("TOTAL_MISMATCH") + mail.stdout.count("_DEFAULT") >= 1
    assert broken >= 2
