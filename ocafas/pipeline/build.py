"""The clients and the ledger of a run, built from the settings (the CLI and the demo use these)."""

from __future__ import annotations

from typing import Any

from ocafas.afas.client import AfasClient
from ocafas.config import Settings
from ocafas.ledger import Ledger
from ocafas.opencart.client import OpenCartClient
from ocafas.pipeline.context import AfasFactory


def opencart_client(settings: Settings, **options: Any) -> OpenCartClient:
    shop = settings.opencart
    return OpenCartClient(
        shop.url,
        shop.api_key,
        timeout=shop.timeout,
        page_size=settings.sync.batch_size,
        ca_bundle=shop.ca_bundle,
        **options,
    )


def afas_factory(settings: Settings, **options: Any) -> AfasFactory:
    """A factory, so a run that has nothing to post never even builds the AFAS client."""
    afas = settings.afas

    def build() -> AfasClient:
        return AfasClient.connect(
            afas.base_url,
            afas.app_token,
            timeout=afas.timeout,
            pool_size=max(2, settings.sync.concurrency),
            max_in_flight=max(1, settings.sync.concurrency),
            ca_bundle=afas.ca_bundle,
            **options,
        )

    return build


def open_ledger(settings: Settings, *, full_check: bool | None = None) -> Ledger:
    return Ledger.open(settings.ledger_path, full_check=full_check)
