"""The wire layer of the AFAS SB client: access tokens, versions, retries, error classification.

Rules it enforces:
- an access token is fetched from the app token when first needed (an idle run fetches none),
  renewed shortly before it expires, and fetched anew once when a call answers 401;
- every call sends the ``Accept-Version`` of its endpoint (API 8.0 versions);
- GETs are retried on 429 (honouring ``Retry-After``), 5xx, timeouts and connection errors;
  a POST or DELETE is retried only when it carries a ``Tracking-Identifier``, because AFAS then
  answers a repeat with the first response instead of booking twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from ocafas.afas import jsonbody
from ocafas.errors import (
    AfasAuthError,
    AfasError,
    AfasForbiddenError,
    AfasTransientError,
)
from ocafas.http import check_transport, make_session
from ocafas.redact import redact, register_secret

log = logging.getLogger("ocafas.afas")

#: Accept-Version per (method, endpoint), from the 8.0 spec (see NOTES.md).
VERSIONS: dict[tuple[str, str], str] = {
    ("GET", "administrations"): "1.0",
    ("GET", "ledgeraccounts"): "2.0",
    ("GET", "persons"): "2.0",
    ("GET", "organisations"): "2.0",
    ("GET", "unknownrelation"): "1.0",
    ("GET", "paymentconditions"): "1.0",
    ("GET", "countries"): "1.0",
    ("GET", "vattype"): "1.0",
    ("GET", "vatrate"): "1.0",
    ("GET", "departments"): "1.0",
    ("GET", "projects"): "1.0",
    ("GET", "locations"): "1.0",
    ("GET", "journalentries"): "1.1",
    ("GET", "salesinvoices"): "1.2",
    ("GET", "debtorinvoicebalance"): "3.0",
    ("POST", "person"): "4.0",
    ("POST", "organisation"): "4.0",
    ("POST", "salesjournalentry"): "3.0",
    ("DELETE", "salesjournalentry"): "2.1",
}

#: Renew the access token when less than this share of its lifetime is left.
_RENEW_SHARE = 0.1
_RENEW_MIN_SECONDS = 5.0
_MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class Reply:
    """A response AFAS SB gave: HTTP status and the parsed JSON body (None when empty)."""

    status: int
    body: Any


@dataclass(frozen=True)
class _Text:
    """A request body already serialised: sent as it is."""

    text: str


class _Retryable(Exception):
    """Internal: a failure worth another attempt (429, 5xx, timeout, connection error)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, min(float(value), _MAX_RETRY_AFTER))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return None
        return max(0.0, min(when - time.time(), _MAX_RETRY_AFTER))


class AfasTransport:
    """Sends requests to one AFAS SB customer environment; thread-safe."""

    def __init__(
        self,
        base_url: str,
        app_token: str,
        *,
        timeout: float = 30.0,
        session: requests.Session | None = None,
        pool_size: int = 10,
        max_in_flight: int | None = None,
        ca_bundle: str | None = None,
        max_attempts: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        reason = check_transport(base_url)
        if reason:
            raise AfasError(f"AFAS SB base URL {redact(base_url)}: {reason}")
        self.base_url = base_url.rstrip("/")
        self._app_token = app_token
        register_secret(app_token)
        self.timeout = timeout
        self.session = session or make_session(
            pool_size=pool_size, ca_bundle=ca_bundle, base_url=self.base_url
        )
        #: At most this many requests to AFAS SB at once, however many threads send: the
        #: pipeline's workers prepare and record orders while others wait for AFAS.
        self._in_flight = (
            threading.BoundedSemaphore(max_in_flight) if max_in_flight else contextlib.nullcontext()
        )
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._clock = clock
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = threading.Lock()
        self._count_lock = threading.Lock()
        #: Calls made, by "METHOD endpoint" (the benchmark and the idle-run test read it).
        self.calls: Counter[str] = Counter()

    # -- access token -------------------------------------------------------------------------

    def _count(self, key: str) -> None:
        with self._count_lock:
            self.calls[key] += 1

    def access_token(self, force: bool = False, stale: str | None = None) -> str:
        """The current access token; fetched when missing, nearly expired, or forced."""
        with self._token_lock:
            if force and stale is not None and self._token != stale:
                force = False  # another thread already renewed it
            if not force and self._token and self._clock() < self._token_expires:
                return self._token
            self._token = self._fetch_token()
            return self._token

    def _fetch_token(self) -> str:
        url = f"{self.base_url}/authentication/getaccesstoken"
        # Fetching a token changes nothing in AFAS, so it may be retried like a GET.
        reply = self._with_retries(
            lambda: self._once("POST", url, "getaccesstoken", {}, {"apptoken": self._app_token}),
            retryable=True,
        )
        if reply.status in (400, 401, 403):
            raise AfasAuthError(
                f"AFAS SB refused the app token (HTTP {reply.status})",
                hint="check afas.app_token: activate the app in AFAS SB's App Center and copy "
                "its token",
            )
        if reply.status == 404:
            raise AfasError(
                f"AFAS SB authentication not found at {redact(url)} (HTTP 404)",
                hint="check afas.accountant_domain and afas.customer_environment",
            )
        body = reply.body
        token = body.get("access_token") if isinstance(body, dict) else None
        if reply.status != 200 or not isinstance(token, str) or not token:
            raise AfasError(f"AFAS SB gave no access token (HTTP {reply.status})")
        register_secret(token)
        try:
            lifetime = float(str(body.get("expires_in", "600")))
        except ValueError:
            lifetime = 600.0
        margin = max(_RENEW_MIN_SECONDS, lifetime * _RENEW_SHARE)
        self._token_expires = self._clock() + max(lifetime - margin, 1.0)
        log.debug("fetched an AFAS SB access token valid for %.0f s", lifetime)
        return token

    # -- requests -----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        endpoint: str,
        *,
        params: dict[str, str | int] | None = None,
        body: Any = None,
        tracking_id: str | None = None,
        body_text: str | None = None,
    ) -> Reply:
        """Send one API call with token, version and retries; classify auth failures.

        ``body_text``: the body already serialised (the exact text the ledger recorded before
        the POST); sent byte for byte instead of ``body``.

        Returns the reply for 2xx, 400, 404 and 409; raises AfasAuthError (401 twice),
        AfasForbiddenError (403) and AfasTransientError (retries exhausted).
        """
        version = VERSIONS.get((method, endpoint))
        if version is None:
            raise ValueError(f"no Accept-Version known for {method} {endpoint}")
        url = f"{self.base_url}/api/{endpoint}"
        headers = {"Accept-Version": version, "Accept": "application/json"}
        if tracking_id:
            headers["Tracking-Identifier"] = tracking_id
        retryable = method == "GET" or tracking_id is not None
        refreshed = False
        if body_text is not None:
            body = _Text(body_text)

        def attempt() -> Reply:
            nonlocal refreshed
            token = self.access_token()
            reply = self._once(
                method, url, endpoint, {**headers, "Authorization": f"Bearer {token}"}, body, params
            )
            if reply.status == 401 and not refreshed:
                refreshed = True
                token = self.access_token(force=True, stale=token)
                reply = self._once(
                    method,
                    url,
                    endpoint,
                    {**headers, "Authorization": f"Bearer {token}"},
                    body,
                    params,
                )
            return reply

        reply = self._with_retries(attempt, retryable)
        if reply.status == 401:
            raise AfasAuthError(
                f"AFAS SB refused our access token for {endpoint} even after renewing it "
                "(HTTP 401)",
                hint="check afas.app_token and that the app is still active in the App Center",
            )
        if reply.status == 403:
            raise AfasForbiddenError(
                f"the AFAS SB app has no rights on {method} {endpoint} (HTTP 403)",
                hint="grant the app access to this endpoint in AFAS SB's App Center",
            )
        return reply

    def _with_retries(self, call: Callable[[], Reply], retryable: bool) -> Reply:
        attempts = self.max_attempts if retryable else 1
        retrying = Retrying(
            stop=stop_after_attempt(attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return call()
        except _Retryable as err:
            tried = f"after {attempts} attempts" if attempts > 1 else "(not retried: no "
            if attempts == 1:
                tried += "Tracking-Identifier, so the outcome is unknown)"
            raise AfasTransientError(f"AFAS SB is unavailable: {err.reason} {tried}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return exc.retry_after
        return float(min(self.max_backoff, self.backoff * 2 ** (state.attempt_number - 1)))

    def _once(
        self,
        method: str,
        url: str,
        endpoint: str,
        headers: dict[str, str],
        body: Any,
        params: dict[str, str | int] | None = None,
    ) -> Reply:
        data = None
        if isinstance(body, _Text):
            data = body.text.encode("utf-8")
            headers = {**headers, "Content-Type": "application/json; charset=utf-8"}
        elif body is not None:
            data = jsonbody.dumps(body).encode("utf-8")
            headers = {**headers, "Content-Type": "application/json; charset=utf-8"}
        self._count(f"{method} {endpoint}")
        started = time.perf_counter()
        try:
            with self._in_flight:
                response = self.session.request(
                    method, url, params=params, data=data, headers=headers, timeout=self.timeout
                )
        except requests.Timeout:
            raise _Retryable(f"no answer within {self.timeout:g} s ({method} {endpoint})") from None
        except requests.exceptions.SSLError as err:
            raise AfasError(f"TLS error talking to AFAS SB: {redact(str(err))[:200]}") from None
        except requests.ConnectionError as err:
            reason = type(err.__context__ or err).__name__
            raise _Retryable(f"connection failed ({reason}, {method} {endpoint})") from None
        elapsed = time.perf_counter() - started
        log.debug("AFAS %s %s -> %s in %.3f s", method, endpoint, response.status_code, elapsed)
        status = response.status_code
        if status == 429:
            raise _Retryable(
                f"too many requests (HTTP 429, {method} {endpoint})",
                _parse_retry_after(response.headers.get("Retry-After")),
            )
        if status >= 500:
            raise _Retryable(f"HTTP {status} ({method} {endpoint})")
        return Reply(status, _parse_body(response, endpoint))


def _parse_body(response: requests.Response, endpoint: str) -> Any:
    text = response.text
    if not text.strip():
        return None
    try:
        return jsonbody.loads(text)
    except ValueError:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        raise AfasError(
            f"AFAS SB answered {endpoint} with something that is not JSON "
            f"(HTTP {response.status_code}): {redact(first)[:120]!r}"
        ) from None
