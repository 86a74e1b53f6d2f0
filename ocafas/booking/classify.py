"""Which VAT regime an order falls under: domestic, EU consumer (OSS), ICP or international.

The customer's country decides (billing, or shipping for goods when ``vat.basis`` is shipping).
ICP needs three things at once: no VAT charged, a company name, and a VAT number that passes
python-stdnum's format and check-digit test and belongs to another member state than the shop.

OpenCart 4.0.2+'s default checkout asks for no billing address: such an order's
``payment_address`` is empty (no country, no street) while the shipping address is filled. The
shipping address then stands in for the billing address (country, company, street); an order
with neither is refused (``ADDRESS_MISSING``), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from ocafas.booking.problems import Problem, problem
from ocafas.config import VatRule, VatSettings
from ocafas.config_schema import EU_COUNTRIES
from ocafas.opencart.models import Address, Order

#: VAT-number prefixes that differ from the ISO country code.
_PREFIX_TO_COUNTRY = {"EL": "GR", "XI": "GB"}
_COUNTRY_TO_PREFIX = {"GR": "EL"}


class Regime(str, Enum):
    DOMESTIC = "domestic"
    EU_CONSUMER = "eu_consumer"
    ICP = "icp"
    INTERNATIONAL = "international"


@dataclass(frozen=True)
class Classification:
    regime: Regime
    country: str  # the customer's VAT country (ISO alpha-2)
    vat_number: str | None  # compact and valid, e.g. DE136695976; None when absent or not EU

    @property
    def zero_rated(self) -> bool:
        """ICP and international orders are booked at 0 % on one special rule."""
        return self.regime in (Regime.ICP, Regime.INTERNATIONAL)

    def special_rule(self, vat: VatSettings) -> VatRule | None:
        if self.regime is Regime.ICP:
            return vat.icp
        if self.regime is Regime.INTERNATIONAL:
            return vat.international
        return None


def has_address(address: Address | None) -> bool:
    """False for the empty payment address of an OpenCart 4.0.2+ checkout without one."""
    if address is None:
        return False
    parts = (address.iso_code_2 or "", address.address_1, address.city, address.postcode)
    return any(part.strip() for part in parts)


def billing_address(order: Order) -> Address | None:
    """The billing address, else the shipping address when the checkout asked for none."""
    if has_address(order.payment_address):
        return order.payment_address
    if has_address(order.shipping_address):
        return order.shipping_address
    return None


def billing_from_shipping(order: Order) -> bool:
    """True when the shipping address stands in for a missing billing address."""
    address = billing_address(order)
    return address is not None and address is not order.payment_address


def billing_country(order: Order) -> str | None:
    address = billing_address(order)
    return address.iso_code_2 if address is not None else None


def customer_company(order: Order) -> str | None:
    """The company of the billing address (or of the shipping address standing in for it)."""
    address = billing_address(order) or order.payment_address
    return address.company.strip() or None


def vat_country(order: Order, vat: VatSettings) -> str | None:
    """The country whose VAT rules apply to the order."""
    if vat.basis == "shipping" and order.shipping_country:
        return order.shipping_country
    return billing_country(order)


def vat_charged(order: Order) -> bool:
    return any(row.value > 0 for row in order.tax_rows)


def normalize_vat_number(number: str, country: str) -> tuple[str | None, str | None]:
    """``(compact number, None)`` when valid, else ``(None, reason)``.

    A number typed without its country prefix ("804526476B01") is read with the customer's.
    """
    compact = re.sub(r"[\s.\-/,]", "", number).upper()
    if compact and compact[:2].isdigit():
        compact = _COUNTRY_TO_PREFIX.get(country, country) + compact
    try:
        return str(eu_vat.validate(compact)), None
    except ValidationError as err:
        return None, str(err).rstrip(".").lower() or "not a valid EU VAT number"


def vat_number_country(number: str) -> str:
    prefix = number[:2].upper()
    return _PREFIX_TO_COUNTRY.get(prefix, prefix)


def classify(order: Order, vat: VatSettings) -> tuple[Classification | None, list[Problem]]:
    """The order's regime, or the problems that prevent deciding it."""
    country = vat_country(order, vat)
    if not country and billing_address(order) is None:
        return None, [
            problem("ADDRESS_MISSING", "the order has neither a billing nor a shipping address")
        ]
    if not country:
        shipping = vat.basis == "shipping" and order.shipping_address is not None
        where = "shipping" if shipping or billing_from_shipping(order) else "billing"
        return None, [
            problem("COUNTRY_MISSING", f"the {where} address has no country that the shop knows")
        ]
    charged = vat_charged(order)
    if country not in EU_COUNTRIES:
        problems = []
        if charged:
            problems.append(
                problem("INTERNATIONAL_WITH_VAT", f"VAT charged to a customer in {country}")
            )
        if vat.international is None:
            problems.append(
                problem(
                    "INTERNATIONAL_NOT_CONFIGURED",
                    f"the customer is outside the EU ({country}) and vat.international is not set",
                )
            )
        return Classification(Regime.INTERNATIONAL, country, None), problems
    number = None
    if order.vat_number:
        number, reason = normalize_vat_number(order.vat_number, country)
        if number is None:
            return None, [
                problem(
                    "VAT_NUMBER_INVALID",
                    f"VAT number {order.vat_number[:30]!r} is invalid: {reason}",
                )
            ]
    foreign_number = number is not None and vat_number_country(number) != vat.shop_country
    if not charged and foreign_number and country != vat.shop_country:
        problems = []
        if customer_company(order) is None:
            problems.append(
                problem("ICP_COMPANY_MISSING", f"0 % VAT on VAT number {number} without a company")
            )
        if vat.icp is None:
            problems.append(
                problem("ICP_NOT_CONFIGURED", "an intra-community supply, but vat.icp is not set")
            )
        return Classification(Regime.ICP, country, number), problems
    regime = Regime.DOMESTIC if country == vat.shop_country else Regime.EU_CONSUMER
    return Classification(regime, country, number), []
