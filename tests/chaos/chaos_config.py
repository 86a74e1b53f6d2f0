"""The config a chaos world writes for its two sandboxes (the pipeline tests' shape)."""

from __future__ import annotations

from pathlib import Path

from sandbox_config import rates_yaml, sandbox_config

from ocafas.sandbox.afas_seed import DEFAULT_APP_TOKEN
from ocafas.sandbox.opencart import DEFAULT_KEY

ENVIRON = {"OCAFAS_OPENCART_API_KEY": DEFAULT_KEY, "OCAFAS_AFAS_APP_TOKEN": DEFAULT_APP_TOKEN}
#: Status ids the config makes processable ("Complete", "Processing" by name, 3 by id).
PROCESSABLE = frozenset({2, 3, 5})
START_DATE = "2025-01-01"


def config_text(
    opencart_url: str,
    afas_url: str,
    ledger: Path,
    *,
    batch_size: int,
    concurrency: int,
    countries: tuple[str, ...] = ("NL", "BE", "DE", "FR"),
) -> str:
    return sandbox_config(
        opencart_url=opencart_url,
        afas_url=afas_url,
        ledger=ledger,
        rates=rates_yaml(countries),
        timeout=5,
        start_date=START_DATE,
        batch_size=batch_size,
        concurrency=concurrency,
    )
