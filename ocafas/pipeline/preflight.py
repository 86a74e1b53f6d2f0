"""Before the first POST of a run: is the config something AFAS SB can honour?

A mapping to a ledger account AFAS lacks, a cost account, an account that refuses VAT, a VAT
type or rate AFAS does not know, or a department/project it does not have would otherwise fail
every order one by one. Checked once per run, only when something is to be posted (an idle run
stays at zero AFAS requests), at a fixed cost: ``ledgeraccounts``, ``vattype``, ``vatrate`` and
``departments`` / ``projects`` when configured (one GET each, plus pages). Anything wrong stops
the run with ONE :class:`~ocafas.errors.ConfigError` (exit code 2) that names each mapping.

``configure-vat`` runs the same checks before it saves (:func:`mapping_problems`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ocafas.afas.client import AfasClient, Dimension, LedgerAccount
from ocafas.config import Settings, VatRule, VatSettings
from ocafas.errors import ConfigError
from ocafas.money import normalize_rate

#: VatType of a rule -> the AFAS vatrate description it needs.
VAT_RATE_NAMES = {"high": "Hoog", "low": "Laag", "zero": "Nul"}
#: VatCalculation of a rule (None: VAT charged) -> the AFAS vattype description it needs.
VAT_TYPE_NAMES = {
    None: "Belast",
    "reversecharged": "Verlegd",
    "exempt": "Vrijgesteld",
    "novat": "Geen btw",
}
_TAXED = ("high", "low")


@dataclass(frozen=True)
class Preflight:
    """What a run books with: account numbers -> ids, and the cost centre's ids."""

    accounts: dict[str, str]
    department_id: str | None = None
    project_id: str | None = None


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def find_account(accounts: Sequence[LedgerAccount], reference: str) -> LedgerAccount | None:
    text = str(reference).strip().lower()
    for account in accounts:
        if text in (account.number.lower(), account.id):
            return account
    return None


def resolve_dimension(
    where: str, wanted: str, rows: Iterable[Dimension], label: str
) -> tuple[str | None, str | None]:
    """(InstanceId, None) for a name or id AFAS lists; (None, problem) otherwise."""
    rows = list(rows)
    text = wanted.strip()
    if _is_uuid(text):
        match = [d for d in rows if d.id == text.lower()]
    else:
        match = [d for d in rows if d.name.strip().lower() == text.lower()]
    if len(match) == 1:
        return match[0].id, None
    known = ", ".join(sorted(f"{d.name} ({d.id})" for d in rows)) or "none"
    if len(match) > 1:
        return None, f"{where}: AFAS SB has {len(match)} {label}s named {text!r}; use its id"
    return None, f"{where}: AFAS SB has no {label} {text!r} in this administration (known: {known})"


def _rules(vat: VatSettings) -> list[tuple[str, VatRule]]:
    found = [
        (f"vat.rates.{country}.{normalize_rate(rate)}", rule)
        for country, rates in sorted(vat.rates.items())
        for rate, rule in sorted(rates.items())
    ]
    for key in ("icp", "international"):
        rule = getattr(vat, key)
        if rule is not None:
            found.append((f"vat.{key}", rule))
    return found


def mapping_problems(
    vat: VatSettings,
    accounts: Sequence[LedgerAccount],
    vat_types: Iterable[str],
    vat_rates: Iterable[str],
    *,
    accounts_checked: bool = False,
) -> list[str]:
    """Every way the VAT mapping asks AFAS SB for something it cannot do, one line each.

    ``accounts_checked``: the caller already refused unknown and non-revenue accounts (setup
    does, in its own words); only the VAT types, rates and VatAllowed are left to check.
    """
    types = {t.strip().lower() for t in vat_types}
    rates = {r.strip().lower() for r in vat_rates}
    problems: list[str] = []

    def account_problem(where: str, reference: str, revenue: bool, taxed: bool) -> None:
        account = find_account(accounts, reference)
        if account is None:
            if not accounts_checked:
                problems.append(f"{where}: account {reference} does not exist in AFAS SB")
            return
        if revenue and not account.is_revenue and not accounts_checked:
            problems.append(f"{where}: account {reference} is not a revenue account in AFAS SB")
        if taxed and account.vat_allowed is False:
            problems.append(f"{where}: account {reference} does not allow VAT in AFAS SB")

    any_taxed = False
    for where, rule in _rules(vat):
        taxed = rule.vat_type in _TAXED and rule.vat_calculation is None
        any_taxed = any_taxed or taxed
        rate_name = VAT_RATE_NAMES.get(rule.vat_type)
        if rate_name is not None and rate_name.lower() not in rates:
            problems.append(
                f"{where}: VAT rate {rule.vat_type} needs AFAS SB's VAT rate {rate_name!r}, "
                "which this environment does not list"
            )
        type_name = VAT_TYPE_NAMES.get(rule.vat_calculation)
        if type_name is not None and type_name.lower() not in types:
            what = rule.vat_calculation or "VAT charged"
            problems.append(
                f"{where}: {what} needs AFAS SB's VAT type {type_name!r}, "
                "which this environment does not list"
            )
        if rule.account:
            account_problem(where, rule.account, revenue=True, taxed=taxed)
    for key in ("shipping_account", "fees_account"):
        value = getattr(vat, key)
        if value:
            account_problem(f"vat.{key}", value, revenue=False, taxed=any_taxed)
    for key in ("vouchers_sold_account", "vouchers_redeemed_account"):
        value = getattr(vat, key)
        if value:
            account_problem(f"vat.{key}", value, revenue=False, taxed=False)
    return problems


def run_preflight(settings: Settings, afas: AfasClient) -> Preflight:
    """The checks of one run; raises ConfigError naming every mapping AFAS cannot honour."""
    admin = settings.afas.administration_id
    accounts = afas.ledger_accounts(admin)
    problems = mapping_problems(settings.vat, accounts, afas.vat_types(), afas.vat_rates())
    ids: dict[str | None, str | None] = {}
    for key, label, endpoint in (
        ("department", "department", "departments"),
        ("project", "project", "projects"),
    ):
        wanted = getattr(settings.afas, key)
        if wanted is None:
            continue
        found, problem = resolve_dimension(
            f"afas.{key}", wanted, afas.dimensions(endpoint, admin), label
        )
        if problem:
            problems.append(problem)
        ids[key] = found
    if problems:
        hint = "correct the config (or run 'ocafas configure-vat'), then run again"
        if len(problems) == 1:
            raise ConfigError(problems[0], hint=hint)
        raise ConfigError(
            f"the config asks AFAS SB for {len(problems)} things it cannot do; nothing was booked",
            problems=problems,
            hint=hint,
        )
    return Preflight(
        accounts={a.number: a.id for a in accounts if a.number},
        department_id=ids.get("department"),
        project_id=ids.get("project"),
    )
