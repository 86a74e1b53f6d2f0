"""CSV parses back to the same numbers, JSON validates, no colour codes without a terminal."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from report_cli import run, validator
from reports_support import Synced

PERIOD = ["--from", "2025-01-01", "--to", "2025-12-31"]


def _rows(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV for Excel starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def _number(text: str, decimal_comma: bool) -> Decimal:
    if decimal_comma:
        assert "." not in text, text
        text = text.replace(",", ".")
    assert re.fullmatch(r"-?\d+\.\d{2}", text), text
    return Decimal(text)


@pytest.mark.parametrize(
    ("options", "delimiter", "comma"),
    [([], ",", False), (["--excel-nl"], ";", True), (["--locale", "nl"], ";", True)],
)
def test_processed_csv_parses_back_to_afas_numbers(
    synced: Synced, tmp_path: Path, options: list[str], delimiter: str, comma: bool
) -> None:
    out = tmp_path / "processed.csv"
    result = run(synced.env(), "processed", *PERIOD, "--format", "csv", "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_bytes(), delimiter)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    excl_at, vat_at = header.index("Excl. VAT"), header.index("VAT")
    assert total[0] == "Total" and len(body) == len(synced.bodies)
    excl, vat = synced.afas_sums()
    assert sum(_number(r[excl_at], comma) for r in body) == excl == _number(total[excl_at], comma)
    assert sum(_number(r[vat_at], comma) for r in body) == vat == _number(total[vat_at], comma)
    dates = [r[header.index("Date")] for r in body]
    pattern = r"\d{2}-\d{2}-2025" if comma else r"2025-\d{2}-\d{2}"
    assert all(re.fullmatch(pattern, d) for d in dates)


def test_vat_csv_sections_and_grand_total(synced: Synced) -> None:
    result = run(synced.env(), "vat", *PERIOD, "--format", "csv", "--excel-nl")
    rows = _rows(result.stdout_bytes, ";")
    rows = rows[: rows.index([])]  # the ICP evidence per order follows after an empty row
    header = rows[0]
    assert header[0] == "Section"
    at = header.index("Excl. VAT")
    detail = [r for r in rows[1:] if r[1] not in ("Total", "Total all")]
    sections = [r for r in rows[1:] if r[1] == "Total"]
    grand = [r for r in rows[1:] if r[1] == "Total all"]
    assert len(grand) == 1 and {r[0] for r in sections} >= {"domestic", "icp", "international"}
    excl, _vat = synced.afas_sums()
    assert sum(_number(r[at], True) for r in detail) == excl == _number(grand[0][at], True)
    assert sum(_number(r[at], True) for r in sections) == excl


def test_json_of_every_period_report_validates(synced: Synced) -> None:
    check = validator("report-table.json")
    excl, vat = synced.afas_sums()
    for kind in ("processed", "errors", "open", "vat"):
        result = run(synced.env(), kind, *PERIOD, "--format", "json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        check.validate(document)
        assert document["report"] == kind and document["count"] > 0
        if kind in ("processed", "vat"):
            assert Decimal(document["totals"]["excl"]) == excl
            assert Decimal(document["totals"]["vat"]) == vat
    broken = json.loads(run(synced.env(), "vat", *PERIOD, "--format", "json").stdout)
    broken["totals"]["excl"] = 12.5  # a float is not an exact amount
    assert list(check.iter_errors(broken))


def test_order_json_validates_with_checks_requests_and_events(synced: Synced) -> None:
    check = validator("report-order.json")
    with synced.ledger() as ledger:
        booked = ledger.processed_entries("2025-01-01", "2026-01-01")[0].order_id
        failed = ledger.errors()[0]
    for order_id in (booked, failed.order_id):
        result = run(synced.env(), "order", str(order_id), "--format", "json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        check.validate(document)
        events = [e["event"] for e in document["events"]]
        assert events[0] == "seen"
    assert document["summary"]["state"] == "error"
    assert not all(c["ok"] for c in document["checks"]["rerun"])
    rerun_codes = {p["code"] for c in document["checks"]["rerun"] for p in c["problems"]}
    assert failed.error is not None and failed.error.code in rerun_codes | {"MALFORMED_ORDER"}
    assert "ocafas retry" in document["next"]
    booked_doc = json.loads(run(synced.env(), "order", str(booked), "--format", "json").stdout)
    entry = booked_doc["entries"][-1]
    assert entry["state"] == "processed" and entry["request"]["InvoiceNumber"]
    assert entry["response"] and all(c["ok"] for c in booked_doc["checks"]["rerun"])
    assert "processed" in [e["event"] for e in booked_doc["events"]]


def test_table_has_totals_and_no_colour_codes_without_a_terminal(synced: Synced) -> None:
    for kind in ("processed", "errors", "open", "vat"):
        result = run(synced.env(), kind, *PERIOD)
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout and "Total (" in result.stdout
    with synced.ledger() as ledger:
        order_id = ledger.errors()[0].order_id
    text = run(synced.env(), "order", str(order_id)).stdout
    assert "\x1b[" not in text and "Checks" in text and "Next" in text


def test_dutch_locale_formats_dates_and_amounts(synced: Synced) -> None:
    english = run(synced.env(), "vat", *PERIOD).stdout
    dutch = run(synced.env(), "vat", *PERIOD, "--locale", "nl").stdout
    excl, _ = synced.afas_sums()
    assert f"{excl:,.2f}" in english
    assert f"{excl:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") in dutch
    assert "01-01-2025 – 31-12-2025" in dutch and "2025-01-01 – 2025-12-31" in english


def test_bad_options_and_unknown_order_exit_2(synced: Synced) -> None:
    result = run(synced.env(), "processed", "--month", "2025-04", "--from", "2025-04-01")
    assert result.exit_code == 2 and "cannot be combined" in result.output
    result = run(synced.env(), "order", "999999")
    assert result.exit_code == 2 and "not in the ledger" in result.output
