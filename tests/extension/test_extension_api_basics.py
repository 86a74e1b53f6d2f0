"""The catalog endpoint against a real MariaDB: security, errors, ping and reference data."""

from __future__ import annotations

import time

import ext_shop
import pytest
from ext_client import OC_VERSIONS, Shop


def test_extension_ping(shop: Shop, require_schema: None) -> None:
    reply = shop.get({"action": "ping"})
    assert reply.status == 200
    body = reply.json
    assert body["api_version"] == 1
    assert body["extension_version"] == "1.0.0"
    assert body["opencart_version"] == OC_VERSIONS[shop.variant]
    assert body["store_name"] == "Demo shop & more"
    assert body["default_currency"] == "EUR"
    assert body["timezone"] == "Europe/Amsterdam"
    assert body["vat_number_field"] == "custom_field:1"


def test_extension_missing_key_is_401(shop: Shop) -> None:
    reply = shop.get({"action": "ping"}, key=None)
    assert reply.status == 401
    assert reply.json["error"]["code"] == "unauthorized"


def test_extension_wrong_key_is_401_after_a_delay(shop: Shop) -> None:
    started = time.monotonic()
    reply = shop.get({"action": "ping"}, key=ext_shop.API_KEY + "x")
    assert reply.status == 401
    assert reply.json["error"]["code"] == "unauthorized"
    assert time.monotonic() - started >= 0.9
    assert ext_shop.API_KEY not in reply.text


def test_extension_authorization_header_is_not_the_key(shop: Shop) -> None:
    reply = shop.get(
        {"action": "ping"}, key=None, headers={"Authorization": "Bearer " + ext_shop.API_KEY}
    )
    assert reply.status == 401


@pytest.mark.parametrize(
    "setting, value",
    [("module_ocafas_status", "0"), ("module_ocafas_key", ""), ("module_ocafas_key", "weakkey")],
)
def test_extension_disabled_is_403(shop: Shop, setting: str, value: str) -> None:
    original = dict((k, v) for _, k, v, _ in ext_shop.settings_rows(shop.variant))[setting]
    shop.set_setting(setting, value)
    try:
        reply = shop.get({"action": "ping"})
        assert reply.status == 403
        assert reply.json["error"]["code"] == "disabled"
    finally:
        shop.set_setting(setting, original)
    assert shop.get({"action": "ping"}).status == 200


def test_extension_plain_http_refused_unless_allowed(shop: Shop) -> None:
    shop.set_setting("module_ocafas_allow_http", "0")
    try:
        reply = shop.get({"action": "ping"})
        assert reply.status == 403
        assert "HTTPS" in reply.json["error"]["message"]
        # Behind a TLS-terminating proxy OpenCart itself trusts X-Forwarded-Proto.
        assert shop.get({"action": "ping"}, headers={"X-Forwarded-Proto": "https"}).status == 200
    finally:
        shop.set_setting("module_ocafas_allow_http", "1")


def test_extension_only_get(shop: Shop) -> None:
    reply = shop.get({"action": "ping"}, method="POST")
    assert reply.status == 405
    assert reply.json["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    "params, status, code",
    [
        ({}, 400, "bad_request"),
        ({"action": "nope"}, 404, "not_found"),
        ({"action": "orders", "limit": "0"}, 400, "bad_request"),
        ({"action": "orders", "limit": "501"}, 400, "bad_request"),
        ({"action": "orders", "limit": "1.5"}, 400, "bad_request"),
        ({"action": "orders", "modified_after": "2025-13-01T00:00:00+02:00"}, 400, "bad_request"),
        ({"action": "orders", "modified_after": "yesterday"}, 400, "bad_request"),
        ({"action": "orders", "after_id": "5"}, 400, "bad_request"),
        ({"action": "orders", "order_id": "1", "after_id": "5"}, 400, "bad_request"),
        ({"action": "orders", "order_id": "0"}, 400, "bad_request"),
        ({"action": "orders", "order_id": "-1"}, 400, "bad_request"),
    ],
)
def test_extension_bad_requests(shop: Shop, params: dict[str, str], status: int, code: str) -> None:
    reply = shop.get(params)
    assert reply.status == status, reply.text
    assert reply.json["error"]["code"] == code


def test_extension_statuses(shop: Shop) -> None:
    body = shop.get({"action": "statuses"}).json
    assert body["statuses"] == [
        {"order_status_id": 1, "name": "Pending"},
        {"order_status_id": 2, "name": "Processing"},
        {"order_status_id": 3, "name": "Shipped"},
        {"order_status_id": 5, "name": "Complete"},
        {"order_status_id": 7, "name": "Canceled"},
    ]
    assert body["processing"] == [2, 3, 1, 12, 5]
    assert body["complete"] == [5, 3]


def test_extension_statuses_follow_the_admin_language(shop: Shop) -> None:
    key = "config_admin_language" if shop.variant == "oc3" else "config_language_admin"
    shop.set_setting(key, "nl-nl")
    try:
        body = shop.get({"action": "statuses"}).json
        assert {"order_status_id": 5, "name": "Voltooid"} in body["statuses"]
        order = shop.get({"action": "orders", "order_id": "1"}).json["orders"][0]
        assert order["order_status"] == "Voltooid"
    finally:
        shop.set_setting(key, "en-gb")


def test_extension_tax_rates(shop: Shop) -> None:
    rates = shop.get({"action": "tax_rates"}).json["tax_rates"]
    assert rates[0] == {
        "tax_rate_id": 1,
        "name": "BTW 21%",
        "rate": "21.0000",
        "type": "P",
        "geo_zone": "EU VAT Zone",
        "countries": ["BE", "NL"],
    }
    assert rates[2]["geo_zone"] == "Germany & Co"
    assert rates[2]["countries"] == ["DE"]
    assert rates[3]["type"] == "F" and rates[3]["rate"] == "2.5000"
    assert [r["tax_rate_id"] for r in rates] == [1, 2, 3, 4, 5, 6]


def test_extension_payment_methods(shop: Shop) -> None:
    methods = shop.get({"action": "payment_methods"}).json["payment_methods"]
    bank = "Bank Transfer" if shop.variant == "oc3" else "Bank Transfer & iDEAL"
    assert methods == [
        {"code": "bank_transfer", "name": bank},
        {"code": "cod", "name": "Cash On Delivery"},
        # An installed extension whose files are gone still shows, by its code.
        {"code": "gone_payment", "name": "gone_payment"},
    ]


def test_extension_nothing_in_the_error_log(shop: Shop) -> None:
    size = shop.log.stat().st_size if shop.log.exists() else 0
    for action in ("ping", "orders", "statuses", "tax_rates", "payment_methods"):
        assert (
            shop.get(
                {"action": action, "limit": "500"} if action == "orders" else {"action": action}
            ).status
            == 200
        )
    assert (shop.log.stat().st_size if shop.log.exists() else 0) == size
