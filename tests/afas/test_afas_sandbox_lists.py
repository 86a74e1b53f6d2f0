"""Relations (create and find) and the list endpoints: shapes, filters, sorting and paging."""

from __future__ import annotations

import pytest

from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import (
    ADMIN_HOLDING_ID,
    ADMIN_SHOP_ID,
    ORG_ALSACH_ID,
    PERSON_CAS_ID,
    PERSON_TARIK_ID,
    REVENUE_TYPE_ID,
    UNKNOWN_DEBTORS_ID,
    ledger_account_id,
)

WRAPPED = {"persons", "organisations", "unknownrelation", "countries", "projects", "salesinvoices"}


def _person(**fields):
    body = {"FirstName": "Anna", "LastName": "Dijk", "EmailAddress": "anna@example.com"}
    body.update(fields)
    return body


def test_create_person_answers_relation_id_and_addresses(afas) -> None:
    body = _person(
        Prefix="van",
        ExternalId="opencart:anna@example.com",
        Addresses=[
            {
                "StreetName": "Stationstraat",
                "HouseNumber": 12,
                "HouseNumberAddition": "a",
                "PostalZone": "3811 MH",
                "CityName": "Amersfoort",
                "CountryCode": "NL",
                "PreferredBillingAddress": True,
            }
        ],
    )
    response = afas.send("POST", "person", body, "4.0")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["result"] == "Succeeded" and data["errors"] == []
    relation_id = data["data"]["RelationId"]
    [address] = data["data"]["Addresses"]
    assert address["AddressDescription"] == "Stationstraat 12a 3811MH Amersfoort Nederland"
    found = afas.rows("persons", Filter="ExternalId eq 'opencart:anna@example.com'")
    assert [(p["Id"], p["Name"], p["Lastname"]) for p in found] == [
        (relation_id, "Anna van Dijk", "Dijk")
    ]
    created = afas.sandbox.persons()[-1]
    assert created.external_id == "opencart:anna@example.com"
    assert created.addresses[0].house_number == 12


def test_created_person_can_be_booked_on(afas, entry) -> None:
    relation_id = afas.send("POST", "person", _person(), "4.0").json()["data"]["RelationId"]
    assert afas.post_entry(entry(RelationId=relation_id)).status_code == 200


def test_create_organisation_and_find_it_by_vat_number(afas, entry) -> None:
    body = {
        "Name": "Voorbeeld B.V.",
        "VatNumber": "NL001234567B01",
        "CocNumber": "12345678",
        "ExternalId": "opencart:info@voorbeeld.example",
        "Addresses": [{"StreetName": "Hoofdweg", "CityName": "Leusden", "CountryCode": "NL"}],
    }
    response = afas.send("POST", "organisation", body, "4.0")
    assert response.status_code == 200, response.text
    relation_id = response.json()["data"]["RelationId"]
    [row] = afas.rows("organisations", Filter="VatNumber eq 'NL001234567B01'")
    assert row["Id"] == relation_id
    assert row["ExternalId"] == "opencart:info@voorbeeld.example"
    assert row["Name"] == f"Voorbeeld B.V. ({row['RelationId']})"  # AFAS shows the number
    assert afas.post_entry(entry(RelationType="organisation", RelationId=relation_id)).ok


@pytest.mark.parametrize(
    ("endpoint", "body", "expected"),
    [
        ("person", {"FirstName": "No last name"}, "'LastName' is a required property"),
        ("person", _person(EmailAddress="not-an-email"), "'email'"),
        ("person", _person(BankAccounts=[]), "Additional properties"),
        (
            "person",
            _person(
                Addresses=[
                    {"StreetName": "X", "CityName": "Y", "CountryCode": "NL", "HouseNumber": "12"}
                ]
            ),
            "is not of type 'integer'",
        ),
        ("person", _person(Addresses=[{"StreetName": "X", "CountryCode": "NL"}]), "CityName"),
        ("organisation", {"Name": ""}, "Name"),
        ("organisation", {"Name": "X", "VatNumber": "nl 123"}, "does not match"),
    ],
)
def test_relation_schema_violations(afas, endpoint, body, expected) -> None:
    before = len(afas.sandbox.persons()) + len(afas.sandbox.organisations())
    response = afas.send("POST", endpoint, body, "4.0")
    assert response.status_code == 400
    assert response.json()["ExceptionCode"] == "DS3100"
    assert expected in response.json()["Message"]
    assert len(afas.sandbox.persons()) + len(afas.sandbox.organisations()) == before


def test_unknown_country_code_fails_the_relation(afas) -> None:
    address = {"StreetName": "X", "CityName": "Y", "CountryCode": "ZZ"}
    response = afas.send("POST", "person", _person(Addresses=[address]), "4.0")
    assert response.status_code == 400
    assert response.json()["result"] == "Failed"
    assert "ZZ" in str(response.json()["errors"])


def test_list_shapes_follow_the_spec_examples(afas, list_versions) -> None:
    for endpoint in list_versions:
        response = afas.get(endpoint)
        assert response.status_code == 200, (endpoint, response.text)
        data = response.json()
        if endpoint in WRAPPED:
            assert set(data) == {"TrackingToken", "Result"}, endpoint
            assert len(data["TrackingToken"]) == 15
        else:
            assert isinstance(data, list), endpoint


def test_revenue_ledger_accounts_of_an_administration(afas) -> None:
    rows = afas.rows(
        "ledgeraccounts",
        Filter=f"AdministrationId eq {ADMIN_SHOP_ID} and TypeId eq {REVENUE_TYPE_ID}",
        Sort="LedgerAccountNumber Ascending",
    )
    numbers = [r["LedgerAccountNumber"] for r in rows]
    assert numbers == ["8000", "8010", "8020", "8100", "8200", "8300", "8400", "8500"]
    assert all(r["Type"] == "Opbrengsten" and r["VatAllowed"] for r in rows)
    assert rows[0]["Id"] == ledger_account_id(ADMIN_SHOP_ID, "8000")
    assert rows[-1]["MethodKeepingQuantities"] == "one" and rows[-1]["Unit1"] == "stuks"
    assert {r["Type"] for r in afas.rows("ledgeraccounts")} == {
        "Activa",
        "Kosten",
        "Opbrengsten",
        "Passiva",
    }


def test_filter_with_an_escaped_quote(afas) -> None:
    email = "o'neill@example.com"
    afas.send("POST", "person", _person(LastName="O'Neill", EmailAddress=email), "4.0")
    rows = afas.rows("persons", Filter="EmailAddress eq 'o''neill@example.com'")
    assert [r["Lastname"] for r in rows] == ["O'Neill"]
    assert afas.rows("persons", filter="Lastname eq 'O''NEILL'")[0]["EmailAddress"] == email
    assert afas.rows("persons", FILTER="EmailAddress eq 'o''neill'") == []


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"Id eq {PERSON_CAS_ID}", {PERSON_CAS_ID}),
        (f"Id ne {PERSON_CAS_ID}", {PERSON_TARIK_ID}),
        ("ExternalId eq null", {PERSON_CAS_ID}),
        ("ExternalId ne null and IsArchived eq false", {PERSON_TARIK_ID}),
        ("not (Prefix eq 'de') or Lastname eq 'Graaf'", {PERSON_CAS_ID, PERSON_TARIK_ID}),
        ("(Lastname eq 'Graaf' or Lastname eq 'Erdol') and FirstName eq 'Cas'", {PERSON_CAS_ID}),
        ("Lastname gt 'F' and Lastname lt 'H'", {PERSON_CAS_ID}),
        ("contains(EmailAddress,'tarik')", {PERSON_TARIK_ID}),
        ("startswith(Name, 'cas ')", {PERSON_CAS_ID}),
        ("IsArchived eq true", set()),
    ],
)
def test_filter_operators(afas, expression, expected) -> None:
    assert {r["Id"] for r in afas.rows("persons", Filter=expression)} == expected


def test_filter_on_numbers_and_guids(afas) -> None:
    rows = afas.rows("unknownrelation", Filter="SalesRelation eq true")
    assert [r["Id"] for r in rows] == [UNKNOWN_DEBTORS_ID]
    conditions = afas.rows("paymentconditions", Filter=f"AdministrationId eq '{ADMIN_HOLDING_ID}'")
    assert sorted(r["Description"] for r in conditions) == ["14 dagen", "30 dagen", "60 dagen"]


@pytest.mark.parametrize(
    "expression",
    [
        "EmailAddress eq 'unterminated",
        "Nope eq 1",
        "Lastname eq",
        "Lastname equals 'x'",
        "(Lastname eq 'x'",
        "Lastname eq 'x' and",
        "Lastname eq 5",
        "Lastname eq 'a' 'b'",
    ],
)
def test_unparsable_filters_are_refused_in_the_spec_shape(afas, expression) -> None:
    response = afas.get("persons", Filter=expression)
    assert response.status_code == 400
    body = response.json()
    assert body["StatusCode"] == 400
    assert body["Message"] == "Ongeldig gebruikersfilter."
    assert body["AdditionalInfo"]["ExceptionType"] == "AntaUserException"


def test_sort_is_stable_and_both_directions_work(afas) -> None:
    for name in ("Zeta", "Alpha", "Mid"):
        afas.send("POST", "person", _person(FirstName=name, LastName="Same"), "4.0")
    ascending = afas.rows("persons", Filter="Lastname eq 'Same'", Sort="FirstName Ascending")
    assert [r["FirstName"] for r in ascending] == ["Alpha", "Mid", "Zeta"]
    descending = afas.rows("persons", sort="firstname descending", Filter="Lastname eq 'Same'")
    assert [r["FirstName"] for r in descending] == ["Zeta", "Mid", "Alpha"]
    by_last = afas.rows("persons", Sort="Lastname Descending")
    same = [r["FirstName"] for r in by_last if r["Lastname"] == "Same"]
    assert same == ["Zeta", "Alpha", "Mid"]  # ties keep their insertion order
    assert afas.get("persons", Sort="Nope Ascending").status_code == 400
    assert afas.get("persons", Sort="FirstName Sideways").status_code == 400


def test_paging_with_skip_take_default_and_max(client_for) -> None:
    with AfasSandbox(default_take=3, max_take=5) as sandbox:
        afas = client_for(sandbox)
        for i in range(8):
            afas.send("POST", "person", _person(LastName=f"P{i}"), "4.0")
        sort = "Lastname Ascending"
        everyone = [r["Lastname"] for r in afas.rows("persons", Sort=sort, Take=100)]
        assert len(everyone) == 5  # capped at max_take
        assert len(afas.rows("persons", Sort=sort)) == 3  # default take
        pages = [
            [r["Lastname"] for r in afas.rows("persons", Sort=sort, Skip=skip, Take=4)]
            for skip in (0, 4, 8, 12)
        ]
        assert [len(p) for p in pages] == [4, 4, 2, 0]
        flat = [name for page in pages for name in page]
        assert len(set(flat)) == 10 and flat == sorted(flat)
        assert afas.get("persons", Take="-1").status_code == 400
        assert afas.get("persons", skip="x").status_code == 400
        assert afas.get("persons", Take=0).json()["Result"] == []


def test_get_of_a_removed_6_0_person_lookup_shape_is_not_served(afas) -> None:
    assert afas.get("persons", version="1").status_code == 400
    assert (
        afas.rows("organisations", Filter=f"Id eq {ORG_ALSACH_ID}")[0]["VatNumber"] == "DE184475234"
    )
