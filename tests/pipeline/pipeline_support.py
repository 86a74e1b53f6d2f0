"""Both sandboxes on 127.0.0.1, a config written for them, and helpers to run passes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sandbox_config import SandboxFiles, rates_yaml, sandbox_config

from ocafas.config import Settings, parse_settings
from ocafas.ledger import Ledger
from ocafas.pipeline.build import afas_factory, opencart_client
from ocafas.pipeline.result import PassResult
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import DEFAULT_APP_TOKEN
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox

ENVIRON = {"OCAFAS_OPENCART_API_KEY": DEFAULT_KEY, "OCAFAS_AFAS_APP_TOKEN": DEFAULT_APP_TOKEN}
#: Every EU country the generated shop sells to, at the Dutch rates it charges them (no OSS),
#: except Austria: its orders go to errors (RATE_NOT_CONFIGURED) until the test adds it.
COUNTRIES = ("NL", "BE", "DE", "FR")


@dataclass
class Setup(SandboxFiles):
    """The two sandboxes and a config file pointing at them."""

    shop: OpenCartSandbox
    afas: AfasSandbox
    tmp: Path
    start_date: str = "2025-01-01"
    batch_size: int = 50
    concurrency: int = 4
    countries: tuple[str, ...] = COUNTRIES
    #: 0 % only for NL unless this is set (zero-rated goods to BE/FR then go to errors).
    zero_everywhere: bool = False

    def config_text(self) -> str:
        return sandbox_config(
            opencart_url=self.shop.url,
            afas_url=self.afas.base_url,
            ledger=self.ledger_path,
            rates=rates_yaml(self.countries, zero_everywhere=self.zero_everywhere),
            start_date=str(self.start_date),
            batch_size=self.batch_size,
            concurrency=self.concurrency,
        )

    def settings(self) -> Settings:
        return parse_settings(self.config_text(), source=self.config_path, environ=ENVIRON)[0]

    def run(
        self, what: Any, afas_options: dict[str, Any] | None = None, **kwargs: Any
    ) -> PassResult:
        """Run ``run_pass``/``recheck``/``retry`` in-process with fresh clients."""
        settings = self.settings()
        client = opencart_client(settings, backoff=0.01)
        options = {"backoff": 0.01, "max_backoff": 0.05, **(afas_options or {})}
        with Ledger.open(settings.ledger_path) as ledger:
            return what(settings, client, afas_factory(settings, **options), ledger, **kwargs)

    def env(self) -> dict[str, str]:
        """The environment of an ``ocafas`` subprocess or CliRunner run."""
        import os

        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        return {**os.environ, **ENVIRON, "PYTHONPATH": path}


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    with OpenCartSandbox(seed=7, broken=0.05) as shop, AfasSandbox() as afas:
        yield Setup(shop, afas, tmp_path)
