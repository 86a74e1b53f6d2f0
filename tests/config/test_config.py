"""Config loading: every problem at once, with key paths, no secret in any message."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ocafas.cli import cli
from ocafas.config import load_settings, parse_settings, resolve_config_path
from ocafas.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
KEY = "Sup3rSecretShopKey"
TOKEN = "AFASappTOKEN-0123456789abcdef0123456789abcdef"
ENV = {"OC_KEY": KEY, "AFAS_TOKEN": TOKEN}

GOOD = """
opencart:
  url: https://shop.example/index.php?route=extension/ocafas/api
  api_key: ${OC_KEY}
  processable_statuses: [Complete, 15]
afas:
  accountant_domain: app-center-demo
  customer_environment: webwinkelfacturen
  app_token: ${AFAS_TOKEN}
  administration_id: 701B747B-EEA2-5ED1-8518-973E5C670252
vat:
  rates:
    NL:
      21: {vat_type: high, account: 8000}
      "9.0": {vat_type: low, account: "8010"}
      0: {vat_type: zero, account: 8020}
    FR:
      5.5: {vat_type: low, account: 8050}
  icp: {account: 8100}
  international: {account: 8200}
sync:
  start_date: 2025-01-01
"""


def parse(text: str, env: dict[str, str] | None = None) -> list[str]:
    try:
        parse_settings(text, environ=ENV if env is None else env)
    except ConfigError as err:
        return err.problems
    return []


def test_good_config_parses_with_defaults() -> None:
    settings, literal = parse_settings(GOOD, environ=ENV)
    assert literal == []
    assert settings.opencart.api_key == KEY
    assert settings.opencart.processable_statuses == ("Complete", 15)
    assert settings.afas.base_url == "https://app-center-demo.afasfocus.nl/webwinkelfacturen"
    assert settings.afas.administration_id == "701b747b-eea2-5ed1-8518-973e5c670252"
    nl = settings.vat.rates["NL"]
    assert set(nl) == {Decimal("21"), Decimal("9"), Decimal("0")}
    assert settings.vat.rule_for("nl", Decimal("21.0000")) == nl[Decimal(21)]
    assert settings.vat.rule_for("FR", Decimal("5.5000")) is not None
    assert settings.vat.rule_for("DE", Decimal("19")) is None
    assert settings.vat.icp is not None and settings.vat.icp.intra_community_type == "supplies"
    # With no booking.shop_prefix the placeholder is empty: ORD1001, as before.
    assert settings.booking.invoice_number == "{shop_prefix}ORD{order_id}"
    assert settings.booking.payment_reference == "{shop_prefix}{order_id}"
    assert settings.booking.zero_total == "book"
    assert settings.booking.payment_methods["bank_transfer"] == "banktransfer"
    assert settings.sync.batch_size == 100 and settings.sync.concurrency == 8


def test_example_config_is_valid() -> None:
    env = {"OCAFAS_OPENCART_API_KEY": KEY, "OCAFAS_AFAS_APP_TOKEN": TOKEN}
    text = (REPO / "config.example.yaml").read_text()
    settings, _ = parse_settings(text, source=REPO / "config.example.yaml", environ=env)
    assert settings.ledger_path == REPO / "ledger.sqlite3"


def test_five_mistakes_reported_at_once_via_cli(tmp_path: Path) -> None:
    bad = (
        GOOD.replace(
            "administration_id: 701B747B-EEA2-5ED1-8518-973E5C670252",
            "administration_id: not-a-uuid",
        )
        .replace("timeout", "timeout")
        .replace(
            "processable_statuses: [Complete, 15]",
            "processable_statuses: [Complete, 15]\n  tiemout: 5",
        )
        .replace("21: {vat_type: high, account: 8000}", "21: {vat_type: hihg, account: 8000}")
        .replace("start_date: 2025-01-01", "start_date: 2025-13-01\n  concurrency: 0")
        .replace("url: https://shop.example", "url: http://shop.example")
    )
    path = tmp_path / "config.yaml"
    path.write_text(bad)
    path.chmod(0o600)
    result = CliRunner().invoke(
        cli, ["--config", str(path), "check-config"], env=ENV, catch_exceptions=False
    )
    assert result.exit_code == 2, result.output
    out = result.output
    for expected in (
        "afas.administration_id: not a UUID",
        "opencart.tiemout: unknown key (did you mean timeout?)",
        "vat.rates.NL.21.vat_type: must be one of high, low, zero",
        "sync.start_date: not a date",
        "sync.concurrency: must be between 1 and 32",
        "opencart.url: plain http is refused",
    ):
        assert expected in out, out
    assert "has 6 problems" in out
    assert KEY not in out and TOKEN not in out


def test_main_entry_exit_code_for_bad_config(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "c.yaml"
    path.write_text("opencart: [1, 2]\n")
    proc = subprocess.run(
        [sys.executable, "-m", "ocafas", "--config", str(path), "check-config"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "opencart: must be a mapping of keys" in proc.stderr
    assert "afas: missing section" in proc.stderr


def test_secret_values_never_in_problems() -> None:
    text = GOOD.replace("${OC_KEY}", "short key!").replace("${AFAS_TOKEN}", "[1,2]")
    problems = parse(text)
    joined = "\n".join(problems)
    assert "opencart.api_key: does not look like a valid secret (value not shown)" in joined
    assert "afas.app_token: must be text (value not shown)" in joined
    assert "short key!" not in joined


def test_missing_environment_variable() -> None:
    problems = parse(GOOD, env={"OC_KEY": KEY})
    assert problems == ["afas.app_token: environment variable AFAS_TOKEN is not set"]


def test_secret_from_fallback_environment_variable() -> None:
    text = GOOD.replace("  app_token: ${AFAS_TOKEN}\n", "")
    assert "afas.app_token: missing (write it as ${OCAFAS_AFAS_APP_TOKEN}" in parse(text)[0]
    settings, _ = parse_settings(text, environ={**ENV, "OCAFAS_AFAS_APP_TOKEN": TOKEN})
    assert settings.afas.app_token == TOKEN


def test_literal_secret_in_readable_file_warns(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD.replace("${OC_KEY}", KEY))
    path.chmod(0o644)
    os.environ["AFAS_TOKEN"] = TOKEN
    try:
        _, warnings = load_settings(path)
        assert len(warnings) == 1
        assert "literal secret (opencart.api_key)" in warnings[0]
        assert KEY not in warnings[0]
        path.chmod(0o600)
        _, warnings = load_settings(path)
        assert warnings == []
    finally:
        del os.environ["AFAS_TOKEN"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_yaml_errors_do_not_echo_content() -> None:
    problems = parse(f"opencart:\n  api_key: {KEY}: oops\n")
    assert len(problems) == 1
    assert problems[0].startswith("line 2, column")
    assert KEY not in problems[0]


def test_duplicate_keys_are_errors() -> None:
    problems = parse(GOOD + "sync:\n  start_date: 2024-01-01\n")
    assert problems == ["line 23: duplicate key 'sync' (first on line 21)"]


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "21: {vat_type: high, account: 8000}",
            "21: {vat_type: zero, account: 8000}",
            "vat.rates.NL.21.vat_type: a 21% rate cannot be booked as zero",
        ),
        (
            "0: {vat_type: zero, account: 8020}",
            "0: {vat_type: high, account: 8020}",
            "vat.rates.NL.0.vat_type: a 0% rate is booked as zero",
        ),
        (
            "21: {vat_type: high, account: 8000}",
            "21: {vat_type: high, account: 8000, vat_calculation: exempt}",
            "vat.rates.NL.21.vat_calculation: exempt means no VAT is charged",
        ),
        (
            "21: {vat_type: high, account: 8000}",
            "21: {vat_type: high, account: 80-00}",
            "vat.rates.NL.21.account: must be a ledger account number",
        ),
        (
            "21: {vat_type: high, account: 8000}",
            "21: {vat_type: high}",
            "vat.rates.NL.21.account: missing",
        ),
        ("    NL:\n", "    nl:\n", "vat.rates.nl: must be an ISO country code"),
        ("5.5:", "abc:", "vat.rates.FR.abc: must be a VAT percentage"),
        (
            "start_date: 2025-01-01",
            "start_date: 2025-01-01\nbooking:\n  invoice_number: X{id}",
            "booking.invoice_number: unknown placeholder {id}",
        ),
        (
            "start_date: 2025-01-01",
            "start_date: 2025-01-01\nbooking:\n  invoice_number: ORD",
            "booking.invoice_number: must contain {order_id}",
        ),
        (
            "start_date: 2025-01-01",
            "start_date: 2025-01-01\nbooking:\n  payment_methods: {paypal: paypal}",
            "booking.payment_methods.paypal: must be one of creditcard",
        ),
        (
            "start_date: 2025-01-01",
            "start_date: 2025-01-01\ndebtors:\n  fixed: {cod: {relation_id: x}}",
            "debtors.fixed.cod.relation_id: not a UUID",
        ),
        (
            "processable_statuses: [Complete, 15]",
            "processable_statuses: []",
            "opencart.processable_statuses: must be a non-empty list",
        ),
        (
            "accountant_domain: app-center-demo",
            "accountant_domain: App Center",
            "afas.accountant_domain: must be the first part of the AFAS host",
        ),
        (
            "start_date: 2025-01-01",
            "start_date: 2025-01-01\n  batch_size: 1000",
            "sync.batch_size: must be between 1 and 500",
        ),
        ("start_date: 2025-01-01", "start_date: 2025-01-01\nextra: 1", "extra: unknown key"),
    ],
)
def test_individual_problems(replace: str, by: str, expected: str) -> None:
    assert replace in GOOD
    problems = parse(GOOD.replace(replace, by))
    assert any(p.startswith(expected) for p in problems), problems


def test_base_url_override_makes_domain_optional() -> None:
    text = GOOD.replace(
        "  accountant_domain: app-center-demo\n  customer_environment: webwinkelfacturen\n",
        "  base_url: http://127.0.0.1:8080/env/\n",
    )
    settings, _ = parse_settings(text, environ=ENV)
    assert settings.afas.base_url == "http://127.0.0.1:8080/env"


def test_resolve_config_path_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OCAFAS_CONFIG", str(tmp_path / "env.yaml"))
    assert resolve_config_path(tmp_path / "x.yaml") == tmp_path / "x.yaml"
    assert resolve_config_path(None) == tmp_path / "env.yaml"
    monkeypatch.delenv("OCAFAS_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert resolve_config_path(None) == tmp_path / "xdg" / "ocafas" / "config.yaml"


def test_missing_file_is_a_clear_config_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "nope.yaml"), "check-config"])
    assert result.exit_code == 2
    assert "config file" in result.output and "not found" in result.output
