"""Single-call wire details of the client, with requests-mock."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import requests_mock as rm

from ocafas.opencart.client import OpenCartClient
from ocafas.opencart.errors import (
    OpenCartAuthError,
    OpenCartConnectionError,
    OpenCartDisabledError,
    OpenCartNotFoundError,
    OpenCartRequestError,
    OpenCartResponseError,
    OpenCartTimeoutError,
    OpenCartUnavailableError,
    OpenCartVersionError,
)
from ocafas.opencart.models import Cursor

URL = "https://shop.example/index.php?route=extension/ocafas/api"
KEY = "Secret-Key-4711abc"
PING = {
    "api_version": 1,
    "extension_version": "1.0.0",
    "opencart_version": "3.0.3.8",
    "php_version": "7.4.3",
    "store_name": "Shop",
    "default_currency": "EUR",
    "timezone": "Europe/Amsterdam",
    "vat_number_field": None,
}


def _client(**options: Any) -> OpenCartClient:
    options.setdefault("backoff", 0)
    return OpenCartClient(URL, KEY, **options)


def test_request_carries_key_header_action_and_no_redirects(requests_mock: rm.Mocker) -> None:
    requests_mock.get(URL, json=PING)
    info = _client().ping()
    sent = requests_mock.last_request
    assert sent.headers["X-Ocafas-Key"] == KEY
    assert "Authorization" not in sent.headers
    assert sent.headers["User-Agent"].startswith("ocafas/")
    assert sent.qs == {"route": ["extension/ocafas/api"], "action": ["ping"]}
    assert info.opencart_major == 3 and info.vat_number_field is None


def test_cursor_is_sent_encoded(requests_mock: rm.Mocker) -> None:
    requests_mock.get(URL, json={"orders": [], "next": None})
    pages = list(
        _client(page_size=250).iter_orders(
            Cursor("2025-04-01T10:22:05+02:00", 77), rewind_same_second=False
        )
    )
    assert "modified_after=2025-04-01T10%3A22%3A05%2B02%3A00" in requests_mock.last_request.url
    assert requests_mock.last_request.qs["after_id"] == ["77"]
    assert requests_mock.last_request.qs["limit"] == ["250"]
    assert pages[0].next_cursor == Cursor("2025-04-01T10:22:05+02:00", 77)


def test_retry_after_is_honoured_and_bounded(requests_mock: rm.Mocker, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    waits: list[float] = []
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)
    requests_mock.get(
        URL,
        [
            {"status_code": 429, "headers": {"Retry-After": "7"}, "json": {}},
            {"status_code": 503, "headers": {"Retry-After": "9999"}, "json": {}},
            {"json": PING},
        ],
    )
    client = _client(max_retry_after=20)
    client.ping()
    assert waits == [7.0, 20.0] and client.request_count == 3


def test_redirect_is_not_followed(requests_mock: rm.Mocker) -> None:
    requests_mock.get(
        URL,
        status_code=302,
        headers={"Location": "https://shop.example/index.php?route=account/login"},
    )
    with pytest.raises(OpenCartRequestError, match=r"redirects \(HTTP 302\) to https://shop"):
        _client().ping()
    assert requests_mock.call_count == 1


@pytest.mark.parametrize(
    ("response", "error", "text"),
    [
        (
            {"status_code": 401, "json": {"error": {"code": "unauthorized", "message": "x"}}},
            OpenCartAuthError,
            "refused the API key (HTTP 401)",
        ),
        (
            {"status_code": 403, "json": {"error": {"code": "disabled", "message": "x"}}},
            OpenCartDisabledError,
            "is disabled or has no API key saved (HTTP 403)",
        ),
        (
            {
                "status_code": 403,
                "text": "<html><title>403 Forbidden</title></html>",
                "headers": {"Content-Type": "text/html"},
            },
            OpenCartDisabledError,
            "not as the ocafas extension does: a web server or firewall",
        ),
        (
            {"status_code": 404, "text": "<html>nope</html>"},
            OpenCartNotFoundError,
            "no ocafas extension at https://shop.example/index.php?route=extension/ocafas/api",
        ),
        (
            {"status_code": 404, "json": {"error": {"code": "not_found", "message": "no action"}}},
            OpenCartNotFoundError,
            "does not know action=ping",
        ),
        (
            {"status_code": 400, "json": {"error": {"code": "bad_request", "message": "limit"}}},
            OpenCartRequestError,
            "refused action=ping with HTTP 400 bad_request: limit",
        ),
        (
            {"status_code": 502, "text": "Bad gateway"},
            OpenCartUnavailableError,
            "answered HTTP 502 to action=ping 4 times",
        ),
        ({"text": ""}, OpenCartResponseError, "sent an empty answer to action=ping"),
        ({"text": '{"api_version": 1, "store'}, OpenCartResponseError, "truncated JSON"),
        (
            {"text": "{'api_version': 1}"},
            OpenCartResponseError,
            "invalid JSON for action=ping at byte 1",
        ),
        (
            {"text": "Warning: session_start(): headers already sent\n{}"},
            OpenCartResponseError,
            "PHP Warning: session_start(): headers already sent",
        ),
        ({"json": ["ping"]}, OpenCartResponseError, "expected a JSON object, got list"),
        (
            {"json": {"status": "ok"}},
            OpenCartResponseError,
            "without what the ocafas extension v1 sends (api_version: missing)",
        ),
        ({"json": dict(PING, api_version=2)}, OpenCartVersionError, "speaks API v2"),
        ({"json": dict(PING, api_version=0)}, OpenCartVersionError, "install the newer extension"),
    ],
)
def test_each_failure_has_its_own_one_line_message(requests_mock, response, error, text) -> None:  # type: ignore[no-untyped-def]
    requests_mock.get(URL, **response)
    with pytest.raises(error) as caught:
        _client().ping()
    message = str(caught.value)
    assert text in message, message
    assert "\n" not in message and KEY not in message


@pytest.mark.parametrize(
    ("problem", "error", "text"),
    [
        (requests.exceptions.ConnectTimeout("x"), OpenCartTimeoutError, "cannot connect to"),
        (requests.exceptions.ReadTimeout("x"), OpenCartTimeoutError, "did not answer within 30 s"),
        (
            requests.exceptions.SSLError(
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"
            ),
            OpenCartConnectionError,
            "TLS certificate is not trusted",
        ),
        (
            requests.exceptions.ConnectionError(
                "Failed to resolve 'shop.example' (NameResolutionError)"
            ),
            OpenCartConnectionError,
            "cannot resolve the host",
        ),
    ],
)
def test_network_failures(requests_mock, problem, error, text) -> None:  # type: ignore[no-untyped-def]
    requests_mock.get(URL, exc=problem)
    with pytest.raises(error, match=text):
        _client(max_attempts=2).ping()
    expected = 1 if isinstance(problem, requests.exceptions.SSLError) else 2
    assert requests_mock.call_count == expected


def test_orders_page_without_next_and_paging_that_does_not_advance(requests_mock) -> None:  # type: ignore[no-untyped-def]
    requests_mock.get(URL, json={"orders": []})
    with pytest.raises(OpenCartResponseError, match=r"\(next: missing\)"):
        list(_client().iter_orders(None))
    stuck = {"orders": [], "next": {"modified_after": "2025-04-01T10:22:05+02:00", "after_id": 5}}
    requests_mock.get(URL, json=stuck)
    with pytest.raises(OpenCartResponseError, match="does not move forward"):
        list(
            _client().iter_orders(Cursor("2025-04-01T10:22:05+02:00", 5), rewind_same_second=False)
        )


def test_plain_http_and_bad_settings_are_refused() -> None:
    with pytest.raises(OpenCartRequestError, match="plain http is refused"):
        OpenCartClient("http://shop.example/index.php?route=x", KEY)
    with pytest.raises(OpenCartAuthError, match="API key is empty"):
        OpenCartClient(URL, "")
    with pytest.raises(OpenCartRequestError, match="page size"):
        OpenCartClient(URL, KEY, page_size=501)
    OpenCartClient("http://localhost:8080/index.php?route=x", KEY)  # loopback is fine


def test_shop_lists(requests_mock: rm.Mocker) -> None:
    requests_mock.get(
        URL + "&action=statuses",
        json={
            "statuses": [
                {"order_status_id": 5, "name": "Complete"},
                {"order_status_id": 2, "name": "Processing"},
            ],
            "processing": [2, 5],
            "complete": [5],
        },
    )
    requests_mock.get(
        URL + "&action=tax_rates",
        json={
            "tax_rates": [
                {
                    "tax_rate_id": 3,
                    "name": "BTW 21%",
                    "rate": "21.0000",
                    "type": "P",
                    "geo_zone": "NL",
                    "countries": ["NL"],
                }
            ]
        },
    )
    requests_mock.get(
        URL + "&action=payment_methods",
        json={"payment_methods": [{"code": "cod", "name": "Cash On Delivery"}]},
    )
    client = _client()
    statuses = client.statuses()
    assert statuses.name_of(2) == "Processing" and statuses.id_of("complete") == 5
    assert statuses.complete == (5,)
    assert str(client.tax_rates()[0].rate) == "21.0000"
    assert client.payment_methods()[0].code == "cod"
