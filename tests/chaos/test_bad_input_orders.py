"""Hostile and malformed orders through the OpenCart sandbox: each its own error, none fatal.

Every case is an order of one shop, all read in the same sync beside good orders: each case must
end with its exact code (or booked, for hostile but valid text), and the good orders around them
must be booked regardless.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from badinput_world import LONE_SURROGATE, run_shop

from ocafas.ledger import OrderState
from ocafas.sandbox.order_builder import OrderBuilder, TaxRateDef

NL21 = TaxRateDef(3, "BTW 21%", Decimal("21.0000"), countries=("NL",))
NL9 = TaxRateDef(4, "BTW 9%", Decimal("9.0000"), countries=("NL",))
WHEN = datetime(2025, 4, 1, 10, 20, tzinfo=timezone.utc)
BOOKED = "booked"
Mutation = Callable[[dict[str, Any]], Any]


def base(order_id: int, *, name: str = "Suitcase", email: str = "sarah@test.nl",
         firstname: str = "Sarah", lastname: str = "de Wit", city: str = "Amsterdam",
         address: str = "Stationstraat 12", company: str = "") -> dict[str, Any]:  # fmt: skip
    builder = OrderBuilder(order_id, WHEN + timedelta(minutes=order_id))
    builder.set_customer(firstname, lastname, email, customer_id=0)
    builder.set_address(
        country="Netherlands", iso_code_2="NL", city=city, postcode="1000 AA",
        address_1=address, company=company,
    )  # fmt: skip
    builder.add_product(name, "100.0000", rates=[NL21])
    builder.add_shipping("Flat Shipping Rate", "5.0000", rates=[NL21])
    return builder.build()


def many_lines(order_id: int, count: int) -> dict[str, Any]:
    builder = OrderBuilder(order_id, WHEN + timedelta(minutes=order_id))
    builder.set_customer("Bulk", "Buyer", "bulk@test.nl")
    builder.set_address(
        country="Netherlands", iso_code_2="NL", city="Utrecht", postcode="3511 AA",
        address_1="Oudegracht 1",
    )  # fmt: skip
    for number in range(count):
        builder.add_product(f"Screw {number}", "0.1000", 3, rates=[NL9 if number % 2 else NL21])
    return builder.build()


def _set(path: str, value: Any) -> Mutation:
    def apply(order: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = order
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return apply


_DELETE = object()


def _product(**changes: Any) -> Mutation:
    def apply(order: dict[str, Any]) -> None:
        order["products"][0].update(changes)

    return apply


@dataclass(frozen=True)
class Case:
    name: str
    expected: str  # an error code, or BOOKED
    build: Callable[[int], dict[str, Any]] = base
    mutate: Mutation | None = None
    reason: str | None = None  # a part of the error message (the field path, say)
    #: Not even an object: there is no order id to keep an error row under.
    anonymous: bool = False


def _zero_price_line(order_id: int) -> dict[str, Any]:
    builder = OrderBuilder(order_id, WHEN + timedelta(minutes=order_id))
    builder.set_customer("Gift", "Taker", "gift@test.nl")
    builder.set_address(
        country="Netherlands", iso_code_2="NL", city="Delft", postcode="2611 AA",
        address_1="Markt 1",
    )  # fmt: skip
    builder.add_product("Suitcase", "100.0000", rates=[NL21])
    builder.add_product("Free luggage tag", "0.0000", rates=[NL21])
    return builder.build()


SQL = "Robert'); DROP TABLE oc_order;-- \" OR 1=1 #"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'
CASES = [
    # missing fields
    Case("missing_totals", "MALFORMED_ORDER", mutate=_set("totals", _DELETE), reason="totals"),
    Case(
        "missing_products", "MALFORMED_ORDER", mutate=_set("products", _DELETE), reason="products"
    ),
    Case("missing_total", "MALFORMED_ORDER", mutate=_set("total", _DELETE), reason="total"),
    Case(
        "missing_customer", "MALFORMED_ORDER", mutate=_set("customer", _DELETE), reason="customer"
    ),
    Case(
        "missing_date_added",
        "MALFORMED_ORDER",
        mutate=_set("date_added", _DELETE),
        reason="date_added",
    ),
    Case(
        "missing_price",
        "MALFORMED_ORDER",
        mutate=_set("products.0.price", _DELETE),
        reason="products[0].price",
    ),
    Case(
        "missing_payment_address",
        "MALFORMED_ORDER",
        mutate=_set("payment_address", _DELETE),
        reason="payment_address",
    ),
    Case(
        "missing_currency",
        "MALFORMED_ORDER",
        mutate=_set("currency_code", _DELETE),
        reason="currency_code",
    ),
    # wrong types
    Case(
        "price_as_float",
        "MALFORMED_ORDER",
        mutate=_product(price=100.0),
        reason="products[0].price",
    ),
    Case(
        "quantity_as_string",
        "MALFORMED_ORDER",
        mutate=_product(quantity="1"),
        reason="products[0].quantity",
    ),
    Case("total_as_null", "MALFORMED_ORDER", mutate=_set("total", None), reason="total"),
    Case(
        "products_as_object",
        "MALFORMED_ORDER",
        mutate=_set("products", {"0": {}}),
        reason="products",
    ),
    Case(
        "name_as_list",
        "MALFORMED_ORDER",
        mutate=_product(name=["Suitcase"]),
        reason="products[0].name",
    ),
    Case(
        "status_as_bool",
        "MALFORMED_ORDER",
        mutate=_set("order_status_id", True),
        reason="order_status_id",
    ),
    Case(
        "date_without_offset",
        "MALFORMED_ORDER",
        mutate=_set("date_added", "2025-04-01 10:20:00"),
        reason="date_added",
    ),
    Case("money_with_comma", "MALFORMED_ORDER", mutate=_set("total", "127,0500"), reason="total"),
    Case("money_exponent", "MALFORMED_ORDER", mutate=_set("total", "1.27e2"), reason="total"),
    Case(
        "country_code_3_letters",
        "MALFORMED_ORDER",
        mutate=_set("payment_address.iso_code_2", "NLD"),
        reason="iso_code_2",
    ),
    Case("whole_order_a_string", "MALFORMED_ORDER", reason="expected an object", anonymous=True),
    # quantities and prices
    Case(
        "negative_quantity",
        "MALFORMED_ORDER",
        mutate=_product(quantity=-2),
        reason="products[0].quantity",
    ),
    Case(
        "zero_quantity",
        "MALFORMED_ORDER",
        mutate=_product(quantity=0),
        reason="products[0].quantity",
    ),
    Case(
        "fractional_quantity",
        "MALFORMED_ORDER",
        mutate=_product(quantity=1.5),
        reason="products[0].quantity",
    ),
    Case(
        "negative_price", "NEGATIVE_AMOUNT", mutate=_product(price="-100.0000", total="-100.0000")
    ),
    Case("line_total_not_price_times_quantity", "LINE_TOTAL_MISMATCH", mutate=_product(quantity=2)),
    Case("total_off_by_a_euro", "TOTAL_MISMATCH", mutate=_set("total", "128.0500")),
    Case("no_products", "NO_PRODUCTS", mutate=_set("products", [])),
    Case(
        "unknown_total_row",
        "UNKNOWN_TOTAL_ROW",
        mutate=lambda o: o["totals"].insert(
            1, {"code": "klarna_fee", "title": "Klarna", "value": "0.0000", "sort_order": 3}
        ),
    ),
    Case(
        "positive_coupon_row",
        "NEGATIVE_AMOUNT",
        mutate=lambda o: o["totals"].insert(
            1, {"code": "coupon", "title": "Coupon (X)", "value": "5.0000", "sort_order": 4}
        ),
    ),
    Case("other_currency", "CURRENCY_NOT_DEFAULT", mutate=_set("currency_code", "USD")),
    Case("zero_price_line", BOOKED, build=_zero_price_line),  # a free gift next to a paid product
    Case("thousand_lines", BOOKED, build=lambda i: many_lines(i, 1000)),
    # hostile text
    Case(
        "name_10kb",
        "MALFORMED_ORDER",
        build=lambda i: base(i, name="N" * 10_240),
        reason="products[0].name",
    ),
    Case(
        "customer_name_10kb",
        "MALFORMED_ORDER",
        build=lambda i: base(i, lastname="W" * 10_240),
        reason="lastname",
    ),
    Case(
        "control_chars_in_name",
        "MALFORMED_ORDER",
        build=lambda i: base(i, name="Suit\x00case\x1b[31m"),
        reason="control characters",
    ),
    Case(
        "newline_in_city",
        "MALFORMED_ORDER",
        build=lambda i: base(i, city="Amster\ndam"),
        reason="payment_address.city",
    ),
    Case(
        "lone_surrogate_in_name",
        "MALFORMED_ORDER",
        build=lambda i: base(i, name="Suit" + LONE_SURROGATE),
        reason="products[0].name",
    ),
    Case(
        "emoji_everywhere",
        BOOKED,
        build=lambda i: base(
            i,
            name="Koffer 🧳✨",
            firstname="Zoë 😀",
            lastname="Ñandú 🦤",
            city="Den Haag 🏙",
            company="",
        ),
    ),
    Case(
        "sql_in_strings",
        BOOKED,
        build=lambda i: base(
            i,
            name=SQL,
            firstname=SQL[:40],
            lastname=SQL[:40],
            address=f"{SQL[:30]} 12",
            city=SQL[:40],
        ),
    ),
    Case(
        "html_in_strings",
        BOOKED,
        build=lambda i: base(
            i, name=HTML, firstname="<b>Sarah</b>", lastname=HTML[:60], company=""
        ),
    ),
    Case("email_without_at", "EMAIL_INVALID", build=lambda i: base(i, email="sarah.test.nl")),
    Case("email_sql", "EMAIL_INVALID", build=lambda i: base(i, email="x' OR '1'='1")),
    Case("email_two_ats", "EMAIL_INVALID", build=lambda i: base(i, email="a@b@c")),
    Case("email_empty", BOOKED, build=lambda i: base(i, email="")),
    Case("email_html", "EMAIL_INVALID", build=lambda i: base(i, email="<a href=x>@evil</a>")),
]


FIRST_ID = 100
GOOD_IDS = (1, 2, 3, 999)
DUPLICATED_ID = 500


def _orders() -> tuple[list[dict[str, Any]], dict[str, int]]:
    orders = [base(i) for i in GOOD_IDS[:3]]
    ids: dict[str, int] = {}
    for number, case in enumerate(CASES):
        order_id = FIRST_ID + number
        order = case.build(order_id)
        if case.mutate is not None:
            case.mutate(order)
        ids[case.name] = order_id
        orders.append(order)
    orders.append(base(GOOD_IDS[3]))
    return orders, ids


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    orders, ids = _orders()
    # "whole_order_a_string" is not an object at all: the page carries a bare string.
    strings = {ids["whole_order_a_string"]}
    # A page that carries one order twice (two versions of it), as a buggy extension might.
    twin = base(DUPLICATED_ID)
    changed = copy.deepcopy(twin)
    changed["products"][0]["name"] = "Suitcase (edited)"
    tmp: Path = tmp_path_factory.mktemp("badinput")
    yield run_shop(tmp, orders, strings=strings, twins=[(twin, changed)]), ids


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_order_gets_its_exact_code(case: Case, outcome: Any) -> None:
    world, ids = outcome
    if case.anonymous:
        found = [o for o in world.result.errors if o.order_id is None]
        assert [o.code for o in found] == [case.expected]
        assert case.reason and case.reason in (found[0].message or "")
        return
    record = world.ledger_record(ids[case.name])
    assert record is not None, f"{case.name}: not in the ledger at all"
    if case.expected == BOOKED:
        assert record.state is OrderState.PROCESSED, (case.name, record.error)
        entry = world.afas_entry(ids[case.name])
        assert entry is not None
        return
    assert record.state is OrderState.ERROR, (case.name, record.state)
    assert record.error is not None and record.error.code == case.expected, record.error
    assert record.error.message and record.error.hint
    if case.reason:
        assert case.reason in record.error.message, record.error.message
    assert world.afas_entry(ids[case.name]) is None


def test_the_good_orders_around_them_are_booked_and_the_run_did_not_abort(outcome: Any) -> None:
    world, _ = outcome
    assert world.result.stopped is None
    for order_id in GOOD_IDS:
        record = world.ledger_record(order_id)
        assert record is not None and record.state is OrderState.PROCESSED, order_id
        assert world.afas_entry(order_id) is not None


def test_one_order_twice_in_a_page_is_booked_once(outcome: Any) -> None:
    world, _ = outcome
    record = world.ledger_record(DUPLICATED_ID)
    assert record is not None and record.state is OrderState.PROCESSED
    assert world.afas_count(DUPLICATED_ID) == 1


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
