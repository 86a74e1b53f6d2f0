"""Both sandboxes, a config for them with the API 8.0 settings, and helpers (tests/api8)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sandbox_config import SandboxFiles, rates_yaml, sandbox_config

from ocafas.config import Settings, parse_settings
from ocafas.ledger import Ledger
from ocafas.pipeline.build import afas_factory, opencart_client
from ocafas.pipeline.result import PassResult
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import DEFAULT_APP_TOKEN, SeedData, default_seed
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox

ENVIRON = {"OCAFAS_OPENCART_API_KEY": DEFAULT_KEY, "OCAFAS_AFAS_APP_TOKEN": DEFAULT_APP_TOKEN}
PROCESSABLE = {2, 3, 5}
REFUNDED, CANCELED, REVERSED = 11, 7, 12

COUNTRIES = ("NL", "BE", "DE", "FR", "AT")


@dataclass
class Api8Setup(SandboxFiles):
    shop: OpenCartSandbox
    afas: AfasSandbox
    tmp: Path
    afas_extra: str = ""
    booking_extra: str = ""
    concurrency: int = 4
    #: "DE.21" -> the YAML of that rule, to map one rate elsewhere
    rate_overrides: dict[str, str] | None = None

    def config_text(self) -> str:
        return sandbox_config(
            opencart_url=self.shop.url,
            afas_url=self.afas.base_url,
            ledger=self.ledger_path,
            rates=rates_yaml(COUNTRIES, zero_everywhere=True, overrides=self.rate_overrides or {}),
            afas_extra=self.afas_extra,
            booking_extra=self.booking_extra,
            concurrency=self.concurrency,
        )

    def settings(self) -> Settings:
        settings, _ = parse_settings(self.config_text(), source=self.config_path, environ=ENVIRON)
        return settings

    def run(self, what: Any, **kwargs: Any) -> PassResult:
        settings = self.settings()
        client = opencart_client(settings, backoff=0.01)
        factory = afas_factory(settings, backoff=0.01, max_backoff=0.05)
        with Ledger.open(settings.ledger_path) as ledger:
            return what(settings, client, factory, ledger, **kwargs)

    def env(self) -> dict[str, str]:
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        return {**os.environ, **ENVIRON, "PYTHONPATH": path}

    def invoke(self, *args: str) -> tuple[int, str]:
        """``ocafas --config ... ARGS`` through Click's runner: (exit code, stdout + stderr)."""
        from ocafas.cli import cli

        self.write_config()
        result = CliRunner().invoke(cli, ["--config", str(self.config_path), *args], env=self.env())
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output

    def bookable_orders(self, count: int) -> list[dict[str, Any]]:
        self.shop.generator.broken = 0.0
        made = self.shop.generate(count)
        return [o for o in made if o["order_status_id"] in PROCESSABLE]


def make_setup(tmp_path: Path, seed: SeedData | None = None) -> Iterator[Api8Setup]:
    with OpenCartSandbox(seed=11, broken=0.0) as shop, AfasSandbox(seed=seed) as afas:
        yield Api8Setup(shop, afas, tmp_path)


@pytest.fixture
def api8(tmp_path: Path) -> Iterator[Api8Setup]:
    yield from make_setup(tmp_path)


__all__ = ["Api8Setup", "api8", "default_seed", "make_setup"]
