"""Config rules of ``vat``: the shop's country, VIES, the rates per country, ICP, accounts."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ocafas.config_checks import Checks, show
from ocafas.money import normalize_rate

if TYPE_CHECKING:
    from ocafas.config import VatRule, VatSettings

VAT_TYPES = ("high", "low", "zero")
VAT_CALCULATIONS = ("reversecharged", "exempt")
INTRA_COMMUNITY_TYPES = ("supplies", "services")
#: EU member states (ISO 3166 alpha-2; Greece is EL in VAT numbers but GR here).
EU_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
    }
)

_COUNTRY = re.compile(r"^[A-Z]{2}$")

#: The EU's VIES REST API (https://ec.europa.eu/taxation_customs/vies/rest-api, see ocafas.vies).
VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api"


class VatRules(Checks):
    """The ``vat`` section."""

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
            self.problem(where, f"not a valid EU VAT number ({reason}): {show(value)}")
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


__all__ = [
    "EU_COUNTRIES",
    "INTRA_COMMUNITY_TYPES",
    "VAT_CALCULATIONS",
    "VAT_TYPES",
    "VIES_URL",
    "VatRules",
]
