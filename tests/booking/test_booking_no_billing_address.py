"""OpenCart 4.0.2+ orders without a billing address: the shipping address stands in for it."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from typing import Any

import pytest
from booking_ocmath import Cart, Item, order_json
from booking_support import DATA, load_settings

from ocafas.booking.checks import check_order
from ocafas.booking.classify import (
    Regime,
    billing_address,
    billing_country,
    classify,
    customer_company,
)
from ocafas.booking.debtor_plan import plan_debtor
from ocafas.booking.problems import BookingRefused
from ocafas.config import Settings
from ocafas.opencart.models import Order
from ocafas.opencart.parse import parse_order

EMPTY = {
    **dict.fromkeys(
        ("firstname", "lastname", "company", "address_1", "address_2", "city", "postcode"), ""
    ),
    "country": "",
    "iso_code_2": "",
    "zone": "",
}


def build(
    country: str = "NL",
    rate: D | None = D(21),
    shipping: dict[str, Any] | None = None,
    shipped: bool = True,
    payment: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Order:
    cart = Cart(
        [Item("Mug", D("7.9500"), 1, rate)],
        country=country,
        shipping=D("4.9500") if shipped else None,
        shipping_rate=rate if shipped else None,
    )
    data = order_json(cart, **kwargs)
    data["payment_address"] = {**EMPTY, **(payment or {})}
    if shipped and shipping:
        data["shipping_address"].update(shipping)
    parsed = parse_order(data)
    assert isinstance(parsed, Order), parsed
    return parsed


def test_country_comes_from_the_shipping_address(settings: Settings) -> None:
    order = build("BE")
    assert order.billing_country is None  # the model states the fact ...
    assert billing_country(order) == "BE"  # ... the booking falls back
    assert billing_address(order) is order.shipping_address
    classification, problems = classify(order, settings.vat)
    assert problems == [] and classification is not None
    assert classification.country == "BE"


def test_a_filled_billing_address_still_decides(settings: Settings) -> None:
    order = build("BE", payment={"iso_code_2": "NL", "country": "Netherlands",
                                 "address_1": "Dam 1", "city": "Amsterdam"})  # fmt: skip
    assert billing_country(order) == "NL"
    assert billing_address(order) is order.payment_address


def test_neither_address_is_address_missing(settings: Settings) -> None:
    order = build(shipped=False)
    assert billing_address(order) is None
    codes = [p.code for p in check_order(order, settings)]
    assert codes == ["ADDRESS_MISSING"]
    with pytest.raises(BookingRefused) as refused:
        plan_debtor(order, settings)
    assert refused.value.codes == ("ADDRESS_MISSING",)


def test_billing_address_with_a_name_only_is_no_address(settings: Settings) -> None:
    order = build(payment={"firstname": "Sarah", "lastname": "de Wit"})
    assert billing_address(order) is order.shipping_address


def test_billing_address_with_street_but_no_country_is_country_missing(
    settings: Settings,
) -> None:
    order = build(payment={"address_1": "Dam 1", "city": "Amsterdam"})
    assert [p.code for p in check_order(order, settings)] == ["COUNTRY_MISSING"]


def test_person_named_from_the_customer_address_from_shipping(settings: Settings) -> None:
    order = build(
        shipping={"firstname": "Marieke", "lastname": "Visser", "address_1": "Kerkweg 7"},
        firstname="Femke",
        lastname="van Dijk",
    )
    plan = plan_debtor(order, settings)
    assert plan.kind == "person" and plan.person is not None
    assert (plan.person.first_name, plan.person.prefix, plan.person.last_name) == (
        "Femke",
        "van",
        "Dijk",
    )
    assert plan.person.address.street == "Kerkweg"
    assert plan.person.address.house_number == 7
    assert plan.person.address.country_code == "NL"


def test_person_without_a_customer_name_takes_the_shipping_name(settings: Settings) -> None:
    shipped = build(shipping={"firstname": "Marieke", "lastname": "Visser"})
    nameless = dataclasses.replace(shipped.customer, firstname="", lastname="")
    order = dataclasses.replace(shipped, customer=nameless)
    plan = plan_debtor(order, settings)
    assert plan.person is not None and plan.person.last_name == "Visser"


def test_icp_company_on_the_shipping_address(settings: Settings) -> None:
    order = build("DE", rate=None, vat_number="DE136695976", company="Koffer GmbH",
                  address_1="Hauptstraße 5", city="Berlin", postcode="10115")  # fmt: skip
    assert order.company is None
    assert customer_company(order) == "Koffer GmbH"
    classification, problems = classify(order, settings.vat)
    assert problems == [] and classification is not None
    assert classification.regime is Regime.ICP
    plan = plan_debtor(order, settings)
    assert plan.organisation is not None and plan.organisation.name == "Koffer GmbH"
    assert plan.organisation.address.country_code == "DE"


def test_unreadable_shipping_address_says_shipping(settings: Settings) -> None:
    order = build(shipping={"address_1": "Stationstraat"})
    with pytest.raises(BookingRefused) as refused:
        plan_debtor(order, settings)
    assert refused.value.codes == ("ADDRESS_NO_NUMBER",)
    assert refused.value.problems[0].message.startswith("shipping address:")


def test_shipping_basis_unchanged() -> None:
    text = (DATA / "golden-config.yaml").read_text(encoding="utf-8")
    settings = load_settings(text.replace("  basis: billing\n", "  basis: shipping\n", 1))
    assert settings.vat.basis == "shipping"
    order = build("DE", rate=D(19))
    classification, _ = classify(order, settings.vat)
    assert classification is not None and classification.country == "DE"
