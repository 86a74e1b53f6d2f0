"""The config a chaos world writes for its two sandboxes (the pipeline tests' shape)."""

from __future__ import annotations

from pathlib import Path

from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, DEFAULT_APP_TOKEN
from ocafas.sandbox.opencart import DEFAULT_KEY

ENVIRON = {"OCAFAS_OPENCART_API_KEY": DEFAULT_KEY, "OCAFAS_AFAS_APP_TOKEN": DEFAULT_APP_TOKEN}
#: Status ids the config makes processable ("Complete", "Processing" by name, 3 by id).
PROCESSABLE = frozenset({2, 3, 5})
START_DATE = "2025-01-01"

CONFIG = """\
opencart:
  url: {opencart_url}
  api_key: ${{OCAFAS_OPENCART_API_KEY}}
  timeout: 5
  processable_statuses: [Complete, Processing, 3]
afas:
  base_url: {afas_url}
  app_token: ${{OCAFAS_AFAS_APP_TOKEN}}
  administration_id: {admin}
  timeout: 5
ledger:
  path: {ledger}
vat:
  shop_country: NL
  rates:
{rates}
  icp: {{account: 8100, intra_community_type: supplies}}
  international: {{account: 8200}}
  shipping_account: 8400
  vouchers_sold_account: 1600
  vouchers_redeemed_account: 1600
debtors:
  fixed:
    cod: unknown
booking:
  invoice_number: "ORD{{order_id}}"
  description: "{{order_id}} - {{invoice}}"
sync:
  start_date: {start_date}
  batch_size: {batch_size}
  concurrency: {concurrency}
"""


def rates_yaml(countries: tuple[str, ...]) -> str:
    lines = []
    for country in countries:
        lines.append(f"    {country}:")
        lines.append('      "21": {vat_type: high, account: 8000}')
        lines.append('      "9": {vat_type: low, account: 8010}')
        if country == "NL":
            lines.append('      "0": {vat_type: zero, account: 8020}')
    return "\n".join(lines)


def config_text(
    opencart_url: str,
    afas_url: str,
    ledger: Path,
    *,
    batch_size: int,
    concurrency: int,
    countries: tuple[str, ...] = ("NL", "BE", "DE", "FR"),
) -> str:
    return CONFIG.format(
        opencart_url=opencart_url,
        afas_url=afas_url,
        admin=ADMIN_SHOP_ID,
        ledger=ledger,
        rates=rates_yaml(countries),
        start_date=START_DATE,
        batch_size=batch_size,
        concurrency=concurrency,
    )
