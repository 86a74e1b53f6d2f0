"""The data an AFAS SB sandbox starts with: two administrations and what belongs to them.

Every id is a uuid5 of a readable name, so tests, the demo and the benchmark can refer to a ledger
account or an administration without asking the sandbox first (``ledger_account_id(ADMIN_SHOP_ID,
"8000")``). Where AFAS uses fixed, environment-independent ids (VAT types and rates, ledger
account types) the sandbox uses those.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import date

NAMESPACE = uuid.UUID("5b0f6c1e-2f7a-4c43-9d0b-0cafa5000000")
ENVIRONMENT = "webwinkelfacturen"
#: The app token a sandbox accepts by default (64 characters, like a real one), with all rights.
DEFAULT_APP_TOKEN = (
    uuid.uuid5(NAMESPACE, "apptoken:1").hex + uuid.uuid5(NAMESPACE, "apptoken:2").hex
)


def seed_id(name: str) -> str:
    """The deterministic uuid of a seeded (or sandbox-created) object called ``name``."""
    return str(uuid.uuid5(NAMESPACE, name))


# Ledger account types: AFAS's ids; TypeId of revenue accounts is the one ocafas filters on.
REVENUE_TYPE_ID = "aae9334f-0fa8-43cb-ad52-cff973b4c863"
COST_TYPE_ID = "61fb169c-b210-44db-b02b-b7260efa817c"
ASSET_TYPE_ID = "980eb36a-8bec-45d9-97f6-06dd2c551818"
LIABILITY_TYPE_ID = seed_id("ledgeraccounttype:Passiva")
#: The readable labels of the 8.0 spec's ``Type`` enum (Activa, Kosten, Opbrengsten, Passiva).
TYPE_LABELS = {
    REVENUE_TYPE_ID: "Opbrengsten",
    COST_TYPE_ID: "Kosten",
    ASSET_TYPE_ID: "Activa",
    LIABILITY_TYPE_ID: "Passiva",
}

ADMIN_SHOP_ID = seed_id("administration:Webwinkel Voorbeeld B.V.")
ADMIN_HOLDING_ID = seed_id("administration:Voorbeeld Holding B.V.")
#: An InvoiceDate before this date gives AFAS's "factuurdatum ligt vóór de beginbalansdatum" error.
SHOP_OPENING_BALANCE_DATE = date(2024, 1, 1)

UNKNOWN_DEBTORS_ID = seed_id("unknownrelation:Diverse debiteuren")
UNKNOWN_CREDITORS_ID = seed_id("unknownrelation:Diverse crediteuren")
PERSON_CAS_ID = seed_id("person:Cas de Graaf")
PERSON_TARIK_ID = seed_id("person:Tarik el Erdol")
ORG_ERBI_ID = seed_id("organisation:Erbi Lara B.V.")
ORG_ALSACH_ID = seed_id("organisation:Alsach Musik GmbH")

VAT_TYPE_IDS = {
    "Verlegd": "afa50000-0000-02bb-9338-0a6629f07fce",
    "Vrijgesteld": "afa50000-0000-0d9c-9502-4fc953f3e012",
    "Belast": "afa50000-0000-0b71-8790-807f97e85c54",
    "Geen btw": "afa50000-0000-0a2d-9cec-bd890979929c",
}
VAT_RATE_IDS = {
    "Nul": "afa50000-0000-0b1e-8a4b-309cd658b570",
    "Extra laag": "afa50000-0000-07cf-8b24-5ef474ab1b2a",
    "Speciaal": "afa50000-0000-0246-9965-b18e164c600e",
    "Laag": "afa50000-0000-0465-aa85-e1a761ca3a33",
    "Hoog": "afa50000-0000-0b41-9465-e9f88bcaef86",
}
COUNTRIES = {
    "NL": "Nederland",
    "BE": "België",
    "DE": "Duitsland",
    "FR": "Frankrijk",
    "AT": "Oostenrijk",
    "ES": "Spanje",
    "IT": "Italië",
    "GB": "Verenigd Koninkrijk",
    "US": "Verenigde Staten",
    "CH": "Zwitserland",
}


def ledger_account_id(administration_id: str, number: str) -> str:
    """Id of the seeded ledger account ``number`` (e.g. "8000") of an administration."""
    return seed_id(f"ledgeraccount:{administration_id}:{number}")


def payment_condition_id(administration_id: str, days: int) -> str:
    """Id of the seeded "<days> dagen" payment condition of an administration."""
    return seed_id(f"paymentcondition:{administration_id}:{days}")


def dimension_id(kind: str, administration_id: str, name: str) -> str:
    """Id (InstanceId) of a seeded department, project or location (kind: the endpoint name)."""
    return seed_id(f"{kind}:{administration_id}:{name}")


def country_id(code: str) -> str:
    """Id of a seeded country by its ISO alpha-2 code."""
    return seed_id(f"country:{code}")


@dataclass
class Administration:
    id: str
    description: str
    opening_balance_date: date | None = None


@dataclass
class LedgerAccount:
    administration_id: str
    number: str
    description: str
    type_id: str
    vat_allowed: bool = True
    #: "", "one" or "two": how many quantities lines on this account must carry.
    keeps_quantities: str = ""
    unit1: str = ""
    unit2: str = ""

    @property
    def id(self) -> str:
        return ledger_account_id(self.administration_id, self.number)


@dataclass
class Address:
    id: str
    street: str
    house_number: int | None = None
    addition: str = ""
    postal_zone: str = ""
    city: str = ""
    country_code: str = "NL"
    state: str = ""
    billing: bool = True
    shipping: bool = True
    supplier: bool = True


@dataclass
class Person:
    id: str
    relation_number: str
    last_name: str
    first_name: str = ""
    initials: str = ""
    prefix: str = ""
    email: str | None = None
    phone: str | None = None
    external_id: str | None = None
    archived: bool = False
    addresses: list[Address] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.prefix, self.last_name) if p)


@dataclass
class Organisation:
    id: str
    relation_number: str
    name: str
    coc_number: str | None = None
    vat_number: str | None = None
    email: str | None = None
    phone: str | None = None
    external_id: str | None = None
    archived: bool = False
    addresses: list[Address] = field(default_factory=list)


@dataclass
class UnknownRelation:
    id: str
    name: str
    sales: bool
    purchase: bool
    blocked: bool = False


@dataclass
class Dimension:
    """A department (afdeling), project or location (vestiging) of an administration."""

    kind: str
    administration_id: str
    name: str

    @property
    def id(self) -> str:
        return dimension_id(self.kind, self.administration_id, self.name)


@dataclass
class SeedData:
    administrations: list[Administration]
    ledger_accounts: list[LedgerAccount]
    payment_conditions: list[tuple[str, str, int]]  # (id, administration id, days)
    unknown_relations: list[UnknownRelation]
    persons: list[Person]
    organisations: list[Organisation]
    dimensions: list[Dimension]
    countries: dict[str, str] = field(default_factory=lambda: dict(COUNTRIES))
    #: GET vattype / vatrate (description -> id); drop one to test a mapping AFAS cannot honour.
    vat_types: dict[str, str] = field(default_factory=lambda: dict(VAT_TYPE_IDS))
    vat_rates: dict[str, str] = field(default_factory=lambda: dict(VAT_RATE_IDS))

    def copy(self) -> SeedData:
        return copy.deepcopy(self)


_REVENUE = [
    ("8000", "Omzet hoog tarief", ""),
    ("8010", "Omzet laag tarief", ""),
    ("8020", "Omzet nultarief en vrijgesteld", ""),
    ("8100", "Omzet binnen de EU (ICP)", ""),
    ("8200", "Omzet buiten de EU", ""),
    ("8300", "Omzet OSS afstandsverkopen", ""),
    ("8400", "Omzet verzendkosten", ""),
    ("8500", "Omzet per stuk", "one"),
]
_OTHER = [
    ("1300", "Debiteuren", ASSET_TYPE_ID, False),
    ("1100", "Bank", ASSET_TYPE_ID, False),
    ("1500", "Af te dragen btw hoog", LIABILITY_TYPE_ID, False),
    ("1510", "Af te dragen btw laag", LIABILITY_TYPE_ID, False),
    ("1600", "Crediteuren", LIABILITY_TYPE_ID, False),
    ("4135", "Onderhoud inventaris", COST_TYPE_ID, True),
    ("7000", "Inkoopwaarde omzet", COST_TYPE_ID, True),
]


def _accounts(administration_id: str) -> list[LedgerAccount]:
    accounts = [
        LedgerAccount(
            administration_id,
            number,
            description,
            REVENUE_TYPE_ID,
            keeps_quantities=keeps,
            unit1="stuks" if keeps else "",
        )
        for number, description, keeps in _REVENUE
    ]
    accounts += [
        LedgerAccount(administration_id, number, description, type_id, vat_allowed=vat)
        for number, description, type_id, vat in _OTHER
    ]
    return accounts


def default_seed() -> SeedData:
    """A fresh copy of the standard seed (safe to modify before passing it to a sandbox)."""
    admins = [
        Administration(ADMIN_SHOP_ID, "Webwinkel Voorbeeld B.V.", SHOP_OPENING_BALANCE_DATE),
        Administration(ADMIN_HOLDING_ID, "Voorbeeld Holding B.V.", None),
    ]
    conditions = [
        (payment_condition_id(a.id, days), a.id, days) for a in admins for days in (14, 30, 60)
    ]
    dimensions = [
        Dimension(kind, a.id, name)
        for a in admins
        for kind, names in (
            ("departments", ("Webwinkel", "Directie")),
            ("projects", ("Webwinkel 2025", "Marktplaatsen")),
            ("locations", ("Amersfoort", "Leusden")),
        )
        for name in names
    ]
    persons = [
        Person(
            PERSON_CAS_ID,
            "000101",
            "Graaf",
            first_name="Cas",
            initials="C.",
            prefix="de",
            email="cas.degraaf@example.com",
            addresses=[
                Address(seed_id("address:cas"), "Inspiratielaan", 2, "", "3833 AV", "Leusden")
            ],
        ),
        Person(
            PERSON_TARIK_ID,
            "000102",
            "Erdol",
            first_name="Tarik",
            initials="T.",
            prefix="el",
            email="tarik@example.com",
            external_id="opencart:tarik@example.com",
        ),
    ]
    organisations = [
        Organisation(
            ORG_ERBI_ID,
            "000019",
            "Erbi Lara B.V.",
            coc_number="12345678",
            email="info@erbi.example",
        ),
        Organisation(
            ORG_ALSACH_ID,
            "000037",
            "Alsach Musik GmbH",
            vat_number="DE184475234",
            email="info@alsach.example",
            external_id="opencart:info@alsach.example",
            addresses=[
                Address(seed_id("address:alsach"), "Hauptstraße", 5, "", "10115", "Berlin", "DE")
            ],
        ),
    ]
    return SeedData(
        administrations=admins,
        ledger_accounts=[acc for a in admins for acc in _accounts(a.id)],
        payment_conditions=conditions,
        unknown_relations=[
            UnknownRelation(UNKNOWN_DEBTORS_ID, "Diverse debiteuren", sales=True, purchase=False),
            UnknownRelation(
                UNKNOWN_CREDITORS_ID, "Diverse crediteuren", sales=False, purchase=True
            ),
        ],
        persons=persons,
        organisations=organisations,
        dimensions=dimensions,
    )
