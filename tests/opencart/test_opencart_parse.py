"""Hostile orders give one readable reason each and never an exception."""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocafas.opencart.models import Cursor, MalformedOrder, Order
from ocafas.opencart.parse import parse_order
from ocafas.sandbox.orders import OrderGenerator

BASE = OrderGenerator(17).orders(40)
GOOD = next(o for o in BASE if len(o["products"]) >= 3 and o["shipping_address"])


def _broken(change: Any) -> MalformedOrder:
    raw = copy.deepcopy(GOOD)
    change(raw)
    result = parse_order(raw)
    assert isinstance(result, MalformedOrder)
    assert result.order_id in (GOOD["order_id"], None) and result.raw is raw
    return result


def test_a_good_order_parses_to_decimals_and_aware_dates() -> None:
    order = parse_order(GOOD)
    assert isinstance(order, Order)
    assert isinstance(order.total, Decimal) and str(order.total) == GOOD["total"]
    assert order.date_modified.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    assert order.sum_of("total") == order.total
    assert order.products_total == sum(Decimal(p["total"]) for p in GOOD["products"])
    assert order.cursor == Cursor(GOOD["date_modified"], GOOD["order_id"])
    assert order.billing_country == GOOD["payment_address"]["iso_code_2"]
    assert all(row.is_tax for row in order.tax_rows)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda o: o["products"][2].__setitem__("price", 12.5),
            "products[2].price: not a decimal string",
        ),
        (
            lambda o: o["products"][2].__setitem__("price", "1e5"),
            "products[2].price: not a decimal string",
        ),
        (lambda o: o.pop("total"), "total: missing"),
        (
            lambda o: o["products"][0].__setitem__("quantity", -1),
            "products[0].quantity: must be at least 1, got -1",
        ),
        (
            lambda o: o["products"][0].__setitem__("quantity", 1.5),
            "products[0].quantity: expected an integer, got a number",
        ),
        (
            lambda o: o["products"][0].__setitem__("quantity", "2"),
            "products[0].quantity: expected an integer, got a string",
        ),
        (
            lambda o: o["products"][1].__setitem__("name", "x" * 10_000),
            "products[1].name: longer than 255 characters (10000)",
        ),
        (
            lambda o: o["customer"].__setitem__("firstname", "Eve\x00\x1b[2J"),
            "customer.firstname: contains control characters",
        ),
        (
            lambda o: o["payment_address"].__setitem__("city", "Amster\ndam"),
            "payment_address.city: contains control characters",
        ),
        (
            lambda o: o.__setitem__("date_modified", "2025-04-01 10:22:05"),
            "date_modified: not an ISO 8601 date-time with UTC offset",
        ),
        (
            lambda o: o.__setitem__("date_added", "2025-13-01T10:22:05+02:00"),
            "date_added: not a valid date-time",
        ),
        (lambda o: o.__setitem__("customer", None), "customer: expected an object, got null"),
        (
            lambda o: o.__setitem__("products", {"0": {}}),
            "products: expected a list, got an object",
        ),
        (lambda o: o["totals"][0].pop("value"), "totals[0].value: missing"),
        (lambda o: o.__setitem__("totals", []), "totals: empty"),
        (
            lambda o: o.__setitem__("currency_code", "eur"),
            "currency_code: not a currency code: 'eur'",
        ),
        (
            lambda o: o["payment_address"].__setitem__("iso_code_2", "NLD"),
            "payment_address.iso_code_2: not a country code: 'NLD'",
        ),
        (
            lambda o: o.__setitem__("order_status_id", True),
            "order_status_id: expected an integer, got a boolean",
        ),
        (
            lambda o: o["customer"].__setitem__("email", "\ud800@x.nl"),
            "customer.email: contains control characters",
        ),
    ],
)
def test_hostile_fields_give_a_reason(change: Any, reason: str) -> None:
    assert _broken(change).reason == reason


def test_unreadable_order_id_is_none_not_a_crash() -> None:
    for raw in (None, [], "order", 5, {"order_id": "12"}, {"order_id": True}):
        result = parse_order(raw)
        assert isinstance(result, MalformedOrder) and result.order_id is None


def test_option_values_may_span_lines_and_guests_have_customer_id_zero() -> None:
    raw = copy.deepcopy(GOOD)
    raw["products"][0]["options"] = [{"name": "Engraving", "value": "Voor Zoë\nmet liefde"}]
    raw["customer"]["customer_id"] = None
    order = parse_order(raw)
    assert isinstance(order, Order)
    assert order.products[0].options[0].value == "Voor Zoë\nmet liefde"
    assert order.is_guest


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    path=st.sampled_from(
        ["", "customer", "payment_address", "products.0", "totals.1", "products.0.options"]
    ),
    key=st.sampled_from(
        [
            "order_id",
            "price",
            "value",
            "name",
            "quantity",
            "totals",
            "customer",
            "products",
            "tax_rate",
            "date_modified",
            "options",
        ]
    ),
    value=_json,
)
def test_any_garbage_anywhere_never_raises(path: str, key: str, value: Any) -> None:
    raw = copy.deepcopy(GOOD)
    target: Any = raw
    for part in filter(None, path.split(".")):
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, dict):
        target[key] = value
    elif isinstance(target, list):
        target.append(value)
    result = parse_order(raw)
    assert isinstance(result, (Order, MalformedOrder))
    if isinstance(result, MalformedOrder):
        assert result.reason and "\n" not in result.reason


def test_cursor_round_trips_and_refuses_garbage() -> None:
    cursor = Cursor("2025-04-01T10:22:05+02:00", 1234)
    assert Cursor.from_string(cursor.to_string()) == cursor
    assert cursor.params() == {"modified_after": "2025-04-01T10:22:05+02:00", "after_id": "1234"}
    for text in ("", "2025-04-01T10:22:05|12", "2025-04-01T10:22:05+02:00|x", "garbage"):
        with pytest.raises(ValueError, match="cursor"):
            Cursor.from_string(text)


def test_derived_facts_of_an_order() -> None:
    raw = copy.deepcopy(GOOD)
    raw["customer"]["customer_id"] = 0
    raw["invoice_no"], raw["invoice_prefix"] = 17, "INV-2025-00"
    raw["payment_address"]["company"] = "  "
    order = parse_order(raw)
    assert isinstance(order, Order)
    assert order.is_guest and order.invoice_number == "INV-2025-0017" and order.company is None
    assert set(order.totals_by_code) == {row["code"] for row in raw["totals"]}
    assert order.total_row is not None and order.total_row.value == order.total
    assert order.sum_of("nothing") == 0
    raw["invoice_no"] = 0
    unnumbered = parse_order(raw)
    assert isinstance(unnumbered, Order) and unnumbered.invoice_number is None
