"""vat.vies_check against three sandboxes (OpenCart, AFAS SB, VIES): valid, invalid, unavailable."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pipeline_support import Setup
from vies_order_support import REGISTERED, SHOP_VAT, company_order

from ocafas.booking.classify import Regime, classify
from ocafas.ledger import Ledger, OrderState
from ocafas.opencart.models import Order
from ocafas.opencart.parse import parse_order
from ocafas.pipeline import recheck, retry, run_pass
from ocafas.pipeline.result import OPEN, WOULD_BOOK
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID
from ocafas.sandbox.opencart import OpenCartSandbox
from ocafas.sandbox.vies import ViesSandbox

WHEN = datetime(2025, 4, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))


@dataclass
class ViesSetup(Setup):
    vies: ViesSandbox | None = None

    def config_text(self) -> str:
        assert self.vies is not None
        extra = (
            f"  vies_check: true\n  shop_vat_number: {SHOP_VAT}\n  vies_url: {self.vies.base_url}\n"
        )
        return super().config_text().replace("vat:\n", "vat:\n" + extra, 1)


@pytest.fixture
def vsetup(tmp_path: Path) -> Iterator[ViesSetup]:
    with OpenCartSandbox() as shop, AfasSandbox() as afas, ViesSandbox(REGISTERED) as vies:
        yield ViesSetup(shop, afas, tmp_path, vies=vies)


def icp_order(order_id: int, country: str, vat_number: str | None, company: str) -> dict[str, Any]:
    builder = company_order(order_id, country, vat_number, company, WHEN)
    builder.add_product("Suitcase", "99.0000", 2)  # no tax: 0 % to a company abroad
    return builder.build()


def state(setup: Setup, order_id: int) -> OrderState:
    with Ledger.open(setup.ledger_path) as ledger:
        record = ledger.get(order_id)
        assert record is not None
        return record.state


def test_valid_invalid_and_unavailable(vsetup: ViesSetup) -> None:
    vies = vsetup.vies
    assert vies is not None
    vies.set_unavailable("BE")
    vsetup.shop.add_orders(
        [
            icp_order(3001, "DE", "DE136695976", "Müller & Söhne GmbH"),
            icp_order(3002, "DE", "DE 136 695 976", "Müller & Söhne GmbH"),  # same number
            icp_order(3003, "DE", "DE811907980", "Nordlicht Handels-AG"),  # not registered
            icp_order(3004, "BE", "BE0403170701", "Brouwerij De Koninck NV"),  # BE down
        ]
    )
    result = vsetup.run(run_pass)

    outcomes = {o.order_id: o for o in result.outcomes}
    assert outcomes[3001].outcome == outcomes[3002].outcome == "booked"
    assert outcomes[3003].outcome == "error"
    assert outcomes[3003].code == "ICP_VAT_NUMBER_NOT_IN_VIES"
    assert outcomes[3003].hint and "valid VAT number" in outcomes[3003].hint
    assert outcomes[3004].outcome == OPEN
    assert outcomes[3004].message and outcomes[3004].message.startswith("VIES unavailable")
    # each number asked once in the run, the shop's own number as requester
    assert sorted(vies.asked()) == ["BE0403170701", "DE136695976", "DE811907980"]
    assert result.vies_requests == 3
    assert all(r.body and r.body["requesterNumber"] == "004495445B01" for r in vies.requests)
    assert any("VIES did not answer (MS_UNAVAILABLE)" in note for note in result.notes)

    with Ledger.open(vsetup.ledger_path) as ledger:
        for order_id in (3001, 3002):
            record = ledger.get(order_id)
            assert record is not None and record.state is OrderState.PROCESSED
            evidence = ledger.icp_evidence(order_id)
            assert len(evidence) == 1 and evidence[0].valid
            assert evidence[0].vat_number == "DE136695976" and evidence[0].country_code == "DE"
            assert evidence[0].consultation_number
            assert evidence[0].trader_name == "Müller & Söhne GmbH"
            assert evidence[0].checked_at.endswith("+00:00")
        refused = ledger.icp_evidence(3003)
        assert len(refused) == 1 and not refused[0].valid
        assert ledger.get(3003).state is OrderState.ERROR  # type: ignore[union-attr]
        assert ledger.get(3004).state is OrderState.OPEN  # type: ignore[union-attr]
        assert ledger.icp_evidence(3004) == []  # no answer, no evidence
    invoices = sorted(e.invoice_number for e in vsetup.afas.entries(ADMIN_SHOP_ID))
    assert invoices == ["ORD3001", "ORD3002"]

    # VIES for Belgium is back: the next sync asks again, though the shop changed nothing
    vies.set_available("BE")
    again = vsetup.run(run_pass)
    assert [(o.order_id, o.outcome) for o in again.outcomes if o.outcome != "unchanged"] == [
        (3004, "booked")
    ]
    assert state(vsetup, 3004) is OrderState.PROCESSED
    with Ledger.open(vsetup.ledger_path) as ledger:
        assert ledger.icp_evidence(3004)[-1].valid
    # nothing waits any more: an idle run asks neither the shop's orders by id nor VIES
    asked = vies.request_count
    idle = vsetup.run(run_pass)
    assert idle.booked == 0 and idle.opencart_requests == 1
    assert vies.request_count == asked
    assert sorted(e.invoice_number for e in vsetup.afas.entries(ADMIN_SHOP_ID)) == [
        "ORD3001",
        "ORD3002",
        "ORD3004",
    ]


def test_vies_down_never_fails_the_order_and_recheck_books_it(vsetup: ViesSetup) -> None:
    vies = vsetup.vies
    assert vies is not None
    vies.set_unavailable("DE", status=500)  # (bare 5xx and timeouts: tests/vies)
    vsetup.shop.add_order(icp_order(3101, "DE", "DE136695976", "Müller & Söhne GmbH"))
    first = vsetup.run(run_pass)
    assert [o.outcome for o in first.outcomes] == [OPEN]
    assert state(vsetup, 3101) is OrderState.OPEN
    assert vsetup.afas.entries(ADMIN_SHOP_ID) == []
    with Ledger.open(vsetup.ledger_path) as ledger:
        assert ledger.errors() == []
    vies.clear_faults()
    assert vsetup.run(recheck).booked == 1
    assert state(vsetup, 3101) is OrderState.PROCESSED


def test_retry_after_the_customer_number_is_registered(vsetup: ViesSetup) -> None:
    vies = vsetup.vies
    assert vies is not None
    vsetup.shop.add_order(icp_order(3201, "DE", "DE811907980", "Nordlicht Handels-AG"))
    vsetup.run(run_pass)
    assert state(vsetup, 3201) is OrderState.ERROR
    # a dry run asks VIES (a read) but stores nothing
    vies.register("DE811907980", "Nordlicht Handels-AG")
    dry = vsetup.run(retry, dry_run=True)
    assert [o.outcome for o in dry.outcomes] == [WOULD_BOOK]
    with Ledger.open(vsetup.ledger_path) as ledger:
        assert len(ledger.icp_evidence(3201)) == 1
    result = vsetup.run(retry)
    assert result.booked == 1
    with Ledger.open(vsetup.ledger_path) as ledger:
        evidence = ledger.icp_evidence(3201)
        assert [e.valid for e in evidence] == [False, True]


def test_generated_orders_only_icp_ones_ask_vies(vsetup: ViesSetup) -> None:
    vies = vsetup.vies
    assert vies is not None
    generated = vsetup.shop.generate(80)
    settings = vsetup.settings()
    icp: dict[int, str] = {}
    for document in generated:
        order = parse_order(document)
        if not isinstance(order, Order):
            continue
        classification, problems = classify(order, settings.vat)
        if classification is not None and classification.regime is Regime.ICP and not problems:
            assert classification.vat_number is not None
            icp[order.order_id] = classification.vat_number
    assert icp, "the seed should give ICP orders"
    for number in set(icp.values()):
        vies.register(number, "Registered company")
    result = vsetup.run(run_pass)
    # VIES is asked about ICP numbers only (of orders that passed the gate and checks), each once
    asked = vies.asked()
    assert asked and set(asked) <= set(icp.values())
    assert len(asked) == len(set(asked)) == result.vies_requests
    with Ledger.open(vsetup.ledger_path) as ledger:
        for order_id, number in icp.items():
            record = ledger.get(order_id)
            assert record is not None
            evidence = ledger.icp_evidence(order_id)
            if record.state is OrderState.PROCESSED:
                assert evidence and evidence[-1].valid and evidence[-1].vat_number == number
        others = [
            r.order_id
            for r in ledger.orders_in_state(OrderState.PROCESSED)
            if r.order_id not in icp
        ]
        assert others and all(ledger.icp_evidence(order_id) == [] for order_id in others)
