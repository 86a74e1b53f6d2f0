"""Two shops for the multi-shop reports: shop A is the session's synced ledger (220 orders, VIES
check off), shop B a second real sync through the OpenCart, AFAS SB and VIES sandboxes (VIES on,
so its ICP orders carry evidence with a consultation number). Shop B's secrets are only in the
environment of its own sync, never in the report's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from reports_support import ENVIRON, Synced, config_text
from vies_order_support import REGISTERED, SHOP_VAT, company_order

from ocafas.cli import cli
from ocafas.config import parse_settings
from ocafas.ledger import Ledger
from ocafas.pipeline import run_pass
from ocafas.pipeline.build import afas_factory, opencart_client
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import DEFAULT_APP_TOKEN
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox
from ocafas.sandbox.vies import ViesSandbox

WHEN = datetime(2025, 4, 3, 10, 0, tzinfo=timezone(timedelta(hours=2)))
#: Shop B's own secrets: set for its sync only.
B_ENV = {"SHOPB_OPENCART_KEY": DEFAULT_KEY, "SHOPB_AFAS_TOKEN": DEFAULT_APP_TOKEN}
PERIOD = ["--from", "2025-01-01", "--to", "2025-12-31"]


def _order(
    order_id: int, country: str, vat_number: str | None, company: str, rates: Any = ()
) -> dict[str, Any]:
    builder = company_order(order_id, country, vat_number, company, WHEN)
    if country == "NL":
        builder.add_product("Book", "20.00", 3, rates=rates)
    else:
        builder.add_product("Suitcase", "99.0000", 2)  # no tax: 0 % to a company abroad
    return builder.build()


@dataclass
class TwoShops:
    dir: Path
    a: Synced

    @property
    def config_a(self) -> Path:
        return self.dir / "shopA.yaml"

    @property
    def config_b(self) -> Path:
        return self.dir / "shopB.yaml"

    @property
    def ledger_b(self) -> Path:
        return self.dir / "b.sqlite3"

    def env(self) -> dict[str, str]:
        """Shop A's secrets only (the root config's), and no OCAFAS_CONFIG."""
        env = {k: v for k, v in os.environ.items() if k not in B_ENV and k != "OCAFAS_CONFIG"}
        return {**env, **ENVIRON}

    def run(self, config: Path, *args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(
            cli, ["--config", str(config), "report", *args], env=env or self.env()
        )


def write_config(path: Path, ledger: Path, extra: str, **keys: str) -> None:
    path.write_text(config_text(ledger, **keys) + extra, encoding="utf-8")
    path.chmod(0o600)


def shop_yaml(name: str, others: Sequence[str] = ()) -> str:
    listed = ", ".join(others)
    return f"shop:\n  name: {name}\n" + (f"  others: [{listed}]\n" if others else "")


@pytest.fixture(scope="session")
def two_shops(synced: Synced, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoShops]:
    tmp = tmp_path_factory.mktemp("two-shops")
    shops = TwoShops(tmp, synced)
    write_config(shops.config_a, synced.ledger_path, shop_yaml("Shop A", ["shopB.yaml"]))
    with (
        OpenCartSandbox() as shop,
        AfasSandbox() as afas,
        ViesSandbox(REGISTERED) as vies,
    ):
        for order in (
            _order(11, "DE", "DE136695976", "Müller & Söhne GmbH"),
            _order(12, "BE", "BE0403170701", "Brouwerij De Koninck NV"),
            _order(13, "DE", "DE136695976", "Müller & Söhne GmbH"),
            _order(14, "NL", None, "", shop.shop.rates_for("NL", reduced=False)),
            _order(15, "NL", None, "", shop.shop.rates_for("NL", reduced=False)),
        ):
            shop.add_order(order)
        vies_yaml = (
            f"  vies_check: true\n  shop_vat_number: {SHOP_VAT}\n  vies_url: {vies.base_url}\n"
        )
        text = config_text(
            shops.ledger_b,
            shop.url,
            afas.base_url,
            api_key="${SHOPB_OPENCART_KEY}",
            app_token="${SHOPB_AFAS_TOKEN}",
        ).replace("vat:\n", "vat:\n" + vies_yaml, 1)
        shops.config_b.write_text(text + shop_yaml("Shop B"), encoding="utf-8")
        settings = parse_settings(text, source=shops.config_b, environ=B_ENV)[0]
        client = opencart_client(settings, backoff=0.01)
        with Ledger.open(shops.ledger_b) as ledger:
            run_pass(settings, client, afas_factory(settings, backoff=0.01), ledger)
            assert len(ledger.processed_entries("2025-01-01", "2026-01-01")) == 5
    yield shops
