"""Load and validate the ocafas config file.

The whole file is checked before anything runs, and every problem is reported at once with its
key path (``afas.administration_id: not a UUID``). Unknown keys are errors, because a typo that is
silently ignored books orders with the wrong settings. Values of secrets never appear in messages.

Where the file lives: ``--config PATH``, else ``$OCAFAS_CONFIG``, else the platform config dir
(``~/.config/ocafas/config.yaml`` on Linux).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ocafas.config_schema import (
    SECRET_ENV_FALLBACKS,
    SECRET_KEYS,
    Validator,
)
from ocafas.errors import ConfigError
from ocafas.money import normalize_rate
from ocafas.redact import MASK, register_secret
from ocafas.yamlio import YamlProblem, load_yaml_text

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class OpenCartSettings:
    url: str
    api_key: str = field(repr=False)
    timeout: float
    processable_statuses: tuple[int | str, ...]
    ca_bundle: str | None


@dataclass(frozen=True)
class AfasSettings:
    base_url: str
    app_token: str = field(repr=False)
    administration_id: str
    accountant_domain: str | None
    customer_environment: str | None
    payment_condition_id: str | None
    timeout: float
    ca_bundle: str | None
    #: The default cost centre: a department (afdeling) by name or InstanceId, put on every
    #: line as ``DepartmentId``; resolved in AFAS once per run (ocafas.pipeline.preflight).
    department: str | None = None
    #: Optionally a project by name or InstanceId, put on every entry as ``ProjectId``.
    project: str | None = None


@dataclass(frozen=True)
class VatRule:
    """How one VAT rate (or the ICP / International case) is booked in AFAS SB."""

    vat_type: str  # AFAS VatType: high | low | zero
    account: str  # ledger account number (e.g. "8000") or its AFAS id (uuid)
    vat_calculation: str | None = None  # reversecharged | exempt
    intra_community_type: str | None = None  # supplies | services (ICP only)


@dataclass(frozen=True)
class VatSettings:
    shop_country: str
    basis: str  # billing | shipping: which country decides the rate of goods
    vies_check: bool
    rates: dict[str, dict[Decimal, VatRule]]
    icp: VatRule | None
    international: VatRule | None
    shipping_account: str | None
    fees_account: str | None
    vouchers_sold_account: str | None
    vouchers_redeemed_account: str | None
    #: The VIES REST API's base URL (``vat.vies_url``); tests point it at the local stand-in.
    vies_url: str = "https://ec.europa.eu/taxation_customs/vies/rest-api"
    #: The shop's own VAT number (compact, e.g. NL004495445B01): the requester VIES issues
    #: consultation numbers to. Required when ``vies_check`` is on.
    shop_vat_number: str | None = None

    def rule_for(self, country: str, rate: Decimal) -> VatRule | None:
        """The configured rule for ``rate`` in ``country``, or None when it is not configured."""
        return self.rates.get(country.upper(), {}).get(normalize_rate(rate))


@dataclass(frozen=True)
class FixedDebtor:
    relation_id: str | None  # None: AFAS's unknown relation ("Various debtors")
    relation_type: str  # person | organisation | unknown


#: OpenCart's own statuses that undo a sale (booking.reversals.statuses by default).
DEFAULT_REVERSAL_STATUSES: tuple[int | str, ...] = (
    "Refunded",
    "Reversed",
    "Chargeback",
    "Voided",
    "Canceled",
)


@dataclass(frozen=True)
class ReversalSettings:
    """Credit entries for booked orders that come back in a reversing status (opt-in)."""

    enabled: bool = False
    statuses: tuple[int | str, ...] = DEFAULT_REVERSAL_STATUSES
    invoice_number: str = "{shop_prefix}ORD{order_id}-C"
    #: False while the statuses are the defaults: a default name the shop lacks is ignored,
    #: a name the user wrote that the shop lacks is a config error.
    statuses_given: bool = False


@dataclass(frozen=True)
class BookingSettings:
    invoice_number: str
    description: str
    payment_reference: str | None
    payment_methods: dict[str, str]
    #: An order whose total is 0.00 (a free sample, a 100 % coupon): ``skip`` (filed as skipped,
    #: reason zero_total) or ``book`` (an entry whose lines net to zero).
    zero_total: str = "book"
    #: ``{shop_prefix}`` of the templates: required (and distinct) when several shops book into
    #: one administration, so two shops' order 1001 never get the same invoice number.
    shop_prefix: str = ""

    reversals: ReversalSettings = field(default_factory=ReversalSettings)


@dataclass(frozen=True)
class ShopSettings:
    """Who this shop is among several that book into one AFAS SB administration."""

    #: Shown in reports and messages; default: the config file's name without ``.yaml``.
    name: str = "shop"
    #: The config files of the other shops that book into the same AFAS SB environment.
    others: tuple[Path, ...] = ()


@dataclass(frozen=True)
class SyncSettings:
    start_date: date
    batch_size: int
    concurrency: int


@dataclass(frozen=True)
class Settings:
    """The validated config. Built only by :func:`load_settings` / :func:`parse_settings`."""

    source: Path | None
    opencart: OpenCartSettings
    afas: AfasSettings
    ledger_path: Path
    vat: VatSettings
    fixed_debtors: dict[str, FixedDebtor]
    booking: BookingSettings
    sync: SyncSettings
    shop: ShopSettings = field(default_factory=ShopSettings)


def default_config_path() -> Path:
    """The platform config file, e.g. ``~/.config/ocafas/config.yaml``."""
    from platformdirs import user_config_path

    return user_config_path("ocafas", appauthor=False) / "config.yaml"


def default_ledger_path() -> Path:
    """The platform data file of the ledger, e.g. ``~/.local/share/ocafas/ledger.sqlite3``."""
    from platformdirs import user_data_path

    return user_data_path("ocafas", appauthor=False) / "ledger.sqlite3"


def resolve_config_path(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    env = os.environ.get("OCAFAS_CONFIG")
    if env:
        return Path(env)
    return default_config_path()


def load_settings(explicit: Path | None = None) -> tuple[Settings, list[str]]:
    """Read, expand and validate the config file; return the settings and any warnings."""
    path = resolve_config_path(explicit)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} not found",
            hint="create it from config.example.yaml, or pass --config PATH",
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
        raise ConfigError(f"cannot read config file {path}: {reason}") from None
    settings, literal_secrets = parse_settings(text, source=path)
    warnings = []
    if literal_secrets and _readable_by_others(path):
        keys = ", ".join(literal_secrets)
        warnings.append(
            f"{path} holds a literal secret ({keys}) and is readable by group or others: "
            f"run 'chmod 600 {path}' or write the secret as ${{ENV_VAR}}"
        )
    return settings, warnings


def _readable_by_others(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))


def parse_settings(
    text: str, source: Path | None = None, environ: dict[str, str] | None = None
) -> tuple[Settings, list[str]]:
    """Validate config text; return the settings and the key paths of literal (inline) secrets.

    Raises :class:`ConfigError` listing every problem found.
    """
    env = dict(os.environ if environ is None else environ)
    name = str(source) if source else "config"
    try:
        raw = load_yaml_text(text)
    except YamlProblem as err:
        raise ConfigError(f"{name} is not valid YAML", problems=[str(err)]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{name} is not valid",
            problems=["(top level): must be a mapping of sections (opencart:, afas:, ...)"],
        )
    problems: list[str] = []
    literal_secrets: list[str] = []
    expanded = _expand(raw, (), env, problems, literal_secrets)
    for dotted, env_name in SECRET_ENV_FALLBACKS.items():
        section, key = dotted.split(".")
        sect = expanded.get(section)
        if isinstance(sect, dict) and key not in sect and env.get(env_name):
            sect[key] = env[env_name]
    base_dir = source.parent if source else Path.cwd()
    reported = frozenset(p.split(":", 1)[0] for p in problems)
    validator = Validator(problems, base_dir=base_dir, reported=reported)
    settings = validator.build(expanded, source)
    if problems or settings is None:
        count = len(problems)
        raise ConfigError(
            f"{name} has {count} problem{'s' if count != 1 else ''}",
            problems=problems,
            hint="fix them and run 'ocafas check-config' again",
        )
    register_secret(settings.opencart.api_key)
    register_secret(settings.afas.app_token)
    return settings, literal_secrets


def _expand(
    value: Any,
    path: tuple[str, ...],
    env: dict[str, str],
    problems: list[str],
    literal_secrets: list[str],
) -> Any:
    """Replace ``${VAR}`` in every string; note secrets written literally."""
    if isinstance(value, dict):
        return {
            k: _expand(v, (*path, str(k)), env, problems, literal_secrets) for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            _expand(v, (*path, str(i)), env, problems, literal_secrets) for i, v in enumerate(value)
        ]
    if not isinstance(value, str):
        return value
    dotted = ".".join(path)
    refs = _ENV_REF.findall(value)
    if dotted in SECRET_KEYS and value and not refs:
        literal_secrets.append(dotted)
    missing = [name for name in refs if name not in env]
    for name in missing:
        problems.append(f"{dotted}: environment variable {name} is not set")
    if missing:
        return value if dotted not in SECRET_KEYS else ""
    return _ENV_REF.sub(lambda m: env[m.group(1)], value)


def describe_settings(settings: Settings) -> str:
    """A short human summary of the config, with secrets masked."""
    vat = settings.vat
    rate_lines = []
    for country in sorted(vat.rates):
        parts = []
        for rate, rule in sorted(vat.rates[country].items()):
            calc = f"/{rule.vat_calculation}" if rule.vat_calculation else ""
            parts.append(f"{rate}% -> {rule.vat_type}{calc} on {rule.account}")
        rate_lines.append(f"    {country}: " + ", ".join(parts))
    lines = [
        f"config: {settings.source or '(text)'} is valid",
        f"  opencart: {settings.opencart.url} (key {MASK})",
        "    processable statuses: "
        + ", ".join(str(s) for s in settings.opencart.processable_statuses),
        f"  afas: {settings.afas.base_url} (app token {MASK})",
        f"    administration: {settings.afas.administration_id}",
        f"  ledger: {settings.ledger_path}",
        f"  vat: shop country {vat.shop_country}, rates by {vat.basis} country",
        *rate_lines,
        f"    ICP: {_rule_text(vat.icp)}",
        *(
            [f"    VIES check: on, {vat.vies_url}, requester {vat.shop_vat_number}"]
            if vat.vies_check
            else []
        ),
        f"    International: {_rule_text(vat.international)}",
        f"  fixed debtors: {len(settings.fixed_debtors)} payment method(s)",
        f"  booking: invoice number {settings.booking.invoice_number!r}, "
        f"description {settings.booking.description!r}",
        f"  shop: {settings.shop.name!r}, prefix {settings.booking.shop_prefix!r}"
        + (f", {len(settings.shop.others)} other shop config(s)" if settings.shop.others else ""),
        f"  sync: orders placed from {settings.sync.start_date.isoformat()}, "
        f"batch {settings.sync.batch_size}, concurrency {settings.sync.concurrency}",
    ]
    return "\n".join(lines)


def _rule_text(rule: VatRule | None) -> str:
    if rule is None:
        return "not configured (such orders go to errors)"
    extra = f", {rule.intra_community_type}" if rule.intra_community_type else ""
    return f"{rule.vat_type} on {rule.account}{extra}"
