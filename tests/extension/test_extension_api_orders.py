"""action=orders against a real MariaDB: keyset paging, lookups and the shape of each order."""

from __future__ import annotations

from typing import Any

import ext_shop
import pytest
from ext_client import Shop


def _all_pages(shop: Shop, limit: int) -> tuple[list[int], int]:
    params: dict[str, Any] = {"action": "orders", "limit": str(limit)}
    seen: list[int] = []
    pages = 0
    while True:
        body = shop.get(params).json
        pages += 1
        assert len(body["orders"]) <= limit
        seen.extend(o["order_id"] for o in body["orders"])
        if body["next"] is None:
            return seen, pages
        assert body["orders"], "a page with a next cursor must not be empty"
        last = body["orders"][-1]
        assert body["next"] == {
            "modified_after": last["date_modified"],
            "after_id": last["order_id"],
        }
        params = {"action": "orders", "limit": str(limit), **body["next"]}
        assert pages < 200


@pytest.mark.parametrize("limit", [1, 7, 10, 500])
def test_extension_paging_has_no_gaps_and_no_repeats(shop: Shop, limit: int) -> None:
    seen, pages = _all_pages(shop, limit)
    expected = ext_shop.visible_order_ids()
    assert seen == expected
    assert len(set(seen)) == len(seen)
    # next is null exactly on the last page, so there is no extra empty page.
    assert pages == -(-len(expected) // limit)


def test_extension_paging_inside_one_second(shop: Shop) -> None:
    # Start in the middle of the orders that share BULK_SECOND.
    body = shop.get(
        {
            "action": "orders",
            "modified_after": "2025-05-01T12:00:00+02:00",
            "after_id": "117",
            "limit": "5",
        }
    ).json
    ids = [o["order_id"] for o in body["orders"]]
    expected = [i for i in ext_shop.BULK_IDS if i > 117 and i not in ext_shop.BULK_ABANDONED][:5]
    assert ids == expected
    assert body["next"] == {"modified_after": "2025-05-01T12:00:00+02:00", "after_id": expected[-1]}


def test_extension_modified_after_in_another_offset(shop: Shop) -> None:
    # 10:00:00Z is 12:00:00 in Amsterdam (summer): the same cursor as above.
    a = shop.get(
        {"action": "orders", "modified_after": "2025-05-01T10:00:00Z", "after_id": "117"}
    ).json
    b = shop.get(
        {"action": "orders", "modified_after": "2025-05-01T12:00:00+02:00", "after_id": "117"}
    ).json
    assert a == b
    # An unencoded '+' arrives as a space; it still means +02:00.
    c = shop.get(query="action=orders&modified_after=2025-05-01T12:00:00+02:00&after_id=117")
    assert c.json == b
    # Without after_id the whole second is included.
    d = shop.get({"action": "orders", "modified_after": "2025-05-01T12:00:00+02:00"}).json
    assert d["orders"][0]["order_id"] == 100


def test_extension_last_page_has_no_next(shop: Shop) -> None:
    body = shop.get(
        {"action": "orders", "modified_after": "2025-05-01T12:00:00+02:00", "after_id": "139"}
    ).json
    assert [o["order_id"] for o in body["orders"]] == [200]
    assert body["next"] is None
    body = shop.get({"action": "orders", "modified_after": "2030-01-01T00:00:00+01:00"}).json
    assert body == {"orders": [], "next": None}


def test_extension_status_0_never_returned(shop: Shop) -> None:
    seen, _ = _all_pages(shop, 500)
    assert 2 not in seen
    assert not ext_shop.BULK_ABANDONED & set(seen)
    assert shop.get({"action": "orders", "order_id": "2"}).json == {"orders": [], "next": None}


@pytest.mark.parametrize(
    "query",
    [
        "action=orders&order_id=5&order_id=1&order_id=404",
        "action=orders&order_id=5,1,404",
        "action=orders&order_id[]=1&order_id[]=5",
        "action=orders&order_id=%205%20,1&order_id=1",
    ],
)
def test_extension_order_id_lookups(shop: Shop, query: str) -> None:
    body = shop.get(query=query).json
    # Sorted like the feed (1 was modified before 5); unknown ids are simply absent.
    assert [o["order_id"] for o in body["orders"]] == [1, 5]
    assert body["next"] is None


def _order(shop: Shop, order_id: int) -> dict[str, Any]:
    orders = shop.get({"action": "orders", "order_id": str(order_id)}).json["orders"]
    assert len(orders) == 1
    return dict(orders[0])


def test_extension_plain_order(shop: Shop) -> None:
    order = _order(shop, 1)
    assert order["date_added"] == "2025-04-01T10:20:00+02:00"
    assert order["date_modified"] == "2025-04-01T10:22:05+02:00"
    assert order["order_status_id"] == 5 and order["order_status"] == "Complete"
    assert order["currency_code"] == "EUR" and order["currency_value"] == "1.00000000"
    assert order["invoice_no"] == 0 and order["invoice_prefix"] == "INV-2025-00"
    assert order["customer"] == {
        "customer_id": 42,
        "customer_group_id": 1,
        "firstname": "Sarah",
        "lastname": "de Wit",
        "email": "sarah@test.nl",
        "telephone": "06-23138800",
    }
    assert order["payment_address"] == {
        "firstname": "Sarah",
        "lastname": "de Wit",
        "company": "",
        "address_1": "Stationstraat 12",
        "address_2": "",
        "city": "Amsterdam",
        "postcode": "1000 AA",
        "country": "Netherlands",
        "iso_code_2": "NL",
        "zone": "Noord-Holland",
    }
    assert order["shipping_address"] == order["payment_address"]
    assert order["vat_number"] == "NL123456789B01"
    assert order["products"] == [
        {
            "order_product_id": 1,
            "product_id": 30,
            "name": "Suitcase",
            "model": "M-30",
            "quantity": 1,
            "price": "100.0000",
            "total": "100.0000",
            "tax": "21.0000",
            "tax_class_id": 9,
            "options": [{"name": "Colour", "value": "Red"}],
        }
    ]
    assert order["vouchers"] == []
    assert order["totals"] == [
        {"code": "sub_total", "title": "Sub-Total", "value": "100.0000", "sort_order": 1},
        {"code": "shipping", "title": "Flat Shipping Rate", "value": "5.0000", "sort_order": 3},
        {
            "code": "tax",
            "title": "BTW 21%",
            "value": "22.0500",
            "sort_order": 5,
            "tax_rate": {"tax_rate_id": 1, "rate": "21.0000", "type": "P"},
        },
        {"code": "total", "title": "Total", "value": "127.0500", "sort_order": 9},
    ]
    assert order["total"] == "127.0500"


def test_extension_payment_and_shipping_method(shop: Shop) -> None:
    order = _order(shop, 1)
    # 3.0: payment_method is the name, payment_code the code. 4.0.2+: JSON whose code is
    # "bank_transfer.bank_transfer"; the extension answers the extension's code, the same one
    # action=payment_methods lists and the booking settings map (found in a real 4.0.2.3 shop).
    assert order["payment_method"] == {"code": "bank_transfer", "name": "Bank Transfer"}
    assert order["shipping_method"] == {"code": "flat.flat", "name": "Flat Shipping Rate"}
    cod = _order(shop, 8)["payment_method"]
    assert cod["name"] == "Cash On Delivery"
    assert cod["code"] == "cod"
    listed = {m["code"] for m in shop.get({"action": "payment_methods"}).json["payment_methods"]}
    assert {order["payment_method"]["code"], cod["code"]} <= listed


def test_extension_coupon_order(shop: Shop) -> None:
    totals = _order(shop, 3)["totals"]
    assert [(t["code"], t["value"]) for t in totals] == [
        ("sub_total", "100.0000"),
        ("shipping", "5.0000"),
        ("coupon", "-10.0000"),
        ("tax", "19.9500"),
        ("total", "114.9500"),
    ]
    assert "tax_rate" not in totals[2]


def test_extension_voucher_sale(shop: Shop) -> None:
    order = _order(shop, 4)
    assert order["vouchers"] == [
        {"description": "€25.00 Gift Certificate for Jan", "amount": "25.0000"}
    ]
    assert order["products"] == []
    assert order["shipping_address"] is None
    assert order["shipping_method"] is None


def test_extension_several_tax_rates_and_ties(shop: Shop) -> None:
    order = _order(shop, 5)
    assert [(t["code"], t["title"]) for t in order["totals"]] == [
        ("sub_total", "Sub-Total"),
        ("handling", "Handling"),
        ("shipping", "Flat Shipping Rate"),
        ("tax", "BTW 21%"),
        ("tax", "BTW 9%"),
        ("total", "Total"),
    ]
    taxes = [t for t in order["totals"] if t["code"] == "tax"]
    assert taxes[0]["tax_rate"] == {"tax_rate_id": 1, "rate": "21.0000", "type": "P"}
    assert taxes[1]["tax_rate"] == {"tax_rate_id": 2, "rate": "9.0000", "type": "P"}
    assert [
        (p["product_id"], p["quantity"], p["total"], p["tax"], p["tax_class_id"])
        for p in order["products"]
    ] == [(30, 1, "100.0000", "21.0000", 9), (31, 2, "40.0000", "1.8000", 10)]


def test_extension_ambiguous_or_unknown_tax_title(shop: Shop) -> None:
    taxes = [t for t in _order(shop, 9)["totals"] if t["code"] == "tax"]
    assert [(t["title"], t["tax_rate"]) for t in taxes] == [
        ("Duplicate name", None),
        ("Old rate 6%", None),
    ]


def test_extension_deleted_product_and_winter_time(shop: Shop) -> None:
    order = _order(shop, 6)
    assert order["products"][0]["product_id"] == 99
    assert order["products"][0]["tax_class_id"] is None
    assert order["products"][0]["total"] == "30.0000"
    assert order["date_modified"] == "2025-01-15T08:00:00+01:00"
    assert order["shipping_address"] is None and order["shipping_method"] is None


def test_extension_unicode_and_html_escaped_names(shop: Shop) -> None:
    reply = shop.get({"action": "orders", "order_id": "7"})
    order = reply.json["orders"][0]
    assert order["customer"]["firstname"] == "Zoë 日本"
    assert order["payment_address"]["lastname"] == "Ûrsula-Straße"
    assert order["payment_address"]["company"] == "Café & Co"
    assert order["payment_address"]["city"] == "’s-Hertogenbosch"
    assert order["products"][0]["name"] == "Tom & Jerry “Deluxe” ☕"
    assert order["products"][0]["options"] == [{"name": "Größe", "value": 'XL "wide"'}]
    # Unescaped UTF-8 on the wire, not \u escapes.
    assert "Zoë 日本" in reply.text


def test_extension_vat_number_from_an_address_field(shop: Shop) -> None:
    assert _order(shop, 8)["vat_number"] is None
    shop.set_setting("module_ocafas_vat_field", "payment_custom_field:2")
    try:
        assert _order(shop, 8)["vat_number"] == "BE0123456789"
        assert _order(shop, 1)["vat_number"] is None
        assert shop.get({"action": "ping"}).json["vat_number_field"] == "payment_custom_field:2"
    finally:
        shop.set_setting("module_ocafas_vat_field", "custom_field:1")


def test_extension_no_vat_field_configured(shop: Shop) -> None:
    shop.set_setting("module_ocafas_vat_field", "")
    try:
        assert _order(shop, 1)["vat_number"] is None
        assert shop.get({"action": "ping"}).json["vat_number_field"] is None
    finally:
        shop.set_setting("module_ocafas_vat_field", "custom_field:1")


INJECTIONS = [
    "1' OR '1'='1",
    "1; DROP TABLE oc_order; --",
    "' UNION SELECT `value` FROM oc_setting WHERE `key`='module_ocafas_key' -- ",
    "2025-04-01 10:22:05' OR 1=1 -- ",
    "\\' OR 1=1 #",
    "1)) OR SLEEP(3) -- ",
    "%27%20OR%201%3D1",
]


@pytest.mark.parametrize(
    "param", ["action", "modified_after", "after_id", "limit", "order_id", "route_extra"]
)
def test_extension_sql_injection_has_no_effect(shop: Shop, param: str) -> None:
    before = shop.fingerprint()
    for value in INJECTIONS:
        params = {"action": "orders"}
        if param == "after_id":
            params["modified_after"] = "2025-04-01T00:00:00+02:00"
        params[param] = value
        reply = shop.get(params)
        assert reply.status in (200, 400, 404), reply.text
        if reply.status == 200:
            # Ignored parameter: the normal first page, nothing more.
            assert [o["order_id"] for o in reply.json["orders"]] == ext_shop.visible_order_ids()[
                :100
            ]
        assert ext_shop.API_KEY not in reply.text
    assert shop.fingerprint() == before


def test_extension_sql_injection_in_the_key(shop: Shop) -> None:
    before = shop.fingerprint()
    reply = shop.get({"action": "ping"}, key="' OR '1'='1")
    assert reply.status == 401
    assert shop.fingerprint() == before


def test_extension_database_error_is_500_internal_and_logged(shop: Shop) -> None:
    size = shop.log.stat().st_size if shop.log.exists() else 0
    shop.sql("RENAME TABLE `oc_order_voucher` TO `oc_order_voucher_away`;")
    try:
        reply = shop.get({"action": "orders", "order_id": "1"})
    finally:
        shop.sql("RENAME TABLE `oc_order_voucher_away` TO `oc_order_voucher`;")
    assert reply.status == 500
    assert reply.json["error"]["code"] == "internal"
    assert "oc_order_voucher" not in reply.text
    logged = shop.log.read_text()[size:]
    assert "oc_order_voucher" in logged
    assert ext_shop.API_KEY not in logged
