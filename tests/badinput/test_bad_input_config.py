"""Malformed configs: each mistake is reported under its own key path, all at once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chaos"))

from chaos_config import ENVIRON, config_text

from ocafas.config import parse_settings
from ocafas.errors import ConfigError, ExitCode

BASE = config_text(
    "http://127.0.0.1:1/index.php?route=extension/ocafas/api",
    "http://127.0.0.1:2/env",
    Path("/tmp/ocafas-ledger.sqlite"),
    batch_size=50,
    concurrency=2,
)
CASES = {
    "afas.administration_id": ("administration_id: ", "administration_id: not-a-uuid\n  #"),
    "opencart.url": ("url: http://127.0.0.1:1", "url: http://shop.example.com"),
    "opencart.timeout": ("  timeout: 5\n  processable", "  timeout: -3\n  processable"),
    "afas.timeout": ("  timeout: 5\nledger", "  timeout: forever\nledger"),
    "sync.batch_size": ("batch_size: 50", "batch_size: 100000"),
    "sync.concurrency": ("concurrency: 2", "concurrency: many"),
    "sync.start_date": ("start_date: 2025-01-01", "start_date: 2025-13-45"),
    "vat.rates.NL.21.vat_type": (
        '"21": {vat_type: high, account: 8000}',
        '"21": {vat_type: huge, account: 8000}',
    ),
    "sync.verify_tls": ("sync:\n", "sync:\n  verify_tls: false\n"),
    "afas.app_token": ("${OCAFAS_AFAS_APP_TOKEN}", "${NOT_SET_ANYWHERE_OCAFAS}"),
    "afas.base_url": ("base_url: http://127.0.0.1:2/env", "base_url: http://afas.example.com/x"),
    "vat.shop_country": ("shop_country: NL", "shop_country: Netherlands"),
    "opencart.processable_statuses": (
        "processable_statuses: [Complete, Processing, 3]",
        "processable_statuses: {a: 1}",
    ),
}


def _problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source=Path("/etc/ocafas/shop.yaml"), environ=ENVIRON)
    assert caught.value.exit_code is ExitCode.CONFIG
    return caught.value.problems


@pytest.mark.parametrize("key", sorted(CASES))
def test_each_mistake_names_its_key(key: str) -> None:
    old, new = CASES[key]
    assert old in BASE
    problems = _problems(BASE.replace(old, new, 1))
    assert [p for p in problems if p.startswith(key.replace(".21.", ".'21'.") + ":")
            or p.startswith(key + ":")], problems  # fmt: skip


def test_all_mistakes_are_listed_at_once() -> None:
    text = BASE
    for old, new in CASES.values():
        text = text.replace(old, new, 1)
    problems = _problems(text)
    assert len(problems) >= 10, problems


def test_yaml_that_does_not_parse_names_the_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(BASE.replace("sync:\n", "sync: [\n", 1), environ=ENVIRON)
    assert "line" in str(caught.value) or any("line" in p for p in caught.value.problems)
