"""What configure-vat reads from the shop and AFAS SB, and the checks that keep a mapping real.

The config need not be complete yet (VAT is what is being set up), so only the opencart and afas
sections are validated to build the clients.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ocafas.afas import odata
from ocafas.afas.client import AfasClient, LedgerAccount, Relation
from ocafas.config_schema import SECRET_ENV_FALLBACKS, Validator
from ocafas.errors import AfasError, ConfigError
from ocafas.opencart.client import OpenCartClient
from ocafas.opencart.models import PaymentMethod, TaxRate
from ocafas.setup.configdoc import ConfigDocument, expand, plain

#: Keys whose account must be a revenue account in AFAS SB (the others may be any account).
REVENUE_KEYS = ("rates", "icp", "international")


@dataclass
class Remote:
    """The facts configure-vat works from."""

    afas: AfasClient
    administration_id: str
    accounts: list[LedgerAccount]
    tax_rates: list[TaxRate]
    payment_methods: list[PaymentMethod]

    def account(self, reference: Any) -> LedgerAccount | None:
        text = str(reference).strip().lower()
        for account in self.accounts:
            if text in (account.number.lower(), account.id):
                return account
        return None

    @property
    def revenue(self) -> list[LedgerAccount]:
        return sorted((a for a in self.accounts if a.is_revenue), key=lambda a: a.number)


def connect_from_config(doc: ConfigDocument, environ: dict[str, str] | None = None) -> Remote:
    env = dict(os.environ if environ is None else environ)
    problems: list[str] = []
    validator = Validator(problems, base_dir=doc.path.parent)
    raw = {name: expand(plain(doc.section(name)), env) for name in ("opencart", "afas")}
    for dotted, var in SECRET_ENV_FALLBACKS.items():
        section, key = dotted.split(".")
        if key not in raw[section] and env.get(var):
            raw[section][key] = env[var]
    shop = validator.opencart(raw["opencart"])
    afas = validator.afas(raw["afas"])
    if problems:
        raise ConfigError(
            f"{doc.path} does not connect yet",
            problems=problems,
            hint="run 'ocafas connect' first",
        )
    opencart = OpenCartClient(
        shop.url, shop.api_key, timeout=shop.timeout, ca_bundle=shop.ca_bundle, max_attempts=2
    )
    try:
        tax_rates = opencart.tax_rates()
        methods = opencart.payment_methods()
    finally:
        opencart.close()
    client = AfasClient.connect(
        afas.base_url, afas.app_token, timeout=afas.timeout, ca_bundle=afas.ca_bundle
    )
    accounts = client.ledger_accounts(afas.administration_id)
    return Remote(client, afas.administration_id, accounts, tax_rates, methods)


def search_relations(remote: Remote, text: str) -> list[Relation]:
    """Persons and organisations with this e-mail address (AFAS filters on exact values)."""
    found = remote.afas.find_persons(text) + remote.afas.find_organisations(email=text)
    return [r for r in found if not r.archived]


def relation_by_id(remote: Remote, relation_id: str) -> Relation | None:
    flt = odata.eq("Id", odata.Guid(relation_id))
    for endpoint, kind in (("persons", "person"), ("organisations", "organisation")):
        for row in remote.afas.iter_list(endpoint, filter=flt, page_size=1):
            return AfasClient._relation(row, kind)
    return None


def mapping_problems(remote: Remote, vat: dict[str, Any], debtors: dict[str, Any]) -> list[str]:
    """Every account or relation the mapping names that AFAS SB does not have."""
    problems: list[str] = []

    def check(where: str, reference: Any, revenue: bool) -> None:
        if reference in (None, ""):
            return
        account = remote.account(reference)
        if account is None:
            problems.append(f"{where}: AFAS SB has no ledger account {reference}")
        elif revenue and not account.is_revenue:
            problems.append(
                f"{where}: {account.number} {account.description} is not a revenue account"
            )

    for country, rates in (vat.get("rates") or {}).items():
        for rate, rule in (rates or {}).items():
            if isinstance(rule, dict):
                check(f"vat.rates.{country}.{rate}.account", rule.get("account"), True)
    for key in ("icp", "international"):
        rule = vat.get(key)
        if isinstance(rule, dict):
            check(f"vat.{key}.account", rule.get("account"), True)
    for key in ("shipping_account", "fees_account"):
        check(f"vat.{key}", vat.get(key), False)
    for key in ("vouchers_sold_account", "vouchers_redeemed_account"):
        check(f"vat.{key}", vat.get(key), False)
    for code, value in (debtors.get("fixed") or {}).items():
        where = f"debtors.fixed.{code}"
        try:
            if value == "unknown":
                remote.afas.unknown_relation()
            elif (
                isinstance(value, dict)
                and value.get("relation_id")
                and relation_by_id(remote, str(value["relation_id"])) is None
            ):
                problems.append(f"{where}: AFAS SB has no relation {value['relation_id']}")
        except (AfasError, ValueError) as err:
            problems.append(f"{where}: {err}")
    return problems
