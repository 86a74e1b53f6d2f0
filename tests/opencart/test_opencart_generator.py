"""The generator's orders follow OpenCart's arithmetic and the contract."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import pytest
from oc_contract_check import contract_errors
from stdnum.eu import vat

from ocafas.sandbox.order_builder import OrderBuilder, TaxRateDef
from ocafas.sandbox.orders import ICP_COMPANIES, OrderGenerator, Shop

NL21 = TaxRateDef(3, "BTW 21%", Decimal("21.0000"), countries=("NL",))
NL9 = TaxRateDef(4, "BTW 9%", Decimal("9.0000"), countries=("NL",))
WHEN = datetime(2025, 4, 1, 10, 20, tzinfo=timezone.utc)
ROUNDING = Decimal("0.0001")
KNOWN_RATES = [Decimal(r) for r in ("0", "21", "9", "19", "7", "20", "5.5", "6", "10")]


def _d(text: str) -> Decimal:
    return Decimal(text)


def _rows(order: dict, code: str) -> list[Decimal]:
    return [_d(row["value"]) for row in order["totals"] if row["code"] == code]


def _nl(builder: OrderBuilder) -> OrderBuilder:
    builder.set_customer("Sarah", "de Wit", "sarah@test.nl", customer_id=42)
    builder.set_address(
        country="Netherlands",
        iso_code_2="NL",
        city="Amsterdam",
        postcode="1000 AA",
        address_1="Stationstraat 12",
    )
    return builder


def test_the_contract_example_order_comes_out_to_the_cent() -> None:
    order = (
        _nl(OrderBuilder(1234, WHEN))
        .add_product("Suitcase", "100.0000", rates=[NL21])
        .add_shipping("Flat Shipping Rate", "5.0000", rates=[NL21])
        .build()
    )
    assert [(r["code"], r["value"]) for r in order["totals"]] == [
        ("sub_total", "100.0000"),
        ("shipping", "5.0000"),
        ("tax", "22.0500"),
        ("total", "127.0500"),
    ]
    assert order["products"][0]["tax"] == "21.0000"
    assert order["total"] == "127.0500"
    assert contract_errors("order", order) == []


def test_percent_coupon_lowers_the_tax_rows_not_the_product_tax() -> None:
    order = (
        _nl(OrderBuilder(7, WHEN))
        .add_product("Tote", "20.6198", 3, rates=[NL21])
        .add_product("Coffee", "16.9725", 1, rates=[NL9], tax_class_id=10)
        .add_shipping("Flat Shipping Rate", "4.1322", rates=[NL21])
        .apply_coupon("SPRING10", "P", "10")
        .build()
    )
    # products: 61.8594 + 16.9725 = 78.8319; coupon 10% = 7.88319 excl. tax.
    assert _rows(order, "coupon") == [_d("-7.8832")]
    # 21%: (20.6198*0.21*3 = 12.990474) + shipping 0.867762 - 6.18594*0.21 (1.2990474) = 12.559189
    # 9%: 1.527525 - 0.152753 (10% of 16.9725 * 0.09) = 1.3747725
    assert _rows(order, "tax") == [_d("12.5592"), _d("1.3748")]
    assert order["products"][0]["tax"] == "4.3302"  # one unit, before the coupon
    assert order["total"] == "89.0149"  # 78.8319 + 4.1322 - 7.88319 + 12.559189 + 1.3747725


def test_free_shipping_coupon_and_vouchers_and_credit() -> None:
    order = (
        _nl(OrderBuilder(8, WHEN))
        .add_product("Umbrella", "16.4876", rates=[NL21])
        .add_shipping("Flat Shipping Rate", "4.1322", rates=[NL21])
        .apply_coupon("FREESHIP", "F", "0", free_shipping=True)
        .sell_voucher("€25 Gift Certificate", "25.0000")
        .use_credit("5.0000")
        .redeem_voucher("GIFT1234", "100.0000")
        .build()
    )
    assert _rows(order, "coupon") == [_d("-4.1322")]
    assert _rows(order, "tax") == [_d("3.4624")]  # the shipping's tax is gone with it
    assert _rows(order, "sub_total") == [_d("41.4876")]  # vouchers sold join the sub-total
    assert _rows(order, "credit") == [_d("-5.0000")]
    assert _rows(order, "voucher") == [_d("-39.9500")]  # capped at what is left
    assert order["total"] == "0.0000"
    assert order["vouchers"] == [{"description": "€25 Gift Certificate", "amount": "25.0000"}]


def test_fixed_coupon_is_spread_over_the_lines_by_their_share() -> None:
    order = (
        _nl(OrderBuilder(9, WHEN))
        .add_product("A", "30.0000", rates=[NL21])
        .add_product("B", "10.0000", rates=[NL9], tax_class_id=10)
        .apply_coupon("WELCOME5", "F", "4.0000")
        .build()
    )
    assert _rows(order, "tax") == [_d("5.6700"), _d("0.8100")]  # 6.30-0.63, 0.90-0.09


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("shop", [Shop(), Shop(oss=True, opencart_major=3)], ids=["nl", "oss-oc3"])
def test_every_generated_order_adds_up_and_fits_the_contract(seed: int, shop: Shop) -> None:
    generator = OrderGenerator(seed, shop=shop)
    for order in generator.orders(120):
        assert contract_errors("order", order) == [], order["order_id"]
        products = [(_d(p["price"]), p["quantity"], _d(p["total"])) for p in order["products"]]
        for price, quantity, total in products:
            assert price * quantity == total
        vouchers = sum((_d(v["amount"]) for v in order["vouchers"]), Decimal(0))
        assert _rows(order, "sub_total") == [sum((t for *_, t in products), Decimal(0)) + vouchers]
        rows = [r for r in order["totals"] if r["code"] != "total"]
        assert all(
            _d(r["value"]) < 0
            for r in rows
            if r["code"] in ("coupon", "voucher", "reward", "credit")
        )
        total = _d(order["total"])
        assert _rows(order, "total") == [total]
        # Each row was rounded to 4 decimals on its own, like MySQL stores them.
        drift = abs(sum(_d(r["value"]) for r in rows) - total)
        if total > 0:
            assert drift <= ROUNDING * len(rows), order["order_id"]
        # The product's tax is one unit's tax, before coupons, at one of the shop's rates.
        for product in order["products"]:
            price, tax = _d(product["price"]), _d(product["tax"])
            assert any(
                (price * rate / 100).quantize(ROUNDING, ROUND_HALF_UP) == tax
                for rate in KNOWN_RATES
            ), product


def test_generator_is_deterministic_and_varied() -> None:
    first, again = OrderGenerator(11).orders(400), OrderGenerator(11).orders(400)
    assert first == again
    assert first != OrderGenerator(12).orders(400)
    codes = {row["code"] for order in first for row in order["totals"]}
    assert {
        "coupon",
        "shipping",
        "tax",
        "voucher",
        "credit",
        "reward",
        "low_order_fee",
        "handling",
    } <= codes
    countries = {order["payment_address"]["iso_code_2"] for order in first}
    assert {"NL", "BE", "DE", "FR", "AT", "US", "CH", "GB"} <= countries
    assert any(order["customer"]["customer_id"] == 0 for order in first)
    assert any(order["vat_number"] for order in first)
    assert any(order["shipping_address"] is None for order in first)
    dates = [order["date_modified"] for order in first]
    assert len(set(dates)) < len(dates), "some orders must share a second"
    assert {order["payment_method"]["code"] for order in first} >= {"mollie_ideal", "paypal.paypal"}


def test_icp_orders_have_a_valid_vat_number_and_no_tax() -> None:
    icp = [o for o in OrderGenerator(5).orders(400) if o["vat_number"]]
    assert icp
    for order in icp:
        assert vat.is_valid(order["vat_number"])
        assert order["vat_number"][:2].replace("AT", "AT") == order["payment_address"]["iso_code_2"]
        assert order["payment_address"]["company"]
        assert _rows(order, "tax") == []
    assert all(vat.is_valid(number) for _, _, number in ICP_COMPANIES)


def test_oss_shops_charge_the_destination_rate() -> None:
    orders = OrderGenerator(4, shop=Shop(oss=True)).orders(400)
    titles = {r["title"] for o in orders for r in o["totals"] if r["code"] == "tax"}
    assert {"MwSt. 19%", "TVA 20%", "BTW 21%"} <= titles
    german = [
        o for o in orders if o["payment_address"]["iso_code_2"] == "DE" and not o["vat_number"]
    ]
    assert german and all(
        r["title"].startswith("MwSt.") for o in german for r in o["totals"] if r["code"] == "tax"
    )


def test_broken_orders_are_recorded_and_really_broken() -> None:
    generator = OrderGenerator(9, broken=0.3)
    orders = {o["order_id"]: o for o in generator.orders(200)}
    assert set(generator.faults.values()) == {"total_mismatch", "unknown_rate", "non_eur_currency"}
    for order_id, fault in generator.faults.items():
        order = orders[order_id]
        if fault == "non_eur_currency":
            assert order["currency_code"] != "EUR"
        elif fault == "unknown_rate":
            assert any(r["code"] == "tax" and r["tax_rate"] is None for r in order["totals"])
        else:
            rows = sum(_d(r["value"]) for r in order["totals"] if r["code"] != "total")
            assert abs(rows - _d(order["total"])) >= Decimal("0.0095")  # 0.01 minus rounding
    healthy = [o for i, o in orders.items() if i not in generator.faults]
    assert all(o["currency_code"] == "EUR" for o in healthy)


def test_evolve_moves_status_and_date_on() -> None:
    generator = OrderGenerator(3)
    order = next(o for o in generator.orders(50) if o["order_status_id"] == 2)
    later = generator.evolve(order)
    assert later is not None
    assert later["order_status_id"] == 3 and later["date_modified"] > order["date_modified"]
