"""Pure pieces of configure-vat: the default rate table, ``--set`` paths and the printed table."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ocafas.config_schema import EU_COUNTRIES
from ocafas.money import normalize_rate
from ocafas.setup.eu_rates import rate_key, rate_table

RULE_FIELDS = ("vat_type", "vat_calculation", "account")
#: The choices offered per rate; the last two are 0 % rates booked with a VAT calculation.
RULE_CHOICES = ("high", "low", "zero", "reversecharged", "exempt")
JOURNAL_NOTE = (
    "AFAS SB takes the sales journal and the debtors account from the administration's "
    "settings; ocafas has no setting for them."
)


def rate_value(key: Any) -> Decimal | None:
    try:
        return normalize_rate(Decimal(str(key).strip().rstrip("%")))
    except InvalidOperation:
        return None


def default_type(rate: Decimal, standard: Decimal) -> str:
    if rate == 0:
        return "zero"
    return "high" if rate >= standard else "low"


def default_rates(shop_country: str, destination: bool) -> dict[str, dict[str, dict[str, Any]]]:
    """Every EU member state with the shop's home rates (or its own), plus 0 %."""
    table = rate_table().countries
    home = table[shop_country]
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for country in sorted(EU_COUNTRIES):
        rates = table[country] if destination else home
        rules: dict[str, dict[str, Any]] = {}
        for rate in (*rates.all, Decimal(0)):
            rules[rate_key(rate)] = {"vat_type": default_type(rate, rates.standard)}
        result[country] = rules
    return result


def standard_of(rules: dict[str, Any]) -> Decimal:
    rates = [r for r in (rate_value(k) for k in rules) if r is not None]
    return max(rates, default=Decimal(0))


def rule_choice(rule: dict[str, Any]) -> str:
    return str(rule.get("vat_calculation") or rule.get("vat_type") or "")


def choice_rule(choice: str) -> dict[str, Any]:
    """A choice from RULE_CHOICES as config keys (reverse charge/exempt: high + calculation)."""
    if choice in ("reversecharged", "exempt"):
        return {"vat_type": "high", "vat_calculation": choice}
    return {"vat_type": choice}


def infer_type_accounts(rates: dict[str, Any]) -> dict[str, Any]:
    """The account most used per VAT choice in an existing mapping (the defaults to offer)."""
    counts: dict[str, Counter[str]] = {}
    for rules in rates.values():
        for rule in (rules or {}).values():
            if isinstance(rule, dict) and rule.get("account") not in (None, ""):
                counts.setdefault(rule_choice(rule), Counter())[str(rule["account"])] += 1
    return {choice: c.most_common(1)[0][0] for choice, c in counts.items()}


def account_value(text: str) -> Any:
    """Account numbers as YAML integers (8000), AFAS ids and zero-led numbers as text."""
    text = text.strip()
    if text.isdigit() and not text.startswith("0"):
        return int(text)
    return text.lower()


def apply_set(vat: dict[str, Any], debtors: dict[str, Any], assignment: str) -> None:
    """One ``--set KEY=VALUE``: vat.rates.DE.19.account=8000, debtors.fixed.cod=unknown, ..."""
    from ocafas.errors import ConfigError

    key, sep, value = assignment.partition("=")
    parts = key.strip().split(".")
    if not sep or len(parts) < 2 or parts[0] not in ("vat", "debtors"):
        raise ConfigError(
            f"--set {assignment!r}: write KEY=VALUE with a key under vat. or debtors., "
            "e.g. vat.rates.DE.19.account=8000"
        )
    value = value.strip()
    target = vat if parts[0] == "vat" else debtors
    path = parts[1:]
    if parts[0] == "vat" and path[0] == "rates" and len(path) >= 3:
        # a rate may hold a dot (5.5): country, then the rate, then maybe a field
        field = path[-1] if path[-1] in RULE_FIELDS else None
        rate = ".".join(path[2:-1] if field else path[2:])
        path = ["rates", path[1].upper(), rate_key(rate_value(rate) or Decimal(-1)), *(
            [field] if field else [])]  # fmt: skip
        if rate_value(rate) is None:
            raise ConfigError(f"--set {assignment!r}: {rate!r} is not a VAT rate")
    node = target
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    last = path[-1]
    if value in ("", "none", "null"):
        node.pop(last, None)
    elif last.endswith("account") or last == "relation_id":
        node[last] = account_value(value)
    elif value in ("true", "false"):
        node[last] = value == "true"
    else:
        node[last] = value


def nothing_configured(vat: dict[str, Any], debtors: dict[str, Any]) -> bool:
    return (
        not vat.get("rates")
        and not vat.get("icp")
        and not vat.get("international")
        and not (debtors.get("fixed"))
    )


def render(
    out: Console,
    vat: dict[str, Any],
    debtors: dict[str, Any],
    names: dict[str, str] | None = None,
    in_use: set[tuple[str, str]] | None = None,
) -> None:
    """The VAT settings as a table; ``names`` adds account names, ``in_use`` flags shop rates."""
    names = names or {}
    in_use = in_use or set()
    if nothing_configured(vat, debtors):
        out.print("VAT: nothing configured. Run 'ocafas configure-vat' to set it up.")
        return

    def account(value: Any) -> str:
        if value in (None, ""):
            return "-"
        name = names.get(str(value).lower())
        return f"{value} {name}" if name else str(value)

    out.print(
        f"Shop country {vat.get('shop_country', 'NL')}, rates by the customer's "
        f"{vat.get('basis', 'billing')} country."
    )
    table = Table("country", "rate", "AFAS VAT type", "ledger account", "shop", box=None)
    for country, rules in sorted((vat.get("rates") or {}).items()):
        ordered = sorted((rules or {}).items(), key=lambda kv: -(rate_value(kv[0]) or 0))
        for rate, rule in ordered:
            rule = rule if isinstance(rule, dict) else {}
            flag = "in use" if (country, rate_key(rate_value(rate) or Decimal(0))) in in_use else ""
            table.add_row(
                country, f"{rate} %", rule_choice(rule), escape(account(rule.get("account"))), flag
            )
    out.print(table)
    icp = vat.get("icp") or {}
    international = vat.get("international") or {}
    kind = icp.get("intra_community_type", "supplies") if icp else ""
    out.print(f"ICP (0 %, intra-community {kind}): {escape(account(icp.get('account')))}")
    out.print(f"International (0 %): {escape(account(international.get('account')))}")
    for key, label in (
        ("shipping_account", "Shipping"),
        ("fees_account", "Fees"),
        ("vouchers_sold_account", "Gift vouchers sold"),
        ("vouchers_redeemed_account", "Gift vouchers redeemed"),
    ):
        shown = account(vat.get(key)) if vat.get(key) else "- (booked with the goods' rate)"
        if key.startswith("vouchers") and not vat.get(key):
            shown = "- (orders with vouchers go to errors)"
        out.print(f"{label}: {escape(shown)}")
    fixed = debtors.get("fixed") or {}
    if fixed:
        out.print("Fixed debtors (never for ICP orders):")
        for code, value in sorted(fixed.items()):
            shown = "unknown (Various debtors)" if value == "unknown" else str(value)
            if isinstance(value, dict):
                shown = f"{value.get('relation_type', 'organisation')} {value.get('relation_id')}"
                shown += f" {names.get(str(value.get('relation_id')), '')}".rstrip()
            out.print(f"  {code}: {escape(shown)}")
    else:
        out.print("Fixed debtors: none (each customer is their own debtor)")
    out.print(JOURNAL_NOTE, style="dim")
