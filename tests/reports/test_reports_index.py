"""The month queries use their indexes on a large bulk-imported ledger (EXPLAIN QUERY PLAN).

Timing is the benchmark's job (benchmarks/bench_reports.py, 1,000,000 orders); this pins the
plans, which is what keeps a month fast however many years the ledger holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ocafas.ledger import BookedEntry, BookedLine, ImportedOrder, Ledger
from ocafas.reports.build import processed_report, vat_report
from ocafas.reports.period import month_period
from ocafas.reports.queries import query_plans

COUNT = 20_000
START = date(2022, 1, 1)
DAYS = 1095


def _orders() -> Iterator[ImportedOrder]:
    for number in range(1, COUNT + 1):
        day = START + timedelta(days=(number - 1) * DAYS // COUNT)
        excl = Decimal(number % 5000 + 100) / 100
        vat = (excl * Decimal("0.21")).quantize(Decimal("0.01"))
        icp = number % 5 == 0
        line = BookedLine(
            "8100" if icp else "8000",
            "zero" if icp else "high",
            Decimal(0 if icp else 21),
            excl,
            Decimal("0.00") if icp else vat,
            "DE" if icp else "NL",
            regime="icp" if icp else "domestic",
            kind="product",
            intra_community_type="supplies" if icp else None,
        )
        moment = f"{day.isoformat()}T10:00:00+02:00"
        yield ImportedOrder(
            order_id=number,
            date_added=moment,
            date_modified=moment,
            booked=BookedEntry(
                "r",
                "person",
                f"B{number}",
                day,
                line.amount_excl,
                line.amount_vat,
                line.amount_excl + line.amount_vat,
                (line,),
                f"a{number}",
            ),
        )


def _expected(month: tuple[int, int]) -> tuple[int, Decimal, Decimal]:
    count, excl, vat = 0, Decimal(0), Decimal(0)
    for item in _orders():
        booked = item.booked
        if str(booked.invoice_date).startswith(f"{month[0]}-{month[1]:02d}"):
            count += 1
            excl += booked.amount_excl
            vat += booked.amount_vat
    return count, excl, vat


def _assert_indexed(plans: dict[str, list[str]]) -> None:
    text = {name: " | ".join(plan) for name, plan in plans.items()}
    for name in ("processed", "vat", "totals"):
        assert "USING INDEX entries_by_invoice_date" in text[name] or (
            "USING COVERING INDEX entries_by_invoice_date" in text[name]
        ), text[name]
    assert "USING INDEX orders_by_state_date" in text["orders"], text["orders"]
    assert "SEARCH l USING PRIMARY KEY" in text["vat"], text["vat"]
    for name, plan in plans.items():
        scans = [step for step in plan if step.startswith("SCAN")]
        assert not scans, f"{name} scans a table: {scans}"


def test_month_queries_use_indexes_on_a_large_ledger(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "big.sqlite3") as ledger:
        assert ledger.import_processed(_orders()) == COUNT
        period = month_period(2023, 5)
        _assert_indexed(query_plans(ledger, period))
        ledger.backup(tmp_path / "copy.sqlite3")
    with Ledger.open(tmp_path / "copy.sqlite3") as ledger:
        ledger._db().execute("ANALYZE")
        _assert_indexed(query_plans(ledger, period))
        processed = processed_report(ledger, period)
        vat = vat_report(ledger, period)
    count, excl, vat_total = _expected((2023, 5))
    assert processed.count == count > 500
    assert processed.totals["excl"] == excl == vat.totals["excl"]
    assert processed.totals["vat"] == vat_total == vat.totals["vat"]
    sections = {section.key for section in vat.sections}
    assert sections == {"domestic", "icp"}
