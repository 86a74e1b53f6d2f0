"""Golden files: each order in tests/data/orders/<name>.json beside the exact AFAS request.

<name>.expected.json holds the salesjournalentry body (for a fixed relation id and administration)
and the debtor decision, or the problem codes that refuse the order. The test never writes them;
run with OCAFAS_UPDATE_GOLDEN=1 to (re)write them, then review the diff before committing.
"""

from __future__ import annotations

import json
import os
import uuid
from decimal import Decimal
from typing import Any

import pytest
from booking_support import ACCOUNTS, DATA

from ocafas.afas import jsonbody
from ocafas.booking.checks import check_order
from ocafas.booking.debtor_plan import plan_debtor
from ocafas.booking.entry import entry_body
from ocafas.booking.plan import plan_entry
from ocafas.booking.problems import BookingRefused
from ocafas.config import Settings
from ocafas.money import to_cents
from ocafas.opencart.models import Order
from ocafas.opencart.parse import parse_order

ORDERS = DATA / "orders"
RELATION_ID = "11111111-2222-4333-8444-555555555555"
UPDATE = os.environ.get("OCAFAS_UPDATE_GOLDEN") == "1"
NAMES = sorted(p.name[: -len(".json")] for p in ORDERS.glob("*.json") if ".expected" not in p.name)


def pretty(value: Any) -> str:
    """Indented JSON with every Decimal written as its exact number (as the client sends it)."""
    marks: dict[str, str] = {}

    def convert(item: Any) -> Any:
        if isinstance(item, Decimal):
            token = f"__dec_{uuid.uuid4().hex}__"
            marks[f'"{token}"'] = format(item, "f")
            return token
        if isinstance(item, dict):
            return {k: convert(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [convert(v) for v in item]
        return item

    text = json.dumps(convert(value), indent=2, ensure_ascii=False)
    for token, number in marks.items():
        text = text.replace(token, number, 1)
    return text + "\n"


def load_order(name: str) -> Order:
    parsed = parse_order(json.loads((ORDERS / f"{name}.json").read_text(encoding="utf-8")))
    assert isinstance(parsed, Order), parsed
    return parsed


def outcome(order: Order, settings: Settings) -> dict[str, Any]:
    try:
        plan = plan_entry(order, settings, ACCOUNTS)
    except BookingRefused as refused:
        return {"problems": list(refused.codes)}
    result: dict[str, Any] = {}
    try:
        debtor = plan_debtor(order, settings)
    except BookingRefused as refused:
        result["debtor"] = {"problems": list(refused.codes)}
        relation_type, relation_id = "person", RELATION_ID
    else:
        if debtor.kind == "fixed":
            assert debtor.fixed is not None
            relation_type = debtor.fixed.relation_type
            relation_id = debtor.fixed.relation_id or RELATION_ID
            result["debtor"] = {"kind": "fixed"}
        else:
            relation_type, relation_id = debtor.kind, RELATION_ID
            result["debtor"] = {"kind": debtor.kind, "create": debtor.body}
    result["classification"] = plan.classification.regime.value
    result["entry"] = entry_body(
        plan, relation_type, relation_id, settings.afas.administration_id, None
    )
    result["rate_totals"] = [
        {
            "rate": str(t.rate),
            "vat_type": t.vat_type,
            "country": t.country,
            "excl": t.excl,
            "vat": t.vat,
        }
        for t in plan.rate_totals
    ]
    return result


def test_there_are_enough_golden_orders() -> None:
    assert len(NAMES) >= 22


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str, settings: Settings) -> None:
    order = load_order(name)
    actual = pretty(outcome(order, settings))
    expected_path = ORDERS / f"{name}.expected.json"
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    if not expected_path.exists():
        pytest.fail(f"{expected_path} is missing: run with OCAFAS_UPDATE_GOLDEN=1 and review it")
    expected_text = expected_path.read_text(encoding="utf-8")
    # Compare the exact JSON text (amounts as the client writes them), shown as a diff on failure.
    assert actual == pretty(jsonbody.loads(expected_text))


@pytest.mark.parametrize("name", NAMES)
def test_golden_entries_add_up(name: str, settings: Settings) -> None:
    """Independent of the expected files: a booked entry adds up to the order total exactly."""
    order = load_order(name)
    if check_order(order, settings):
        return
    try:
        plan = plan_entry(order, settings, ACCOUNTS)
    except BookingRefused:
        return
    body = entry_body(plan, "person", RELATION_ID, settings.afas.administration_id, None)
    lines = body["InvoiceLine"]
    total = sum(
        (line["AmountExcludingVat"] + line.get("AmountVat", Decimal(0)) for line in lines),
        Decimal(0),
    )
    assert total == to_cents(order.total)
    for line in lines:
        assert line["AmountExcludingVat"] == line["AmountExcludingVat"].quantize(Decimal("0.01"))
        if line["VatType"] in ("high", "low"):
            assert "AmountVat" in line


def test_every_expected_file_has_its_order() -> None:
    for path in ORDERS.glob("*.expected.json"):
        assert (ORDERS / path.name.replace(".expected.json", ".json")).exists(), path
