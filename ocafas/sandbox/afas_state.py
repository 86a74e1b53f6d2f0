"""What an AFAS SB environment holds and the business rules of its write endpoints.

One lock guards everything; the HTTP layer takes it around a whole write (replay lookup,
processing, storing the answer) so two requests with the same Tracking-Identifier cannot both
book. Messages follow the examples of the official spec; where the spec shows none (unknown
administration, unknown id on DELETE, a quantity missing) the sandbox uses the same style.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from ocafas.request_schemas import normalize_version
from ocafas.sandbox.afas_seed import (
    Address,
    Dimension,
    LedgerAccount,
    Organisation,
    Person,
    SeedData,
    seed_id,
)

DELETE_PREFIX = "Please correct this error in application or delete SalesJournalEntry with id:"


@dataclass
class PostedEntry:
    """A sales journal entry as received: ``raw`` is the exact JSON text, ``body`` parsed exactly.

    ``status`` is "booked" or "broken" (AFAS kept it with errors until someone deletes it).
    """

    id: str
    administration_id: str
    invoice_number: str
    version: str
    status: str
    errors: list[str]
    body: dict[str, Any]
    raw: str
    tracking_identifier: str | None
    sequence: int
    created_at: datetime
    deleted: bool = False

    @property
    def amount_excluding_vat(self) -> Decimal:
        return sum((Decimal(line["AmountExcludingVat"]) for line in self.lines), Decimal("0"))

    @property
    def amount_vat(self) -> Decimal:
        return sum((Decimal(line.get("AmountVat", 0)) for line in self.lines), Decimal("0"))

    @property
    def lines(self) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = self.body["InvoiceLine"]
        return lines


@dataclass
class Outcome:
    """An answer of the API: HTTP status and JSON body (or ``text`` for a non-JSON answer)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None


def trace_id() -> str:
    return str(uuid.uuid4())


def failed(status: int, errors: list[Any]) -> Outcome:
    return Outcome(
        status, {"result": "Failed", "traceId": trace_id(), "instances": [], "errors": errors}
    )


def _address_description(address: Address, countries: dict[str, str]) -> str:
    number = f"{address.house_number or ''}{address.addition}".strip()
    parts = [address.street, number, address.postal_zone.replace(" ", ""), address.city]
    parts.append(countries.get(address.country_code, address.country_code))
    return " ".join(p for p in parts if p)


class AfasState:
    """Seeded data plus everything created through the API since the last reset."""

    def __init__(self, seed: SeedData) -> None:
        self.lock = threading.RLock()
        self.seed = seed.copy()
        self.administrations = {a.id: a for a in self.seed.administrations}
        self.ledger_accounts: dict[str, LedgerAccount] = {
            a.id: a for a in self.seed.ledger_accounts
        }
        self.payment_conditions = {pc[0]: pc for pc in self.seed.payment_conditions}
        self.unknown_relations = {u.id: u for u in self.seed.unknown_relations}
        self.persons: dict[str, Person] = {p.id: p for p in self.seed.persons}
        self.organisations: dict[str, Organisation] = {o.id: o for o in self.seed.organisations}
        self.dimensions: dict[tuple[str, str], Dimension] = {
            (d.kind, d.id): d for d in self.seed.dimensions
        }
        self.countries = dict(self.seed.countries)
        self.entries: list[PostedEntry] = []
        self.replays: dict[str, Outcome] = {}
        #: The spec names no rule for an entry whose lines net to zero; AFAS SB takes it here.
        #: Tests set this to see how ocafas handles an administration that refuses one.
        self.refuse_zero_total = False
        self._counter = 0
        # Indexes over ``entries`` so that a benchmark's 100,000th post costs what the first did.
        self._live_numbers: set[tuple[str, str]] = set()
        self._sequences: Counter[str] = Counter()

    def _next_id(self, kind: str) -> str:
        self._counter += 1
        return seed_id(f"created:{kind}:{self._counter}")

    def _next_relation_number(self) -> str:
        relations: list[Person | Organisation] = [*self.persons.values()]
        relations += self.organisations.values()
        numbers = [int(r.relation_number) for r in relations]
        return f"{max(numbers, default=0) + 1:06d}"

    # -- relations ---------------------------------------------------------------------------

    def _addresses(self, body: dict[str, Any]) -> tuple[list[Address], list[dict[str, str]]]:
        addresses, errors = [], []
        for item in body.get("Addresses", []):
            code = item["CountryCode"]
            if code not in self.countries:
                errors.append(
                    {"Adres": f"'Land' bevat een verwijzing naar een ongeldige waarde ({code})."}
                )
            addresses.append(
                Address(
                    id=self._next_id("address"),
                    street=item["StreetName"],
                    house_number=item.get("HouseNumber"),
                    addition=item.get("HouseNumberAddition", ""),
                    postal_zone=item.get("PostalZone", ""),
                    city=item["CityName"],
                    country_code=code,
                    state=item.get("State", ""),
                    billing=item.get("PreferredBillingAddress", True),
                    shipping=item.get("PreferredShippingAddress", True),
                    supplier=item.get("PreferredSupplierAddress", True),
                )
            )
        return addresses, errors

    def _relation_created(self, relation_id: str, addresses: list[Address]) -> Outcome:
        data = {
            "RelationId": relation_id,
            "Addresses": [
                {"AddressId": a.id, "AddressDescription": _address_description(a, self.countries)}
                for a in addresses
            ],
            "BankAccounts": [],
        }
        return Outcome(200, {"result": "Succeeded", "data": data, "errors": []})

    def create_person(self, body: dict[str, Any]) -> Outcome:
        addresses, errors = self._addresses(body)
        if errors:
            return failed(400, errors)
        person = Person(
            id=self._next_id("person"),
            relation_number=self._next_relation_number(),
            last_name=body["LastName"],
            first_name=body.get("FirstName", ""),
            initials=body.get("Initials", ""),
            prefix=body.get("Prefix", ""),
            email=body.get("EmailAddress"),
            phone=body.get("PhoneNumber"),
            external_id=body.get("ExternalId"),
            addresses=addresses,
        )
        self.persons[person.id] = person
        return self._relation_created(person.id, addresses)

    def create_organisation(self, body: dict[str, Any]) -> Outcome:
        addresses, errors = self._addresses(body)
        if errors:
            return failed(400, errors)
        organisation = Organisation(
            id=self._next_id("organisation"),
            relation_number=self._next_relation_number(),
            name=body["Name"],
            coc_number=body.get("CocNumber"),
            vat_number=body.get("VatNumber"),
            email=body.get("EmailAddress"),
            phone=body.get("PhoneNumber"),
            external_id=body.get("ExternalId"),
            addresses=addresses,
        )
        self.organisations[organisation.id] = organisation
        return self._relation_created(organisation.id, addresses)

    def relation(self, relation_type: str, relation_id: str) -> Person | Organisation | None:
        if relation_type == "person":
            return self.persons.get(relation_id)
        if relation_type == "organisation":
            return self.organisations.get(relation_id)
        return None

    def relation_name(self, entry: PostedEntry) -> str:
        relation_type, relation_id = entry.body["RelationType"], entry.body["RelationId"]
        if relation_type == "unknown":
            unknown = self.unknown_relations.get(relation_id)
            return unknown.name if unknown else ""
        relation = self.relation(relation_type, relation_id)
        return relation.name if relation is not None else ""

    # -- sales journal entries ---------------------------------------------------------------

    def live_entries(self) -> list[PostedEntry]:
        return [e for e in self.entries if not e.deleted]

    def _header_errors(self, body: dict[str, Any], administration_id: str) -> list[str]:
        errors = []
        opening = self.administrations[administration_id].opening_balance_date
        if opening is not None and date.fromisoformat(body["InvoiceDate"]) < opening:
            errors.append("De factuurdatum ligt vóór de beginbalansdatum. Dit is niet toegestaan.")
        relation_type, relation_id = body["RelationType"], body["RelationId"]
        if relation_type == "unknown":
            unknown = self.unknown_relations.get(relation_id)
            valid = unknown is not None and unknown.sales and not unknown.blocked
        else:
            valid = self.relation(relation_type, relation_id) is not None
        if not valid:
            errors.append(f"Field 'Relatie' contains an invalid reference ({relation_id})")
        condition = body.get("PaymentConditionId")
        if condition is not None:
            known = self.payment_conditions.get(condition)
            if known is None or known[1] != administration_id:
                errors.append(
                    f"Field 'Betalingsvoorwaarde' contains an invalid reference ({condition})"
                )
        if "ProjectId" in body and not self._dimension_ok(
            "projects", body["ProjectId"], administration_id
        ):
            errors.append(f"Field 'Project' contains an invalid reference ({body['ProjectId']})")
        return errors

    def _dimension_ok(self, kind: str, dimension_id: str, administration_id: str) -> bool:
        dimension = self.dimensions.get((kind, dimension_id))
        return dimension is not None and dimension.administration_id == administration_id

    def _line_errors(self, lines: list[dict[str, Any]], administration_id: str) -> list[str]:
        errors = []
        for line in lines:
            account_id = line["LedgerAccountId"]
            account = self.ledger_accounts.get(account_id)
            if account is None or account.administration_id != administration_id:
                errors.append(
                    f"Field 'Grootboekrekening' contains an invalid reference ({account_id})"
                )
            else:
                if not account.vat_allowed and line.get("VatType") in ("high", "low"):
                    errors.append(f"Field 'Btw' is not allowed on ledger account {account.number}")
                needed = {"one": (1,), "two": (1, 2)}.get(account.keeps_quantities, ())
                for n in needed:
                    if f"Quantity{n}" not in line or f"Unit{n}" not in line:
                        errors.append(
                            f"Field 'Aantal {n}' is required: ledger account {account.number} "
                            "keeps quantities"
                        )
            for kind, key, label in (
                ("departments", "DepartmentId", "Afdeling"),
                ("locations", "LocationId", "Vestiging"),
            ):
                if key in line and not self._dimension_ok(kind, line[key], administration_id):
                    errors.append(f"Field '{label}' contains an invalid reference ({line[key]})")
        return errors

    def post_entry(
        self, body: dict[str, Any], raw: str, version: str, tracking_identifier: str | None
    ) -> Outcome:
        """Book the entry, keep it broken with AFAS's errors, or refuse it without a trace."""
        failure_status = 400 if normalize_version(version) == "3" else 200
        administration_id = body["AdministrationId"]
        if administration_id not in self.administrations:
            return failed(
                failure_status, [f"Administration with id {administration_id} does not exist"]
            )
        number = body["InvoiceNumber"]
        if (administration_id, number) in self._live_numbers:
            return failed(
                failure_status, [f"SalesJournalEntry with invoicenumber {number} already exists"]
            )
        net = sum(
            (
                Decimal(str(li.get("AmountExcludingVat", 0))) + Decimal(str(li.get("AmountVat", 0)))
                for li in body["InvoiceLine"]
            ),
            Decimal("0"),
        )
        if self.refuse_zero_total and net == 0:
            return failed(failure_status, ["Het totaalbedrag van de boeking mag niet 0 zijn."])
        header = self._header_errors(body, administration_id)
        line = self._line_errors(body["InvoiceLine"], administration_id)
        entry = PostedEntry(
            id=self._next_id("salesjournalentry"),
            administration_id=administration_id,
            invoice_number=number,
            version=version,
            status="broken" if header or line else "booked",
            errors=header + line,
            body=body,
            raw=raw,
            tracking_identifier=tracking_identifier,
            sequence=self._sequences[administration_id] + 1,
            created_at=datetime.now(timezone.utc),
        )
        self.entries.append(entry)
        self._sequences[administration_id] += 1
        self._live_numbers.add((administration_id, number))
        if header:
            lead = f"Entity is made with one or more errors. {DELETE_PREFIX} {entry.id}"
            return failed(failure_status, [lead, *header, *line])
        if line:
            lead = (
                f"Entity is made with one or more errors in the lines. {DELETE_PREFIX} {entry.id}."
            )
            return failed(failure_status, [lead, *line])
        return Outcome(
            200,
            {
                "result": "Succeeded",
                "traceId": trace_id(),
                "data": {"SalesJournalEntryId": entry.id},
                "errors": [],
            },
        )

    def delete_entry(self, body: dict[str, Any]) -> Outcome:
        for entry in self.live_entries():
            if entry.id == body["Id"] and entry.administration_id == body["AdministrationId"]:
                entry.deleted = True
                self._live_numbers.discard((entry.administration_id, entry.invoice_number))
                return Outcome(
                    200,
                    {
                        "result": "Succeeded",
                        "traceId": trace_id(),
                        "data": {"SalesJournalEntryId": entry.id},
                        "errors": [],
                    },
                )
        return failed(400, [f"SalesJournalEntry with id {body['Id']} does not exist"])

    # -- test facilities: what an accountant does in AFAS SB behind ocafas's back ------------

    def _live_by_number(self, invoice_number: str, administration_id: str | None) -> PostedEntry:
        for entry in self.live_entries():
            if entry.invoice_number == invoice_number and (
                administration_id is None or entry.administration_id == administration_id
            ):
                return entry
        raise KeyError(f"no live entry with invoice number {invoice_number}")

    def delete_behind(
        self, invoice_number: str, administration_id: str | None = None
    ) -> PostedEntry:
        """Delete an entry as a user in AFAS SB would (no request, no replay answer changes)."""
        with self.lock:
            entry = self._live_by_number(invoice_number, administration_id)
            entry.deleted = True
            return entry

    def change_amount(
        self,
        invoice_number: str,
        amount_excl: Decimal,
        line: int = 0,
        administration_id: str | None = None,
    ) -> PostedEntry:
        """Change one line's amount excluding VAT in AFAS SB (the views follow the change)."""
        with self.lock:
            entry = self._live_by_number(invoice_number, administration_id)
            lines = [dict(item) for item in entry.lines]
            lines[line]["AmountExcludingVat"] = Decimal(amount_excl)
            entry.body = {**entry.body, "InvoiceLine": lines}
            return entry
