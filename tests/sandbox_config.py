"""The one config the sandbox-backed test suites write (pipeline, chaos, reports, api8).

Accounts are the AFAS sandbox's seeded numbers; the shop sells at Dutch rates (no OSS).
Each suite passes what it varies: timeouts, rates, start date, extra keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID

_TEMPLATE = """\
opencart:
  url: {opencart_url}
  api_key: {api_key}
  timeout: {timeout}
  processable_statuses: [Complete, Processing, 3]
afas:
  base_url: {afas_url}
  app_token: {app_token}
  administration_id: {admin}
  timeout: {timeout}
{afas_extra}ledger:
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
{booking_extra}sync:
  start_date: {start_date}
  batch_size: {batch_size}
  concurrency: {concurrency}
"""

_RULES = (
    ("21", "{vat_type: high, account: 8000}"),
    ("9", "{vat_type: low, account: 8010}"),
    ("0", "{vat_type: zero, account: 8020}"),
)


def rates_yaml(
    countries: Sequence[str],
    *,
    zero_everywhere: bool = False,
    overrides: Mapping[str, str] | None = None,
) -> str:
    """The ``vat.rates`` block: 21 % and 9 % per country, 0 % for NL (or for all)."""
    lines = []
    for country in countries:
        lines.append(f"    {country}:")
        for rate, rule in _RULES:
            if rate == "0" and not (country == "NL" or zero_everywhere):
                continue
            lines.append(f'      "{rate}": {(overrides or {}).get(f"{country}.{rate}", rule)}')
    return "\n".join(lines)


def _block(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def sandbox_config(
    *,
    opencart_url: str,
    afas_url: str,
    ledger: Path,
    rates: str,
    timeout: int = 10,
    start_date: str = "2025-01-01",
    batch_size: int = 50,
    concurrency: int = 4,
    api_key: str = "${OCAFAS_OPENCART_API_KEY}",
    app_token: str = "${OCAFAS_AFAS_APP_TOKEN}",
    afas_extra: str = "",
    booking_extra: str = "",
) -> str:
    return _TEMPLATE.format(
        opencart_url=opencart_url,
        afas_url=afas_url,
        api_key=api_key,
        app_token=app_token,
        admin=ADMIN_SHOP_ID,
        timeout=timeout,
        afas_extra=_block(afas_extra),
        ledger=ledger,
        rates=rates,
        booking_extra=_block(booking_extra),
        start_date=start_date,
        batch_size=batch_size,
        concurrency=concurrency,
    )
