"""Two shops, one AFAS SB administration: refused without distinct prefixes, else each books."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from connectors_support import ConnSetup, invoke

from ocafas.errors import ExitCode
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID
from ocafas.sandbox.opencart import OpenCartSandbox
from ocafas.sandbox.order_builder import OrderBuilder

WHEN = datetime(2025, 4, 2, 10, 0, tzinfo=timezone.utc)


def _order_1001(shop: OpenCartSandbox, email: str) -> None:
    order = OrderBuilder(order_id=1001, date_added=WHEN)
    order.set_customer("Anna", "de Vries", email)
    order.set_address(
        country="Netherlands",
        iso_code_2="NL",
        city="Utrecht",
        postcode="3511 AA",
        address_1="Stationsstraat 12",
    )
    order.add_product("Book", "20.00", rates=shop.shop.rates_for("NL", reduced=False))
    shop.add_order(order.build())


def _two_shops(conn: ConnSetup, other_shop: OpenCartSandbox) -> tuple[ConnSetup, ConnSetup]:
    a = ConnSetup(conn.shop, conn.afas, conn.tmp, name="shopA")
    b = ConnSetup(other_shop, conn.afas, conn.tmp, name="shopB")
    a.shop_yaml = "shop:\n  name: Shop A\n  others: [shopB.yaml]\n"
    b.shop_yaml = "shop:\n  name: Shop B\n  others: [shopA.yaml]\n"
    for setup in (a, b):
        # the default template, so booking.shop_prefix is all a shop needs
        setup.booking = {"invoice_number": '"{shop_prefix}ORD{order_id}"'}
        setup.write_config()
    _order_1001(a.shop, "anna@example.nl")
    _order_1001(b.shop, "bram@example.nl")
    return a, b


def test_two_shops_without_distinct_prefixes_are_refused(conn: ConnSetup) -> None:
    with OpenCartSandbox() as other:
        a, b = _two_shops(conn, other)
        for setup in (a, b):
            code, out, err = invoke(setup, "sync")
            assert code == ExitCode.CONFIG
            assert out == ""
            lines = [line for line in err.splitlines() if line.strip()]
            assert lines[0].startswith("error: shop 'Shop ")
            assert "book into the same AFAS SB administration" in lines[0]
            assert "booking.shop_prefix" in err
            assert len(lines) == 1  # one clear error
        code, _, err = invoke(a, "check-config")
        assert code == ExitCode.CONFIG and "can be the same" in err
        # digits next to {order_id} do not separate shops: A11001 is shop A's order 11001 and
        # shop B's order 1001
        for setup, prefix in ((a, "A"), (b, "A1")):
            setup.booking = {"invoice_number": '"{shop_prefix}{order_id}"', "shop_prefix": prefix}
            setup.write_config()
        code, _, err = invoke(a, "sync")
        assert code == ExitCode.CONFIG and "can be the same" in err
    assert conn.afas.entries(ADMIN_SHOP_ID) == []
    assert not a.ledger_path.exists() and not b.ledger_path.exists()


def test_two_shops_with_prefixes_each_book_their_order_1001_once(conn: ConnSetup) -> None:
    with OpenCartSandbox() as other:
        a, b = _two_shops(conn, other)
        a.booking["shop_prefix"], b.booking["shop_prefix"] = "A-", "B-"
        a.write_config()
        b.write_config()
        for setup in (a, b, a, b):  # twice each: the second runs book nothing
            code, _, err = invoke(setup, "sync")
            assert code == ExitCode.OK, err
    entries = conn.afas.entries(ADMIN_SHOP_ID)
    assert Counter(e.invoice_number for e in entries) == {"A-ORD1001": 1, "B-ORD1001": 1}
    # the payment reference carries the prefix too, so AFAS's bank import can tell them apart
    assert {e.body["PaymentReference"] for e in entries} == {"A-1001", "B-1001"}
    assert {e.body["PaymentMethod"] for e in entries} == {"banktransfer"}


def test_a_missing_other_config_is_one_clear_error(conn: ConnSetup) -> None:
    conn.shop_yaml = "shop:\n  others: [nowhere.yaml]\n"
    code, _, err = invoke(conn, "sync")
    assert code == ExitCode.CONFIG and "nowhere.yaml, does not exist" in err


def test_shop_prefix_needs_its_placeholder(conn: ConnSetup) -> None:
    conn.booking = {"shop_prefix": "A-"}  # with the pipeline config's "ORD{order_id}"
    code, _, err = invoke(conn, "check-config")
    assert code == ExitCode.CONFIG and "must contain {shop_prefix}" in err
