"""Both sandboxes, a config path in a temp dir, and a CliRunner helper for the setup commands."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ocafas.cli import cli
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, DEFAULT_APP_TOKEN
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Env:
    shop: OpenCartSandbox
    afas: AfasSandbox
    tmp: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def config(self) -> Path:
        return self.tmp / "ocafas.yaml"

    def env(self) -> dict[str, str]:
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        return {
            "OCAFAS_OPENCART_API_KEY": DEFAULT_KEY,
            "OCAFAS_AFAS_APP_TOKEN": DEFAULT_APP_TOKEN,
            "XDG_DATA_HOME": str(self.tmp / "data"),
            "PYTHONPATH": path,
            **self.extra_env,
        }

    def run(self, *args: str, input: str | None = None, config: Path | None = None) -> Result:
        result = CliRunner().invoke(
            cli, ["--config", str(config or self.config), *args], input=input, env=self.env()
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    def connect_args(self) -> list[str]:
        return [
            "connect",
            "--no-interactive",
            "--opencart-url",
            self.shop.url,
            "--api-key",
            DEFAULT_KEY,
            "--afas-url",
            self.afas.base_url,
            "--app-token",
            DEFAULT_APP_TOKEN,
            "--administration",
            ADMIN_SHOP_ID,
            "--start-date",
            "2025-01-01",
        ]


VAT_ARGS = [
    "configure-vat",
    "--no-interactive",
    "--high-account",
    "8000",
    "--low-account",
    "8010",
    "--zero-account",
    "8020",
    "--icp-account",
    "8100",
    "--international-account",
    "8200",
    "--vouchers-sold-account",
    "1600",
    "--vouchers-redeemed-account",
    "1600",
    "--fixed-debtor",
    "cod=unknown",
]


@pytest.fixture
def setup_env(tmp_path: Path) -> Iterator[Env]:
    with OpenCartSandbox(seed=7) as shop, AfasSandbox() as afas:
        yield Env(shop, afas, tmp_path)
