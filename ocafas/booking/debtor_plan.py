"""Who the debtor of an order is, and the AFAS relation to create when none is found.

This is the pure half of debtor resolution: it decides between the payment method's fixed
debtor, an organisation and a person, and builds the relation's body. Looking the relation up
in the ledger cache and AFAS (by ``ExternalId`` / e-mail) is the caller's work.

An OpenCart 4.0.2+ order without a billing address takes company and street from the shipping
address; a person's name then comes from the customer account (the shipping address names the
recipient, who may not be the one who pays).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocafas.afas.address import AddressError, split_address
from ocafas.afas.bodies import NewAddress, NewOrganisation, NewPerson
from ocafas.booking.classify import (
    Regime,
    billing_address,
    billing_from_shipping,
    classify,
    customer_company,
    normalize_vat_number,
)
from ocafas.booking.problems import BookingRefused, problem
from ocafas.config import FixedDebtor, Settings
from ocafas.opencart.models import Address, Order

#: One @, a local part without spaces, brackets or quotes, a dotted domain: what AFAS SB and a
#: mail server accept. Lookups key on the e-mail, so a garbled one must not reach AFAS SB.
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(rf"^[^@\s<>()\[\],;:\"\\]+@{_LABEL}(?:\.{_LABEL})+$")

#: Dutch surname prefixes (tussenvoegsels), longest first so "van der" wins over "van".
PREFIXES = (
    "van de", "van den", "van der", "van het", "van 't", "van ter", "van ten",
    "in de", "in den", "in het", "in 't", "op de", "op den", "op het", "op 't",
    "uit de", "uit den", "uit het", "aan de", "aan den", "aan het", "bij de", "onder de",
    "over de", "voor de", "voor den", "de la", "von der", "von dem", "von",
    "van", "de", "den", "der", "het", "'t", "te", "ten", "ter", "d'", "l'",
)  # fmt: skip
_PREFIX_RE = re.compile(
    r"^(?P<prefix>"
    + "|".join(re.escape(p) for p in sorted(PREFIXES, key=len, reverse=True))
    + r")(?:\s+|(?<=')(?=\S))(?P<rest>\S.*)$"
)


@dataclass(frozen=True)
class DebtorPlan:
    kind: str  # fixed | organisation | person
    email: str  # lowercased; "" for a fixed debtor
    external_id: str  # see external_id_for; "" for a fixed debtor
    fixed: FixedDebtor | None = None
    organisation: NewOrganisation | None = None
    person: NewPerson | None = None

    @property
    def body(self) -> dict[str, object] | None:
        """The POST body to create the relation (None for a fixed debtor)."""
        if self.organisation is not None:
            return self.organisation.body()
        if self.person is not None:
            return self.person.body()
        return None


def split_last_name(last_name: str) -> tuple[str, str]:
    """``("de", "Wit")`` for "de Wit"; a prefix is only split off when written in lower case.

    "De Smet" stays whole: in Belgium (and in a Dutch surname that starts a sentence) the
    capitalised prefix is part of the name.
    """
    text = " ".join(last_name.split())
    match = _PREFIX_RE.match(text)
    if match is None or match.group("prefix") != match.group("prefix").lower():
        return "", text
    return match.group("prefix"), match.group("rest")


def initials(first_name: str) -> str:
    return "".join(f"{part[0].upper()}." for part in re.split(r"[\s-]+", first_name) if part)


def fixed_debtor_for(order: Order, settings: Settings) -> FixedDebtor | None:
    code = order.payment_method.code
    debtors = settings.fixed_debtors
    return debtors.get(code) or debtors.get(code.split(".")[0])


def new_address(address: Address, which: str = "billing") -> NewAddress:
    """The billing address for AFAS; raises BookingRefused rather than guess a house number."""
    country = address.iso_code_2 or ""
    try:
        street = split_address(address.address_1, address.address_2, country)
    except AddressError as err:
        code = "ADDRESS_NO_NUMBER" if err.code == "address.no_number" else "ADDRESS_UNREADABLE"
        raise BookingRefused([problem(code, f"{which} address: {err}")]) from None
    return NewAddress(
        street=street.street,
        house_number=street.house_number,
        addition=street.addition,
        postal_code=address.postcode.strip(),
        city=address.city.strip(),
        country_code=country,
    )


def external_id_for(order: Order, email: str) -> str:
    """The shop key every relation ocafas creates carries, so the accountant can trace it back.

    The e-mail address (lower case) when there is one, as ``opencart:<e-mail>``; else the shop's
    customer account, ``opencart:customer:<id>``; else (a guest without e-mail) the order,
    ``opencart:order:<id>``. AFAS SB relations created by ocafas never lack an ExternalId.
    """
    if email:
        return f"opencart:{email}"
    if order.customer.customer_id > 0:
        return f"opencart:customer:{order.customer.customer_id}"
    return f"opencart:order:{order.order_id}"


def plan_debtor(order: Order, settings: Settings) -> DebtorPlan:
    """The debtor of ``order``: fixed (never for ICP), an organisation or a person."""
    classification, problems = classify(order, settings.vat)
    if problems:
        raise BookingRefused(problems)
    icp = classification is not None and classification.regime is Regime.ICP
    fixed = fixed_debtor_for(order, settings)
    if fixed is not None and not icp:
        return DebtorPlan("fixed", "", "", fixed=fixed)
    email = order.customer.email.strip().lower()
    if email and not _EMAIL.match(email):
        shown = email[:60].encode("unicode_escape").decode("ascii")
        raise BookingRefused([problem("EMAIL_INVALID", f"{shown!r} is not an e-mail address")])
    external_id = external_id_for(order, email)
    billing = billing_address(order)
    if billing is None:
        raise BookingRefused(
            [problem("ADDRESS_MISSING", "the order has neither a billing nor a shipping address")]
        )
    from_shipping = billing_from_shipping(order)
    which = "shipping" if from_shipping else "billing"
    company = customer_company(order)
    customer = order.customer
    phone = customer.telephone.strip()
    vat_number = ""
    if order.vat_number:
        country = (classification.country if classification else None) or "NL"
        vat_number = normalize_vat_number(order.vat_number, country)[0] or ""
    if company or vat_number:
        if from_shipping:
            name = company or customer.full_name or billing.full_name
        else:
            name = company or billing.full_name or customer.full_name
        if not name:
            raise BookingRefused([problem("NAME_MISSING", "the organisation has no name")])
        organisation = NewOrganisation(
            name=name[:255],
            vat_number=vat_number,
            email=email,
            phone=phone,
            external_id=external_id,
            address=new_address(billing, which),
        )
        return DebtorPlan("organisation", email, external_id, organisation=organisation)
    if from_shipping and (customer.firstname.strip() or customer.lastname.strip()):
        first, last = customer.firstname.strip(), customer.lastname.strip()
    else:
        first = (billing.firstname or customer.firstname).strip()
        last = (billing.lastname or customer.lastname).strip()
    if not last and not first:
        raise BookingRefused([problem("NAME_MISSING", "the customer has no name")])
    prefix, last_name = split_last_name(last or first)
    person = NewPerson(
        last_name=last_name,
        first_name=first if last else "",
        prefix=prefix,
        initials=initials(first) if last else "",
        email=email,
        phone=phone,
        external_id=external_id,
        address=new_address(billing, which),
    )
    return DebtorPlan("person", email, external_id, person=person)
