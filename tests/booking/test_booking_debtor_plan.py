from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from booking_ocmath import Cart, Item, order_json

from ocafas.booking.debtor_plan import initials, plan_debtor, split_last_name
from ocafas.booking.problems import BookingRefused
from ocafas.config import Settings
from ocafas.opencart.models import Order
from ocafas.opencart.parse import parse_order


def order(country: str = "NL", rate: D | None = D(21), **kwargs: Any) -> Order:
    parsed = parse_order(
        order_json(Cart([Item("Mug", D("7.9500"), 1, rate)], country=country), **kwargs)
    )
    assert isinstance(parsed, Order)
    return parsed


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        ("de Wit", ("de", "Wit")),
        ("van der Berg", ("van der", "Berg")),
        ("van 't Hek", ("van 't", "Hek")),
        ("De Smet", ("", "De Smet")),  # Flemish: the capital prefix is part of the name
        ("Jansen", ("", "Jansen")),
        ("van", ("", "van")),  # nothing after the prefix: not a prefix
        ("  ter   Horst ", ("ter", "Horst")),
    ],
)
def test_split_last_name(last: str, expected: tuple[str, str]) -> None:
    assert split_last_name(last) == expected


def test_initials() -> None:
    assert initials("Jan-Willem Pieter") == "J.W.P."


def test_person_with_prefix_and_lowercased_external_id(settings: Settings) -> None:
    plan = plan_debtor(order(email=" Sarah@Test.NL "), settings)
    assert plan.kind == "person" and plan.person is not None
    assert (plan.person.first_name, plan.person.prefix, plan.person.last_name) == (
        "Sarah",
        "de",
        "Wit",
    )
    assert plan.external_id == "opencart:sarah@test.nl"
    assert plan.person.address is not None
    assert (plan.person.address.street, plan.person.address.house_number) == ("Stationstraat", 12)
    assert plan.person.address.addition == "a"


def test_company_makes_an_organisation(settings: Settings) -> None:
    plan = plan_debtor(order(company="Studio Noord B.V.", vat_number="nl 0000.99998.b57"), settings)
    assert plan.kind == "organisation" and plan.organisation is not None
    assert plan.organisation.name == "Studio Noord B.V."
    assert plan.organisation.vat_number == "NL000099998B57"


def test_fixed_debtor_of_the_payment_method(settings: Settings) -> None:
    plan = plan_debtor(order(payment_code="cod"), settings)
    assert plan.kind == "fixed" and plan.body is None
    assert plan.fixed is not None and plan.fixed.relation_type == "organisation"


def test_never_a_fixed_debtor_for_icp(settings: Settings) -> None:
    icp = order(
        country="DE",
        rate=None,
        payment_code="cod",
        company="Koffer GmbH",
        vat_number="DE136695976",
        address_1="Hauptstraße 5",
    )
    plan = plan_debtor(icp, settings)
    assert plan.kind == "organisation"
    assert plan.organisation is not None and plan.organisation.vat_number == "DE136695976"


def test_address_without_a_house_number_is_refused_not_guessed(settings: Settings) -> None:
    with pytest.raises(BookingRefused) as refused:
        plan_debtor(order(address_1="Stationstraat"), settings)
    assert refused.value.codes == ("ADDRESS_NO_NUMBER",)
    assert refused.value.problems[0].hint


def test_an_empty_address_is_unreadable(settings: Settings) -> None:
    with pytest.raises(BookingRefused) as refused:
        plan_debtor(order(address_1=""), settings)
    assert refused.value.codes == ("ADDRESS_UNREADABLE",)


def test_no_name_at_all(settings: Settings) -> None:
    with pytest.raises(BookingRefused) as refused:
        plan_debtor(order(firstname="", lastname=""), settings)
    assert refused.value.codes == ("NAME_MISSING",)
