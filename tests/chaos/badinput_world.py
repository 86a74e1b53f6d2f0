"""A shop whose pages carry hostile orders, run once through ``run_pass`` with fast clients."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chaos_config import ENVIRON, config_text

from ocafas.config import parse_settings
from ocafas.ledger import Ledger, OrderRecord
from ocafas.pipeline import run_pass
from ocafas.pipeline.build import afas_factory, opencart_client
from ocafas.pipeline.result import PassResult
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID
from ocafas.sandbox.opencart import OpenCartSandbox

#: Stands for a lone UTF-16 surrogate, which the store cannot hold; the page gets ``\\ud800``.
LONE_SURROGATE = "@@LONE-SURROGATE@@"


class HostileShop(OpenCartSandbox):
    """Pages as a buggy extension might send them: a bare string for an order, an order twice."""

    def __init__(self, strings: set[int], twins: list[tuple[dict[str, Any], dict[str, Any]]]):
        super().__init__()
        self.strings = strings
        self.twins = {first["order_id"]: second for first, second in twins}
        self.add_orders(first for first, _ in twins)

    def respond(
        self, method: str, target: str, key: str | None
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        status, headers, body, fault = super().respond(method, target, key)
        if status != 200 or b'"orders":[' not in body[:20]:
            return status, headers, body, fault
        page = json.loads(body)
        orders: list[Any] = []
        for order in page["orders"]:
            order_id = order.get("order_id")
            orders.append(f"order {order_id}" if order_id in self.strings else order)
            if order_id in self.twins:
                orders.append(self.twins[order_id])
        page["orders"] = orders
        text = json.dumps(page).replace(LONE_SURROGATE, "\\ud800")
        return status, headers, text.encode(), fault


@dataclass
class Outcome:
    ledger_path: Path
    result: PassResult
    afas: Counter[str]

    def ledger_record(self, order_id: int) -> OrderRecord | None:
        with Ledger.open(self.ledger_path) as ledger:
            return ledger.get(order_id)

    def afas_entry(self, order_id: int) -> int | None:
        return self.afas.get(f"ORD{order_id}") or None

    def afas_count(self, order_id: int) -> int:
        return self.afas.get(f"ORD{order_id}", 0)


def run_shop(
    tmp: Path,
    orders: list[dict[str, Any]],
    *,
    strings: set[int] = frozenset(),  # type: ignore[assignment]
    twins: list[tuple[dict[str, Any], dict[str, Any]]] = (),  # type: ignore[assignment]
    concurrency: int = 2,
) -> Outcome:
    shop = HostileShop(set(strings), list(twins))
    shop.add_orders(orders)
    ledger_path = tmp / "ledger.sqlite3"
    with shop, AfasSandbox() as afas:
        text = config_text(shop.url, afas.base_url, ledger_path, batch_size=100,
                           concurrency=concurrency)  # fmt: skip
        settings = parse_settings(text, source=tmp / "ocafas.yaml", environ=ENVIRON)[0]
        client = opencart_client(settings, backoff=0)
        with Ledger.open(ledger_path) as ledger:
            factory = afas_factory(settings, backoff=0, max_backoff=0)
            result = run_pass(settings, client, factory, ledger)
        booked = Counter(e.invoice_number for e in afas.entries(ADMIN_SHOP_ID))
    return Outcome(ledger_path, result, booked)
