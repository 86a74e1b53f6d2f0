"""Each report's totals equal what the AFAS sandbox received, to the cent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from reports_support import ALL, Synced

from ocafas.ledger import OrderState
from ocafas.money import to_cents
from ocafas.reports.build import errors_report, one_line, open_report, processed_report, vat_report
from ocafas.reports.period import Period, month_period


def test_processed_report_is_what_afas_received(synced: Synced) -> None:
    with synced.ledger() as ledger:
        report = processed_report(ledger, ALL)
    excl, vat = synced.afas_sums()
    assert report.totals == {"excl": excl, "vat": vat, "incl": excl + vat}
    rows = report.sections[0].rows
    assert len(rows) == len(synced.bodies) >= 100
    by_number = {body["InvoiceNumber"]: body for body in synced.bodies}
    for row in rows:
        body = by_number[row["invoice_number"]]
        lines = body["InvoiceLine"]
        assert row["excl"] == sum(Decimal(str(x["AmountExcludingVat"])) for x in lines)
        assert row["vat"] == sum(Decimal(str(x.get("AmountVat", 0))) for x in lines)
        assert row["invoice_date"] == body["InvoiceDate"]
        assert row["afas_entry_id"] == synced.afas_ids[row["invoice_number"]]
        assert row["order_id"] == int(body["Reference"])
    assert {r["invoice_number"] for r in rows} == set(by_number)


def test_months_split_the_period_exactly(synced: Synced) -> None:
    with synced.ledger() as ledger:
        march = processed_report(ledger, month_period(2025, 3))
        april = processed_report(ledger, month_period(2025, 4))
    assert march.count and april.count, "the generated orders span March and April"
    for month, report in ((3, march), (4, april)):
        excl, vat = synced.afas_sums(month_period(2025, month))
        assert (report.totals["excl"], report.totals["vat"]) == (excl, vat)
    assert march.count + april.count == len(synced.bodies)
    one_day = Period(date(2025, 4, 1), date(2025, 4, 1))
    with synced.ledger() as ledger:
        day = processed_report(ledger, one_day)
    assert all(row["invoice_date"] == "2025-04-01" for row in day.sections[0].rows)


def test_vat_report_ties_to_afas_per_vat_type_and_icp(synced: Synced) -> None:
    with synced.ledger() as ledger:
        report = vat_report(ledger, ALL)
        processed = processed_report(ledger, ALL)
    excl, vat = synced.afas_sums()
    assert report.totals["excl"] == excl == processed.totals["excl"]
    assert report.totals["vat"] == vat == processed.totals["vat"]
    assert report.totals["incl"] == processed.totals["incl"]
    assert "totals tie to the processed report" in report.notes
    assert report.totals["lines"] == sum(len(b["InvoiceLine"]) for b in synced.bodies)

    afas_by_type: dict[str, Decimal] = defaultdict(Decimal)
    afas_icp = Decimal("0.00")
    for body in synced.bodies:
        for line in body["InvoiceLine"]:
            afas_by_type[line["VatType"]] += Decimal(str(line["AmountExcludingVat"]))
            if line.get("IntraCommunityType"):
                afas_icp += Decimal(str(line["AmountExcludingVat"]))
    ours_by_type: dict[str, Decimal] = defaultdict(Decimal)
    for section in report.sections:
        for row in section.rows:
            ours_by_type[row["vat_type"]] += row["excl"]
    assert dict(ours_by_type) == dict(afas_by_type)

    sections = {section.key: section for section in report.sections}
    assert {"domestic", "eu_consumer", "icp", "international"} <= set(sections)
    assert "unrecorded" not in sections
    assert sections["icp"].totals["excl"] == afas_icp > 0
    assert sections["icp"].totals["vat"] == 0
    assert sections["international"].totals["vat"] == 0
    assert all(row["country"] not in ("NL", "BE", "DE") for row in sections["international"].rows)
    assert all(row["country"] == "NL" for row in sections["domestic"].rows)
    for section in report.sections:  # each section's totals are the sum of its rows
        assert section.totals["excl"] == sum(row["excl"] for row in section.rows)


def test_errors_and_open_reports_match_the_ledger_and_the_shop(synced: Synced) -> None:
    totals = {o["order_id"]: to_cents(Decimal(o["total"])) for o in synced.generated}
    with synced.ledger() as ledger:
        errors = errors_report(ledger, ALL)
        opened = open_report(ledger, ALL)
        in_error = ledger.errors()
        waiting = ledger.orders_in_state(OrderState.OPEN)
    rows = errors.sections[0].rows
    assert {r["order_id"] for r in rows} == {r.order_id for r in in_error} and rows
    assert errors.totals["total"] == sum(totals[r["order_id"]] for r in rows)
    for row in rows:
        assert row["code"] and row["hint"] and "\n" not in row["reason"]
    open_rows = opened.sections[0].rows
    assert {r["order_id"] for r in open_rows} == {r.order_id for r in waiting} and open_rows
    assert opened.totals["total"] == sum(totals[r["order_id"]] for r in open_rows)
    assert all(r["status"] for r in open_rows)


def test_one_line_reason() -> None:
    text = "the total is 1 but lines add to 2; RATE_NOT_CONFIGURED: 9 %; RATE_NOT_CONFIGURED: 21 %"
    assert one_line(text) == "the total is 1 but lines add to 2 (+2 more)"
    assert one_line("a; b\nc") == "a; b c"
