"""Typed inputs of the AFAS SB writes ocafas makes, and the exact JSON bodies built from them.

The bodies follow the 8.0 request schemas: person/organisation 4.0 and salesjournalentry 3.0.
Amounts are Decimals rounded to cents here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ocafas.money import to_cents


@dataclass(frozen=True)
class NewAddress:
    street: str
    house_number: int | None
    addition: str
    postal_code: str
    city: str
    country_code: str
    state: str = ""

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"StreetName": self.street}
        if self.house_number is not None:
            out["HouseNumber"] = self.house_number
        if self.addition:
            out["HouseNumberAddition"] = self.addition
        if self.postal_code:
            out["PostalZone"] = self.postal_code
        out["CityName"] = self.city
        out["CountryCode"] = self.country_code.upper()
        if self.state:
            out["State"] = self.state
        out["PreferredBillingAddress"] = True
        out["PreferredShippingAddress"] = True
        out["PreferredSupplierAddress"] = False
        return out


def _put(out: dict[str, Any], key: str, value: str | None) -> None:
    if value:
        out[key] = value


@dataclass(frozen=True)
class NewPerson:
    last_name: str
    first_name: str = ""
    prefix: str = ""
    initials: str = ""
    email: str = ""
    phone: str = ""
    external_id: str = ""
    address: NewAddress | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _put(out, "FirstName", self.first_name)
        out["LastName"] = self.last_name
        _put(out, "Initials", self.initials)
        _put(out, "Prefix", self.prefix)
        _put(out, "EmailAddress", self.email)
        _put(out, "PhoneNumber", self.phone)
        _put(out, "ExternalId", self.external_id)
        if self.address:
            out["Addresses"] = [self.address.body()]
        return out


@dataclass(frozen=True)
class NewOrganisation:
    name: str
    vat_number: str = ""
    coc_number: str = ""
    email: str = ""
    phone: str = ""
    external_id: str = ""
    address: NewAddress | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Name": self.name}
        _put(out, "ExternalId", self.external_id)
        _put(out, "CocNumber", self.coc_number)
        _put(out, "VatNumber", self.vat_number)
        _put(out, "EmailAddress", self.email)
        _put(out, "PhoneNumber", self.phone)
        if self.address:
            out["Addresses"] = [self.address.body()]
        return out


@dataclass(frozen=True)
class EntryLine:
    ledger_account_id: str
    amount_excl: Decimal
    vat_type: str  # high | low | zero
    amount_vat: Decimal | None = None
    description: str = ""
    vat_calculation: str | None = None  # reversecharged | exempt
    intra_community_type: str | None = None  # supplies | services
    department_id: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"LedgerAccountId": self.ledger_account_id}
        if self.description:
            out["Description"] = self.description[:255]
        out["AmountExcludingVat"] = to_cents(self.amount_excl)
        if self.amount_vat is not None or self.vat_type in ("high", "low"):
            out["AmountVat"] = to_cents(self.amount_vat or Decimal(0))
        out["VatType"] = self.vat_type
        if self.vat_calculation:
            out["VatCalculation"] = self.vat_calculation
        if self.intra_community_type:
            out["IntraCommunityType"] = self.intra_community_type
        if self.department_id:
            out["DepartmentId"] = self.department_id
        return out


@dataclass(frozen=True)
class SalesEntry:
    administration_id: str
    invoice_number: str
    invoice_date: date
    relation_type: str  # organisation | person | unknown
    relation_id: str
    lines: tuple[EntryLine, ...]
    description: str = ""
    reference: str = ""
    payment_method: str | None = None
    payment_condition_id: str | None = None
    payment_reference: str = ""
    project_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "AdministrationId": self.administration_id,
            "InvoiceNumber": self.invoice_number,
            "InvoiceDate": self.invoice_date.isoformat(),
            "RelationType": self.relation_type,
            "RelationId": self.relation_id,
        }
        if self.description:
            out["Description"] = self.description[:255]
        _put(out, "Reference", self.reference)
        _put(out, "PaymentMethod", self.payment_method)
        _put(out, "PaymentConditionId", self.payment_condition_id)
        _put(out, "PaymentReference", self.payment_reference)
        _put(out, "ProjectId", self.project_id)
        out["InvoiceLine"] = [line.body() for line in self.lines]
        return out
