"""Fixtures for the ledger tests: a fresh ledger per test and small factories for its inputs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ocafas.ledger import BookedEntry, BookedLine, Ledger, OrderRecord


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "ledger.sqlite"


@pytest.fixture
def ledger(ledger_path: Path) -> Iterator[Ledger]:
    opened = Ledger.open(ledger_path)
    yield opened
    opened.close()


@pytest.fixture
def see(ledger: Ledger) -> Callable[..., OrderRecord]:
    """Record an order as seen, with plausible contract data."""

    def _see(order_id: int, target: Ledger | None = None, **overrides: Any) -> OrderRecord:
        fields: dict[str, Any] = {
            "order": {"order_id": order_id, "total": "121.0000", "currency_code": "EUR"},
            "date_added": "2025-04-01T10:20:00+02:00",
            "date_modified": "2025-04-01T10:22:05+02:00",
            "status_id": 5,
            "country": "NL",
            "customer_name": "Jan Jansen",
            "customer_email": "jan@example.nl",
        }
        fields.update(overrides)
        return (target or ledger).record_seen(order_id, **fields)

    return _see


@pytest.fixture
def booked() -> Callable[..., BookedEntry]:
    """A booked entry of 100.00 + 21.00 VAT that adds up, split over two lines."""

    def _booked(invoice: str = "INV-1", sign: int = 1, **overrides: Any) -> BookedEntry:
        lines = (
            BookedLine(
                "8000",
                "high",
                Decimal("21"),
                Decimal("60.00") * sign,
                Decimal("12.60") * sign,
                "NL",
            ),
            BookedLine(
                "8000", "high", Decimal("21"), Decimal("40.00") * sign, Decimal("8.40") * sign, "NL"
            ),
        )
        fields: dict[str, Any] = {
            "relation_id": "b7e0c0de-0000-4000-8000-000000000001",
            "relation_type": "person",
            "invoice_number": invoice,
            "invoice_date": "2025-04-01",
            "amount_excl": Decimal("100.00") * sign,
            "amount_vat": Decimal("21.00") * sign,
            "amount_incl": Decimal("121.00") * sign,
            "lines": lines,
            "afas_entry_id": "afas-" + invoice,
        }
        fields.update(overrides)
        return BookedEntry(**fields)

    return _booked


@pytest.fixture
def new_tracking_id() -> Callable[[], str]:
    return lambda: str(uuid.uuid4())
