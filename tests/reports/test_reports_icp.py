"""The VAT report's ICP evidence: per ICP supply the VAT number, amount and VIES answer."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reports_support import ALL
from shops_support import B_ENV, TwoShops

from ocafas.ledger import Ledger
from ocafas.reports.build import vat_report
from ocafas.reports.icp import NOT_CHECKED
from ocafas.reports.model import Report
from ocafas.reports.period import month_period
from ocafas.reports.queries import query_plans


def _vat(path: Path) -> tuple[Report, dict[int, Any]]:
    with Ledger.open(path) as ledger:
        report = vat_report(ledger, ALL)
        evidence = {
            row["order_id"]: ledger.icp_evidence(row["order_id"])
            for row in report.tables[0].body.rows
        }
    return report, evidence


def test_checked_icp_orders_carry_the_vies_evidence(two_shops: TwoShops) -> None:
    report, evidence = _vat(two_shops.ledger_b)
    [table] = report.tables
    assert table.key == "icp_evidence" and table.section == "icp"
    rows = table.body.rows
    assert [row["order_id"] for row in rows] == [11, 12, 13]
    for row in rows:
        last = evidence[row["order_id"]][-1]
        assert row["vies"] == "valid"
        assert row["consultation_number"] == last.consultation_number and last.consultation_number
        assert row["checked_at"] == last.checked_at
        assert row["vat_number"] == last.vat_number
        assert row["excl"] == Decimal("198.00")
    assert {row["country"] for row in rows} == {"DE", "BE"}
    icp = next(section for section in report.sections if section.key == "icp")
    assert table.body.totals["excl"] == icp.totals["excl"] == Decimal("594.00")
    assert not any("DO NOT" in note or NOT_CHECKED in note for note in report.notes)


def test_unchecked_icp_orders_say_so(two_shops: TwoShops) -> None:
    report, evidence = _vat(two_shops.a.ledger_path)
    rows = report.tables[0].body.rows
    assert rows and all(row["vies"] == NOT_CHECKED for row in rows)
    assert all(not row["consultation_number"] and not row["checked_at"] for row in rows)
    assert all(not found for found in evidence.values())
    assert all(row["vat_number"][:2].isalpha() for row in rows)  # the order's own number
    icp = next(section for section in report.sections if section.key == "icp")
    assert report.tables[0].body.totals["excl"] == icp.totals["excl"]
    assert any(f"{len(rows)} ICP supply(ies)" in note for note in report.notes)


def _counting(ledger: Ledger) -> list[str]:
    calls: list[str] = []
    select: Callable[..., Any] = ledger.select

    def counted(sql: str, params: Any = ()) -> Any:
        calls.append(sql)
        return select(sql, params)

    ledger.select = counted  # type: ignore[method-assign]
    return calls


def test_one_query_per_period_however_many_icp_orders(two_shops: TwoShops) -> None:
    counts = []
    for path in (two_shops.ledger_b, two_shops.a.ledger_path):
        with Ledger.open(path) as ledger:
            calls = _counting(ledger)
            report = vat_report(ledger, ALL)
        counts.append((len(calls), len(report.tables[0].body.rows)))
    (few_calls, few), (many_calls, many) = counts
    assert many > few and few_calls == many_calls


def test_evidence_query_uses_indexes(two_shops: TwoShops) -> None:
    with Ledger.open(two_shops.a.ledger_path) as ledger:
        plan = query_plans(ledger, month_period(2025, 4))["icp"]
    text = " | ".join(plan)
    assert "entries_by_invoice_date" in text and "icp_evidence_by_order" in text, text
    assert not [step for step in plan if step.startswith("SCAN")], text


@pytest.mark.parametrize("form", ["json", "csv", "table", "html"])
def test_one_shop_vat_report_shows_evidence(two_shops: TwoShops, form: str) -> None:
    env = {**two_shops.env(), **B_ENV}  # one shop: the config is loaded whole, as before
    result = two_shops.run(two_shops.config_b, "vat", "--month", "2025-04", "--format", form,
                           env=env)  # fmt: skip
    assert result.exit_code == 0, result.output
    with Ledger.open(two_shops.ledger_b) as ledger:
        numbers = {e.consultation_number for o in (11, 12, 13) for e in ledger.icp_evidence(o)}
    assert numbers and all(str(n) in result.stdout for n in numbers)
    assert "Consultation number" in result.stdout and "Shop" not in result.stdout
