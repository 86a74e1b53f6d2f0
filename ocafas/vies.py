"""A client of the EU's VIES REST API: is this VAT number registered, with a consultation number.

The API (the European Commission's "VIES on-the-Web" REST interface, base URL
https://ec.europa.eu/taxation_customs/vies/rest-api; endpoints listed e.g. by the SDK at
https://packagist.org/packages/conedevelopment/vies-php and the ``errorWrappers`` answers quoted in
https://github.com/jofme/D365FinanceToolbox/issues/73):

    POST {base}/check-vat-number
      {"countryCode": "DE", "vatNumber": "136695976",
       "requesterMemberStateCode": "NL", "requesterNumber": "004495445B01"}
    200 {"countryCode": "DE", "vatNumber": "136695976", "requestDate": "2025-03-01T10:00:00.123Z",
         "valid": true, "requestIdentifier": "WAPIAAAAW...", "name": "...", "address": "...", ...}
    4xx/5xx (and sometimes 200) {"actionSucceed": false,
         "errorWrappers": [{"error": "MS_UNAVAILABLE", "message": "..."}]}

The ``requestIdentifier`` (the consultation number) is only issued when the requester's own VAT
number is given; it is the proof for the tax office that the number was checked on that day.

A VIES failure is never read as "invalid": a member state that is down (``MS_UNAVAILABLE``), rate
limiting (``MS_MAX_CONCURRENT_REQ``, ``GLOBAL_MAX_CONCURRENT_REQ``), timeouts and 5xx answers are
:class:`ViesUnavailable`, and the order waits. The query has no side effect, so it is retried.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import requests

from ocafas.http import check_transport, make_session

log = logging.getLogger("ocafas.vies")

VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api"
#: VIES error codes that mean "ask again later": nothing is known about the number.
RETRYABLE_ERRORS = frozenset(
    {
        "SERVICE_UNAVAILABLE",
        "TIMEOUT",
        "GLOBAL_MAX_CONCURRENT_REQ",
        "GLOBAL_MAX_CONCURRENT_REQ_TIME",
        "MS_MAX_CONCURRENT_REQ",
        "MS_MAX_CONCURRENT_REQ_TIME",
        "SERVER_BUSY",
    }
)
#: Not worth retrying within this run, but not an answer about the number either.
UNAVAILABLE_ERRORS = frozenset({"MS_UNAVAILABLE", "IP_BLOCKED", "INVALID_REQUESTER_INFO"})
#: VIES's own verdict that the number is not one it can confirm.
INVALID_ERRORS = frozenset({"INVALID_INPUT", "INVALID", "VAT_BLOCKED"})
#: What VIES writes in name/address when the member state does not disclose them.
_UNDISCLOSED = frozenset({"", "---", "--", "-"})
#: VAT-number prefixes VIES uses that differ from ISO 3166 (Greece is EL in VIES).
_TO_VIES_PREFIX = {"GR": "EL"}


@dataclass(frozen=True)
class ViesValid:
    """VIES confirms the number; ``consultation_number`` is the evidence (None: no requester)."""

    vat_number: str  # compact, with its prefix: DE136695976
    request_date: str  # as VIES wrote it
    checked_at: str  # ISO 8601 UTC: VIES's request date, or our clock when it sent none
    consultation_number: str | None
    name: str | None
    address: str | None
    raw: str

    valid = True


@dataclass(frozen=True)
class ViesInvalid:
    """VIES says the number is not a valid, registered VAT number (``reason``: VIES's code)."""

    vat_number: str
    request_date: str
    checked_at: str
    consultation_number: str | None
    reason: str
    raw: str

    valid = False


@dataclass(frozen=True)
class ViesUnavailable:
    """VIES gave no answer about the number: down, rate limited, timed out. Ask again later."""

    vat_number: str
    code: str  # MS_UNAVAILABLE, MS_MAX_CONCURRENT_REQ, HTTP_503, TIMEOUT, ...
    message: str


ViesResult = ViesValid | ViesInvalid | ViesUnavailable


def split_number(vat_number: str) -> tuple[str, str]:
    """``("DE", "136695976")`` for DE136695976; Greece's ISO GR becomes VIES's EL."""
    compact = vat_number.replace(" ", "").upper()
    prefix = compact[:2]
    return _TO_VIES_PREFIX.get(prefix, prefix), compact[2:]


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return None if cleaned in _UNDISCLOSED else cleaned


def _checked_at(request_date: str) -> str:
    """VIES's request moment as ISO 8601 UTC; our own clock when VIES's date has no time."""
    text = request_date.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or len(text) <= 16:
        moment = datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


class ViesClient:
    """Asks VIES about EU VAT numbers, each number once per client (one client per run).

    ``requester`` is the shop's own VAT number (``vat.shop_vat_number``); without it VIES
    answers but issues no consultation number. Thread-safe: two workers asking about the same
    number wait for one request.
    """

    def __init__(
        self,
        base_url: str = VIES_URL,
        requester: str | None = None,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        attempts: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 10.0,
        session: requests.Session | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        reason = check_transport(base_url)
        if reason:
            raise ValueError(f"VIES URL {base_url!r}: {reason}")
        self.base_url = base_url.rstrip("/")
        self.requester = split_number(requester) if requester else None
        self.timeout = (connect_timeout, timeout)
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.session = session or make_session(
            pool_size=4, ca_bundle=ca_bundle, base_url=self.base_url
        )
        self.request_count = 0
        self._cache: dict[str, ViesResult] = {}
        self._down: dict[str, ViesUnavailable] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, vat: Any, **options: Any) -> ViesClient:
        """The client of ``settings.vat`` (``vies_url``, ``shop_vat_number``)."""
        return cls(vat.vies_url, vat.shop_vat_number, **options)

    def close(self) -> None:
        self.session.close()

    # -- the one question ---------------------------------------------------------------------

    def check(self, vat_number: str) -> ViesResult:
        """What VIES says about ``vat_number`` (compact, with its prefix), asked once per client.

        Never raises for a VIES or network failure: that is a :class:`ViesUnavailable`.
        """
        key = vat_number.replace(" ", "").upper()
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                cached = self._cache.get(key)
                country = split_number(key)[0]
                down = self._down.get(country)
            if cached is not None:
                return cached
            if down is not None:
                return ViesUnavailable(key, down.code, down.message)
            result = self._ask(key)
            with self._lock:
                self._cache[key] = result
                if isinstance(result, ViesUnavailable) and result.code == "MS_UNAVAILABLE":
                    self._down[country] = result  # that member state's other numbers too
            return result

    def _ask(self, key: str) -> ViesResult:
        country, number = split_number(key)
        body: dict[str, str] = {"countryCode": country, "vatNumber": number}
        if self.requester is not None:
            body["requesterMemberStateCode"], body["requesterNumber"] = self.requester
        url = f"{self.base_url}/check-vat-number"
        result: ViesResult = ViesUnavailable(key, "NOT_ASKED", "VIES was not asked")
        for attempt in range(1, self.attempts + 1):
            result, retry_after = self._once(url, key, body)
            if not isinstance(result, ViesUnavailable) or result.code not in _RETRY:
                return result
            if attempt < self.attempts:
                delay = min(self.max_backoff, retry_after or self.backoff * 2 ** (attempt - 1))
                log.info("VIES: %s for %s, asking again in %.1f s", result.code, key, delay)
                time.sleep(delay)
        return result

    def _once(self, url: str, key: str, body: dict[str, str]) -> tuple[ViesResult, float | None]:
        with self._lock:
            self.request_count += 1
        try:
            response = self.session.post(
                url, json=body, timeout=self.timeout, headers={"Accept": "application/json"}
            )
        except requests.Timeout:
            return ViesUnavailable(key, "TIMEOUT", "VIES did not answer in time"), None
        except requests.RequestException as err:
            return ViesUnavailable(
                key, "CONNECTION", f"VIES unreachable: {type(err).__name__}"
            ), None
        retry_after = _retry_after(response.headers.get("Retry-After"))
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            verdict = read_answer(key, data, response.text)
            if verdict is not None:
                return verdict, retry_after
        if response.status_code == 429 or response.status_code >= 500:
            code = f"HTTP_{response.status_code}"
            return ViesUnavailable(key, code, f"VIES answered HTTP {response.status_code}"), (
                retry_after
            )
        what = "no JSON" if data is None else "an answer ocafas cannot read"
        message = f"VIES answered HTTP {response.status_code} with {what}"
        return ViesUnavailable(key, "UNEXPECTED_ANSWER", message), None


#: Unavailable codes worth a second try: VIES's own, and ours for the network and HTTP.
_RETRY = RETRYABLE_ERRORS | frozenset(
    {"CONNECTION", "HTTP_429", "HTTP_500", "HTTP_502", "HTTP_503", "HTTP_504"}
)


def read_answer(key: str, data: dict[str, Any], raw: str) -> ViesResult | None:
    """The verdict in one VIES JSON answer; None when it holds none (the caller decides)."""
    errors = data.get("errorWrappers")
    if data.get("actionSucceed") is False or isinstance(errors, list):
        first = errors[0] if isinstance(errors, list) and errors else {}
        code = str(first.get("error") or "UNKNOWN_ERROR") if isinstance(first, dict) else ""
        message = str(first.get("message") or code) if isinstance(first, dict) else code
        if code in INVALID_ERRORS:
            date = str(data.get("requestDate") or "")
            return ViesInvalid(key, date, _checked_at(date), None, code, raw)
        return ViesUnavailable(key, code or "UNKNOWN_ERROR", f"VIES: {message[:200]}")
    # The GET variant and some 200 answers report trouble in userError beside "valid": false.
    user_error = data.get("userError")
    if isinstance(user_error, str) and user_error not in ("", "VALID", "INVALID"):
        if user_error in INVALID_ERRORS:
            date = str(data.get("requestDate") or "")
            return ViesInvalid(key, date, _checked_at(date), None, user_error, raw)
        return ViesUnavailable(key, user_error, f"VIES: {user_error}")
    valid = data.get("valid", data.get("isValid"))
    if not isinstance(valid, bool):
        return None
    date = str(data.get("requestDate") or "")
    consultation = _text(data.get("requestIdentifier"))
    if valid:
        return ViesValid(
            vat_number=key,
            request_date=date,
            checked_at=_checked_at(date),
            consultation_number=consultation,
            name=_text(data.get("name")) or _text(data.get("traderName")),
            address=_text(data.get("address")) or _text(data.get("traderAddress")),
            raw=raw,
        )
    return ViesInvalid(key, date, _checked_at(date), consultation, "INVALID", raw)


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


__all__ = [
    "VIES_URL",
    "ViesClient",
    "ViesInvalid",
    "ViesResult",
    "ViesUnavailable",
    "ViesValid",
    "read_answer",
    "split_number",
]
