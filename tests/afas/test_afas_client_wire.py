"""Wire-level tests of single AFAS SB calls (requests-mock); behaviour against the sandbox is in
test_afas_client_sandbox.py."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import requests_mock as rm

from ocafas.afas import jsonbody, odata
from ocafas.afas.client import AfasClient, list_rows
from ocafas.afas.outcomes import Booked, BrokenEntry, Duplicate, Failed, Rejected
from ocafas.afas.transport import AfasTransport
from ocafas.errors import AfasAuthError, AfasError, AfasForbiddenError, AfasTransientError
from ocafas.redact import redact

BASE = "https://app-center-demo.afasfocus.nl/webwinkelfacturen"
APP_TOKEN = "app-token-0123456789-abcdefghijklmnop"
ADMIN = "701b747b-eea2-5ed1-8518-973e5c670252"
ENTRY = "63cc7430-0455-4e11-95b9-74693427b8b2"
TRACK = "8522fea1-a067-4851-9b8e-a7b7080ac3af"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> AfasClient:
    transport = AfasTransport(
        BASE, APP_TOKEN, sleep=clock.sleep, clock=clock, backoff=0.5, max_attempts=4
    )
    return AfasClient(transport, page_size=2)


def token_reply(token: str = "access-1", expires: str = "600") -> dict[str, str]:
    return {"access_token": token, "expires_in": expires, "token_type": "bearer"}


def test_token_then_call_with_version_and_bearer(
    client: AfasClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.get(f"{BASE}/api/administrations", json=[{"Id": ADMIN, "Description": "Shop"}])
    admins = client.administrations()
    assert admins[0].id == ADMIN
    token_call, get_call = requests_mock.request_history
    assert token_call.json() == {"apptoken": APP_TOKEN}
    assert get_call.headers["Authorization"] == "Bearer access-1"
    assert get_call.headers["Accept-Version"] == "1.0"
    assert get_call.headers["User-Agent"].startswith("ocafas/")
    assert parse_qs(urlsplit(get_call.url).query) == {"Skip": ["0"], "Take": ["2"]}


def test_no_token_is_fetched_before_the_first_call(requests_mock: rm.Mocker) -> None:
    AfasClient(AfasTransport(BASE, APP_TOKEN))
    assert requests_mock.call_count == 0


def test_token_renewed_before_expiry(
    client: AfasClient, requests_mock: rm.Mocker, clock: FakeClock
) -> None:
    requests_mock.post(
        f"{BASE}/authentication/getaccesstoken",
        [{"json": token_reply("t1", "600")}, {"json": token_reply("t2", "600")}],
    )
    requests_mock.get(f"{BASE}/api/administrations", json=[])
    client.administrations()
    clock.now += 500  # within the lifetime, but past the renewal margin is 540
    client.administrations()
    assert requests_mock.request_history[2].headers["Authorization"] == "Bearer t1"
    clock.now += 45
    client.administrations()
    assert requests_mock.request_history[-1].headers["Authorization"] == "Bearer t2"


def test_401_renews_the_token_once(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(
        f"{BASE}/authentication/getaccesstoken",
        [{"json": token_reply("old")}, {"json": token_reply("new")}],
    )
    requests_mock.get(
        f"{BASE}/api/administrations",
        [{"status_code": 401, "json": {"message": "expired"}}, {"json": []}],
    )
    assert client.administrations() == []
    auths = [r.headers.get("Authorization") for r in requests_mock.request_history]
    assert auths == [None, "Bearer old", None, "Bearer new"]


def test_401_twice_is_unauthorised(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.get(f"{BASE}/api/administrations", status_code=401, json={})
    with pytest.raises(AfasAuthError, match="even after renewing it"):
        client.administrations()


def test_refused_app_token(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", status_code=401, json={})
    with pytest.raises(AfasAuthError, match="refused the app token") as info:
        client.administrations()
    assert APP_TOKEN not in str(info.value)


def test_403_is_forbidden(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.get(f"{BASE}/api/ledgeraccounts", status_code=403, json={})
    with pytest.raises(AfasForbiddenError, match="no rights on GET ledgeraccounts"):
        client.ledger_accounts(ADMIN)


def test_429_honours_retry_after_and_5xx_backs_off(
    client: AfasClient, requests_mock: rm.Mocker, clock: FakeClock
) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.get(
        f"{BASE}/api/administrations",
        [
            {"status_code": 429, "headers": {"Retry-After": "7"}},
            {"status_code": 503},
            {"status_code": 502},
            {"json": []},
        ],
    )
    assert client.administrations() == []
    assert clock.sleeps == [7.0, 1.0, 2.0]


def test_transient_after_all_attempts(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.get(f"{BASE}/api/administrations", status_code=500)
    with pytest.raises(AfasTransientError, match=r"HTTP 500.*after 4 attempts"):
        client.administrations()


def test_post_without_tracking_identifier_is_never_retried(
    client: AfasClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.post(f"{BASE}/api/salesjournalentry", exc=requests.ConnectionError)
    with pytest.raises(AfasTransientError, match="not retried"):
        client.transport.request("POST", "salesjournalentry", body={"x": 1})
    assert requests_mock.call_count == 2  # the token, then exactly one POST


def test_post_with_tracking_identifier_is_retried_with_the_same_id(
    client: AfasClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.post(
        f"{BASE}/api/salesjournalentry",
        [
            {"exc": requests.ConnectionError},
            {"json": {"result": "Succeeded", "data": {"SalesJournalEntryId": ENTRY}}},
        ],
    )
    outcome = client.post_sales_entry({"InvoiceNumber": "ORD1"}, TRACK)
    assert outcome == Booked(ENTRY, None)
    posts = [r for r in requests_mock.request_history if r.path.endswith("salesjournalentry")]
    assert [p.headers["Tracking-Identifier"] for p in posts] == [TRACK, TRACK]
    assert posts[0].headers["Accept-Version"] == "3.0"


@pytest.mark.parametrize("status", [200, 400])
def test_business_failures_from_200_and_400(
    client: AfasClient, requests_mock: rm.Mocker, status: int
) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    answers = [
        {
            "result": "Failed",
            "errors": ["SalesJournalEntry with invoicenumber ORD1 already exists"],
        },
        {
            "result": "Failed",
            "errors": [
                "Entity is made with one or more errors. Please correct this error in application "
                f"or delete SalesJournalEntry with id: {ENTRY}",
                "De factuurdatum ligt vóór de beginbalansdatum. Dit is niet toegestaan.",
            ],
        },
        {"result": "Failed", "errors": [{"message": "FeatureToggle not enabled"}]},
    ]
    requests_mock.post(
        f"{BASE}/api/salesjournalentry", [{"status_code": status, "json": a} for a in answers]
    )
    dup = client.post_sales_entry({"InvoiceNumber": "ORD1"}, TRACK)
    assert isinstance(dup, Duplicate) and dup.invoice_number == "ORD1"
    broken = client.post_sales_entry({"InvoiceNumber": "ORD1"}, TRACK)
    assert isinstance(broken, BrokenEntry) and broken.entry_id == ENTRY
    assert broken.reasons == (
        "De factuurdatum ligt vóór de beginbalansdatum. Dit is niet toegestaan.",
    )
    failed = client.post_sales_entry({"InvoiceNumber": "ORD1"}, TRACK)
    assert failed == Failed(("FeatureToggle not enabled",), None)


def test_schema_rejection(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.post(
        f"{BASE}/api/salesjournalentry",
        status_code=400,
        json={"StatusCode": 400, "Message": "InvoiceDate is required", "ExceptionCode": "DS3100"},
    )
    outcome = client.post_sales_entry({"InvoiceNumber": "ORD1"}, TRACK)
    assert outcome == Rejected(400, "InvoiceDate is required", "DS3100", None, ())


def test_garbage_json_is_a_clear_error(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.get(f"{BASE}/api/administrations", text="<html><body>Proxy error</body>")
    with pytest.raises(AfasError, match="not JSON"):
        client.administrations()


def test_both_list_shapes_and_paging(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    rows = [{"Id": f"00000000-0000-0000-0000-00000000000{i}", "Name": f"P{i}"} for i in range(3)]
    requests_mock.get(
        f"{BASE}/api/persons",
        [{"json": {"TrackingToken": "x", "Result": rows[:2]}}, {"json": rows[2:]}],
    )
    found = client.find_persons("o'brien@example.nl")
    assert [p.name for p in found] == ["P0", "P1", "P2"]
    first, second = (r for r in requests_mock.request_history if r.path.endswith("persons"))
    assert parse_qs(urlsplit(first.url).query)["Filter"] == [
        "EmailAddress eq 'o''brien@example.nl'"
    ]
    assert parse_qs(urlsplit(second.url).query)["Skip"] == ["2"]
    assert list_rows(None) == []
    with pytest.raises(AfasError):
        list_rows({"unexpected": 1})


def test_exact_decimal_json() -> None:
    body = {"AmountExcludingVat": Decimal("12.40"), "Amount": Decimal("-0.05"), "s": 'a"b'}
    text = jsonbody.dumps(body)
    assert text == '{"AmountExcludingVat":12.40,"Amount":-0.05,"s":"a\\"b"}'
    assert json.loads(text)["AmountExcludingVat"] == 12.4
    assert jsonbody.fingerprint({"b": 1, "a": Decimal("1.00")}) == jsonbody.fingerprint(
        {"a": Decimal("1.00"), "b": 1}
    )


def test_odata_quoting() -> None:
    assert odata.eq("EmailAddress", "a'b@c.nl") == "EmailAddress eq 'a''b@c.nl'"
    assert odata.eq("AdministrationId", odata.Guid(ADMIN.upper())) == f"AdministrationId eq {ADMIN}"
    assert (
        odata.all_of("A eq 1", odata.any_of("B eq 2", "C eq 3")) == "A eq 1 and (B eq 2 or C eq 3)"
    )
    with pytest.raises(ValueError):
        odata.eq("Email) or (1", "x")
    with pytest.raises(ValueError):
        odata.eq("EmailAddress", "a\nb")
    with pytest.raises(ValueError):
        odata.Guid("not-a-guid")


def test_plain_http_refused_for_remote_hosts() -> None:
    with pytest.raises(AfasError, match="plain http is refused"):
        AfasTransport("http://afas.example/env", APP_TOKEN)


def test_tokens_are_redacted(client: AfasClient, requests_mock: rm.Mocker) -> None:
    requests_mock.post(
        f"{BASE}/authentication/getaccesstoken", json=token_reply("secret-access-xyz")
    )
    requests_mock.get(f"{BASE}/api/administrations", json=[])
    client.administrations()
    assert redact(f"token secret-access-xyz and {APP_TOKEN}") == "token *** and ***"


def test_the_recorded_request_text_is_sent_byte_for_byte_on_every_attempt(
    client: AfasClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/authentication/getaccesstoken", json=token_reply())
    requests_mock.post(
        f"{BASE}/api/salesjournalentry",
        [
            {"exc": requests.ConnectionError},
            {"json": {"result": "Succeeded", "data": {"SalesJournalEntryId": ENTRY}}},
        ],
    )
    body = {"InvoiceNumber": "ORD1", "Amount": Decimal("12.10")}
    text = '{"InvoiceNumber":"ORD1","Amount":12.10}'
    assert client.post_sales_entry(body, TRACK, text=text) == Booked(ENTRY, None)
    posts = [r for r in requests_mock.request_history if r.path.endswith("salesjournalentry")]
    assert [p.body for p in posts] == [text.encode(), text.encode()]
    assert posts[0].headers["Content-Type"] == "application/json; charset=utf-8"
