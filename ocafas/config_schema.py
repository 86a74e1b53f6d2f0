"""The rules of the config file: one function per section, each problem with its key path.

Values of secrets are never echoed; other values are shown shortened so a message stays one line.
"""

from __future__ import annotations

import re
import string
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocafas.config_api8 import dimension, reversal_settings
from ocafas.http import check_transport
from ocafas.money import normalize_rate

if TYPE_CHECKING:
    from ocafas.config import (
        AfasSettings,
        BookingSettings,
        FixedDebtor,
        OpenCartSettings,
        Settings,
        SyncSettings,
        VatRule,
        VatSettings,
    )

SECRET_KEYS = frozenset({"opencart.api_key", "afas.app_token"})
#: Where a secret comes from when its key is absent from the file.
SECRET_ENV_FALLBACKS = {
    "opencart.api_key": "OCAFAS_OPENCART_API_KEY",
    "afas.app_token": "OCAFAS_AFAS_APP_TOKEN",
}

VAT_TYPES = ("high", "low", "zero")
VAT_CALCULATIONS = ("reversecharged", "exempt")
INTRA_COMMUNITY_TYPES = ("supplies", "services")
#: AFAS SB's PaymentMethod values (salesjournalentry 3.0).
AFAS_PAYMENT_METHODS = (
    "creditcard",
    "directdebit",
    "debetcard",
    "unknown",
    "cash",
    "ideal",
    "banktransfer",
)
RELATION_TYPES = ("person", "organisation", "unknown")
#: Placeholders the invoice number, description and payment reference templates may use.
TEMPLATE_FIELDS = frozenset(
    {
        *("order_id", "invoice", "invoice_no", "invoice_prefix", "store_name", "customer"),
        *("email", "shop_prefix"),
    }
)
#: EU member states (ISO 3166 alpha-2; Greece is EL in VAT numbers but GR here).
EU_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
    }
)
#: OpenCart payment codes (3.0 ``code``, 4.x ``code.option``: the part before the dot is tried
#: too) of the core methods and of common payment extensions -> AFAS PaymentMethod.
DEFAULT_PAYMENT_METHODS = {
    "bank_transfer": "banktransfer",
    "cheque": "banktransfer",
    "cod": "cash",
    "free_checkout": "unknown",
    "ideal": "ideal",
    "mollie_ideal": "ideal",
    "mollie_creditcard": "creditcard",
    "mollie_bancontact": "debetcard",
    "mollie_banktransfer": "banktransfer",
    "mollie_directdebit": "directdebit",
    "buckaroo_ideal": "ideal",
    "multisafepay_ideal": "ideal",
    "pp_express": "unknown",
    "pp_standard": "unknown",
    "paypal": "unknown",
    "stripe": "creditcard",
    "authorizenet_aim": "creditcard",
    "sagepay_direct": "creditcard",
}
ZERO_TOTAL_CHOICES = ("skip", "book")

_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_ENVIRONMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
_ACCOUNT_NUMBER = re.compile(r"^[0-9]{1,10}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

#: The EU's VIES REST API (https://ec.europa.eu/taxation_customs/vies/rest-api, see ocafas.vies).
VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api"

SECTIONS = ("opencart", "afas", "ledger", "vat", "debtors", "booking", "sync", "shop")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


class Validator:
    """Collects problems while building :class:`~ocafas.config.Settings` from raw data."""

    def __init__(
        self, problems: list[str], base_dir: Path, reported: frozenset[str] = frozenset()
    ) -> None:
        self.problems = problems
        self.base_dir = base_dir
        #: key paths already reported (a missing ${ENV_VAR}): no second problem for them
        self.reported = reported

    # -- primitives -------------------------------------------------------------------------

    def problem(self, path: str, message: str) -> None:
        if path not in self.reported:
            self.problems.append(f"{path}: {message}")

    def section(self, raw: dict[str, Any], name: str, required: bool = True) -> dict[str, Any]:
        value = raw.get(name)
        if value is None:
            if required:
                self.problem(name, "missing section")
            return {}
        if not isinstance(value, dict):
            self.problem(name, "must be a mapping of keys")
            return {}
        return value

    def known_keys(self, data: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                close = [a for a in allowed if _similar(str(key), a)]
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.problem(where, f"unknown key{hint}; allowed: {', '.join(allowed)}")

    def string(
        self, data: dict[str, Any], key: str, path: str, required: bool = True
    ) -> str | None:
        where = f"{path}.{key}"
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(where, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(where, "must be text")
            return None
        return str(value).strip()

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        default: float,
        low: float,
        high: float,
        integer: bool = False,
    ) -> float:
        where = f"{path}.{key}"
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(where, f"must be a number, got {_show(value)}")
            return default
        if integer and not isinstance(value, int):
            self.problem(where, f"must be a whole number, got {_show(value)}")
            return default
        if not low <= value <= high:
            self.problem(where, f"must be between {low:g} and {high:g}, got {value:g}")
            return default
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", f"must be true or false, got {_show(value)}")
            return default
        return value

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        options: tuple[str, ...],
        default: str | None = None,
    ) -> str | None:
        value = data.get(key, default)
        if value is None:
            return None
        if value not in options:
            self.problem(
                f"{path}.{key}", f"must be one of {', '.join(options)}, got {_show(value)}"
            )
            return default
        return str(value)

    def uuid(self, data: dict[str, Any], key: str, path: str, required: bool) -> str | None:
        value = self.string(data, key, path, required)
        if value is None:
            return None
        if not _is_uuid(value):
            self.problem(f"{path}.{key}", f"not a UUID: {_show(value)}")
            return None
        return value.lower()

    def secret(self, data: dict[str, Any], key: str, path: str, min_length: int) -> str:
        where = f"{path}.{key}"
        value = data.get(key)
        if value is None or value == "":
            env = SECRET_ENV_FALLBACKS[where]
            self.problem(where, f"missing (write it as ${{{env}}} and export {env})")
            return ""
        if not isinstance(value, str):
            self.problem(where, "must be text (value not shown)")
            return ""
        if len(value) < min_length or any(c.isspace() for c in value):
            self.problem(
                where,
                f"does not look like a valid secret (value not shown): at least {min_length} "
                "characters, no spaces",
            )
        return value

    def url(self, data: dict[str, Any], key: str, path: str, required: bool = True) -> str | None:
        value = self.string(data, key, path, required)
        if value is None:
            return None
        reason = check_transport(value)
        if reason:
            self.problem(f"{path}.{key}", f"{reason}: {_show(value)}")
            return None
        return value

    def account(self, value: Any, where: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(where, "must be a ledger account number (e.g. 8000) or its AFAS id")
            return None
        text = str(value).strip()
        if not (_ACCOUNT_NUMBER.match(text) or _is_uuid(text)):
            self.problem(
                where, f"must be a ledger account number (e.g. 8000) or its AFAS id: {_show(value)}"
            )
            return None
        return text.lower()

    def template(
        self, data: dict[str, Any], key: str, path: str, default: str | None
    ) -> str | None:
        where = f"{path}.{key}"
        value = data.get(key, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            self.problem(where, "must be a non-empty text template such as 'ORD{order_id}'")
            return default
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(value) if n is not None]
        except ValueError as err:
            self.problem(where, f"broken template ({err}); write placeholders as {{order_id}}")
            return default
        unknown = sorted({n for n in names if n not in TEMPLATE_FIELDS})
        if unknown:
            allowed = ", ".join("{" + f + "}" for f in sorted(TEMPLATE_FIELDS))
            self.problem(where, f"unknown placeholder {{{unknown[0]}}}; allowed: {allowed}")
            return default
        return value

    # -- sections ---------------------------------------------------------------------------

    def build(self, raw: dict[str, Any], source: Path | None) -> Settings | None:
        from ocafas.config import Settings

        self.known_keys(raw, "", SECTIONS)
        opencart = self.opencart(self.section(raw, "opencart"))
        afas = self.afas(self.section(raw, "afas"))
        ledger_path = self.ledger(self.section(raw, "ledger", required=False))
        vat = self.vat(self.section(raw, "vat"))
        debtors = self.debtors(self.section(raw, "debtors", required=False))
        booking = self.booking(self.section(raw, "booking", required=False))
        sync = self.sync(self.section(raw, "sync"))
        from ocafas.config_shop import shop_settings

        shop = shop_settings(self, self.section(raw, "shop", required=False), source)
        if self.problems:
            return None
        return Settings(
            source=source,
            opencart=opencart,
            afas=afas,
            ledger_path=ledger_path,
            vat=vat,
            fixed_debtors=debtors,
            booking=booking,
            sync=sync,
            shop=shop,
        )

    def opencart(self, data: dict[str, Any]) -> OpenCartSettings:
        from ocafas.config import OpenCartSettings

        p = "opencart"
        self.known_keys(data, p, ("url", "api_key", "timeout", "processable_statuses", "ca_bundle"))
        url = self.url(data, "url", p)
        api_key = self.secret(data, "api_key", p, min_length=15)
        timeout = self.number(data, "timeout", p, 30, 1, 600)
        statuses = self.statuses(data.get("processable_statuses"), f"{p}.processable_statuses")
        ca_bundle = self.ca_bundle(data, p)
        return OpenCartSettings(url or "", api_key, float(timeout), statuses, ca_bundle)

    def statuses(self, value: Any, where: str) -> tuple[int | str, ...]:
        if value is None:
            self.problem(
                where, "missing: list the OpenCart order statuses to book, e.g. [Complete]"
            )
            return ()
        if not isinstance(value, list) or not value:
            self.problem(where, "must be a non-empty list of status names or ids")
            return ()
        result: list[int | str] = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (int, str)) or item in ("", 0):
                self.problem(f"{where}.{i}", f"must be a status name or id, got {_show(item)}")
            elif isinstance(item, int) and item < 0:
                self.problem(f"{where}.{i}", f"must be a positive status id, got {item}")
            else:
                result.append(item.strip() if isinstance(item, str) else item)
        return tuple(result)

    def ca_bundle(self, data: dict[str, Any], path: str) -> str | None:
        value = self.string(data, "ca_bundle", path, required=False)
        if value is None:
            return None
        file = Path(value).expanduser()
        if not file.is_absolute():
            file = self.base_dir / file
        if not file.is_file():
            self.problem(f"{path}.ca_bundle", f"file not found: {file}")
            return None
        return str(file)

    def afas(self, data: dict[str, Any]) -> AfasSettings:
        from ocafas.config import AfasSettings

        p = "afas"
        self.known_keys(
            data,
            p,
            (
                "accountant_domain",
                "customer_environment",
                "app_token",
                "base_url",
                "administration_id",
                "payment_condition_id",
                "timeout",
                "ca_bundle",
                "department",
                "project",
            ),
        )
        base_url = self.url(data, "base_url", p, required=False)
        has_override = data.get("base_url") not in (None, "")
        domain = self.string(data, "accountant_domain", p, required=not has_override)
        environment = self.string(data, "customer_environment", p, required=not has_override)
        if domain is not None and not _DOMAIN.match(domain):
            self.problem(
                f"{p}.accountant_domain",
                f"must be the first part of the AFAS host, e.g. app-center-demo: {_show(domain)}",
            )
        if environment is not None and not _ENVIRONMENT.match(environment):
            self.problem(
                f"{p}.customer_environment",
                f"must be the path part of the AFAS URL, e.g. webwinkelfacturen: "
                f"{_show(environment)}",
            )
        if base_url is None and domain and environment:
            base_url = f"https://{domain}.afasfocus.nl/{environment}"
        app_token = self.secret(data, "app_token", p, min_length=16)
        administration = self.uuid(data, "administration_id", p, required=True)
        condition = self.uuid(data, "payment_condition_id", p, required=False)
        timeout = self.number(data, "timeout", p, 30, 1, 600)
        ca_bundle = self.ca_bundle(data, p)
        return AfasSettings(
            base_url=(base_url or "").rstrip("/"),
            app_token=app_token,
            administration_id=administration or "",
            accountant_domain=domain,
            customer_environment=environment,
            payment_condition_id=condition,
            timeout=float(timeout),
            ca_bundle=ca_bundle,
            department=dimension(self, data, "department", p),
            project=dimension(self, data, "project", p),
        )

    def ledger(self, data: dict[str, Any]) -> Path:
        from ocafas.config import default_ledger_path

        self.known_keys(data, "ledger", ("path",))
        value = self.string(data, "path", "ledger", required=False)
        if value is None:
            return default_ledger_path()
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def vat(self, data: dict[str, Any]) -> VatSettings:
        from ocafas.config import VatSettings

        p = "vat"
        self.known_keys(
            data,
            p,
            (
                "shop_country",
                "basis",
                "vies_check",
                "vies_url",
                "shop_vat_number",
                "rates",
                "icp",
                "international",
                "shipping_account",
                "fees_account",
                "vouchers_sold_account",
                "vouchers_redeemed_account",
            ),
        )
        shop_country = (self.string(data, "shop_country", p, required=False) or "NL").upper()
        if shop_country not in EU_COUNTRIES:
            self.problem(f"{p}.shop_country", f"must be an EU country code, got {shop_country!r}")
        basis = self.choice(data, "basis", p, ("billing", "shipping"), "billing") or "billing"
        vies = self.boolean(data, "vies_check", p, False)
        vies_url = (self.url(data, "vies_url", p, required=False) or VIES_URL).rstrip("/")
        shop_vat_number = self.shop_vat_number(data, p, shop_country, required=vies)
        rates = self.rates(data.get("rates"), f"{p}.rates")
        icp = self.special_rule(data.get("icp"), f"{p}.icp", icp=True)
        international = self.special_rule(data.get("international"), f"{p}.international")
        accounts = {}
        for key in (
            "shipping_account",
            "fees_account",
            "vouchers_sold_account",
            "vouchers_redeemed_account",
        ):
            value = data.get(key)
            accounts[key] = None if value in (None, "") else self.account(value, f"{p}.{key}")
        return VatSettings(
            shop_country=shop_country,
            basis=basis,
            vies_check=vies,
            rates=rates,
            icp=icp,
            international=international,
            shipping_account=accounts["shipping_account"],
            fees_account=accounts["fees_account"],
            vouchers_sold_account=accounts["vouchers_sold_account"],
            vouchers_redeemed_account=accounts["vouchers_redeemed_account"],
            vies_url=vies_url,
            shop_vat_number=shop_vat_number,
        )

    def shop_vat_number(
        self, data: dict[str, Any], path: str, shop_country: str, required: bool
    ) -> str | None:
        """The shop's own VAT number: VIES gives consultation numbers only to a requester."""
        where = f"{path}.shop_vat_number"
        value = self.string(data, "shop_vat_number", path, required=False)
        if value is None:
            if required:
                self.problem(
                    where,
                    "missing: vat.vies_check needs the shop's own VAT number (e.g. "
                    "NL004495445B01), so VIES issues a consultation number as evidence",
                )
            return None
        from stdnum.eu import vat as eu_vat
        from stdnum.exceptions import ValidationError

        try:
            number = str(eu_vat.validate(value))
        except ValidationError as err:
            reason = str(err).rstrip(".").lower() or "not a valid EU VAT number"
            self.problem(where, f"not a valid EU VAT number ({reason}): {_show(value)}")
            return None
        prefix = number[:2]
        if {"EL": "GR"}.get(prefix, prefix) != shop_country:
            self.problem(
                where, f"must be a VAT number of vat.shop_country ({shop_country}), got {prefix}"
            )
            return None
        return number

    def rates(self, value: Any, where: str) -> dict[str, dict[Decimal, VatRule]]:
        if value is None:
            self.problem(where, "missing: map each country's VAT rates, e.g. NL: {'21': ...}")
            return {}
        if not isinstance(value, dict):
            self.problem(where, "must map country codes (NL, BE, ...) to their rates")
            return {}
        result: dict[str, dict[Decimal, VatRule]] = {}
        for country, rates in value.items():
            cwhere = f"{where}.{country}"
            if not isinstance(country, str) or not _COUNTRY.match(country):
                self.problem(cwhere, "must be an ISO country code in capitals, e.g. NL")
                continue
            if not isinstance(rates, dict) or not rates:
                self.problem(
                    cwhere, "must map VAT rates ('21', '9', '0') to a vat_type and account"
                )
                continue
            by_rate: dict[Decimal, VatRule] = {}
            for rate_key, rule_data in rates.items():
                rwhere = f"{cwhere}.{rate_key}"
                rate = _parse_rate(rate_key)
                if rate is None:
                    self.problem(rwhere, "must be a VAT percentage such as '21' or '5.5'")
                    continue
                if rate in by_rate:
                    self.problem(rwhere, f"rate {rate}% is listed twice")
                    continue
                rule = self.rule(rule_data, rwhere, rate)
                if rule is not None:
                    by_rate[rate] = rule
            result[country] = by_rate
        return result

    def rule(self, data: Any, where: str, rate: Decimal) -> VatRule | None:
        from ocafas.config import VatRule

        if not isinstance(data, dict):
            self.problem(where, "must be a mapping with vat_type and account")
            return None
        self.known_keys(data, where, ("vat_type", "account", "vat_calculation"))
        vat_type = self.choice(data, "vat_type", where, VAT_TYPES)
        if vat_type is None and "vat_type" not in data:
            self.problem(f"{where}.vat_type", f"missing: one of {', '.join(VAT_TYPES)}")
        calculation = self.choice(data, "vat_calculation", where, VAT_CALCULATIONS)
        account = None
        if data.get("account") in (None, ""):
            self.problem(f"{where}.account", "missing: the revenue ledger account number")
        else:
            account = self.account(data["account"], f"{where}.account")
        if vat_type and rate > 0 and vat_type == "zero":
            self.problem(f"{where}.vat_type", f"a {rate}% rate cannot be booked as zero")
        if vat_type and rate > 0 and calculation:
            self.problem(
                f"{where}.vat_calculation",
                f"{calculation} means no VAT is charged, but this rate is {rate}%",
            )
        if vat_type in ("high", "low") and rate == 0 and not calculation:
            self.problem(
                f"{where}.vat_type",
                "a 0% rate is booked as zero, or set vat_calculation (reversecharged/exempt)",
            )
        if vat_type is None or account is None:
            return None
        return VatRule(vat_type=vat_type, account=account, vat_calculation=calculation)

    def special_rule(self, data: Any, where: str, icp: bool = False) -> VatRule | None:
        from ocafas.config import VatRule

        if data is None:
            return None
        if not isinstance(data, dict):
            self.problem(where, "must be a mapping with account")
            return None
        keys = ("account", "intra_community_type") if icp else ("account",)
        self.known_keys(data, where, keys)
        account = None
        if data.get("account") in (None, ""):
            self.problem(f"{where}.account", "missing: the revenue ledger account number")
        else:
            account = self.account(data["account"], f"{where}.account")
        ict = None
        if icp:
            ict = self.choice(
                data, "intra_community_type", where, INTRA_COMMUNITY_TYPES, "supplies"
            )
        if account is None:
            return None
        return VatRule(vat_type="zero", account=account, intra_community_type=ict)

    def debtors(self, data: dict[str, Any]) -> dict[str, FixedDebtor]:
        from ocafas.config import FixedDebtor

        self.known_keys(data, "debtors", ("fixed",))
        fixed = data.get("fixed") or {}
        if not isinstance(fixed, dict):
            self.problem("debtors.fixed", "must map OpenCart payment codes to AFAS relations")
            return {}
        result: dict[str, FixedDebtor] = {}
        for code, value in fixed.items():
            where = f"debtors.fixed.{code}"
            if value == "unknown":
                result[str(code)] = FixedDebtor(None, "unknown")
                continue
            if not isinstance(value, dict):
                self.problem(
                    where, "must be 'unknown' or a mapping with relation_id and relation_type"
                )
                continue
            self.known_keys(value, where, ("relation_id", "relation_type"))
            relation_id = self.uuid(value, "relation_id", where, required=True)
            relation_type = self.choice(
                value, "relation_type", where, RELATION_TYPES, "organisation"
            )
            if relation_id and relation_type:
                result[str(code)] = FixedDebtor(relation_id, relation_type)
        return result

    def booking(self, data: dict[str, Any]) -> BookingSettings:
        from ocafas.config import BookingSettings

        p = "booking"
        self.known_keys(
            data,
            p,
            (
                *("invoice_number", "description", "payment_reference", "payment_methods"),
                *("zero_total", "shop_prefix", "reversals"),
            ),
        )
        invoice = (
            self.template(data, "invoice_number", p, "{shop_prefix}ORD{order_id}")
            or "{shop_prefix}ORD{order_id}"
        )
        if "{order_id}" not in invoice:
            self.problem(
                f"{p}.invoice_number", "must contain {order_id}, so every order gets its own number"
            )
        description = (
            self.template(data, "description", p, "{order_id} - {invoice}") or "{order_id}"
        )
        # The default lets AFAS SB's bank import match a payment quoting the shop's order number.
        reference = self.template(data, "payment_reference", p, "{shop_prefix}{order_id}")
        methods = dict(DEFAULT_PAYMENT_METHODS)
        raw_methods = data.get("payment_methods") or {}
        if not isinstance(raw_methods, dict):
            self.problem(f"{p}.payment_methods", "must map OpenCart payment codes to AFAS methods")
        else:
            for code, method in raw_methods.items():
                if method not in AFAS_PAYMENT_METHODS:
                    self.problem(
                        f"{p}.payment_methods.{code}",
                        f"must be one of {', '.join(AFAS_PAYMENT_METHODS)}, got {_show(method)}",
                    )
                else:
                    methods[str(code)] = method
        # book by default: what ocafas always did, and no order disappears unseen from the books
        zero_total = self.choice(data, "zero_total", p, ZERO_TOTAL_CHOICES, "book")
        from ocafas.config_shop import shop_prefix

        prefix = shop_prefix(self, data, invoice)
        reversals = reversal_settings(self, data.get("reversals"), f"{p}.reversals", invoice)
        return BookingSettings(
            invoice, description, reference, methods, zero_total or "book", prefix, reversals
        )

    def sync(self, data: dict[str, Any]) -> SyncSettings:
        from ocafas.config import SyncSettings

        p = "sync"
        self.known_keys(data, p, ("start_date", "batch_size", "concurrency"))
        start = data.get("start_date")
        start_date = date(1970, 1, 1)
        if start is None:
            self.problem(
                f"{p}.start_date",
                "missing: orders placed before this date are never booked (e.g. 2025-01-01)",
            )
        elif isinstance(start, date):
            start_date = start
        elif isinstance(start, str):
            try:
                start_date = date.fromisoformat(start.strip())
            except ValueError:
                self.problem(f"{p}.start_date", f"not a date (YYYY-MM-DD): {_show(start)}")
        else:
            self.problem(f"{p}.start_date", f"not a date (YYYY-MM-DD): {_show(start)}")
        batch = self.number(data, "batch_size", p, 100, 1, 500, integer=True)
        concurrency = self.number(data, "concurrency", p, 8, 1, 32, integer=True)
        return SyncSettings(start_date, int(batch), int(concurrency))


def _parse_rate(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        rate = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        return None
    if not rate.is_finite() or rate < 0 or rate >= 100:
        return None
    return normalize_rate(rate)


def _similar(a: str, b: str) -> bool:
    a, b = a.lower().replace("-", "_"), b.lower()
    if a == b or a.rstrip("s") == b.rstrip("s"):
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    # one edit or a swap away
    common = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    return common >= max(len(a), len(b)) - 2
