"""Benchmark: a backfill, an idle run and a one-month ledger query, against the sandboxes.

The sandboxes (OpenCart and AFAS SB) run in this process; every measured ``ocafas sync`` is a
separate process (``python -m ocafas --config ... sync``), so it has its own GIL and its peak
RSS (from ``os.wait4``) is the client's alone. HTTP calls per order are the sandboxes' own
counts, not the client's.

    python benchmarks/bench.py --orders 10000 --afas-latency 0.05 --concurrency 8

See docs/benchmark.md for the figures and what each one means.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ocafas.ledger import BookedEntry, BookedLine, DebtorKey, ImportedOrder, Ledger  # noqa: E402
from ocafas.sandbox.afas import AfasSandbox  # noqa: E402
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, DEFAULT_APP_TOKEN  # noqa: E402
from ocafas.sandbox.config_template import rates_yaml, sandbox_config  # noqa: E402
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox  # noqa: E402
from ocafas.sandbox.orders import OrderGenerator  # noqa: E402

ENVIRON = {"OCAFAS_OPENCART_API_KEY": DEFAULT_KEY, "OCAFAS_AFAS_APP_TOKEN": DEFAULT_APP_TOKEN}
#: Customers in the pool of returning ones (each already a relation in AFAS and in the cache).
POOL = 500

# -- orders -----------------------------------------------------------------------------------


def _is_organisation(order: dict[str, Any]) -> bool:
    return bool(order.get("vat_number") or order["payment_address"].get("company"))


def bench_orders(count: int, returning: float, seed: int) -> Iterator[dict[str, Any]]:
    """Generated orders, all bookable: status Complete, a returning or a first-time customer.

    A share ``returning`` of the orders gets an e-mail from the pool of known customers; the
    others get an e-mail nobody used before. ICP companies keep their VAT number (the debtor
    key), so their few relations are looked up and created once, then cached.
    """
    generator = OrderGenerator(seed)
    pick = generator.random
    for _ in range(count):
        order = generator.order()
        order["order_status_id"], order["order_status"] = 5, "Complete"
        kind = "org" if _is_organisation(order) else "person"
        if pick.random() < returning:
            email = f"{kind}{pick.randrange(POOL)}@returning.example"
        else:
            email = f"new{order['order_id']}@first.example"
        order["customer"]["email"] = email
        yield order


def prime(afas: AfasSandbox, ledger_path: Path) -> None:
    """The returning customers: a relation in AFAS and a row in the ledger's debtor cache."""
    address = {"StreetName": "Dorpsstraat", "HouseNumber": 1, "PostalZone": "1234 AB",
               "CityName": "Utrecht", "CountryCode": "NL"}  # fmt: skip
    with Ledger.open(ledger_path) as ledger:
        for n in range(POOL):
            for kind, create in (
                ("person", afas.state.create_person),
                ("org", afas.state.create_organisation),
            ):
                email = f"{kind}{n}@returning.example"
                body = {"LastName": f"Klant {n}", "Name": f"Klant {n} B.V.",
                        "EmailAddress": email, "Addresses": [address]}  # fmt: skip
                with afas.state.lock:
                    outcome = create(body)
                relation_id = outcome.body["data"]["RelationId"]
                relation_type = "person" if kind == "person" else "organisation"
                ledger.put_debtor(DebtorKey.EMAIL, email, relation_id, relation_type)


# -- one ocafas process -------------------------------------------------------------------


class _Peak(threading.Thread):
    """The peak RSS of a child process (``VmHWM``), polled until it exits.

    Not ``ru_maxrss``: Linux carries the parent's peak over into a child it forks and execs, so
    the child's ``ru_maxrss`` would include this process and its sandboxes full of orders.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.path = Path(f"/proc/{pid}/status")
        self.kib = 0
        self._done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self._done.wait(0.02):
            try:
                text = self.path.read_text()
            except OSError:
                return
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    self.kib = max(self.kib, int(line.split()[1]))

    def stop(self) -> None:
        self._done.set()
        self.join()


def run_ocafas(config: Path, *args: str, profile: str | None = None) -> tuple[int, float, int]:
    """(exit code, wall seconds, peak RSS in KiB) of one ``python -m ocafas`` process.

    Also prints the CPU seconds of that process and of this one (the sandboxes) meanwhile.

    ``profile``: run it under cProfile (main thread only: use --concurrency 1) into that file.
    """
    env = {**os.environ, **ENVIRON, "PYTHONPATH": str(ROOT)}
    profiler = ["-m", "cProfile", "-o", profile] if profile else []
    command = [sys.executable, *profiler, "-m", "ocafas", "--config", str(config), *args]
    started = time.perf_counter()
    sandboxes = resource.getrusage(resource.RUSAGE_SELF)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    peak = _Peak(process.pid)
    output = process.stdout.read()
    peak.stop()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    after = resource.getrusage(resource.RUSAGE_SELF)
    spent = after.ru_utime + after.ru_stime - sandboxes.ru_utime - sandboxes.ru_stime
    print(
        f"    CPU: ocafas {usage.ru_utime + usage.ru_stime:.2f} s (user {usage.ru_utime:.2f}),"
        f" sandboxes {spent:.2f} s,"
        f" wall {wall:.2f} s"
    )
    lines = output.decode(errors="replace").strip().splitlines()
    for line in lines[-3:]:
        print(f"    | {line[:150]}")
    return process.returncode, wall, peak.kib


def _delta(after: dict[Any, int], before: dict[Any, int]) -> Counter[str]:
    return Counter({str(k): v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)})


def backfill(args: argparse.Namespace, tmp: Path) -> None:
    with OpenCartSandbox() as shop, AfasSandbox(check_requests=args.check_requests) as afas:
        shop.add_orders(bench_orders(args.orders, args.returning_customers, args.seed))
        ledger_path = tmp / "ledger.sqlite"
        prime(afas, ledger_path)
        config = tmp / "ocafas.yaml"
        config.write_text(
            sandbox_config(
                opencart_url=shop.url, afas_url=afas.base_url, ledger=ledger_path,
                rates=rates_yaml(("NL", "BE", "DE", "FR", "AT"), zero_everywhere=True),
                timeout=30, processable=(5,), fixed_debtors={}, batch_size=args.batch_size,
                concurrency=args.concurrency,
            ),
            encoding="utf-8",
        )  # fmt: skip
        config.chmod(0o600)
        afas.faults.set_latency(args.afas_latency)
        shop.set_latency(args.opencart_latency)
        relations = len(afas.persons()) + len(afas.organisations())
        oc_before, afas_before = dict(shop.counts()), afas.counts()

        checks = "on" if args.check_requests else "off (the test suite checks every request)"
        print(
            f"backfill of {args.orders} orders"
            f" (returning customers {args.returning_customers:.0%});"
            f" AFAS sandbox schema checks {checks}"
        )
        code, wall, rss = run_ocafas(config, "-v", "sync", profile=args.profile)
        oc = _delta(dict(shop.counts()), oc_before)
        calls = _delta(afas.counts(), afas_before)
        booked = sum(1 for e in afas.entries(ADMIN_SHOP_ID) if e.status == "booked")
        created = len(afas.persons()) + len(afas.organisations()) - relations
        with Ledger.open(ledger_path) as ledger:
            states = {state.value: n for state, n in ledger.counts().items() if n}
        n = max(1, args.orders)
        afas_total, oc_total = sum(calls.values()), sum(oc.values())
        rate = booked / wall
        bound = args.concurrency / args.afas_latency if args.afas_latency else float("inf")
        per_order = afas_total / max(1, booked)
        print(f"  exit code            {code}; ledger {states}")
        print(f"  booked               {booked} in {wall:.2f} s = {rate:.1f} orders/s")
        print(f"  AFAS calls           {afas_total} = {afas_total / n:.3f} per order {dict(calls)}")
        print(f"  relations created    {created}")
        print(f"  OpenCart calls       {oc_total} = {oc_total / n:.4f} per order {dict(oc)}")
        print(f"  peak RSS ocafas      {rss / 1024:.1f} MiB")
        if args.afas_latency:
            print(
                f"  bound                concurrency / AFAS latency = {args.concurrency} / "
                f"{args.afas_latency} s = {bound:.1f} orders/s; achieved {rate / bound:.1%}"
            )
            adjusted = bound / per_order
            print(
                f"  bound per AFAS call  {adjusted:.1f} orders/s at {per_order:.3f} calls per "
                f"booked order; achieved {rate / adjusted:.1%}"
            )

        oc_before, afas_before = dict(shop.counts()), afas.counts()
        code, wall, rss = run_ocafas(config, "sync")
        oc = _delta(dict(shop.counts()), oc_before)
        calls = _delta(afas.counts(), afas_before)
        print(
            f"idle run: exit code {code}, {wall:.3f} s wall, peak RSS {rss / 1024:.1f} MiB, "
            f"OpenCart calls {sum(oc.values())} {dict(oc)}, AFAS calls {sum(calls.values())}"
        )


# -- the one-month query on a large ledger ------------------------------------------------------


def _history(count: int, first: date) -> Iterator[ImportedOrder]:
    """``count`` booked orders, about 3,000 a day, with one or two lines each."""
    per_day = 3000
    for i in range(1, count + 1):
        day = first + timedelta(days=(i - 1) // per_day)
        when = datetime(day.year, day.month, day.day, 12, 0).isoformat() + "+02:00"
        excl = Decimal(1000 + i % 9000) / 100
        vat = (excl * Decimal("0.21")).quantize(Decimal("0.01"))
        lines: tuple[BookedLine, ...] = (
            BookedLine("8000", "high", Decimal(21), excl, vat, "NL", "excl"),
        )
        if i % 3 == 0:
            lines += (BookedLine("8400", "high", Decimal(21), Decimal("5.00"), Decimal("1.05")),)
        total_excl = sum((line.amount_excl for line in lines), Decimal(0))
        total_vat = sum((line.amount_vat for line in lines), Decimal(0))
        booked = BookedEntry(
            relation_id=f"relation-{i % 5000}", relation_type="person",
            invoice_number=f"ORD{i}", invoice_date=day, amount_excl=total_excl,
            amount_vat=total_vat, amount_incl=total_excl + total_vat, lines=lines,
            afas_entry_id=f"entry-{i}",
        )  # fmt: skip
        yield ImportedOrder(i, when, when, booked, {"order_id": i}, 5, "NL", "Klant", None)


def _fill(path: Path, rows: int, first: date) -> None:
    with Ledger.open(path) as ledger:
        chunk = 100_000
        made = _history(rows, first)
        for _ in range(0, rows, chunk):
            ledger.import_processed(next(made) for _ in range(min(chunk, rows)))


def month_query(path: Path, rows: int) -> None:
    """Each one-month report as ``ocafas report`` builds it, on a ledger of ``rows`` orders."""
    from ocafas.reports.build import BUILDERS
    from ocafas.reports.period import month_period

    first = date(2024, 1, 1)
    started = time.perf_counter()
    if path.exists():
        print(f"ledger {path} is kept from an earlier run")
    else:
        _fill(path, rows, first)
        print(f"ledger of {rows} processed orders filled in {time.perf_counter() - started:.1f} s")
    period = month_period(2024, 6)
    started = time.perf_counter()
    with Ledger.open(path) as ledger:
        print(f"open (structure checked, not every page): {time.perf_counter() - started:.3f} s")
        for kind, build in BUILDERS.items():
            started = time.perf_counter()
            report = build(ledger, period)
            took = time.perf_counter() - started
            print(f"report {kind:9} one month: {report.count:7,} rows in {took:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--afas-latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--opencart-latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=8, help="sync.concurrency")
    parser.add_argument("--batch-size", type=int, default=100, help="sync.batch_size")
    parser.add_argument(
        "--returning-customers", type=float, default=1.0,
        help="share of orders whose debtor is already known (in AFAS and the ledger cache)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", metavar="FILE", help="cProfile the backfill into FILE")
    parser.add_argument("--ledger-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-million", action="store_true", help="skip the ledger query")
    parser.add_argument(
        "--ledger-file", type=Path, help="keep the large ledger here (made once, then reused)"
    )
    parser.add_argument("--skip-backfill", action="store_true", help="only the ledger query")
    parser.add_argument(
        "--check-requests",
        action="store_true",
        help="let the AFAS sandbox check every request against the schema (costs it CPU)",
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep the config and ledger"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocafas-bench-") as name:
        tmp = Path(name)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            tmp = args.keep
        if not args.skip_backfill:
            backfill(args, tmp)
        if not args.skip_million:
            month_query(args.ledger_file or tmp / "million.sqlite", args.ledger_rows)


if __name__ == "__main__":
    main()
