"""The client of the ocafas OpenCart extension (contract v1), read-only and page by page.

Every request is a GET, so each may be retried on connection errors, timeouts, 5xx and 429
(honouring Retry-After, bounded). Redirects are not followed: requests would forward the
``X-Ocafas-Key`` header to wherever the shop points, and a redirect to a login page is better
reported than silently parsed. Orders are parsed one by one so one unreadable order becomes a
:class:`MalformedOrder` on its page instead of stopping the run.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from ocafas.http import check_transport, make_session
from ocafas.opencart import parse
from ocafas.opencart.errors import (
    OpenCartAuthError,
    OpenCartDisabledError,
    OpenCartError,
    OpenCartNotFoundError,
    OpenCartRequestError,
    OpenCartResponseError,
    OpenCartUnavailableError,
    OpenCartVersionError,
)
from ocafas.opencart.models import (
    Cursor,
    MalformedOrder,
    Order,
    OrderPage,
    PaymentMethod,
    ShopInfo,
    StatusList,
    TaxRate,
)
from ocafas.opencart.wire import (
    decode_json,
    display_url,
    error_body,
    not_json_error,
    shorten,
    transport_error,
)
from ocafas.redact import redact, register_secret

T = TypeVar("T")
API_VERSION = 1
KEY_HEADER = "X-Ocafas-Key"
MAX_PAGE_SIZE = 500
LOOKUP_BATCH = 50
SETTINGS_PAGE = "the ocafas extension's settings page in the OpenCart admin"


class _Transient(Exception):
    """An attempt that may be repeated: a network failure or a 5xx/429 answer."""

    def __init__(
        self,
        response: requests.Response | None = None,
        problem: requests.RequestException | None = None,
    ) -> None:
        super().__init__("transient")
        self.response = response
        self.problem = problem


def _retry_after(response: requests.Response | None) -> float | None:
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


class OpenCartClient:
    """Talks to one shop's ocafas extension endpoint (the whole URL, as its settings page shows)."""

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float = 30,
        page_size: int = 100,
        session: requests.Session | None = None,
        ca_bundle: str | None = None,
        max_attempts: int = 4,
        backoff: float = 1.0,
        max_retry_after: float = 60.0,
    ) -> None:
        register_secret(api_key)
        refusal = check_transport(url)
        if refusal:
            raise OpenCartRequestError(f"OpenCart URL {display_url(url)}: {refusal}")
        if not api_key or not api_key.isascii() or not api_key.isprintable():
            raise OpenCartAuthError(
                f"the OpenCart API key is empty or has characters a key cannot have; "
                f"copy it from {SETTINGS_PAGE}"
            )
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise OpenCartRequestError(f"OpenCart page size must be 1..{MAX_PAGE_SIZE}")
        self.url = url
        self.where = display_url(url)
        self.timeout = float(timeout)
        self.page_size = page_size
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._key = api_key
        self._session = session or make_session(ca_bundle=ca_bundle, base_url=url)
        if session is not None and ca_bundle:
            self._session.verify = ca_bundle
        #: HTTP requests sent, retries included.
        self.request_count = 0

    # -- public API ------------------------------------------------------------------------

    def ping(self) -> ShopInfo:
        """The shop's facts; refuses an extension that speaks another contract version."""
        payload = self._get("ping", {})
        version = payload.get("api_version") if isinstance(payload, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version != API_VERSION:
            if version > API_VERSION:
                raise OpenCartVersionError(
                    f"the ocafas extension at {self.where} speaks API v{version}, this ocafas "
                    f"speaks v{API_VERSION}: upgrade ocafas"
                )
            raise OpenCartVersionError(
                f"the ocafas extension at {self.where} speaks API v{version}, this ocafas needs "
                f"v{API_VERSION}: install the newer extension from the ocafas release"
            )
        return self._shape("ping", payload, parse.parse_shop_info)

    def statuses(self) -> StatusList:
        return self._shape("statuses", self._get("statuses", {}), parse.parse_statuses)

    def tax_rates(self) -> list[TaxRate]:
        return list(self._shape("tax_rates", self._get("tax_rates", {}), parse.parse_tax_rates))

    def payment_methods(self) -> list[PaymentMethod]:
        payload = self._get("payment_methods", {})
        return list(self._shape("payment_methods", payload, parse.parse_payment_methods))

    def iter_orders(
        self, cursor: Cursor | None = None, *, rewind_same_second: bool = True
    ) -> Iterator[OrderPage]:
        """Pages of orders modified after ``cursor`` (all orders when None), fetched lazily.

        Store each page's ``next_cursor`` after handling the page; an idle shop costs exactly
        one request. OpenCart's ``date_modified`` has whole seconds, so an order with a lower id
        changed in the very second a stored cursor points at would sort before it and be missed
        for good; with ``rewind_same_second`` the first request asks for that whole second again
        (``after_id=0``), so those few orders come back and the ledger's "seen before" skips them.
        """
        fallback = cursor
        if cursor is not None and rewind_same_second:
            cursor = Cursor(cursor.modified_after, 0)
        while True:
            params = {"limit": str(self.page_size)}
            if cursor is not None:
                params.update(cursor.params())
            page = self._orders_page(params, fallback)
            yield page
            if not page.has_more:
                return
            if page.next_cursor is None or not _advances(cursor, page.next_cursor):
                raise OpenCartResponseError(
                    f"{self.where} sent a paging cursor that does not move forward "
                    f"({page.next_cursor}); the extension's paging is broken"
                )
            cursor = fallback = page.next_cursor

    def get_orders(self, order_ids: Sequence[int]) -> OrderPage:
        """Exactly these orders, whatever their date; ``missing`` lists those the shop lacks."""
        wanted = list(dict.fromkeys(int(order_id) for order_id in order_ids))
        orders: list[Order] = []
        malformed: list[MalformedOrder] = []
        for start in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[start : start + LOOKUP_BATCH]
            params = {"order_id": ",".join(map(str, batch)), "limit": str(len(batch))}
            page = self._orders_page(params, None)
            orders.extend(page.orders)
            malformed.extend(page.malformed)
        seen = {order.order_id for order in orders}
        seen.update(bad.order_id for bad in malformed if bad.order_id is not None)
        missing = [order_id for order_id in wanted if order_id not in seen]
        return OrderPage(orders, malformed, next_cursor=None, has_more=False, missing=missing)

    def close(self) -> None:
        self._session.close()

    # -- internals -------------------------------------------------------------------------

    def _orders_page(self, params: dict[str, str], cursor: Cursor | None) -> OrderPage:
        payload = self._get("orders", params)
        raw_orders = payload.get("orders") if isinstance(payload, dict) else None
        if not isinstance(raw_orders, list) or "next" not in payload:
            missing = "orders" if not isinstance(raw_orders, list) else "next"
            raise self._shape_error("orders", f"{missing}: missing")
        orders: list[Order] = []
        malformed: list[MalformedOrder] = []
        last: Cursor | None = None
        for raw in raw_orders:
            parsed = parse.parse_order(raw)
            if isinstance(parsed, Order):
                orders.append(parsed)
            else:
                malformed.append(parsed)
            last = _position(raw) or last
        server_next = self._shape("orders", payload["next"], _parse_next)
        next_cursor = server_next or last or cursor
        if (
            server_next is None
            and cursor is not None
            and next_cursor is not None
            and not _advances(cursor, next_cursor)
        ):
            # The last page of a rewound second never moves a stored cursor backwards. A page
            # with more to come keeps its own position, even behind the stored cursor: paging
            # on from the stored one would skip the rest of that second.
            next_cursor = cursor
        return OrderPage(orders, malformed, next_cursor, has_more=server_next is not None)

    def _shape(self, action: str, payload: Any, parser: Callable[[Any], T]) -> T:
        try:
            return parser(payload)
        except parse.ResponseShapeError as problem:
            raise self._shape_error(action, str(problem)) from None

    def _shape_error(self, action: str, problem: str) -> OpenCartResponseError:
        return OpenCartResponseError(
            redact(
                f"{self.where} answered action={action} without what the ocafas extension v1 "
                f"sends ({shorten(problem, 80)}): is the URL the extension's endpoint?"
            )
        )

    def _get(self, action: str, params: dict[str, str]) -> Any:
        response = self._send({"action": action, **params})
        status = response.status_code
        payload = decode_json(response)
        if 300 <= status < 400:
            target = display_url(response.headers.get("Location", "") or "?")
            raise OpenCartRequestError(
                f"{self.where} redirects (HTTP {status}) to {target}: configure the final URL "
                f"shown on {SETTINGS_PAGE}"
            )
        if status >= 400:
            raise self._status_error(action, response, payload)
        if payload is None:
            raise not_json_error(response, action, self.where)
        if not isinstance(payload, dict):
            raise self._shape_error(action, f"expected a JSON object, got {type(payload).__name__}")
        if "error" in payload and error_body(payload):
            code, message = error_body(payload) or ("", "")
            raise OpenCartResponseError(
                redact(f"{self.where} reported error {code!r} with HTTP {status}: {message}")
            )
        return payload

    def _status_error(
        self, action: str, response: requests.Response, payload: Any
    ) -> OpenCartError:
        status = response.status_code
        code, message = error_body(payload) or ("", "")
        said = f": {message}" if message else ""
        if status == 401:
            return OpenCartAuthError(
                f"{self.where} refused the API key (HTTP 401): copy the key from {SETTINGS_PAGE}"
            )
        if status == 403 and code in ("disabled", ""):
            if code == "":
                evidence = not_json_error(response, action, self.where) if payload is None else None
                detail = f" ({evidence})" if evidence else ""
                return OpenCartDisabledError(
                    redact(
                        f"{self.where} forbids access (HTTP 403) but not as the ocafas "
                        f"extension does: a web server or firewall rule?{detail}"
                    )
                )
            return OpenCartDisabledError(
                f"the ocafas extension at {self.where} is disabled or has no API key saved "
                f"(HTTP 403): enable it and save a key on {SETTINGS_PAGE}"
            )
        if status == 404:
            if code == "not_found":
                return OpenCartNotFoundError(
                    redact(
                        f"the ocafas extension at {self.where} does not know action={action} "
                        f"(HTTP 404{said}): is the extension older than this ocafas?"
                    )
                )
            return OpenCartNotFoundError(
                f"no ocafas extension at {self.where} (HTTP 404): check the URL against the one "
                f"shown on {SETTINGS_PAGE}"
            )
        if status == 429 or status >= 500:
            return OpenCartUnavailableError(
                redact(
                    f"{self.where} answered HTTP {status} to action={action} "
                    f"{self.max_attempts} times{said}; try again later"
                )
            )
        return OpenCartRequestError(
            redact(
                f"{self.where} refused action={action} with HTTP {status}"
                f"{' ' + code if code else ''}{said}"
            )
        )

    def _send(self, params: dict[str, str]) -> requests.Response:
        headers = {KEY_HEADER: self._key, "Accept": "application/json"}
        timeouts = (min(10.0, self.timeout), self.timeout)
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self.request_count += 1
                    try:
                        response = self._session.get(
                            self.url,
                            params=params,
                            headers=headers,
                            timeout=timeouts,
                            allow_redirects=False,
                        )
                    except requests.exceptions.SSLError as problem:
                        raise transport_error(problem, self.where, self.timeout) from None
                    except (requests.ConnectionError, requests.Timeout) as problem:
                        raise _Transient(problem=problem) from None
                    if response.status_code == 429 or response.status_code >= 500:
                        raise _Transient(response=response)
                    return response
        except _Transient as last:
            if last.response is not None:
                return last.response
            assert last.problem is not None
            raise transport_error(last.problem, self.where, self.timeout) from None
        except requests.RequestException as problem:
            raise transport_error(problem, self.where, self.timeout) from None
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover

    def _wait(self, state: RetryCallState) -> float:
        problem = state.outcome.exception() if state.outcome else None
        response = problem.response if isinstance(problem, _Transient) else None
        asked = _retry_after(response)
        if asked is not None:
            return min(asked, self.max_retry_after)
        return float(min(self.backoff * 2 ** (state.attempt_number - 1), 30.0))


def _parse_next(value: Any) -> Cursor | None:
    if value is None:
        return None
    modified_after = parse.text(value, "modified_after", "next", max_len=40)
    after_id = parse.integer(value, "after_id", "next")
    try:
        return Cursor(modified_after, after_id)
    except ValueError as problem:
        raise parse.ResponseShapeError("next", str(problem)) from None


def _position(raw: Any) -> Cursor | None:
    """The paging position of a raw order when its id and date are readable."""
    order_id = parse.order_id_of(raw)
    modified = raw.get("date_modified") if isinstance(raw, dict) else None
    if order_id is None or not isinstance(modified, str):
        return None
    try:
        return Cursor(modified, order_id)
    except ValueError:
        return None


def _advances(before: Cursor | None, after: Cursor) -> bool:
    if before is None:
        return True
    try:
        old = (
            datetime.fromisoformat(before.modified_after.replace("Z", "+00:00")),
            before.after_id,
        )
        new = (datetime.fromisoformat(after.modified_after.replace("Z", "+00:00")), after.after_id)
    except ValueError:
        return before != after
    return new > old
