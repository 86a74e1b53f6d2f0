"""Sales journal entries: success, every business failure in both versions, schema rejection."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ocafas.sandbox.afas_seed import (
    ADMIN_HOLDING_ID,
    ADMIN_SHOP_ID,
    ORG_ERBI_ID,
    UNKNOWN_CREDITORS_ID,
    UNKNOWN_DEBTORS_ID,
    dimension_id,
    ledger_account_id,
    payment_condition_id,
    seed_id,
)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _failed(response, status: int) -> list:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["result"] == "Failed"
    assert body["instances"] == []
    assert re.fullmatch(UUID, body["traceId"])
    return body["errors"]


def test_a_valid_entry_is_booked_with_the_exact_json_kept(afas, entry) -> None:
    account = ledger_account_id(ADMIN_SHOP_ID, "8000")
    text = (
        f'{{"AdministrationId": "{ADMIN_SHOP_ID}", "InvoiceDate": "2025-03-01",'
        f' "InvoiceNumber": "OC-7", "RelationType": "organisation", "RelationId": "{ORG_ERBI_ID}",'
        f' "InvoiceLine": [{{"LedgerAccountId": "{account}", "AmountExcludingVat": 12.40,'
        ' "AmountVat": 2.60, "VatType": "high"}]}'
    )
    response = afas.post_entry(text)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["result"] == "Succeeded" and body["errors"] == []
    [booked] = afas.sandbox.entries()
    assert body["data"]["SalesJournalEntryId"] == booked.id
    assert booked.status == "booked" and booked.raw == text
    assert booked.body["InvoiceLine"][0]["AmountExcludingVat"] == Decimal("12.40")
    assert str(booked.body["InvoiceLine"][0]["AmountExcludingVat"]) == "12.40"


@pytest.mark.parametrize(("version", "status"), [("3.0", 400), ("2", 200)])
def test_duplicate_invoice_number_per_administration(afas, entry, version, status) -> None:
    assert afas.post_entry(entry(), version).status_code == 200
    errors = _failed(afas.post_entry(entry(), version), status)
    assert errors == ["SalesJournalEntry with invoicenumber OC-1001 already exists"]
    assert len(afas.sandbox.entries()) == 1
    other_admin = entry(
        AdministrationId=ADMIN_HOLDING_ID,
        InvoiceLine=[
            {
                "LedgerAccountId": ledger_account_id(ADMIN_HOLDING_ID, "8000"),
                "AmountExcludingVat": 1.0,
                "AmountVat": 0.21,
                "VatType": "high",
            }
        ],
    )
    assert afas.post_entry(other_admin, version).status_code == 200


@pytest.mark.parametrize(("version", "status"), [("3.0", 400), ("2", 200)])
def test_invoice_date_before_opening_balance_keeps_a_broken_entry(
    afas, entry, version, status
) -> None:
    errors = _failed(afas.post_entry(entry(InvoiceDate="2023-12-31"), version), status)
    match = re.fullmatch(
        r"Entity is made with one or more errors\. Please correct this error in application or "
        rf"delete SalesJournalEntry with id: ({UUID})",
        errors[0],
    )
    assert match, errors
    assert errors[1:] == ["De factuurdatum ligt vóór de beginbalansdatum. Dit is niet toegestaan."]
    [broken] = afas.sandbox.entries()
    assert broken.id == match.group(1) and broken.status == "broken"
    assert afas.post_entry(entry(InvoiceDate="2024-01-01"), version).json()["errors"] == [
        "SalesJournalEntry with invoicenumber OC-1001 already exists"
    ]


def test_delete_of_a_broken_entry_then_repost_with_same_number_succeeds(afas, entry) -> None:
    errors = afas.post_entry(entry(InvoiceDate="2023-06-30")).json()["errors"]
    broken_id = errors[0].rsplit(" ", 1)[-1]
    deleted = afas.delete_entry(broken_id)
    assert deleted.status_code == 200
    assert deleted.json()["result"] == "Succeeded"
    assert deleted.json()["data"] == {"SalesJournalEntryId": broken_id}
    assert afas.sandbox.entries() == []
    assert afas.sandbox.entries(include_deleted=True)[0].deleted
    again = afas.post_entry(entry())
    assert again.status_code == 200
    assert again.json()["data"]["SalesJournalEntryId"] != broken_id
    assert [e.status for e in afas.sandbox.entries()] == ["booked"]


def test_delete_of_an_unknown_entry_fails(afas, entry) -> None:
    assert _failed(afas.delete_entry(seed_id("nothing")), 400)[0].endswith("does not exist")
    booked = afas.post_entry(entry()).json()["data"]["SalesJournalEntryId"]
    wrong_admin = afas.delete_entry(booked, administration_id=ADMIN_HOLDING_ID)
    assert wrong_admin.status_code == 400
    assert afas.delete_entry(booked).status_code == 200
    assert afas.delete_entry(booked).status_code == 400


@pytest.mark.parametrize(("version", "status"), [("3.0", 400), ("2", 200)])
def test_unknown_ledger_account_is_a_line_error_with_a_broken_entry(
    afas, entry, make_line, version, status
) -> None:
    bad = seed_id("no such account")
    lines = [make_line("8000"), make_line(LedgerAccountId=bad), make_line(LedgerAccountId=bad)]
    errors = _failed(afas.post_entry(entry(InvoiceLine=lines), version), status)
    assert re.fullmatch(
        r"Entity is made with one or more errors in the lines\. Please correct this error in "
        rf"application or delete SalesJournalEntry with id: {UUID}\.",
        errors[0],
    )
    assert errors[1:] == [f"Field 'Grootboekrekening' contains an invalid reference ({bad})"] * 2
    assert afas.sandbox.entries()[0].status == "broken"


def test_ledger_account_of_another_administration_is_invalid(afas, entry, make_line) -> None:
    other = ledger_account_id(ADMIN_HOLDING_ID, "8000")
    errors = afas.post_entry(entry(InvoiceLine=[make_line(LedgerAccountId=other)])).json()["errors"]
    assert errors[1] == f"Field 'Grootboekrekening' contains an invalid reference ({other})"


@pytest.mark.parametrize(
    ("relation_type", "relation_id"),
    [
        ("person", seed_id("nobody")),
        ("organisation", seed_id("person:Cas de Graaf")),  # a person, not an organisation
        ("unknown", UNKNOWN_CREDITORS_ID),  # a purchase-only unknown relation
    ],
)
def test_unknown_relation_is_refused(afas, entry, relation_type, relation_id) -> None:
    response = afas.post_entry(entry(RelationType=relation_type, RelationId=relation_id))
    errors = _failed(response, 400)
    assert errors[0].startswith("Entity is made with one or more errors. ")
    assert errors[1:] == [f"Field 'Relatie' contains an invalid reference ({relation_id})"]


def test_unknown_debtors_relation_is_accepted(afas, entry) -> None:
    response = afas.post_entry(entry(RelationType="unknown", RelationId=UNKNOWN_DEBTORS_ID))
    assert response.status_code == 200, response.text


def test_header_and_line_references_of_the_administration(afas, entry, make_line) -> None:
    holding_condition = payment_condition_id(ADMIN_HOLDING_ID, 30)
    foreign_department = dimension_id("departments", ADMIN_HOLDING_ID, "Directie")
    body = entry(
        PaymentConditionId=holding_condition,
        ProjectId=seed_id("no project"),
        InvoiceLine=[make_line(DepartmentId=foreign_department)],
    )
    errors = _failed(afas.post_entry(body), 400)
    assert errors[1:] == [
        f"Field 'Betalingsvoorwaarde' contains an invalid reference ({holding_condition})",
        f"Field 'Project' contains an invalid reference ({seed_id('no project')})",
        f"Field 'Afdeling' contains an invalid reference ({foreign_department})",
    ]
    good = entry(
        InvoiceNumber="OC-2",
        PaymentConditionId=payment_condition_id(ADMIN_SHOP_ID, 14),
        ProjectId=dimension_id("projects", ADMIN_SHOP_ID, "Marktplaatsen"),
        InvoiceLine=[
            make_line(DepartmentId=dimension_id("departments", ADMIN_SHOP_ID, "Webwinkel")),
            make_line(LocationId=dimension_id("locations", ADMIN_SHOP_ID, "Leusden")),
        ],
    )
    assert afas.post_entry(good).status_code == 200


def test_quantity_keeping_account_needs_quantity_and_vat_needs_a_vat_account(
    afas, entry, make_line
) -> None:
    errors = afas.post_entry(entry(InvoiceLine=[make_line("8500"), make_line("1300")])).json()[
        "errors"
    ]
    assert errors[1:] == [
        "Field 'Aantal 1' is required: ledger account 8500 keeps quantities",
        "Field 'Btw' is not allowed on ledger account 1300",
    ]
    ok = entry(InvoiceNumber="OC-9", InvoiceLine=[make_line("8500", Quantity1=3, Unit1="stuks")])
    assert afas.post_entry(ok).status_code == 200


def test_unknown_administration_is_refused_without_an_entry(afas, entry) -> None:
    errors = _failed(afas.post_entry(entry(AdministrationId=seed_id("no admin"))), 400)
    assert "does not exist" in errors[0]
    assert afas.sandbox.entries() == []


def _rejected(response) -> str:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["StatusCode"] == 400 and body["ExceptionCode"] == "DS3100"
    assert body["Message"].startswith("Invalid JSON request String")
    assert "TraceId" in body
    return body["Message"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"AmountExcludingVat": 12.345}, "is not a multiple of 0.01"),
        ({"AmountVat": None}, "AmountVat"),
        ({"DepartmentId": seed_id("d"), "LocationId": seed_id("l")}, "may not contain all of"),
        ({"Description": "x" * 256}, "is too long"),
        ({"LedgerAccountId": "8000"}, "is not a 'uuid'"),
        ({"VatType": "hoog"}, "is not one of"),
        ({"Discount": 1}, "Additional properties"),
        ({"AmountExcludingVat": "10.00"}, "is not of type 'number'"),
    ],
)
def test_schema_violations_on_lines_are_ds3100(afas, entry, make_line, change, expected) -> None:
    bad_line = make_line()
    for key, value in change.items():
        if value is None:
            bad_line.pop(key)
        else:
            bad_line[key] = value
    message = _rejected(afas.post_entry(entry(InvoiceLine=[bad_line])))
    assert expected in message
    assert "InvoiceLine[0]" in message
    assert afas.sandbox.entries() == []


def test_zero_vat_line_without_amount_vat_and_novat_without_vat_type_are_valid(afas, entry) -> None:
    account = ledger_account_id(ADMIN_SHOP_ID, "8020")
    lines = [
        {"LedgerAccountId": account, "AmountExcludingVat": 5, "VatType": "zero"},
        {"LedgerAccountId": account, "AmountExcludingVat": 5, "VatCalculation": "novat"},
    ]
    assert afas.post_entry(entry(InvoiceLine=lines)).status_code == 200
    missing_type = [{"LedgerAccountId": account, "AmountExcludingVat": 5}]
    assert "VatType" in _rejected(
        afas.post_entry(entry(InvoiceNumber="X", InvoiceLine=missing_type))
    )


def test_header_schema_violations(afas, entry) -> None:
    assert "InvoiceNumber" in _rejected(afas.post_entry({**entry(), "InvoiceNumber": ""}))
    no_number = entry()
    del no_number["InvoiceNumber"]
    assert "'InvoiceNumber' is a required property" in _rejected(afas.post_entry(no_number))
    assert "'date'" in _rejected(afas.post_entry(entry(InvoiceDate="01-03-2025")))
    assert "RelationId" in _rejected(afas.post_entry(entry(RelationId="")))
    assert "PaymentMethod" in _rejected(afas.post_entry(entry(PaymentMethod="null")))
    assert "InvoiceLine" in _rejected(afas.post_entry(entry(InvoiceLine=[])))
    assert _rejected(afas.post_entry("{broken")) == "Invalid JSON request String"
    assert afas.sandbox.entries() == []


def test_version_2_follows_the_6_0_schema(afas, entry, make_line) -> None:
    with_project = entry(ProjectId=dimension_id("projects", ADMIN_SHOP_ID, "Marktplaatsen"))
    assert "ProjectId" in _rejected(afas.post_entry(with_project, "2"))
    assert "VatType" in _rejected(
        afas.post_entry(entry(InvoiceLine=[{**make_line(), "VatType": None}]), "2")
    )
    assert afas.post_entry(entry(), "2").status_code == 200
    assert afas.sandbox.entries()[0].version == "2"


def test_reconcile_views_follow_the_posted_entries(afas, entry, make_line) -> None:
    body = entry(
        InvoiceNumber="OC-50",
        PaymentConditionId=payment_condition_id(ADMIN_SHOP_ID, 14),
        InvoiceLine=[
            make_line("8000", AmountExcludingVat=100.0, AmountVat=21.0),
            make_line("8010", AmountExcludingVat=10.0, AmountVat=0.9, VatType="low"),
            make_line("8400", AmountExcludingVat=4.13, AmountVat=0.87),
        ],
    )
    entry_id = afas.post_entry(body).json()["data"]["SalesJournalEntryId"]
    afas.post_entry(entry(InvoiceNumber="OC-51", InvoiceDate="2020-01-01"))  # broken
    balance = afas.rows("debtorinvoicebalance", Filter="InvoiceNumber eq 'OC-50'")
    assert len(balance) == 1
    assert balance[0]["InvoiceId"] == entry_id
    assert balance[0]["TotalAmount"] == balance[0]["OutstandingAmount"] == 136.9
    assert balance[0]["DueDate"] == "2025-03-15T00:00:00Z"
    assert afas.rows("debtorinvoicebalance", Filter="InvoiceNumber eq 'OC-51'") == []
    invoices = {r["SalesInvoiceNumber"]: r for r in afas.rows("salesinvoices")}
    assert invoices["OC-50"]["AmountInvoiced"] == 136.9 and invoices["OC-50"]["Status"] == "DONE"
    assert invoices["OC-51"]["Status"] == "TODOERROR"
    journal = afas.rows("journalentries", Filter=f"HeaderId eq {entry_id}")
    assert len(journal) == 3 + 3 + 1  # revenue lines, VAT lines, debtor line
    debit = sum(Decimal(str(r["AmountDebit"])) for r in journal)
    credit = sum(Decimal(str(r["AmountCredit"])) for r in journal)
    assert debit == credit == Decimal("136.90")
    assert {r["DocumentIdentification"] for r in journal} == {"OC-50"}
    afas.delete_entry(entry_id)
    assert afas.rows("debtorinvoicebalance") == []
    assert afas.rows("journalentries") == []
