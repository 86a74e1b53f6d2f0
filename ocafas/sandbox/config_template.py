"""The one ocafas config written for the two sandboxes: by the demo, the benchmark and the tests.

Accounts are the AFAS sandbox's seeded numbers; the shop sells at Dutch rates (no OSS). Each
caller passes what it varies (keys, timeouts, statuses, rates, sync sizes, extra keys), so a
change to the config's shape is made here once. Like every sandbox module it never imports the
clients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID

_TEMPLATE = """\
{comment}opencart:
  url: {opencart_url}
  api_key: {api_key}
  timeout: {timeout}
  processable_statuses: [{processable}]
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
{debtors}booking:
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

#: Cash on delivery is booked on AFAS's "various debtors" (the seeded ``unknown`` relation).
COD_UNKNOWN: Mapping[str, str] = MappingProxyType({"cod": "unknown"})
#: By name and by id: the statuses the test suites make processable.
DEFAULT_PROCESSABLE: tuple[str | int, ...] = ("Complete", "Processing", 3)


def rates_yaml(
    countries: Sequence[str],
    *,
    zero_everywhere: bool = False,
    overrides: Mapping[str, str] | None = None,
) -> str:
    """The ``vat.rates`` block: 21 % and 9 % per country, 0 % for NL (or for all).

    ``overrides`` maps ``"DE.21"`` to the YAML of that rule, to map one rate elsewhere.
    """
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


def _debtors(fixed: Mapping[str, str]) -> str:
    if not fixed:
        return ""
    return "debtors:\n  fixed:\n" + "".join(f"    {k}: {v}\n" for k, v in fixed.items())


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
    app_token: str = "${OCAFAS_AFAS_APP_TOKEN}",  # noqa: S107 - a reference, not a secret
    processable: Sequence[str | int] = DEFAULT_PROCESSABLE,
    fixed_debtors: Mapping[str, str] = COD_UNKNOWN,
    comment: str = "",
    afas_extra: str = "",
    booking_extra: str = "",
) -> str:
    """The config's YAML text; ``afas_extra``/``booking_extra`` are indented lines for those keys.

    ``api_key``/``app_token`` are ``${...}`` references by default; a caller that writes them
    literally must write the file with mode 0600. ``comment`` becomes a first ``#`` line.
    """
    return _TEMPLATE.format(
        comment=f"# {comment}\n" if comment else "",
        opencart_url=opencart_url,
        afas_url=afas_url,
        api_key=api_key,
        app_token=app_token,
        admin=ADMIN_SHOP_ID,
        timeout=timeout,
        processable=", ".join(str(status) for status in processable),
        afas_extra=_block(afas_extra),
        ledger=ledger,
        rates=rates,
        debtors=_debtors(fixed_debtors),
        booking_extra=_block(booking_extra),
        start_date=start_date,
        batch_size=batch_size,
        concurrency=concurrency,
    )


__all__ = [
    "COD_UNKNOWN",
    "DEFAULT_PROCESSABLE",
    "rates_yaml",
    "sandbox_config",
]
