"""The GET list endpoints of the AFAS sandbox: their version, columns and the rows they show.

Rows carry exactly the fields of the 8.0 response schema and example of each endpoint. Whether a
list is a bare array or wrapped as ``{"TrackingToken", "Result"}`` follows the spec's example for
that endpoint (the schemas all say array; the examples disagree: clients must handle both).
The reconcile views (journalentries, salesinvoices, debtorinvoicebalance) are computed from the
entries posted to this sandbox, so they change when a client books or deletes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ocafas.sandbox.afas_seed import (
    TYPE_LABELS,
    country_id,
    ledger_account_id,
    seed_id,
)
from ocafas.sandbox.afas_state import AfasState, PostedEntry

Row = dict[str, Any]
RELATION_TYPE_IDS = {
    "organisation": "1f0fbbf3-bb59-4ff1-8712-1e7087e09895",
    "person": seed_id("relationtype:person"),
    "unknown": seed_id("relationtype:unknown"),
}
_VAT = {"high": (Decimal(21), "Rubriek1a"), "low": (Decimal(9), "Rubriek1b")}


@dataclass(frozen=True)
class ListEndpoint:
    version: str
    columns: tuple[str, ...]
    wrapped: bool
    rows: Callable[[AfasState], list[Row]]


def _midnight(day: str | date) -> str:
    return f"{day}T00:00:00Z"


def _ledger_accounts(state: AfasState) -> list[Row]:
    units: dict[str, str | None] = {"": None}
    return [
        {
            "Id": a.id,
            "Description": a.description,
            "LedgerAccountNumber": a.number,
            "TypeId": a.type_id,
            "InstanceId": a.id,
            "InvestInAsset": False,
            "VatAllowed": a.vat_allowed,
            "MethodKeepingQuantitiesId": seed_id(f"mkq:{a.keeps_quantities}")
            if a.keeps_quantities
            else None,
            "Unit1Id": units.get(a.unit1, seed_id(f"unit:{a.unit1}")),
            "Unit2Id": units.get(a.unit2, seed_id(f"unit:{a.unit2}")),
            "AdministrationId": a.administration_id,
            "Type": TYPE_LABELS[a.type_id],
            "MethodKeepingQuantities": a.keeps_quantities,
            "Unit1": a.unit1,
            "Unit2": a.unit2,
        }
        for a in state.ledger_accounts.values()
    ]


def _persons(state: AfasState) -> list[Row]:
    return [
        {
            "Id": p.id,
            "Name": p.name,
            "FirstName": p.first_name,
            "Initials": p.initials,
            "Prefix": p.prefix,
            "Lastname": p.last_name,
            "PhoneNumber": p.phone,
            "EmailAddress": p.email,
            "ExternalId": p.external_id,
            "IsArchived": p.archived,
        }
        for p in state.persons.values()
    ]


def _organisations(state: AfasState) -> list[Row]:
    return [
        {
            "Id": o.id,
            "Name": f"{o.name} ({o.relation_number})",
            "CocNumber": o.coc_number,
            "VatNumber": o.vat_number,
            "PhoneNumber": o.phone,
            "EmailAddress": o.email,
            "SbiCode": None,
            "RelationId": o.relation_number,
            "ExternalId": o.external_id,
            "IsArchived": o.archived,
        }
        for o in state.organisations.values()
    ]


def _dimensions(kind: str) -> Callable[[AfasState], list[Row]]:
    def rows(state: AfasState) -> list[Row]:
        return [
            {"AdministrationId": d.administration_id, "InstanceId": d.id, "Omschrijving": d.name}
            for d in state.dimensions.values()
            if d.kind == kind
        ]

    return rows


def _booked(state: AfasState) -> list[PostedEntry]:
    return [e for e in state.live_entries() if e.status == "booked"]


def _journal_line(entry: PostedEntry, index: int, account: str, amount: Decimal) -> Row:
    """One line of the journal entry; a positive ``amount`` is a debit."""
    year = entry.body["InvoiceDate"][:4]
    month = entry.body["InvoiceDate"][:7]
    return {
        "LineId": seed_id(f"journalline:{entry.id}:{index}"),
        "AmountDebit": max(amount, Decimal("0")),
        "AmountCredit": max(-amount, Decimal("0")),
        "AmountTotal": amount,
        "VatPercentage": None,
        "VatSection": None,
        "VatAmount": None,
        "AdministrationId": entry.administration_id,
        "HeaderId": entry.id,
        "Number": str(entry.sequence),
        "PostingDate": _midnight(entry.body["InvoiceDate"]),
        "DocumentDate": _midnight(entry.body["InvoiceDate"]),
        "AccountingPeriodId": seed_id(f"period:{entry.administration_id}:{month}"),
        "AccountingYearId": seed_id(f"year:{entry.administration_id}:{year}"),
        "LedgerAccountId": account,
        "Description": entry.body.get("Description") or f"Verkoopfactuur {entry.invoice_number}",
        "DocumentIdentification": entry.invoice_number,
        "AuditCreatedOnDate": entry.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _journal_entries(state: AfasState) -> list[Row]:
    """Per booked entry: revenue credits, VAT credits and the debtor debit; they balance."""
    rows: list[Row] = []
    for entry in _booked(state):
        admin = entry.administration_id
        lines: list[Row] = []
        for line in entry.lines:
            amount = -Decimal(line["AmountExcludingVat"])
            row = _journal_line(entry, len(lines), line["LedgerAccountId"], amount)
            vat_type, calculation = line.get("VatType"), line.get("VatCalculation")
            percentage, section = _VAT.get(vat_type or "", (Decimal(0), "Rubriek1e"))
            if calculation in ("reversecharged", "exempt", "novat"):
                percentage = Decimal(0)
                section = "Rubriek3b" if line.get("IntraCommunityType") else "Rubriek1e"
            row.update(
                VatPercentage=percentage,
                VatSection=section,
                VatAmount=Decimal(line.get("AmountVat", 0)),
            )
            lines.append(row)
            vat = Decimal(line.get("AmountVat", 0))
            if vat:
                number = "1510" if vat_type == "low" else "1500"
                lines.append(
                    _journal_line(entry, len(lines), ledger_account_id(admin, number), -vat)
                )
        total = entry.amount_excluding_vat + entry.amount_vat
        lines.append(_journal_line(entry, len(lines), ledger_account_id(admin, "1300"), total))
        rows += lines
    return rows


def _due_date(state: AfasState, entry: PostedEntry) -> str:
    condition = state.payment_conditions.get(entry.body.get("PaymentConditionId", ""))
    days = condition[2] if condition else 30
    return _midnight(date.fromisoformat(entry.body["InvoiceDate"]) + timedelta(days=days))


def _relation_number(state: AfasState, entry: PostedEntry) -> str:
    relation = state.relation(entry.body["RelationType"], entry.body["RelationId"])
    return relation.relation_number if relation is not None else ""


def _sales_invoices(state: AfasState) -> list[Row]:
    return [
        {
            "SalesInvoiceId": e.id,
            "InstanceId": seed_id(f"salesinvoice:{e.id}"),
            "AmountExcludingVat": e.amount_excluding_vat,
            "AmountVat": e.amount_vat,
            "AmountInvoiced": e.amount_excluding_vat + e.amount_vat,
            "SalesInvoiceNumber": e.invoice_number,
            "IssueDate": _midnight(e.body["InvoiceDate"]),
            "AdministrationId": e.administration_id,
            "Status": "DONE" if e.status == "booked" else "TODOERROR",
            "Blob": [],
            "RelationTypeId": RELATION_TYPE_IDS[e.body["RelationType"]],
            "RelationId": e.body["RelationId"],
            "RelationNumber": _relation_number(state, e),
            "RelationDescription": state.relation_name(e),
            "RelationType": e.body["RelationType"],
        }
        for e in state.live_entries()
    ]


def _debtor_invoice_balance(state: AfasState) -> list[Row]:
    return [
        {
            "OutstandingAmount": e.amount_excluding_vat + e.amount_vat,
            "TotalAmount": e.amount_excluding_vat + e.amount_vat,
            "PaidAmount": Decimal("0.0"),
            "DueDate": _due_date(state, e),
            "InvoiceId": e.id,
            "AdministrationId": e.administration_id,
            "InvoiceDate": _midnight(e.body["InvoiceDate"]),
            "InvoiceNumber": e.invoice_number,
            "CustomerReference": None,
            "RelationName": state.relation_name(e),
            "RelationId": e.body["RelationId"],
            "RelationTypeId": RELATION_TYPE_IDS[e.body["RelationType"]],
            "LastCompleted": None,
            "InstanceId": seed_id(f"debtorinvoice:{e.id}"),
            "RelationType": e.body["RelationType"],
        }
        for e in _booked(state)
    ]


LIST_ENDPOINTS: dict[str, ListEndpoint] = {}


def _register(
    name: str, version: str, wrapped: bool, columns: str, rows: Callable[[AfasState], list[Row]]
) -> None:
    LIST_ENDPOINTS[name] = ListEndpoint(version, tuple(columns.split()), wrapped, rows)


_register(
    "administrations",
    "1.0",
    False,
    "Id Description InstanceId",
    lambda s: [
        {"Id": a.id, "Description": a.description, "InstanceId": a.id}
        for a in s.administrations.values()
    ],
)
_register(
    "ledgeraccounts",
    "2.0",
    False,
    "Id Description LedgerAccountNumber TypeId InstanceId InvestInAsset VatAllowed "
    "MethodKeepingQuantitiesId Unit1Id Unit2Id AdministrationId Type MethodKeepingQuantities "
    "Unit1 Unit2",
    _ledger_accounts,
)
_register(
    "persons",
    "2.0",
    True,
    "Id Name FirstName Initials Prefix Lastname PhoneNumber EmailAddress ExternalId IsArchived",
    _persons,
)
_register(
    "organisations",
    "2.0",
    True,
    "Id Name CocNumber VatNumber PhoneNumber EmailAddress SbiCode RelationId ExternalId IsArchived",
    _organisations,
)
_register(
    "unknownrelation",
    "1.0",
    True,
    "Id Name SalesRelation PurchaseRelation IsBlocked",
    lambda s: [
        {
            "Id": u.id,
            "Name": u.name,
            "SalesRelation": u.sales,
            "PurchaseRelation": u.purchase,
            "IsBlocked": u.blocked,
        }
        for u in s.unknown_relations.values()
    ],
)
_register(
    "paymentconditions",
    "1.0",
    False,
    "Id AdministrationId Description",
    lambda s: [
        {"Id": pc_id, "AdministrationId": admin, "Description": f"{days} dagen"}
        for pc_id, admin, days in s.payment_conditions.values()
    ],
)
_register(
    "countries",
    "1.0",
    True,
    "Id Description CodeISOAlpha2",
    lambda s: [
        {"Id": country_id(code), "Description": name, "CodeISOAlpha2": code}
        for code, name in s.countries.items()
    ],
)

_register(
    "vattype",
    "1.0",
    False,
    "Id Description",
    lambda s: [{"Id": i, "Description": d} for d, i in s.seed.vat_types.items()],
)
_register(
    "vatrate",
    "1.0",
    False,
    "Id Description",
    lambda s: [{"Id": i, "Description": d} for d, i in s.seed.vat_rates.items()],
)
_DIMENSION_COLUMNS = "AdministrationId InstanceId Omschrijving"
_register("departments", "1.0", False, _DIMENSION_COLUMNS, _dimensions("departments"))
_register("projects", "1.0", True, _DIMENSION_COLUMNS, _dimensions("projects"))
_register("locations", "1.0", False, _DIMENSION_COLUMNS, _dimensions("locations"))
_register(
    "journalentries",
    "1.1",
    False,
    "LineId AmountDebit AmountCredit AmountTotal VatPercentage VatSection VatAmount "
    "AdministrationId HeaderId Number PostingDate DocumentDate AccountingPeriodId "
    "AccountingYearId LedgerAccountId Description DocumentIdentification AuditCreatedOnDate",
    _journal_entries,
)
_register(
    "salesinvoices",
    "1.2",
    True,
    "SalesInvoiceId InstanceId AmountExcludingVat AmountVat AmountInvoiced SalesInvoiceNumber "
    "IssueDate AdministrationId Status Blob RelationTypeId RelationId RelationNumber "
    "RelationDescription RelationType",
    _sales_invoices,
)
_register(
    "debtorinvoicebalance",
    "3.0",
    False,
    "OutstandingAmount TotalAmount PaidAmount DueDate InvoiceId AdministrationId InvoiceDate "
    "InvoiceNumber CustomerReference RelationName RelationId RelationTypeId LastCompleted "
    "InstanceId RelationType",
    _debtor_invoice_balance,
)
