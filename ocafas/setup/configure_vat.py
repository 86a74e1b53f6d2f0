"""`ocafas configure-vat`: map every EU country's VAT rates, ICP, International, the other accounts
and fixed debtors to what AFAS SB has, and save them only when AFAS has every one of them.

Values come from, in this order: ``--set``, the options, ``--from-file``, the config as it is,
then a question (in a terminal) or the default. Nothing is saved that names an account or a
relation AFAS SB does not have.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from ocafas.config_schema import EU_COUNTRIES, INTRA_COMMUNITY_TYPES, Validator
from ocafas.errors import ConfigError, ExitCode
from ocafas.pipeline.preflight import mapping_problems as afas_vat_problems
from ocafas.setup import vat_build as vb
from ocafas.setup.accounts import ACCOUNTS
from ocafas.setup.configdoc import ConfigDocument, plain
from ocafas.setup.cost_centre import cost_centre, save_cost_centre
from ocafas.setup.eu_rates import rate_key, rate_table
from ocafas.setup.fixed_debtors import fixed_debtors
from ocafas.setup.prompts import Prompter
from ocafas.setup.remote import Remote, mapping_problems

#: answer key -> (option, what it is, config key under vat)
OPTIONAL = ("shipping", "fees", "vouchers_sold", "vouchers_redeemed")


@dataclass
class VatAnswers:
    shop_country: str | None = None
    destination_rates: bool | None = None
    accounts: dict[str, str] = field(default_factory=dict)
    icp_type: str | None = None
    #: payment code -> "unknown", "none", a relation id or an e-mail address to search
    fixed_debtors: dict[str, str] = field(default_factory=dict)
    from_file: Path | None = None
    sets: list[str] = field(default_factory=list)
    #: afas.department / afas.project: a name or id AFAS lists, "none" removes it
    cost_centre: dict[str, str | None] = field(default_factory=dict)


def show(doc: ConfigDocument, out: Console) -> int:
    vb.render(out, plain(doc.section("vat")), plain(doc.section("debtors")))
    return int(ExitCode.OK)


def reset(doc: ConfigDocument, prompter: Prompter, out: Console, yes: bool) -> int:
    if doc.get("vat") is None and doc.get("debtors") is None:
        out.print("VAT: nothing configured; nothing to remove.")
        return int(ExitCode.OK)
    if not yes and not prompter.confirm(
        f"Remove the VAT settings and fixed debtors from {doc.path}?", option="--yes", default=None
    ):
        out.print("Nothing removed.")
        return int(ExitCode.OK)
    doc.delete(("vat",))
    doc.delete(("debtors",))
    doc.save()
    out.print(f"Removed the VAT settings and fixed debtors from {doc.path}.")
    return int(ExitCode.OK)


def configure(
    doc: ConfigDocument,
    answers: VatAnswers,
    prompter: Prompter,
    out: Console,
    connect: Callable[[ConfigDocument], Remote],
) -> int:
    vat: dict[str, Any] = plain(doc.section("vat"))
    debtors: dict[str, Any] = plain(doc.section("debtors"))
    config_rates: dict[str, Any] = vat.pop("rates", None) or {}
    file_rates: dict[str, Any] = {}
    if answers.from_file:
        file_rates = _merge_file(answers.from_file, vat, debtors)
    remote = connect(doc)
    ask = _Asker(prompter, remote, out)

    home = (answers.shop_country or "").upper() or ask.text(
        "The shop's own country (ISO code)",
        "--shop-country",
        str(vat.get("shop_country") or "NL"),
    ).upper()
    if home not in rate_table().countries:
        raise ConfigError(f"--shop-country {home!r} is not an EU member state code")
    vat["shop_country"] = home

    old_accounts = vb.infer_type_accounts(config_rates)
    destination = answers.destination_rates
    if destination is None and not config_rates:
        destination = prompter.confirm(
            f"Charge each EU country its own VAT rates (OSS)? No: all get the {home} rates",
            option="--destination-rates",
            default=False,
        )
    rates = vb.default_rates(home, bool(destination))
    for rules in rates.values():
        for rule in rules.values():
            if vb.rule_choice(rule) in old_accounts:
                rule["account"] = vb.account_value(old_accounts[vb.rule_choice(rule)])
    if destination is None:  # keep the mapping as it is; the defaults only fill gaps
        rates.update(copy.deepcopy(config_rates))
    else:  # rebuilt from the table; countries outside the EU stay as the user wrote them
        rates.update({c: r for c, r in config_rates.items() if c not in EU_COUNTRIES})
    pinned: set[tuple[str, str]] = set()
    for country, rules in file_rates.items():
        for key, rule in (rules or {}).items():
            rate = vb.rate_value(key)
            if rate is not None and isinstance(rule, dict):
                rates.setdefault(str(country), {})[rate_key(rate)] = dict(rule)
                pinned.add((str(country), rate_key(rate)))
    in_use = _add_shop_rates(rates, remote, out)
    _type_accounts(rates, answers, ask, old_accounts, pinned)
    vat["rates"] = {c: _sorted_rules(r) for c, r in sorted(rates.items())}

    icp = dict(vat.get("icp") or {})
    icp["account"] = ask.account("icp", answers, icp.get("account"), revenue=True)
    icp["intra_community_type"] = answers.icp_type or ask.text(
        "ICP: intra-community supplies (goods) or services",
        "--icp-type",
        str(icp.get("intra_community_type") or "supplies"),
        choices=INTRA_COMMUNITY_TYPES,
    )
    vat["icp"] = icp
    international = dict(vat.get("international") or {})
    international["account"] = ask.account(
        "international", answers, international.get("account"), revenue=True
    )
    vat["international"] = international
    for name in OPTIONAL:
        key = f"{name}_account"
        value = ask.account(name, answers, vat.get(key), revenue=False, optional=True)
        if value is None:
            vat.pop(key, None)
        else:
            vat[key] = value

    fixed = dict(debtors.get("fixed") or {})
    fixed_debtors(fixed, answers.fixed_debtors, ask, remote)
    debtors = (
        {**debtors, "fixed": fixed} if fixed else {k: v for k, v in debtors.items() if k != "fixed"}
    )

    for assignment in answers.sets:
        vb.apply_set(vat, debtors, assignment)
    vat = _ordered_vat(vat)
    _validate(doc, vat, debtors, remote)
    centre = cost_centre(doc, answers.cost_centre, remote)
    names = {a.number.lower(): a.description for a in remote.accounts}
    names.update({a.id: a.description for a in remote.accounts})
    vb.render(out, vat, debtors, names, in_use)
    if prompter.interactive:
        vat, debtors = _adjust(vat, debtors, ask, doc, remote, names, in_use)
    if not prompter.confirm(f"Save to {doc.path}?", option="--yes", default=True):
        out.print("Nothing saved.")
        return int(ExitCode.OK)
    doc.replace(("vat",), vat)
    save_cost_centre(doc, centre)
    if debtors:
        doc.replace(("debtors",), debtors)
    else:
        doc.delete(("debtors",))
    if doc.save():
        out.print(f"Saved {doc.path} (mode 0600). Next: 'ocafas sync'.")
    else:
        out.print(f"{doc.path} already says this; nothing changed.")
    return int(ExitCode.OK)


class _Asker:
    def __init__(self, prompter: Prompter, remote: Remote, out: Console) -> None:
        self.prompter = prompter
        self.remote = remote
        self.out = out
        self.listed = False

    def text(self, label: str, option: str, default: str | None, choices: Any = None) -> str:
        return self.prompter.ask(label, option=option, default=default, choices=choices)

    def account(
        self, name: str, answers: VatAnswers, current: Any, revenue: bool, optional: bool = False
    ) -> Any:
        option, what, _ = ACCOUNTS[name]
        if answers.accounts.get(name):
            return self._checked(answers.accounts[name], option, revenue)
        if not self.prompter.interactive:
            if current in (None, "") and not optional:
                self.prompter.ask(what, option=option)  # raises: names the option
            return vb.account_value(str(current)) if current not in (None, "") else None
        if revenue and not self.listed:
            self.out.print("Revenue accounts in AFAS SB:")
            for account in self.remote.revenue:
                self.out.print(f"  {account.number}  {escape(account.description)}")
            self.listed = True
        while True:
            default = str(current) if current not in (None, "") else ("none" if optional else None)
            suffix = " ('none': no own account)" if optional else ""
            answer = self.prompter.ask(
                f"{what.capitalize()}{suffix}", option=option, default=default
            )
            if optional and answer.lower() == "none":
                return None
            try:
                return self._checked(answer, option, revenue)
            except ConfigError as err:
                self.out.print(f"[red]{escape(str(err))}[/red]")

    def _checked(self, reference: str, option: str, revenue: bool) -> Any:
        account = self.remote.account(reference)
        if account is None:
            raise ConfigError(f"{option} {reference}: AFAS SB has no such ledger account")
        if revenue and not account.is_revenue:
            raise ConfigError(
                f"{option} {reference}: {account.number} {account.description} is not a revenue "
                "account"
            )
        return vb.account_value(reference)


def _merge_file(path: Path, vat: dict[str, Any], debtors: dict[str, Any]) -> dict[str, Any]:
    """Apply the file's keys to ``vat``/``debtors``; return its rates (merged rate by rate)."""
    from ocafas.yamlio import YamlProblem, load_yaml_text

    try:
        data = load_yaml_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"--from-file {path}: cannot read it ({err})") from None
    except YamlProblem as err:
        raise ConfigError(f"--from-file {path} is not valid YAML: {err}") from None
    if not isinstance(data, dict) or set(data) - {"vat", "debtors"}:
        raise ConfigError(f"--from-file {path}: must hold only the sections vat: and debtors:")
    file_vat = data.get("vat") or {}
    for key, value in file_vat.items():
        if key != "rates":
            vat[key] = value
    for key, value in (data.get("debtors") or {}).items():
        debtors[key] = value
    rates = file_vat.get("rates") or {}
    if not isinstance(rates, dict):
        raise ConfigError(f"--from-file {path}: vat.rates must map countries to their rates")
    return rates


def _add_shop_rates(rates: dict[str, Any], remote: Remote, out: Console) -> set[tuple[str, str]]:
    """Flag the rates the shop charges; add the ones the mapping lacks, so none is forgotten."""
    in_use: set[tuple[str, str]] = set()
    for tax in remote.tax_rates:
        if tax.type != "P":
            out.print(f"Note: the shop's fixed-amount tax {tax.name!r} is not a VAT rate; skipped.")
            continue
        key = rate_key(tax.rate)
        for country in tax.countries:
            if country not in EU_COUNTRIES:
                out.print(
                    f"Note: the shop charges {key} % ({tax.name}) in {country}, outside the EU: "
                    "such orders with VAT go to errors (International is 0 %)."
                )
                continue
            rules = rates.setdefault(country, {})
            in_use.add((country, key))
            if key not in rules:
                rules[key] = {"vat_type": vb.default_type(tax.rate, vb.standard_of(rules))}
                out.print(f"Added {country} {key} % ({tax.name}): the shop charges it.")
    return in_use


def _type_accounts(
    rates: dict[str, Any], answers: VatAnswers, ask: _Asker, old: dict[str, Any],
    pinned: set[tuple[str, str]],
) -> None:  # fmt: skip
    """One account per VAT choice (high, low, zero, ...), given to the rules that follow it.

    A rule follows its choice's account when it has none or the previous one; a rule whose
    account was set for it alone (its own account, or from --from-file) keeps it.
    """
    rules = [
        (rule, (country, key)) for country, country_rules in rates.items()
        for key, rule in country_rules.items()
    ]  # fmt: skip
    choices = sorted({vb.rule_choice(r) for r, _ in rules}, key=vb.RULE_CHOICES.index)
    for choice in choices:
        name = choice if choice in ("high", "low", "zero") else "zero"
        mine = [
            rule for rule, where in rules
            if vb.rule_choice(rule) == choice and where not in pinned
            and (rule.get("account") in (None, "") or str(rule["account"]) == str(old.get(choice)))
        ]  # fmt: skip
        if not mine:
            continue
        account = ask.account(name, answers, old.get(choice), revenue=True)
        for rule in mine:
            rule["account"] = account


def _adjust(
    vat: dict[str, Any], debtors: dict[str, Any], ask: _Asker, doc: ConfigDocument,
    remote: Remote, names: dict[str, str], in_use: set[tuple[str, str]],
) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """Let the user change one country at a time until they press Enter."""
    while True:
        country = ask.text("Country to adjust (e.g. DE), or Enter to go on", "--set", "").upper()
        if not country:
            return vat, debtors
        if country not in vat["rates"] and country not in EU_COUNTRIES:
            ask.out.print(f"[red]{escape(country)} is not an EU member state code[/red]")
            continue
        candidate = copy.deepcopy(vat)
        rules = candidate["rates"].get(country, {})
        listed = ", ".join(rules) or "21"
        wanted = ask.text(f"{country}: VAT rates (comma separated)", "--set", listed)
        new_rules: dict[str, Any] = {}
        for part in wanted.split(","):
            rate = vb.rate_value(part)
            if rate is None:
                continue
            key = rate_key(rate)
            old = rules.get(key) or {"vat_type": vb.default_type(rate, vb.standard_of(rules))}
            choice = ask.text(
                f"{country} {key} %: AFAS VAT type", "--set", vb.rule_choice(old),
                choices=vb.RULE_CHOICES,
            )  # fmt: skip
            account = ask.text(
                f"{country} {key} %: ledger account", "--set", str(old.get("account", ""))
            )
            new_rules[key] = {**vb.choice_rule(choice), "account": vb.account_value(account)}
        candidate["rates"][country] = _sorted_rules(new_rules)
        try:
            _validate(doc, candidate, debtors, remote)
        except ConfigError as err:
            for line in [err.message, *err.problems]:
                ask.out.print(f"[red]{escape(line)}[/red]")
            continue
        vat = candidate
        vb.render(ask.out, vat, debtors, names, in_use)


def _sorted_rules(rules: dict[str, Any]) -> dict[str, Any]:
    ordered = sorted(rules.items(), key=lambda kv: -(vb.rate_value(kv[0]) or 0))
    return {key: {f: rule[f] for f in vb.RULE_FIELDS if f in rule} for key, rule in ordered}


def _ordered_vat(vat: dict[str, Any]) -> dict[str, Any]:
    order = ("shop_country", "basis", "vies_check", "rates", "icp", "international")
    head = {k: vat[k] for k in order if k in vat}
    return {**head, **{k: v for k, v in vat.items() if k not in head}}


def _validate(
    doc: ConfigDocument, vat: dict[str, Any], debtors: dict[str, Any], remote: Remote
) -> None:
    problems: list[str] = []
    validator = Validator(problems, base_dir=doc.path.parent)
    checked = validator.vat(vat)
    validator.debtors(debtors)
    if not problems:
        problems = mapping_problems(remote, vat, debtors)
    if not problems:  # the accounts exist: do AFAS's VAT types, rates and VatAllowed fit?
        problems = afas_vat_problems(
            checked,
            remote.accounts,
            remote.afas.vat_types(),
            remote.afas.vat_rates(),
            accounts_checked=True,
        )
    if problems:
        raise ConfigError("not saved: the VAT mapping has problems", problems=problems)
