"""200 generated orders through both sandboxes: each processable one booked once, to the cent."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from pipeline_support import Setup

from ocafas.ledger import Ledger, OrderState
from ocafas.money import to_cents
from ocafas.pipeline import run_pass
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID

PROCESSABLE = {2, 3, 5}
FAULT_CODES = {
    "total_mismatch": {"TOTAL_MISMATCH", "SUBTOTAL_MISMATCH"},
    "unknown_rate": {"TAX_ROW_UNKNOWN_RATE", "TAX_UNATTRIBUTABLE"},
    "non_eur_currency": {"CURRENCY_NOT_DEFAULT"},
}


def test_200_orders_each_processable_one_booked_once_to_the_cent(setup: Setup) -> None:
    setup.start_date = "2025-03-29"
    generated = setup.shop.generate(200)
    result = setup.run(run_pass)

    entries = setup.afas.entries(ADMIN_SHOP_ID)
    numbers = Counter(e.invoice_number for e in entries)
    assert numbers and max(numbers.values()) == 1, "an invoice number was booked twice"
    assert all(e.status == "booked" for e in entries)
    by_number = {e.invoice_number: e for e in entries}

    with Ledger.open(setup.ledger_path) as ledger:
        states = {o["order_id"]: ledger.get(o["order_id"]) for o in generated}
        for order in generated:
            record = states[order["order_id"]]
            assert record is not None
            placed = datetime.fromisoformat(order["date_added"]).date()
            if placed < date(2025, 3, 29):
                assert record.state is OrderState.SKIPPED, order["order_id"]
            elif order["order_status_id"] not in PROCESSABLE:
                assert record.state is OrderState.OPEN, order["order_id"]
            else:
                assert record.state in (OrderState.PROCESSED, OrderState.ERROR)
            fault = setup.shop.generator.faults.get(order["order_id"])
            if fault and record.state not in (OrderState.SKIPPED, OrderState.OPEN):
                assert record.state is OrderState.ERROR
                assert record.error is not None and record.error.code in FAULT_CODES[fault]
            if record.state is OrderState.ERROR:
                assert record.error is not None and record.error.code and record.error.hint
            invoice = f"ORD{order['order_id']}"
            if record.state is OrderState.PROCESSED:
                entry = by_number.pop(invoice)
                total = entry.amount_excluding_vat + entry.amount_vat
                assert total == to_cents(Decimal(order["total"])), invoice
                booked = ledger.entry(order["order_id"])
                assert booked is not None and booked.afas_entry_id == entry.id
                assert booked.amount_incl == total
            else:
                assert invoice not in by_number
        assert not by_number, f"AFAS holds entries the ledger does not: {sorted(by_number)}"
        codes = Counter(r.error.code for r in ledger.errors() if r.error)
    print(result.counts, codes)
    assert result.booked >= 100
    assert codes["RATE_NOT_CONFIGURED"] >= 1  # Austria is not configured
    assert result.counts["skipped"] >= 1 and result.counts["open"] >= 1

    again = setup.run(run_pass)
    assert again.booked == 0 and again.counts["error"] == 0
    assert again.opencart_requests == 1
    assert again.afas_requests == 0
    assert len(setup.afas.entries(ADMIN_SHOP_ID)) == len(entries)

    # A booked order that changes in the shop afterwards is only logged, never booked again.
    booked_id = int(entries[0].invoice_number.removeprefix("ORD"))
    setup.shop.set_status(booked_id, 11)
    changed = setup.run(run_pass)
    assert changed.booked == 0 and changed.afas_requests == 0
    assert len(setup.afas.entries(ADMIN_SHOP_ID)) == len(entries)
    with Ledger.open(setup.ledger_path) as ledger:
        assert ledger.get(booked_id).state is OrderState.PROCESSED  # type: ignore[union-attr]
        assert any(e.event == "changed" for e in ledger.events(booked_id))
