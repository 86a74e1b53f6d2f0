"""One test (or a few) per check, each on an order built with OpenCart's arithmetic."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from typing import Any

import pytest
from booking_ocmath import Cart, Item, order_json
from booking_support import ACCOUNTS, load_settings

from ocafas.booking import checks
from ocafas.booking.attribution import attribute, row_rate
from ocafas.booking.classify import Regime, classify
from ocafas.booking.plan import plan_entry
from ocafas.booking.problems import CODES, BookingRefused, Problem, problem
from ocafas.config import Settings
from ocafas.opencart.models import Order, TotalRow
from ocafas.opencart.parse import parse_order

R21, R9 = D(21), D(9)


def parse(raw: dict[str, Any]) -> Order:
    order = parse_order(raw)
    assert isinstance(order, Order), order
    return order


def simple(**kwargs: Any) -> Order:
    cart = Cart([Item("Suitcase", D("24.9500"), 2, R21)], shipping=D("6.9500"), shipping_rate=R21)
    return parse(order_json(cart, **kwargs))


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_a_valid_order_has_no_problems(settings: Settings) -> None:
    assert checks.check_order(simple(), settings) == []


def test_problem_codes_are_known_and_hinted() -> None:
    with pytest.raises(ValueError):
        Problem("NOT_A_CODE", "x", "y")
    assert problem("TOTAL_MISMATCH", "m").hint == CODES["TOTAL_MISMATCH"]
    assert all(hint for hint in CODES.values())


def test_currency_other_than_default_is_refused() -> None:
    assert codes(checks.check_currency(simple(currency="USD"))) == ["CURRENCY_NOT_DEFAULT"]
    assert codes(checks.check_currency(simple(currency="USD"), "USD")) == ["SHOP_CURRENCY_NOT_EUR"]
    assert checks.check_currency(simple()) == []


def test_no_products_and_no_vouchers() -> None:
    order = dataclasses.replace(simple(), products=())
    assert codes(checks.check_lines(order)) == ["NO_PRODUCTS"]


def test_an_order_of_gift_vouchers_only_is_fine(settings: Settings) -> None:
    order = parse(order_json(Cart([], vouchers_sold=[D(50)])))
    assert checks.check_order(order, settings) == []
    plan = plan_entry(order, settings, ACCOUNTS)
    assert [(line.kind, line.amount_excl) for line in plan.lines] == [("voucher_sold", D("50.00"))]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"quantity": 0}, "QUANTITY_INVALID"),
        ({"quantity": -2}, "QUANTITY_INVALID"),
        ({"price": D("-1")}, "NEGATIVE_AMOUNT"),
        ({"total": D("49.0000")}, "LINE_TOTAL_MISMATCH"),
    ],
)
def test_odd_product_lines(change: dict[str, Any], code: str) -> None:
    order = simple()
    line = dataclasses.replace(order.products[0], **change)
    assert codes(checks.check_lines(dataclasses.replace(order, products=(line,)))) == [code]


def test_unknown_and_wrongly_signed_rows() -> None:
    order = simple()
    extra = TotalRow("klarna_fee", "Klarna", D("1.0000"), 3)
    positive_coupon = TotalRow("coupon", "Coupon (X)", D("1.0000"), 4)
    order = dataclasses.replace(order, totals=(*order.totals, extra, positive_coupon))
    assert codes(checks.check_rows(order)) == ["UNKNOWN_TOTAL_ROW", "NEGATIVE_AMOUNT"]


def test_total_mismatch_beyond_one_cent_per_line() -> None:
    raw = order_json(Cart([Item("Suitcase", D("24.9500"), 2, R21)]))
    order = parse(raw)
    # 3 order lines (product, tax row ... ) -> tolerance 2 cents: product + tax row
    assert checks.tolerance(order) == D("0.02")
    for total, expected in (("60.3790", []), ("60.3990", []), ("60.4100", ["TOTAL_MISMATCH"])):
        raw["total"] = raw["totals"][-1]["value"] = total
        assert codes(checks.check_totals(parse(raw))) == expected, total


def test_total_row_must_match_the_order_total() -> None:
    raw = order_json(Cart([Item("Suitcase", D("24.9500"), 2, R21)]))
    raw["total"] = "61.0000"
    assert codes(checks.check_totals(parse(raw))) == ["TOTAL_MISMATCH"]


def test_subtotal_mismatch() -> None:
    raw = order_json(Cart([Item("Suitcase", D("24.9500"), 2, R21)]))
    raw["totals"][0]["value"] = "40.0000"
    assert "SUBTOTAL_MISMATCH" in codes(checks.check_totals(parse(raw)))


def test_missing_country(settings: Settings) -> None:
    raw = order_json(Cart([Item("Suitcase", D("24.9500"), 2, R21)]))
    raw["payment_address"]["iso_code_2"] = ""
    assert codes(classify(parse(raw), settings.vat)[1]) == ["COUNTRY_MISSING"]


def test_shipping_country_decides_when_basis_is_shipping(settings: Settings) -> None:
    raw = order_json(Cart([Item("Kaffee", D("4.5000"), 1, D(7))], shipping=D(5), country="DE"))
    raw["payment_address"]["iso_code_2"] = "NL"
    order = parse(raw)
    assert classify(order, settings.vat)[0].country == "NL"  # type: ignore[union-attr]
    by_shipping = dataclasses.replace(settings.vat, basis="shipping")
    assert classify(order, by_shipping)[0].country == "DE"  # type: ignore[union-attr]


def test_rate_not_configured_for_the_country(settings: Settings) -> None:
    order = parse(order_json(Cart([Item("Bier", D("10.0000"), 1, R9)], country="DE")))
    found = checks.check_order(order, settings)
    assert codes(found) == ["RATE_NOT_CONFIGURED"]
    assert "vat.rates.DE.'9'" in found[0].hint


def test_zero_vat_to_an_eu_consumer(settings: Settings) -> None:
    order = parse(order_json(Cart([Item("Suitcase", D("24.9500"), 1, None)], country="BE")))
    assert codes(checks.check_order(order, settings)) == ["ZERO_VAT_EU_CONSUMER"]


def icp_order(**kwargs: Any) -> Order:
    cart = Cart([Item("Suitcase", D("24.9500"), 4, None)], country="DE", shipping=D("9.9500"))
    defaults: dict[str, Any] = {"company": "Koffer GmbH", "vat_number": "DE136695976"}
    return parse(order_json(cart, **{**defaults, **kwargs}))


def test_icp_needs_a_valid_foreign_vat_number_and_a_company(settings: Settings) -> None:
    classification, problems = classify(icp_order(), settings.vat)
    assert problems == [] and classification is not None
    assert classification.regime is Regime.ICP
    assert classification.vat_number == "DE136695976"
    assert codes(classify(icp_order(vat_number="DE136695977"), settings.vat)[1]) == [
        "VAT_NUMBER_INVALID"
    ]
    assert codes(classify(icp_order(company=""), settings.vat)[1]) == ["ICP_COMPANY_MISSING"]
    # typed without the country prefix: read with the customer's country
    assert classify(icp_order(vat_number="136695976"), settings.vat)[0].regime is Regime.ICP  # type: ignore[union-attr]


def test_icp_not_configured(settings: Settings) -> None:
    no_icp = dataclasses.replace(settings, vat=dataclasses.replace(settings.vat, icp=None))
    assert codes(classify(icp_order(), no_icp.vat)[1]) == ["ICP_NOT_CONFIGURED"]


def test_a_vat_number_of_the_shops_own_country_is_not_icp(settings: Settings) -> None:
    order = icp_order(vat_number="NL000099998B57")
    classification, _ = classify(order, settings.vat)
    assert classification is not None and classification.regime is Regime.EU_CONSUMER


def test_vat_charged_to_an_eu_company_is_booked_as_charged(settings: Settings) -> None:
    cart = Cart([Item("Suitcase", D("24.9500"), 1, D(19))], country="DE")
    order = parse(order_json(cart, company="Koffer GmbH", vat_number="DE136695976"))
    classification, problems = classify(order, settings.vat)
    assert problems == [] and classification is not None
    assert classification.regime is Regime.EU_CONSUMER


def test_international(settings: Settings) -> None:
    cart = Cart([Item("Suitcase", D("24.9500"), 1, None)], country="US")
    order = parse(order_json(cart))
    classification, problems = classify(order, settings.vat)
    assert problems == [] and classification is not None
    assert classification.regime is Regime.INTERNATIONAL
    taxed = parse(order_json(Cart([Item("Suitcase", D("24.9500"), 1, R21)], country="US")))
    assert codes(classify(taxed, settings.vat)[1]) == ["INTERNATIONAL_WITH_VAT"]
    none = dataclasses.replace(settings.vat, international=None)
    assert codes(classify(order, none)[1]) == ["INTERNATIONAL_NOT_CONFIGURED"]


def test_tax_row_rate_from_ref_from_title_or_refused() -> None:
    row = TotalRow("tax", "BTW hoog", D("1.0000"), 5)
    assert isinstance(row_rate(row), Problem)
    assert row_rate(dataclasses.replace(row, title="MwSt. 7 %")) == D(7)
    assert row_rate(dataclasses.replace(row, title="TVA 5,5%")) == D("5.5")
    assert isinstance(row_rate(dataclasses.replace(row, title="21% + 9%")), Problem)


def test_product_with_a_rate_that_no_tax_row_has() -> None:
    order = simple()
    odd = dataclasses.replace(order.products[0], tax=D("3.0000"))
    result = attribute(dataclasses.replace(order, products=(odd,)), [R21, R9], zero_rated=False)
    assert isinstance(result, list) and codes(result) == ["PRODUCT_RATE_UNKNOWN"]


def test_tax_rows_that_do_not_follow_from_the_order() -> None:
    order = simple()
    rows = tuple(
        dataclasses.replace(r, value=r.value + D(3)) if r.is_tax else r for r in order.totals
    )
    result = attribute(dataclasses.replace(order, totals=rows), [R21], zero_rated=False)
    assert isinstance(result, list) and codes(result) == ["TAX_UNATTRIBUTABLE"]


def test_voucher_accounts_missing() -> None:
    text = (
        (load_settings.__globals__["DATA"] / "golden-config.yaml")
        .read_text()
        .replace("  vouchers_sold_account: 1600\n", "")
        .replace("  vouchers_redeemed_account: 1610\n", "")
    )
    bare = load_settings(text)
    cart = Cart(
        [Item("Suitcase", D("24.9500"), 1, R21)], vouchers_sold=[D(10)], voucher_balance=D(5)
    )
    found = checks.check_special_accounts(parse(order_json(cart)), bare)
    assert codes(found) == ["VOUCHER_ACCOUNT_MISSING", "VOUCHER_ACCOUNT_MISSING"]


def test_unknown_ledger_account_is_a_problem(settings: Settings) -> None:
    accounts = {k: v for k, v in ACCOUNTS.items() if k != "8300"}
    with pytest.raises(BookingRefused) as refused:
        plan_entry(simple(), settings, accounts)
    assert refused.value.codes == ("ACCOUNT_UNKNOWN",)
    assert "8300 (vat.shipping_account)" in refused.value.problems[0].message


def test_shipping_and_fees_fall_back_to_the_rate_account(settings: Settings) -> None:
    vat = dataclasses.replace(settings.vat, shipping_account=None, fees_account=None)
    plan = plan_entry(simple(), dataclasses.replace(settings, vat=vat), ACCOUNTS)
    assert {line.account for line in plan.lines} == {"8000"}
    assert [line.kind for line in plan.lines] == ["product", "shipping"]


def test_entry_header_fields(settings: Settings) -> None:
    plan = plan_entry(simple(invoice_no=0, payment_code="unknown_pay"), settings, ACCOUNTS)
    assert plan.invoice_number == "ORD1001"
    assert plan.description == "1001"  # no invoice number yet: no dangling " - "
    assert plan.payment_method is None
    assert plan.reference == "1001" and plan.payment_reference == "1001"
    assert plan.invoice_date.isoformat() == "2025-04-01"  # the shop's offset, not UTC
    oc4 = plan_entry(simple(payment_code="bank_transfer.bank_transfer"), settings, ACCOUNTS)
    assert oc4.payment_method == "banktransfer"


def test_every_problem_code_is_documented() -> None:
    docs = (load_settings.__globals__["DATA"].parent.parent / "docs" / "booking.md").read_text()
    missing = [code for code in CODES if f"| `{code}` |" not in docs]
    assert missing == []
