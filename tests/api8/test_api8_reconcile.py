"""``ocafas reconcile`` against the AFAS sandbox: exactly the differences made behind its back."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from api8_support import REFUNDED, Api8Setup

from ocafas.afas.client import AfasClient
from ocafas.errors import ExitCode
from ocafas.pipeline import run_pass
from ocafas.reconcile import number_pattern
from ocafas.sandbox.afas_seed import (
    ADMIN_SHOP_ID,
    DEFAULT_APP_TOKEN,
    UNKNOWN_DEBTORS_ID,
    ledger_account_id,
)

WIDE = ("--from", "2025-01-01", "--to", "2030-12-31")


def _writes(api8: Api8Setup) -> int:
    return sum(
        n
        for key, n in api8.afas.counts().items()
        if key.startswith(("POST", "DELETE")) and key != "POST getaccesstoken"
    )


def test_untouched_sandbox_reconciles_clean(api8: Api8Setup) -> None:
    api8.booking_extra = "  reversals: {enabled: true}"
    booked = api8.bookable_orders(40)
    api8.run(run_pass)
    api8.shop.set_status(booked[0]["order_id"], REFUNDED)  # a credit is reconciled too
    api8.run(run_pass)
    writes = _writes(api8)
    code, output = api8.invoke("reconcile", *WIDE, "--format", "json")
    assert code == ExitCode.OK, output
    document = json.loads(output)
    assert document["sections"][0]["rows"] == []
    assert "no differences" in document["notes"][0]
    assert _writes(api8) == writes  # reads only


def test_deleted_and_changed_entries_are_exactly_the_differences(api8: Api8Setup) -> None:
    api8.bookable_orders(40)
    api8.run(run_pass)
    entries = [e for e in api8.afas.entries() if e.status == "booked"]
    assert len(entries) >= 6
    deleted, changed = entries[1].invoice_number, entries[3].invoice_number
    api8.afas.state.delete_behind(deleted)
    old = Decimal(entries[3].lines[0]["AmountExcludingVat"])
    api8.afas.state.change_amount(changed, old + Decimal("10.00"))
    writes = _writes(api8)

    code, output = api8.invoke("reconcile", *WIDE, "--format", "csv", "--no-bom")
    assert code == ExitCode.ORDERS_FAILED, output
    rows = [r for r in csv.DictReader(io.StringIO(output)) if r["Invoice"] != "Total"]
    assert sorted((r["Invoice"], r["Difference"]) for r in rows) == sorted(
        [(deleted, "missing in AFAS SB (deleted there?)"), (changed, "amount differs")]
    )
    amount = next(r for r in rows if r["Invoice"] == changed)
    assert Decimal(amount["AFAS incl. VAT"]) - Decimal(amount["Ledger incl. VAT"]) == 10
    assert _writes(api8) == writes

    code, output = api8.invoke("reconcile", *WIDE)  # the table names both too
    assert code == ExitCode.ORDERS_FAILED and deleted in output and changed in output


def test_an_entry_under_our_pattern_unknown_to_the_ledger_is_listed(api8: Api8Setup) -> None:
    api8.bookable_orders(10)
    api8.run(run_pass)
    client = AfasClient.connect(api8.afas.base_url, DEFAULT_APP_TOKEN)
    body = {
        "AdministrationId": ADMIN_SHOP_ID,
        "InvoiceNumber": "ORD99999",
        "InvoiceDate": "2025-06-01",
        "RelationType": "unknown",
        "RelationId": UNKNOWN_DEBTORS_ID,
        "InvoiceLine": [
            {
                "LedgerAccountId": ledger_account_id(ADMIN_SHOP_ID, "8020"),
                "AmountExcludingVat": Decimal("12.00"),
                "VatType": "zero",
            }
        ],
    }
    client.post_sales_entry(body, "6f1c3d0e-6c1d-4f6e-9d43-2a8f5e0b7a11")
    client.post_sales_entry(
        {**body, "InvoiceNumber": "HAND-1"}, "6f1c3d0e-6c1d-4f6e-9d43-2a8f5e0b7a12"
    )  # not ocafas's pattern: not ours to judge
    code, output = api8.invoke("reconcile", "--month", "2025-06", "--format", "json")
    assert code == ExitCode.ORDERS_FAILED, output
    rows = json.loads(output)["sections"][0]["rows"]
    assert [(r["invoice_number"], r["order_id"]) for r in rows] == [("ORD99999", 99999)]


def test_default_period_is_last_month_and_bad_periods_are_refused(api8: Api8Setup) -> None:
    api8.bookable_orders(3)
    api8.run(run_pass)
    code, output = api8.invoke("reconcile", "--format", "json")
    assert code == ExitCode.OK, output
    period = json.loads(output)["period"]
    assert period["from"][8:] == "01" and period["from"] < period["to"]
    code, output = api8.invoke("reconcile", "--month", "2025-13")
    assert code == ExitCode.CONFIG


def test_number_pattern() -> None:
    pattern = number_pattern("ORD{order_id}", "ORD{order_id}-C")
    assert pattern.match("ORD12") and pattern.match("ORD12-C")
    assert not pattern.match("ORD12-X") and not pattern.match("XORD1")
    assert not pattern.match("ORD") and not pattern.match("ORDx1")
    prefixed = number_pattern("{invoice_prefix}-{order_id}")
    assert prefixed.match("INV-2025-00-7") and not prefixed.match("INV-2025-00-")
