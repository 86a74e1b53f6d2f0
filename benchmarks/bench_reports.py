"""How fast ``ocafas report`` answers a one-month query on a large ledger.

    PYTHONPATH=. python benchmarks/bench_reports.py [ORDERS] [LEDGER]

Bulk-imports ORDERS (default 1,000,000) booked orders spread evenly over 24 months (about
42,000 a month, three booked lines each) into LEDGER (default: a temporary file; an existing
file is reused as is), then times each report for one month and prints the query plans.
The goal: each one-month report in well under a second.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ocafas.ledger import BookedEntry, BookedLine, ImportedOrder, Ledger
from ocafas.reports.build import BUILDERS
from ocafas.reports.period import month_period
from ocafas.reports.queries import query_plans

START = date(2023, 1, 1)
DAYS = 730
CHUNK = 100_000


def orders(count: int, first_id: int = 1, total: int = 0) -> Iterator[ImportedOrder]:
    """Deterministic booked orders: NL 21 % + 9 % lines and an ICP line every 7th order."""
    for number in range(first_id, first_id + count):
        day = START + timedelta(days=(number - 1) * DAYS // (total or count + first_id - 1))
        excl_high = Decimal(number % 9000 + 100) / 100
        excl_low = Decimal(number % 700 + 50) / 100
        vat_high = (excl_high * Decimal("0.21")).quantize(Decimal("0.01"))
        vat_low = (excl_low * Decimal("0.09")).quantize(Decimal("0.01"))
        icp = number % 7 == 0
        lines = (
            BookedLine(
                "8000",
                "high",
                Decimal(21),
                excl_high,
                vat_high,
                "NL",
                regime="domestic",
                kind="product",
            ),
            BookedLine(
                "8010",
                "low",
                Decimal(9),
                excl_low,
                vat_low,
                "NL",
                regime="domestic",
                kind="product",
            ),
            BookedLine(
                "8400",
                "high",
                Decimal(21),
                Decimal("4.13"),
                Decimal("0.87"),
                "NL",
                regime="domestic",
                kind="shipping",
            ),
        )
        if icp:
            lines = (
                BookedLine(
                    "8100",
                    "zero",
                    Decimal(0),
                    excl_high + excl_low,
                    Decimal("0.00"),
                    "DE",
                    regime="icp",
                    kind="product",
                    intra_community_type="supplies",
                ),
            )
        excl = sum((line.amount_excl for line in lines), Decimal(0))
        vat = sum((line.amount_vat for line in lines), Decimal(0))
        moment = f"{day.isoformat()}T12:00:00+01:00"
        yield ImportedOrder(
            order_id=number,
            date_added=moment,
            date_modified=moment,
            country=lines[0].country,
            customer_name=f"Customer {number}",
            booked=BookedEntry(
                "relation",
                "person",
                f"B{number}",
                day,
                excl,
                vat,
                excl + vat,
                lines,
                f"afas-{number}",
            ),
        )


def fill(ledger: Ledger, count: int) -> None:
    for first in range(1, count + 1, CHUNK):
        ledger.import_processed(orders(min(CHUNK, count + 1 - first), first, count))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp()) / "big.sqlite3"
    fresh = not path.exists()
    with Ledger.open(path) as ledger:
        if fresh:
            started = time.perf_counter()
            fill(ledger, count)
            print(f"imported {count:,} orders in {time.perf_counter() - started:.1f} s")
        period = month_period(2024, 5)
        for name, plan in query_plans(ledger, period).items():
            print(f"plan {name}: {' | '.join(plan)}")
        for kind, build in BUILDERS.items():
            started = time.perf_counter()
            report = build(ledger, period)
            took = time.perf_counter() - started
            print(f"report {kind:9} {report.count:7,} rows  {took * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
