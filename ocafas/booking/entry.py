"""The exact AFAS SB salesjournalentry body of a planned entry."""

from __future__ import annotations

from typing import Any

from ocafas.afas.bodies import EntryLine, SalesEntry
from ocafas.booking.plan import EntryPlan, PlannedLine


def entry_line(line: PlannedLine, department_id: str | None = None) -> EntryLine:
    taxed = line.vat_type in ("high", "low")
    return EntryLine(
        ledger_account_id=line.ledger_account_id,
        amount_excl=line.amount_excl,
        vat_type=line.vat_type,
        amount_vat=line.amount_vat if taxed else None,
        description=line.description,
        vat_calculation=line.vat_calculation,
        intra_community_type=line.intra_community_type,
        department_id=department_id,
    )


def sales_entry(
    plan: EntryPlan,
    relation_type: str,
    relation_id: str,
    administration_id: str,
    payment_condition_id: str | None = None,
    *,
    department_id: str | None = None,
    project_id: str | None = None,
) -> SalesEntry:
    return SalesEntry(
        administration_id=administration_id,
        invoice_number=plan.invoice_number,
        invoice_date=plan.invoice_date,
        relation_type=relation_type,
        relation_id=relation_id,
        lines=tuple(entry_line(line, department_id) for line in plan.lines),
        description=plan.description,
        reference=plan.reference,
        payment_method=plan.payment_method,
        payment_condition_id=payment_condition_id,
        payment_reference=plan.payment_reference,
        project_id=project_id,
    )


def entry_body(
    plan: EntryPlan,
    relation_type: str,
    relation_id: str,
    administration_id: str,
    payment_condition_id: str | None = None,
    *,
    department_id: str | None = None,
    project_id: str | None = None,
) -> dict[str, Any]:
    """The request body the AFAS client posts for this plan (amounts Decimal, 2 decimals).

    ``department_id`` (the default cost centre) goes on every line, ``project_id`` on the entry.
    """
    entry = sales_entry(
        plan,
        relation_type,
        relation_id,
        administration_id,
        payment_condition_id,
        department_id=department_id,
        project_id=project_id,
    )
    return entry.body()
