"""A ledger filled by a real sync of 220 generated orders through both sandboxes (once per run).

The setup pattern is copied from tests/pipeline/conftest.py (not imported: test dirs stay
independent). The AFAS sandbox's received bodies are kept to check every report's totals.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sandbox_config import SandboxFiles, rates_yaml, sandbox_config

from ocafas.config import Settings, parse_settings
from ocafas.ledger import Ledger
from ocafas.pipeline import run_pass
from ocafas.pipeline.build import afas_factory, opencart_client
from ocafas.reports.period import Period
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, DEFAULT_APP_TOKEN
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox

ENVIRON = {"OCAFAS_OPENCART_API_KEY": DEFAULT_KEY, "OCAFAS_AFAS_APP_TOKEN": DEFAULT_APP_TOKEN}
COUNTRIES = ("NL", "BE", "DE", "FR")
ALL = Period(date(2025, 1, 1), date(2025, 12, 31))


def config_text(
    ledger: Path,
    opencart_url: str = "http://127.0.0.1:9",
    afas_url: str = "http://127.0.0.1:9",
    api_key: str = "${OCAFAS_OPENCART_API_KEY}",
    app_token: str = "${OCAFAS_AFAS_APP_TOKEN}",
) -> str:
    return sandbox_config(
        opencart_url=opencart_url,
        afas_url=afas_url,
        api_key=api_key,
        app_token=app_token,
        ledger=ledger,
        rates=rates_yaml(COUNTRIES),
        start_date="2025-03-29",
    )


@dataclass
class Synced(SandboxFiles):
    """The ledger after one sync, its config, and what AFAS SB received."""

    tmp: Path
    generated: list[dict[str, Any]]
    bodies: list[dict[str, Any]]
    afas_ids: dict[str, str]  # invoice number -> AFAS entry id
    counts: dict[str, int] = field(default_factory=dict)

    def settings(self) -> Settings:
        return parse_settings(
            self.config_path.read_text(encoding="utf-8"), source=self.config_path, environ=ENVIRON
        )[0]

    def ledger(self) -> Ledger:
        return Ledger.open(self.ledger_path)

    def env(self) -> dict[str, str]:
        return {**os.environ, **ENVIRON, "OCAFAS_CONFIG": str(self.config_path)}

    def afas_sums(self, period: Period = ALL) -> tuple[Decimal, Decimal]:
        """Excl. and VAT of every line AFAS SB received with an invoice date in the period."""
        excl = vat = Decimal("0.00")
        for body in self.bodies:
            if period.first.isoformat() <= body["InvoiceDate"] <= period.last.isoformat():
                for line in body["InvoiceLine"]:
                    excl += Decimal(str(line["AmountExcludingVat"]))
                    vat += Decimal(str(line.get("AmountVat", "0")))
        return excl, vat


@pytest.fixture(scope="session")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synced]:
    tmp = tmp_path_factory.mktemp("reports")
    with OpenCartSandbox(seed=7, broken=0.05) as shop, AfasSandbox() as afas:
        generated = shop.generate(220)
        config = tmp / "ocafas.yaml"
        config.write_text(
            config_text(tmp / "ledger.sqlite3", shop.url, afas.base_url), encoding="utf-8"
        )
        config.chmod(0o600)
        settings = parse_settings(config.read_text(), source=config, environ=ENVIRON)[0]
        client = opencart_client(settings, backoff=0.01)
        with Ledger.open(settings.ledger_path) as ledger:
            result = run_pass(
                settings, client, afas_factory(settings, backoff=0.01, max_backoff=0.05), ledger
            )
        entries = afas.entries(ADMIN_SHOP_ID)
        assert entries and all(e.status == "booked" for e in entries)
        yield Synced(
            tmp=tmp,
            generated=generated,
            bodies=[e.body for e in entries],
            afas_ids={e.invoice_number: e.id for e in entries},
            counts=dict(result.counts),
        )
