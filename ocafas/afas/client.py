"""The AFAS SB client ocafas uses: lookups, debtor creation and booking sales journal entries.

Built on :class:`~ocafas.afas.transport.AfasTransport`, which handles tokens, versions and
retries. This module knows the endpoints, the two list shapes and what each answer means.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ocafas.afas import odata
from ocafas.afas.bodies import NewOrganisation, NewPerson
from ocafas.afas.outcomes import PostOutcome, Rejected, business_outcome, rejection
from ocafas.afas.transport import AfasTransport, Reply
from ocafas.errors import AfasError, AfasRejectedError

#: The TypeId of revenue ("Omzet") ledger accounts in AFAS SB.
REVENUE_TYPE_ID = "aae9334f-0fa8-43cb-ad52-cff973b4c863"
#: The readable ``Type`` of a revenue account (8.0 spells it "Opbrengsten"; NOTES.md "Omzet").
REVENUE_TYPE_LABELS = frozenset({"opbrengsten", "omzet"})
#: The list endpoints of AFAS SB's dimensions: rows {AdministrationId, InstanceId, Omschrijving}.
DIMENSION_ENDPOINTS = ("departments", "projects", "locations")
DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True)
class Administration:
    id: str
    description: str


@dataclass(frozen=True)
class LedgerAccount:
    id: str
    number: str
    description: str
    type_id: str | None
    vat_allowed: bool | None
    type_label: str | None = None

    @property
    def is_revenue(self) -> bool:
        if self.type_id:
            return self.type_id.lower() == REVENUE_TYPE_ID
        return (self.type_label or "").lower() in REVENUE_TYPE_LABELS


@dataclass(frozen=True)
class Dimension:
    """A department (afdeling), project or location of an administration; ``id`` is sent."""

    id: str
    name: str
    administration_id: str


@dataclass(frozen=True)
class Relation:
    """A person or organisation found in AFAS SB."""

    id: str
    relation_type: str  # person | organisation | unknown
    name: str
    email: str | None
    vat_number: str | None = None
    external_id: str | None = None
    archived: bool = False


def list_rows(body: Any) -> list[dict[str, Any]]:
    """The rows of a list answer: a bare array, or ``{"TrackingToken", "Result": [...]}``."""
    wrapped = body.get("Result", body.get("result")) if isinstance(body, dict) else None
    rows: list[Any]
    if isinstance(body, list):
        rows = body
    elif isinstance(wrapped, list):
        rows = wrapped
    elif body is None:
        rows = []
    else:
        raise AfasError("AFAS SB sent a list answer in an unknown shape (neither array nor Result)")
    return [row for row in rows if isinstance(row, dict)]


class AfasClient:
    """One AFAS SB customer environment (thread-safe; share one per run)."""

    def __init__(self, transport: AfasTransport, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.transport = transport
        self.page_size = page_size

    @classmethod
    def connect(cls, base_url: str, app_token: str, **options: Any) -> AfasClient:
        return cls(AfasTransport(base_url, app_token, **options))

    # -- lists --------------------------------------------------------------------------------

    def iter_list(
        self,
        endpoint: str,
        filter: str | None = None,
        sort: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield the rows of a list endpoint lazily, page by page (``Skip``/``Take``)."""
        take = page_size or self.page_size
        skip = 0
        while True:
            params: dict[str, str | int] = {"Skip": skip, "Take": take}
            if filter:
                params["Filter"] = filter
            if sort:
                params["Sort"] = sort
            reply = self.transport.request("GET", endpoint, params=params)
            self._raise_for_list(reply, endpoint)
            rows = list_rows(reply.body)
            yield from rows
            if len(rows) < take:
                return
            skip += take

    def _raise_for_list(self, reply: Reply, endpoint: str) -> None:
        if reply.status == 200:
            return
        if reply.status == 404:
            raise AfasError(
                f"AFAS SB has no {endpoint} endpoint at {self.transport.base_url} (HTTP 404)",
                hint="check afas.accountant_domain and afas.customer_environment",
            )
        rej = rejection(reply.status, reply.body)
        raise AfasRejectedError(f"AFAS SB refused GET {endpoint}: {rej.message}")

    def administrations(self) -> list[Administration]:
        return [
            Administration(str(row.get("Id", "")).lower(), str(row.get("Description") or ""))
            for row in self.iter_list("administrations")
        ]

    def ledger_accounts(
        self, administration_id: str, revenue_only: bool = False
    ) -> list[LedgerAccount]:
        accounts = []
        flt = odata.eq("AdministrationId", odata.Guid(administration_id))
        for row in self.iter_list("ledgeraccounts", filter=flt):
            account = LedgerAccount(
                id=str(row.get("Id", "")).lower(),
                number=str(row.get("LedgerAccountNumber") or row.get("Number") or ""),
                description=str(row.get("Description") or ""),
                type_id=str(row["TypeId"]).lower() if row.get("TypeId") else None,
                vat_allowed=row.get("VatAllowed")
                if isinstance(row.get("VatAllowed"), bool)
                else None,
                type_label=str(row["Type"]) if row.get("Type") else None,
            )
            if not revenue_only or account.is_revenue:
                accounts.append(account)
        return accounts

    def dimensions(self, kind: str, administration_id: str) -> list[Dimension]:
        """The departments, projects or locations (``kind``) of one administration."""
        if kind not in DIMENSION_ENDPOINTS:
            raise ValueError(f"no dimension endpoint {kind!r}; one of {DIMENSION_ENDPOINTS}")
        flt = odata.eq("AdministrationId", odata.Guid(administration_id))
        return [
            Dimension(
                str(row.get("InstanceId", "")).lower(),
                str(row.get("Omschrijving") or ""),
                str(row.get("AdministrationId") or administration_id).lower(),
            )
            for row in self.iter_list(kind, filter=flt)
            if row.get("InstanceId")
        ]

    def vat_types(self) -> list[str]:
        """The VAT types AFAS SB knows, by description (Belast, Verlegd, Vrijgesteld, Geen btw)."""
        return [
            str(row["Description"]) for row in self.iter_list("vattype") if row.get("Description")
        ]

    def vat_rates(self) -> list[str]:
        """The VAT rates AFAS SB knows, by description (Hoog, Laag, Nul, ...)."""
        return [
            str(row["Description"]) for row in self.iter_list("vatrate") if row.get("Description")
        ]

    def unknown_relation(self) -> Relation:
        """AFAS's "Various debtors" relation, used for fixed debtors configured as unknown."""
        for row in self.iter_list("unknownrelation"):
            return Relation(
                str(row.get("Id", "")).lower(), "unknown", str(row.get("Name") or ""), None
            )
        raise AfasError("AFAS SB has no unknown relation (Various debtors) in this environment")

    def find_persons(self, email: str) -> list[Relation]:
        flt = odata.eq("EmailAddress", email)
        return [self._relation(row, "person") for row in self.iter_list("persons", filter=flt)]

    def find_organisations(
        self, email: str | None = None, vat_number: str | None = None
    ) -> list[Relation]:
        clauses = []
        if email:
            clauses.append(odata.eq("EmailAddress", email))
        if vat_number:
            clauses.append(odata.eq("VatNumber", vat_number))
        if not clauses:
            raise ValueError("find_organisations needs an e-mail address or a VAT number")
        flt = odata.any_of(*clauses)
        return [
            self._relation(row, "organisation")
            for row in self.iter_list("organisations", filter=flt)
        ]

    @staticmethod
    def _relation(row: dict[str, Any], relation_type: str) -> Relation:
        return Relation(
            id=str(row.get("Id", "")).lower(),
            relation_type=relation_type,
            name=str(row.get("Name") or ""),
            email=row.get("EmailAddress") if isinstance(row.get("EmailAddress"), str) else None,
            vat_number=row.get("VatNumber") if isinstance(row.get("VatNumber"), str) else None,
            external_id=row.get("ExternalId") if isinstance(row.get("ExternalId"), str) else None,
            archived=bool(row.get("IsArchived", False)),
        )

    # -- writes -------------------------------------------------------------------------------

    def create_person(self, person: NewPerson, tracking_id: str) -> str:
        """Create a person; return its RelationId. Never modifies an existing relation."""
        return self._create("person", person.body(), tracking_id)

    def create_organisation(self, organisation: NewOrganisation, tracking_id: str) -> str:
        """Create an organisation; return its RelationId."""
        return self._create("organisation", organisation.body(), tracking_id)

    def _create(self, endpoint: str, body: dict[str, Any], tracking_id: str) -> str:
        reply = self.transport.request("POST", endpoint, body=body, tracking_id=tracking_id)
        data = reply.body if isinstance(reply.body, dict) else {}
        result = str(data.get("result", "")).lower()
        relation = (
            data.get("data", {}).get("RelationId") if isinstance(data.get("data"), dict) else None
        )
        if reply.status == 200 and result == "succeeded" and isinstance(relation, str):
            return relation.lower()
        if "result" in data:
            reasons = "; ".join(str(e) for e in (data.get("errors") or [])) or data["result"]
            raise AfasRejectedError(f"AFAS SB did not create the {endpoint}: {reasons}")
        rej = rejection(reply.status, reply.body)
        raise AfasRejectedError(f"AFAS SB refused the new {endpoint}: {_rejected_text(rej)}")

    def post_sales_entry(
        self, body: dict[str, Any], tracking_id: str, *, text: str | None = None
    ) -> PostOutcome:
        """Book one sales journal entry exactly as ``body`` says (built by ``SalesEntry.body``).

        ``text``: ``body`` as serialised before (the request the ledger recorded as the intent):
        sent byte for byte. A business failure is read from HTTP 200 and HTTP 400 alike (API
        6.0 and 8.0 put it in different places) and told apart from a schema rejection by the
        body's shape.
        """
        invoice = str(body.get("InvoiceNumber", ""))
        reply = self.transport.request(
            "POST", "salesjournalentry", body=body, tracking_id=tracking_id, body_text=text
        )
        if isinstance(reply.body, dict):
            outcome = business_outcome(reply.body, invoice)
            if outcome is not None:
                return outcome
        if reply.status == 200:
            return rejection(200, "AFAS SB answered 200 without a result")
        return rejection(reply.status, reply.body)

    def delete_sales_entry(self, administration_id: str, entry_id: str, tracking_id: str) -> None:
        """Remove an entry AFAS kept with errors, so the invoice number can be booked again."""
        body = {"AdministrationId": administration_id, "Id": entry_id}
        reply = self.transport.request(
            "DELETE", "salesjournalentry", body=body, tracking_id=tracking_id
        )
        data = reply.body if isinstance(reply.body, dict) else {}
        if reply.status == 200 and str(data.get("result", "Succeeded")).lower() == "succeeded":
            return
        if "result" in data:
            reasons = "; ".join(str(e) for e in (data.get("errors") or [])) or data["result"]
            raise AfasRejectedError(f"AFAS SB did not delete entry {entry_id}: {reasons}")
        rej = rejection(reply.status, reply.body)
        raise AfasRejectedError(
            f"AFAS SB refused to delete entry {entry_id}: {_rejected_text(rej)}"
        )


def _rejected_text(rej: Rejected) -> str:
    code = f" [{rej.exception_code}]" if rej.exception_code else ""
    return f"{rej.message}{code}"
