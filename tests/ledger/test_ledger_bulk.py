"""Bulk import of 100,000 processed orders, and month queries that use an index."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ocafas.ledger import (
    ORDERS_IN_STATE_SQL,
    PROCESSED_IN_PERIOD_SQL,
    BookedEntry,
    BookedLine,
    EntrySource,
    ImportedOrder,
    OrderState,
    TransitionError,
)

COUNT = 100_000
START = date(2024, 1, 1)


def _imported(order_id: int) -> ImportedOrder:
    day = START + timedelta(days=order_id * 730 // COUNT)
    cents = Decimal(order_id % 9973) / 100
    vat = (cents * Decimal("0.21")).quantize(Decimal("0.01"))
    return ImportedOrder(
        order_id=order_id,
        date_added=f"{day.isoformat()}T12:00:00+01:00",
        date_modified=f"{day.isoformat()}T12:05:00+01:00",
        status_id=5,
        country="NL",
        customer_email=f"c{order_id}@example.nl",
        booked=BookedEntry(
            relation_id="rel",
            relation_type="person",
            invoice_number=f"INV-{order_id}",
            invoice_date=day,
            amount_excl=cents,
            amount_vat=vat,
            amount_incl=cents + vat,
            lines=(BookedLine("8000", "high", Decimal("21"), cents, vat, "NL"),),
        ),
    )


def test_bulk_import_and_month_query_use_indexes(ledger):
    rows = [_imported(i) for i in range(1, COUNT + 1)]
    assert ledger.import_processed(rows) == COUNT
    assert ledger.counts()[OrderState.PROCESSED] == COUNT

    april = ledger.processed_entries("2024-04-01", "2024-05-01")
    expected = [row for row in rows if str(row.booked.invoice_date).startswith("2024-04-")]
    assert 3000 < len(expected) < 5000
    assert [e.order_id for e in april] == [row.order_id for row in expected]
    assert all(e.source is EntrySource.FOUND and len(e.lines) == 1 for e in april)
    total = sum((e.amount_incl for e in april), Decimal(0))
    assert total == sum((row.booked.amount_incl for row in expected), Decimal(0))

    plan = " | ".join(
        ledger.explain(PROCESSED_IN_PERIOD_SQL, ("default", "booking", "2024-04-01", "2024-05-01"))
    )
    assert "USING INDEX entries_by_invoice_date" in plan, plan
    assert "SCAN entries" not in plan, plan
    plan = " | ".join(
        ledger.explain(ORDERS_IN_STATE_SQL, ("default", "processed", "2024-04-01", "2024-05-01"))
    )
    assert "USING INDEX orders_by_state_date" in plan, plan

    events = ledger.events(COUNT)
    assert [e.event for e in events] == ["imported"]


def test_bulk_import_is_all_or_nothing(ledger, see):
    see(3)
    with pytest.raises(TransitionError, match="nothing was written"):
        ledger.import_processed([_imported(1), _imported(2), _imported(3)])
    assert ledger.get(1) is None and ledger.counts()[OrderState.PROCESSED] == 0
    with pytest.raises(ValueError, match="!= incl"):
        bad = _imported(5)
        ledger.import_processed(
            [
                ImportedOrder(
                    5,
                    bad.date_added,
                    bad.date_modified,
                    BookedEntry(
                        "r",
                        "person",
                        "X",
                        "2024-01-01",
                        Decimal("1.00"),
                        Decimal("0.21"),
                        Decimal("1.20"),
                    ),
                )
            ]
        )
    assert ledger.get(5) is None
