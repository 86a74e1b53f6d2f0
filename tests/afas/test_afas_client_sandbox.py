"""The AFAS SB client against the AFAS sandbox: every outcome, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from ocafas.afas.bodies import EntryLine, NewAddress, NewOrganisation, NewPerson, SalesEntry
from ocafas.afas.client import AfasClient
from ocafas.afas.outcomes import Booked, BrokenEntry, Duplicate, Failed, Rejected
from ocafas.afas.transport import AfasTransport
from ocafas.errors import AfasAuthError, AfasForbiddenError, AfasTransientError
from ocafas.request_schemas import find_request
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import (
    ADMIN_SHOP_ID,
    DEFAULT_APP_TOKEN,
    PERSON_CAS_ID,
    ledger_account_id,
)

LIMITED_TOKEN = "limited-app-token-" + "x" * 40


@pytest.fixture
def afas() -> Iterator[AfasSandbox]:
    tokens: dict[str, set[str] | str] = {
        DEFAULT_APP_TOKEN: "all",
        LIMITED_TOKEN: {"administrations"},
    }
    with AfasSandbox(app_tokens=tokens) as sandbox:
        yield sandbox


def make_client(
    sandbox: AfasSandbox, token: str = DEFAULT_APP_TOKEN, **options: object
) -> AfasClient:
    transport = AfasTransport(
        sandbox.base_url,
        token,
        timeout=5,
        backoff=0.01,
        max_backoff=0.05,
        **options,  # type: ignore[arg-type]
    )
    return AfasClient(transport, page_size=3)


def entry(
    invoice: str, invoice_date: date = date(2025, 4, 1), account: str = "8000"
) -> dict[str, object]:
    return SalesEntry(
        administration_id=ADMIN_SHOP_ID,
        invoice_number=invoice,
        invoice_date=invoice_date,
        relation_type="person",
        relation_id=PERSON_CAS_ID,
        description=f"{invoice} - test",
        reference="1234",
        payment_method="ideal",
        lines=(
            EntryLine(
                ledger_account_id=ledger_account_id(ADMIN_SHOP_ID, account)
                if account != "missing"
                else str(uuid.uuid4()),
                amount_excl=Decimal("100.00"),
                amount_vat=Decimal("21.00"),
                vat_type="high",
                description="Suitcase",
            ),
            EntryLine(
                ledger_account_id=ledger_account_id(ADMIN_SHOP_ID, "8010"),
                amount_excl=Decimal("10.1"),
                amount_vat=Decimal("0.9090"),
                vat_type="low",
            ),
        ),
    ).body()


def booked_numbers(sandbox: AfasSandbox) -> list[str]:
    return [e.invoice_number for e in sandbox.entries() if e.status == "booked"]


def test_lookups(afas: AfasSandbox) -> None:
    client = make_client(afas)
    admins = client.administrations()
    assert ADMIN_SHOP_ID in {a.id for a in admins}
    revenue = client.ledger_accounts(ADMIN_SHOP_ID, revenue_only=True)
    numbers = {a.number for a in revenue}
    assert {"8000", "8010", "8020", "8100", "8200"} <= numbers
    assert "1300" not in numbers  # debtors is a balance account, not revenue
    all_accounts = client.ledger_accounts(ADMIN_SHOP_ID)
    assert len(all_accounts) > len(revenue)  # paged with Take=3, so several pages were read
    assert afas.counts()["GET ledgeraccounts"] > 2
    unknown = client.unknown_relation()
    assert unknown.relation_type == "unknown" and unknown.id


def test_find_and_create_relations(afas: AfasSandbox) -> None:
    client = make_client(afas)
    address = NewAddress("Stationstraat", 12, "a", "1000 AA", "Amsterdam", "NL")
    email = "o'brien+shop@example.nl"
    assert client.find_persons(email) == []
    person_id = client.create_person(
        NewPerson(
            last_name="Brien",
            prefix="O'",
            first_name="Sean",
            email=email,
            external_id=f"opencart:{email}",
            address=address,
        ),
        tracking_id=str(uuid.uuid4()),
    )
    found = client.find_persons(email)
    assert [p.id for p in found] == [person_id]
    assert found[0].external_id == f"opencart:{email}"
    org_id = client.create_organisation(
        NewOrganisation(
            name="Bakkerij 't Hoekje B.V.",
            vat_number="DE136695976",
            email="info@hoekje.de",
            address=address,
        ),
        tracking_id=str(uuid.uuid4()),
    )
    by_vat = client.find_organisations(vat_number="DE136695976")
    assert [o.id for o in by_vat] == [org_id]
    by_either = client.find_organisations(email="info@hoekje.de", vat_number="XX")
    assert [o.id for o in by_either] == [org_id]


def test_create_relation_with_the_same_tracking_id_creates_one(afas: AfasSandbox) -> None:
    client = make_client(afas)
    tracking = str(uuid.uuid4())
    person = NewPerson(last_name="Jansen", email="jansen@example.nl")
    before = len(afas.persons())
    first = client.create_person(person, tracking)
    again = client.create_person(person, tracking)
    assert first == again
    assert len(afas.persons()) == before + 1


def test_every_request_body_matches_the_schema(afas: AfasSandbox) -> None:
    body = entry("ORD-schema")
    schema = find_request("POST", "/api/salesjournalentry", "3.0")
    assert schema is not None
    assert schema.errors(body) == []
    assert make_client(afas).post_sales_entry(body, str(uuid.uuid4())).__class__ is Booked


def test_booked_then_duplicate(afas: AfasSandbox) -> None:
    client = make_client(afas)
    outcome = client.post_sales_entry(entry("ORD1001"), str(uuid.uuid4()))
    assert isinstance(outcome, Booked)
    assert [e.id for e in afas.entries()] == [outcome.entry_id]
    posted = afas.entries()[0]
    assert '"AmountExcludingVat":100.00' in posted.raw  # exact two-decimal amounts on the wire
    assert '"AmountVat":0.91' in posted.raw
    again = client.post_sales_entry(entry("ORD1001"), str(uuid.uuid4()))
    assert isinstance(again, Duplicate) and again.invoice_number == "ORD1001"
    assert booked_numbers(afas) == ["ORD1001"]


def test_broken_entry_is_deleted_and_then_books(afas: AfasSandbox) -> None:
    client = make_client(afas)
    outcome = client.post_sales_entry(entry("ORD2", date(2020, 1, 1)), str(uuid.uuid4()))
    assert isinstance(outcome, BrokenEntry)
    assert any("beginbalansdatum" in r for r in outcome.reasons)
    client.delete_sales_entry(ADMIN_SHOP_ID, outcome.entry_id, str(uuid.uuid4()))
    fixed = client.post_sales_entry(entry("ORD2"), str(uuid.uuid4()))
    assert isinstance(fixed, Booked)
    assert booked_numbers(afas) == ["ORD2"]


def test_unknown_ledger_account_is_a_broken_entry(afas: AfasSandbox) -> None:
    outcome = make_client(afas).post_sales_entry(
        entry("ORD3", account="missing"), str(uuid.uuid4())
    )
    assert isinstance(outcome, BrokenEntry)
    assert any("Grootboekrekening" in r for r in outcome.reasons)


def test_schema_rejection(afas: AfasSandbox) -> None:
    body = entry("ORD4")
    del body["InvoiceDate"]
    outcome = make_client(afas).post_sales_entry(body, str(uuid.uuid4()))
    assert isinstance(outcome, Rejected)
    assert outcome.status == 400 and outcome.exception_code == "DS3100"
    assert afas.entries() == []


def test_business_failure_without_entry(afas: AfasSandbox) -> None:
    body = entry("ORD5")
    body["AdministrationId"] = str(uuid.uuid4())
    outcome = make_client(afas).post_sales_entry(body, str(uuid.uuid4()))
    assert isinstance(outcome, (Failed, BrokenEntry))
    assert booked_numbers(afas) == []


def test_token_expiry_mid_run_is_renewed(afas: AfasSandbox) -> None:
    client = make_client(afas)
    client.administrations()
    afas.expire_tokens()
    client.administrations()  # 401, a new token, then the call again
    tokens = [r for r in afas.request_log() if r.endpoint == "getaccesstoken"]
    assert len(tokens) == 2


def test_short_token_lifetime_renews_before_expiry() -> None:
    with AfasSandbox(token_lifetime=1.0) as sandbox:
        client = make_client(sandbox)
        client.administrations()
        time.sleep(1.1)
        client.administrations()
        statuses = [r.status for r in sandbox.request_log()]
        assert 401 not in statuses
        assert sum(1 for r in sandbox.request_log() if r.endpoint == "getaccesstoken") == 2


def test_wrong_app_token_is_unauthorised(afas: AfasSandbox) -> None:
    with pytest.raises(AfasAuthError, match="refused the app token"):
        make_client(afas, token="wrong-token-" + "y" * 40).administrations()


def test_missing_rights_is_forbidden(afas: AfasSandbox) -> None:
    client = make_client(afas, token=LIMITED_TOKEN)
    assert client.administrations()
    with pytest.raises(AfasForbiddenError, match="GET ledgeraccounts"):
        client.ledger_accounts(ADMIN_SHOP_ID)


def test_429_with_retry_after_is_honoured(afas: AfasSandbox) -> None:
    sleeps: list[float] = []
    client = make_client(afas, sleep=sleeps.append)
    client.administrations()
    afas.faults.throttle_next(2, retry_after=3, endpoint="administrations")
    assert client.administrations()
    assert sleeps == [3.0, 3.0]


def test_5xx_burst_recovers(afas: AfasSandbox) -> None:
    client = make_client(afas)
    afas.faults.fail_next(3, status=503, endpoint="POST salesjournalentry")
    outcome = client.post_sales_entry(entry("ORD6"), str(uuid.uuid4()))
    assert isinstance(outcome, Booked)
    assert booked_numbers(afas) == ["ORD6"]


def test_5xx_that_lasts_is_transient(afas: AfasSandbox) -> None:
    client = make_client(afas)
    afas.faults.fail_next(10, status=502, endpoint="administrations")
    with pytest.raises(AfasTransientError, match="HTTP 502"):
        client.administrations()


def test_dropped_after_booking_is_resolved_by_the_tracking_identifier(afas: AfasSandbox) -> None:
    client = make_client(afas)
    tracking = str(uuid.uuid4())
    afas.faults.drop_next(1, endpoint="POST salesjournalentry", after_processing=True)
    outcome = client.post_sales_entry(entry("ORD7"), tracking)
    assert isinstance(outcome, Booked)
    assert booked_numbers(afas) == ["ORD7"]  # booked once, though the client saw a dropped line
    replays = [r for r in afas.request_log() if r.replayed]
    assert len(replays) == 1


def test_dropped_after_booking_then_resent_later_with_the_same_id(afas: AfasSandbox) -> None:
    """A crash after the POST: the next run sends the stored body with the stored id."""
    client = make_client(afas, max_attempts=1)
    tracking = str(uuid.uuid4())
    afas.faults.drop_next(1, endpoint="POST salesjournalentry", after_processing=True)
    with pytest.raises(AfasTransientError):
        client.post_sales_entry(entry("ORD8"), tracking)
    later = make_client(afas)
    outcome = later.post_sales_entry(entry("ORD8"), tracking)
    assert isinstance(outcome, Booked)
    assert booked_numbers(afas) == ["ORD8"]


def test_timeouts_are_retried_with_tracking_identifier(afas: AfasSandbox) -> None:
    client = make_client(afas)
    client.transport.timeout = 0.3
    afas.faults.set_latency(0.6, endpoint="POST salesjournalentry")
    timer = threading.Timer(0.5, afas.faults.clear)
    timer.start()
    try:
        outcome = client.post_sales_entry(entry("ORD9"), str(uuid.uuid4()))
    finally:
        timer.cancel()
    assert isinstance(outcome, Booked)
    assert booked_numbers(afas) == ["ORD9"]


def test_concurrent_posts_share_one_token(afas: AfasSandbox) -> None:
    client = make_client(afas)
    outcomes: list[object] = []

    def post(n: int) -> None:
        outcomes.append(client.post_sales_entry(entry(f"ORD-C{n}"), str(uuid.uuid4())))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(o, Booked) for o in outcomes)
    assert len(booked_numbers(afas)) == 8
    assert afas.counts()["POST getaccesstoken"] == 1
