"""The client against the sandbox shop over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from oc_contract_check import contract_errors

import ocafas.sandbox
from ocafas.opencart.client import OpenCartClient
from ocafas.opencart.errors import (
    OpenCartAuthError,
    OpenCartConnectionError,
    OpenCartDisabledError,
    OpenCartNotFoundError,
    OpenCartResponseError,
    OpenCartTimeoutError,
    OpenCartUnavailableError,
    OpenCartVersionError,
)
from ocafas.opencart.models import Cursor
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox
from ocafas.sandbox.orders import OrderGenerator

Client = Callable[..., OpenCartClient]


def _same_second_orders(count: int, second: datetime, first_id: int = 1) -> list[dict]:
    orders = OrderGenerator(21, first_order_id=first_id).orders(count)
    stamp = second.isoformat(timespec="seconds")
    for order in orders:
        order["date_modified"] = stamp
    return orders


def test_paging_has_no_gaps_or_repeats_with_many_orders_per_second(
    sandbox: OpenCartSandbox, make_client: Client
) -> None:
    burst = datetime(2025, 5, 1, 12, 0, 0, tzinfo=timezone(timedelta(hours=2)))
    sandbox.add_orders(_same_second_orders(230, burst))  # one second, more than two pages
    sandbox.add_orders(OrderGenerator(3, first_order_id=1000).orders(120))
    abandoned = OrderGenerator(4, first_order_id=5000).order()
    abandoned["order_status_id"] = 0
    sandbox.add_order(abandoned)
    client = make_client(page_size=50)
    seen: list[int] = []
    pages = list(client.iter_orders(None))
    for page in pages:
        seen.extend(order.order_id for order in page.orders)
        assert not page.malformed
    assert len(seen) == len(set(seen)) == 350
    assert 5000 not in seen
    assert client.request_count == len(pages) == 7
    assert pages[-1].has_more is False and pages[-1].next_cursor is not None


def test_resuming_from_each_stored_cursor_misses_nothing(
    sandbox: OpenCartSandbox, make_client: Client
) -> None:
    burst = datetime(2025, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    sandbox.add_orders(_same_second_orders(120, burst))
    client = make_client(page_size=25)
    first_page = next(client.iter_orders(None))
    stored = Cursor.from_string(first_page.next_cursor.to_string())  # type: ignore[union-attr]
    rest = [
        o.order_id
        for page in client.iter_orders(stored, rewind_same_second=False)
        for o in page.orders
    ]
    assert sorted([o.order_id for o in first_page.orders] + rest) == list(range(1, 121))
    # With the default rewind the boundary second is asked again: repeats, never gaps.
    again = [o.order_id for page in client.iter_orders(stored) for o in page.orders]
    assert set(again) == set(range(1, 121))


def test_rewound_second_with_more_orders_than_a_page_misses_none(
    sandbox: OpenCartSandbox, make_client: Client
) -> None:
    # A run stored a cursor at the last order of a busy second; then an order with a lower id
    # changed in that same second. The rewound second spans several pages: none may be skipped.
    burst = datetime(2025, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    sandbox.add_orders(_same_second_orders(12, burst))
    client = make_client(page_size=3)
    stored = Cursor(burst.isoformat(timespec="seconds"), 12)
    again = [o.order_id for page in client.iter_orders(stored) for o in page.orders]
    assert set(again) == set(range(1, 13))


def test_an_idle_run_makes_exactly_one_request(
    sandbox: OpenCartSandbox, make_client: Client
) -> None:
    sandbox.generate(30)
    client = make_client()
    cursor = list(client.iter_orders(None))[-1].next_cursor
    idle = make_client()
    pages = list(idle.iter_orders(cursor, rewind_same_second=False))
    assert idle.request_count == 1 and sandbox.counts()["orders"] == 2
    assert pages[0].orders == [] and pages[0].next_cursor == cursor


def test_status_change_brings_the_order_back(sandbox: OpenCartSandbox, make_client: Client) -> None:
    sandbox.generate(40)
    client = make_client()
    cursor = list(client.iter_orders(None))[-1].next_cursor
    sandbox.set_status(7, 11)
    pages = list(client.iter_orders(cursor))
    changed = [o for page in pages for o in page.orders]
    assert [o.order_id for o in changed if o.order_id == 7] == [7]
    assert next(o for o in changed if o.order_id == 7).order_status == "Refunded"


def test_order_lookups_batch_and_report_missing(
    sandbox: OpenCartSandbox, make_client: Client
) -> None:
    sandbox.generate(130)
    sandbox.set_status(5, 0)
    client = make_client()
    page = client.get_orders([*range(1, 121), 9999, 3])
    assert sorted(o.order_id for o in page.orders) == [i for i in range(1, 121) if i != 5]
    assert page.missing == [5, 9999]
    assert client.request_count == 3  # 121 distinct ids, 50 per request
    lookups = [e.params["order_id"][0] for e in sandbox.log if e.action == "orders"]
    assert lookups[0].split(",")[:3] == ["1", "2", "3"]


def test_malformed_order_is_reported_and_the_page_goes_on(
    sandbox: OpenCartSandbox, make_client: Client
) -> None:
    orders = OrderGenerator(2).orders(5)
    orders[2]["products"][0]["price"] = 12.5
    sandbox.add_orders(orders)
    page = next(make_client().iter_orders(None))
    assert [o.order_id for o in page.orders] == [1, 2, 4, 5]
    assert page.malformed[0].order_id == 3
    assert page.malformed[0].reason == "products[0].price: not a decimal string"


@pytest.mark.parametrize(
    ("setup", "error", "text"),
    [
        (lambda s: None, OpenCartAuthError, "refused the API key (HTTP 401): copy the key from"),
        (lambda s: s.disable(), OpenCartDisabledError, "is disabled or has no API key saved"),
        (lambda s: s.set_key(None), OpenCartDisabledError, "enable it and save a key"),
    ],
    ids=["wrong-key", "disabled", "no-key-saved"],
)
def test_refusals_name_their_cause(sandbox, make_client, setup, error, text) -> None:  # type: ignore[no-untyped-def]
    setup(sandbox)
    with pytest.raises(error) as caught:
        make_client(api_key="Wrong-key-000000").ping()
    message = str(caught.value)
    assert text in message and "\n" not in message and "Wrong-key-000000" not in message


def test_wrong_url_says_so(sandbox: OpenCartSandbox, make_client: Client) -> None:
    url = f"http://user:pw@127.0.0.1:{sandbox.port}/index.php?route=extension/module/ocafas"
    with pytest.raises(OpenCartNotFoundError) as caught:
        make_client(url=url).ping()
    assert str(caught.value).startswith(
        f"no ocafas extension at http://127.0.0.1:{sandbox.port}/index.php?route="
        "extension/module/ocafas (HTTP 404)"
    )
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (
            "html",
            "sent an HTML page instead of JSON for action=ping (a login page, a PHP error or "
            "a maintenance page?): page title 'Account Login'",
        ),
        (
            "php_error",
            "sent PHP error output instead of JSON for action=ping (switch display_errors "
            "off in the shop and fix the error): PHP Fatal error: Allowed memory size",
        ),
        ("truncate", "sent truncated JSON for action=ping"),
    ],
)
def test_unusable_answers_name_their_cause(sandbox, make_client, kind, text) -> None:  # type: ignore[no-untyped-def]
    sandbox.inject(kind)
    with pytest.raises(OpenCartResponseError) as caught:
        make_client().ping()
    assert text in str(caught.value) and "\n" not in str(caught.value)


def test_slow_shop_times_out(sandbox: OpenCartSandbox, make_client: Client) -> None:
    sandbox.inject("slow", 2, seconds=1.0)
    client = make_client(timeout=0.3, max_attempts=2)
    with pytest.raises(OpenCartTimeoutError, match=r"did not answer within 0.3 s"):
        client.ping()
    assert client.request_count == 2


def test_truncated_orders_page(sandbox: OpenCartSandbox, make_client: Client) -> None:
    sandbox.generate(20)
    sandbox.inject("truncate", action="orders")
    with pytest.raises(OpenCartResponseError, match="truncated JSON for action=orders"):
        list(make_client().iter_orders(None))


def test_transient_failures_are_retried(sandbox: OpenCartSandbox, make_client: Client) -> None:
    sandbox.generate(5)
    sandbox.fail_next(2, status=503, retry_after="0")
    sandbox.inject("drop")
    client = make_client()
    assert client.ping().api_version == 1
    assert client.request_count == 4
    sandbox.fail_next(4, status=500)
    with pytest.raises(OpenCartUnavailableError, match=r"answered HTTP 500 to action=ping 4 times"):
        make_client().ping()


def test_version_mismatch_is_explained(sandbox: OpenCartSandbox, make_client: Client) -> None:
    sandbox.settings.api_version = 2
    with pytest.raises(OpenCartVersionError, match="speaks API v2, this ocafas speaks v1: upgrade"):
        make_client().ping()


def test_connection_refused_after_stop(make_client: Client) -> None:
    with OpenCartSandbox() as shop:
        url = shop.url
    with pytest.raises(OpenCartConnectionError, match="refused the connection"):
        make_client(url=url, max_attempts=2).ping()


def test_every_sandbox_response_fits_the_contract(sandbox: OpenCartSandbox) -> None:
    sandbox.generate(60)
    sandbox.set_status(3, 0)
    base = sandbox.url
    headers = {"X-Ocafas-Key": DEFAULT_KEY}
    checks = [
        ("ping", {}, "ping_response", 200),
        ("statuses", {}, "statuses_response", 200),
        ("tax_rates", {}, "tax_rates_response", 200),
        ("payment_methods", {}, "payment_methods_response", 200),
        ("orders", {"limit": "25"}, "orders_response", 200),
        ("orders", {"order_id": "1,2,3"}, "orders_response", 200),
        (
            "orders",
            {"modified_after": "2030-01-01T00:00:00+01:00", "after_id": "0"},
            "orders_response",
            200,
        ),
        ("orders", {"limit": "0"}, "error_response", 400),
        ("nope", {}, "error_response", 404),
    ]
    for action, params, definition, status in checks:
        response = requests.get(
            base, params={"action": action, **params}, headers=headers, timeout=5
        )
        assert response.status_code == status
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert contract_errors(definition, response.json()) == [], (action, params)
        assert contract_errors("error_response", response.json()) == [] or status == 200
    for key, status in (("bad-key", 401), (None, 401)):
        response = requests.get(
            base, params={"action": "ping"}, timeout=5, headers={"X-Ocafas-Key": key} if key else {}
        )
        assert response.status_code == status
        assert contract_errors("error_response", json.loads(response.content)) == []
    sandbox.disable()
    response = requests.get(base, params={"action": "ping"}, headers=headers, timeout=5)
    assert response.status_code == 403 and response.json()["error"]["code"] == "disabled"
    sandbox.enable()
    # Walk every page and check each one.
    after: dict[str, str] = {}
    while True:
        response = requests.get(
            base, headers=headers, timeout=5, params={"action": "orders", "limit": "7", **after}
        )
        page = response.json()
        assert contract_errors("orders_response", page) == []
        if page["next"] is None:
            break
        after = {k: str(v) for k, v in page["next"].items()}


def test_repeatable_order_id_and_limit_bounds(sandbox: OpenCartSandbox) -> None:
    sandbox.generate(10)
    headers = {"X-Ocafas-Key": DEFAULT_KEY}
    params = [("action", "orders"), ("order_id", "4"), ("order_id", "2,9")]
    page = requests.get(sandbox.url, params=params, headers=headers, timeout=5).json()
    assert sorted(o["order_id"] for o in page["orders"]) == [2, 4, 9] and page["next"] is None
    for limit in ("0", "501", "x"):
        answer = requests.get(
            sandbox.url, params={"action": "orders", "limit": limit}, headers=headers, timeout=5
        )
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"


def test_the_sandbox_never_imports_the_client() -> None:
    for source in Path(ocafas.sandbox.__file__).parent.glob("*.py"):
        assert "ocafas.opencart" not in source.read_text(encoding="utf-8"), source.name
