"""Reports over two shops: a shop column, totals per shop and for all, in every format."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from report_cli import validator
from reports_support import ALL
from shops_support import PERIOD, TwoShops, shop_yaml, write_config

from ocafas.errors import ExitCode
from ocafas.ledger import Ledger
from ocafas.reports.build import BUILDERS

KINDS = ("processed", "errors", "open", "vat")


def _single(path: Path, kind: str) -> dict[str, Decimal | int]:
    with Ledger.open(path) as ledger:
        return BUILDERS[kind](ledger, ALL).totals


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _nl(text: str) -> Decimal:
    assert "." not in text, text
    return Decimal(text.replace(",", "."))


@pytest.mark.parametrize("kind", KINDS)
def test_json_has_shops_and_totals_per_shop_and_overall(two_shops: TwoShops, kind: str) -> None:
    result = two_shops.run(two_shops.config_a, kind, *PERIOD, "--all-shops", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    validator("report-table.json").validate(document)
    a = _single(two_shops.a.ledger_path, kind)
    b = _single(two_shops.ledger_b, kind)
    assert [s["name"] for s in document["shops"]] == ["Shop A", "Shop B"]
    money = [c["key"] for c in document["columns"] if c["kind"] == "money" and c["total"]]
    for key in money:
        shop_a, shop_b = (Decimal(s["totals"][key]) for s in document["shops"])
        assert (shop_a, shop_b) == (a[key], b[key])
        assert Decimal(document["totals"][key]) == a[key] + b[key]
    assert document["columns"][0]["key"] == "shop"
    for section in document["sections"]:
        shops = {row["shop"] for row in section["rows"]}
        assert shops <= {"Shop A", "Shop B"}
        for key in money:  # each shop's subtotal is the sum of its rows, to the cent
            for sub in section["subtotals"]:
                rows = [r for r in section["rows"] if r["shop"] == sub["shop"]]
                assert Decimal(sub["totals"][key]) == sum(Decimal(r[key]) for r in rows)
            assert Decimal(section["totals"][key]) == sum(
                Decimal(s["totals"][key]) for s in section["subtotals"]
            )
    if kind in ("processed", "vat"):
        assert {r["shop"] for s in document["sections"] for r in s["rows"]} == {"Shop A", "Shop B"}
        excl, vat = two_shops.a.afas_sums()
        assert Decimal(document["shops"][0]["totals"]["excl"]) == excl
        assert Decimal(document["shops"][0]["totals"]["vat"]) == vat
        assert b["excl"] == Decimal("714.00")  # 3 x 198.00 ICP + 2 x 60.00 NL


def test_processed_csv_for_dutch_excel(two_shops: TwoShops) -> None:
    result = two_shops.run(two_shops.config_a, "processed", *PERIOD, "--all-shops", "--excel-nl",
                           "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout_bytes)
    header = rows[0]
    assert header[:2] == ["Shop", "Order"]
    at = header.index("Excl. VAT")
    body = [r for r in rows[1:] if r[1] not in ("Total", "Total all")]
    subtotals = {r[0]: _nl(r[at]) for r in rows[1:] if r[1] == "Total"}
    grand = [r for r in rows[1:] if r[1] == "Total all"]
    assert rows[-1] == grand[0] and grand[0][0] == ""
    a = _single(two_shops.a.ledger_path, "processed")["excl"]
    b = _single(two_shops.ledger_b, "processed")["excl"]
    assert subtotals == {"Shop A": a, "Shop B": b}
    assert _nl(grand[0][at]) == a + b == sum(_nl(r[at]) for r in body)
    for shop in ("Shop A", "Shop B"):
        assert sum(_nl(r[at]) for r in body if r[0] == shop) == subtotals[shop]


def test_vat_csv_per_shop_and_grand_total_and_evidence(two_shops: TwoShops) -> None:
    result = two_shops.run(two_shops.config_a, "vat", *PERIOD, "--shop", str(two_shops.config_b),
                           "--excel-nl", "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout_bytes)
    blank = rows.index([])
    vat, evidence = rows[:blank], rows[blank + 1 :]
    assert vat[0][:3] == ["Section", "Shop", "Country"]
    at = vat[0].index("Excl. VAT")
    per_shop = {r[1]: _nl(r[at]) for r in vat[1:] if r[0] == "" and r[2] == "Total"}
    grand = [r for r in vat[1:] if r[2] == "Total all"]
    a = _single(two_shops.a.ledger_path, "vat")
    b = _single(two_shops.ledger_b, "vat")
    assert per_shop == {"Shop A": a["excl"], "Shop B": b["excl"]}
    assert _nl(grand[0][at]) == a["excl"] + b["excl"]
    header = evidence[0]
    assert header[:3] == ["Section", "Shop", "Order"]
    number_at = header.index("Consultation number")
    vies_at = header.index("VIES")
    b_rows = [r for r in evidence[1:] if r[1] == "Shop B" and r[2] != "Total"]
    assert len(b_rows) == 3 and all(r[vies_at] == "valid" and r[number_at] for r in b_rows)
    a_rows = [r for r in evidence[1:] if r[1] == "Shop A" and r[2] != "Total"]
    assert a_rows and all(r[vies_at] == "not checked" and not r[number_at] for r in a_rows)


@pytest.mark.parametrize("form", ["table", "html"])
def test_table_and_html_show_shops_and_totals(two_shops: TwoShops, form: str) -> None:
    for kind in ("processed", "vat"):
        result = two_shops.run(two_shops.config_a, kind, *PERIOD, "--all-shops", "--format", form)
        assert result.exit_code == 0, result.output
        text = result.stdout
        a = _single(two_shops.a.ledger_path, kind)
        b = _single(two_shops.ledger_b, kind)
        assert "Shop A" in text and "Shop B" in text and "Total all" in text
        for value in (a["excl"], b["excl"], a["excl"] + b["excl"]):
            assert f"{value:,.2f}" in text
        assert "\x1b[" not in text
    assert "WAPIAAAA" in text and "not checked" in text  # the VAT report's ICP evidence


def test_one_shop_output_is_as_before(two_shops: TwoShops) -> None:
    """--all-shops on a config without shop.others is the plain one-shop report."""
    env = {**two_shops.env(), "OCAFAS_CONFIG": str(two_shops.a.config_path)}
    plain = two_shops.run(two_shops.a.config_path, "processed", *PERIOD, "--format", "csv", env=env)
    alone = two_shops.run(two_shops.a.config_path, "processed", *PERIOD, "--all-shops",
                          "--format", "csv", env=env)  # fmt: skip
    assert plain.exit_code == alone.exit_code == 0
    assert plain.stdout == alone.stdout and "Shop" not in plain.stdout.splitlines()[0]


def test_missing_or_corrupt_ledger_of_one_shop(two_shops: TwoShops, tmp_path: Path) -> None:
    other = tmp_path / "shopC.yaml"
    write_config(other, tmp_path / "nowhere.sqlite3", shop_yaml("Shop C"))
    result = two_shops.run(two_shops.config_a, "vat", *PERIOD, "--shop", str(other))
    assert result.exit_code == ExitCode.LEDGER, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "'Shop C'" in lines[0] and "nowhere.sqlite3" in lines[0]
    (tmp_path / "nowhere.sqlite3").write_text("not a database at all\n")
    result = two_shops.run(two_shops.config_a, "processed", *PERIOD, "--shop", str(other))
    assert result.exit_code == ExitCode.LEDGER, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "'Shop C'" in lines[0] and "not an ocafas ledger" in lines[0]
    assert (tmp_path / "nowhere.sqlite3").read_text() == "not a database at all\n"


def test_damaged_pages_name_the_shop(two_shops: TwoShops, tmp_path: Path) -> None:
    copy = tmp_path / "damaged.sqlite3"
    with Ledger.open(two_shops.a.ledger_path) as ledger:
        ledger.backup(copy)
    data = bytearray(copy.read_bytes())
    data[4096 * 3 : len(data) - 4096] = b"\xff" * (len(data) - 4096 * 4)  # keep the header page
    copy.write_bytes(bytes(data))
    other = tmp_path / "shopD.yaml"
    write_config(other, copy, shop_yaml("Shop D"))
    result = two_shops.run(two_shops.config_a, "processed", *PERIOD, "--shop", str(other))
    assert result.exit_code == ExitCode.LEDGER, result.output
    assert "'Shop D'" in result.output and "damaged.sqlite3" in result.output


def test_two_configs_with_one_ledger_are_refused(two_shops: TwoShops, tmp_path: Path) -> None:
    twin = tmp_path / "twin.yaml"
    write_config(twin, two_shops.ledger_b, shop_yaml("Twin"))
    result = two_shops.run(two_shops.config_a, "processed", *PERIOD, "--all-shops",
                           "--shop", str(twin))  # fmt: skip
    assert result.exit_code == ExitCode.CONFIG, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "same ledger file" in lines[0] and "'Twin'" in lines[0]
    result = two_shops.run(two_shops.config_a, "open", "--shop", str(tmp_path / "none.yaml"))
    assert result.exit_code == ExitCode.CONFIG and "none.yaml" in result.output


def test_no_planted_secret_in_a_report_over_two_shops(two_shops: TwoShops, tmp_path: Path) -> None:
    secrets = {
        "a_key": "ocKEYa1b2c3d4e5f6a7b8c9d0e1f2a3b4",
        "a_token": "afasAPPa1b2c3d4e5f6a7b8c9d0e1f2a3",
        "b_key": "ocKEYb9c8d7e6f5a4b3c2d1e0f9a8b7c6",
        "b_token": "afasAPPb9c8d7e6f5a4b3c2d1e0f9a8b7",
    }
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    write_config(first, two_shops.a.ledger_path, shop_yaml("Shop A", ["b.yaml"]),
                 api_key=secrets["a_key"], app_token=secrets["a_token"])  # fmt: skip
    write_config(second, two_shops.ledger_b, shop_yaml("Shop B"),
                 api_key=secrets["b_key"], app_token=secrets["b_token"])  # fmt: skip
    for kind in KINDS:
        for form in ("table", "csv", "json", "html"):
            result = two_shops.run(first, kind, *PERIOD, "--all-shops", "--format", form)
            assert result.exit_code == 0, result.output
            assert "Shop B" in result.stdout
            for name, value in secrets.items():
                assert value[5:21] not in result.stdout, f"the planted {name} leaked"
