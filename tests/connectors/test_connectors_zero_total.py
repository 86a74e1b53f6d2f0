"""``booking.zero_total``: a free order (total 0.00, nothing paid) is skipped or booked at 0."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from connectors_support import ConnSetup, invoke

from ocafas.errors import ExitCode
from ocafas.ledger import Ledger, OrderState, SkipReason
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID
from ocafas.sandbox.order_builder import OrderBuilder

WHEN = datetime(2025, 4, 2, 10, 0, tzinfo=timezone.utc)


def _address(street: str) -> dict[str, str]:
    return {
        "country": "Netherlands",
        "iso_code_2": "NL",
        "city": "Utrecht",
        "postcode": "3511 AA",
        "address_1": street,
    }


def _orders(conn: ConnSetup) -> None:
    rate = conn.shop.shop.rates_for("NL", reduced=False)
    free = OrderBuilder(order_id=1, date_added=WHEN)  # a sample, with a 100 % coupon
    free.set_customer("Anna", "de Vries", "anna@example.nl")
    free.set_address(**_address("Stationsstraat 12"))
    free.add_product("Sample", "10.00", rates=rate)
    free.apply_coupon("FREE", "P", "100")
    paid = OrderBuilder(order_id=2, date_added=WHEN)  # paid in full with a gift voucher
    paid.set_customer("Bram", "Jansen", "bram@example.nl")
    paid.set_address(**_address("Kerkstraat 3"))
    paid.add_product("Book", "20.00", rates=rate)
    orders = [free.build()]
    paid_order = paid.build()
    paid.redeem_voucher("GIFT", Decimal(paid_order["total"]))
    orders.append(paid.build())
    assert Decimal(orders[0]["total"]) == 0 and Decimal(orders[1]["total"]) == 0
    conn.shop.add_orders(orders)


def test_zero_total_skip(conn: ConnSetup) -> None:
    conn.booking = {"zero_total": "skip"}
    _orders(conn)
    code, _, err = invoke(conn, "sync")
    assert code == ExitCode.OK, err
    with Ledger.open(conn.ledger_path) as ledger:
        free = ledger.get(1)
        assert free is not None and free.state is OrderState.SKIPPED
        assert free.skip_reason is SkipReason.ZERO_TOTAL
        paid = ledger.get(2)  # revenue all the same: never skipped
        assert paid is not None and paid.state is OrderState.PROCESSED
    assert [e.invoice_number for e in conn.afas.entries(ADMIN_SHOP_ID)] == ["ORD2"]


def test_zero_total_book_is_the_default_and_posts_lines_that_net_to_zero(
    conn: ConnSetup,
) -> None:
    _orders(conn)
    code, _, err = invoke(conn, "sync")
    assert code == ExitCode.OK, err
    entries = {e.invoice_number: e for e in conn.afas.entries(ADMIN_SHOP_ID)}
    assert set(entries) == {"ORD1", "ORD2"}
    free = entries["ORD1"]
    assert free.amount_excluding_vat + free.amount_vat == 0
    assert any(Decimal(str(line["AmountExcludingVat"])) > 0 for line in free.lines)
    with Ledger.open(conn.ledger_path) as ledger:
        record = ledger.get(1)
        assert record is not None and record.state is OrderState.PROCESSED


def test_zero_total_book_refused_by_afas_is_skipped_with_the_reason(conn: ConnSetup) -> None:
    conn.booking = {"zero_total": "book"}
    conn.afas.state.refuse_zero_total = True
    _orders(conn)
    # (the voucher-paid order nets to zero in AFAS SB too; it sold goods, so a refusal of it is
    # an error for a person, not a skip: left out here)
    assert conn.shop.delete_order(2)
    code, _, err = invoke(conn, "sync")
    assert code == ExitCode.OK, err  # nothing for a person to fix: not an error
    assert conn.afas.entries(ADMIN_SHOP_ID) == []
    with Ledger.open(conn.ledger_path) as ledger:
        free = ledger.get(1)
        assert free is not None and free.state is OrderState.SKIPPED
        assert free.skip_reason is SkipReason.ZERO_TOTAL
        assert free.skip_detail and "AFAS SB refused the zero-total entry" in free.skip_detail
        assert "mag niet 0 zijn" in free.skip_detail


def test_zero_total_setting_is_checked(conn: ConnSetup) -> None:
    conn.booking = {"zero_total": "maybe"}
    code, _, err = invoke(conn, "check-config")
    assert code == ExitCode.CONFIG and "booking.zero_total" in err
