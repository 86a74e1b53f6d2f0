"""A local stand-in for the EU's VIES REST API on 127.0.0.1, so no test reaches the real service.

It answers ``POST <base_url>/check-vat-number`` the way VIES does (from its own reading of the
API, never from ocafas.vies): a registered number gets ``valid: true`` with a name, an address,
the request date and, when the request names a requester, a consultation number
(``requestIdentifier``); any other number gets ``valid: false``. Faults are switched on by tests:
a member state that is down (``MS_UNAVAILABLE``), rate limiting (``MS_MAX_CONCURRENT_REQ``),
5xx answers and slowness. Every request is logged.

    with ViesSandbox(valid={"DE136695976": ("Acme GmbH", "Hauptstr. 1, Berlin")}) as vies:
        vies.base_url   # -> vat.vies_url
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ocafas.sandbox.serving import ServedSandbox

PATH = "/taxation_customs/vies/rest-api"
ROUTE = PATH + "/check-vat-number"


@dataclass
class _Fault:
    kind: str  # status | error
    status: int
    error: str = ""


@dataclass
class ViesRequest:
    """One request the stand-in received (the parsed JSON body, or None)."""

    method: str
    path: str
    body: dict[str, Any] | None


@dataclass
class _State:
    valid: dict[str, tuple[str, str]]
    down: dict[str, int] = field(default_factory=dict)  # country -> HTTP status of MS_UNAVAILABLE
    faults: deque[_Fault] = field(default_factory=deque)
    latency: float = 0.0


def _key(country: str, number: str) -> str:
    return (country + number).replace(" ", "").upper()


class ViesSandbox(ServedSandbox):
    """VIES on 127.0.0.1 and a free port; ``valid`` maps numbers (``DE136695976``) to name, address.

    Greek numbers are keyed as VIES writes them (``EL...``).
    """

    _poll_interval = 0.05
    _not_running = "the VIES sandbox is not started"

    def __init__(
        self,
        valid: Mapping[str, tuple[str, str]] | Iterable[str] = (),
        *,
        latency: float = 0.0,
    ) -> None:
        if isinstance(valid, Mapping):
            numbers = {k.replace(" ", "").upper(): v for k, v in valid.items()}
        else:
            numbers = {k.replace(" ", "").upper(): ("---", "---") for k in valid}
        self._state = _State(valid=numbers, latency=latency)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.requests: list[ViesRequest] = []

    # -- lifecycle --------------------------------------------------------------------------

    def _make_server(self) -> ThreadingHTTPServer:
        return ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))

    @property
    def base_url(self) -> str:
        """What ``vat.vies_url`` is set to."""
        return f"http://127.0.0.1:{self.port}{PATH}"

    # -- state and faults -------------------------------------------------------------------

    def register(self, number: str, name: str = "---", address: str = "---") -> None:
        with self._lock:
            self._state.valid[number.replace(" ", "").upper()] = (name, address)

    def deregister(self, number: str) -> None:
        with self._lock:
            self._state.valid.pop(number.replace(" ", "").upper(), None)

    def set_unavailable(self, country: str, status: int = 200) -> None:
        """The member state's service is down: ``MS_UNAVAILABLE`` (VIES sends it with 200 too)."""
        with self._lock:
            self._state.down[country.upper()] = status

    def set_available(self, country: str) -> None:
        with self._lock:
            self._state.down.pop(country.upper(), None)

    def fail_next(self, count: int = 1, status: int = 503) -> None:
        """The next ``count`` requests get a bare HTTP error (a proxy's 5xx page)."""
        with self._lock:
            self._state.faults.extend(_Fault("status", status) for _ in range(count))

    def error_next(
        self, count: int = 1, error: str = "MS_MAX_CONCURRENT_REQ", status: int = 200
    ) -> None:
        """The next ``count`` requests get a VIES error (rate limiting by default)."""
        with self._lock:
            self._state.faults.extend(_Fault("error", status, error) for _ in range(count))

    def set_latency(self, seconds: float) -> None:
        with self._lock:
            self._state.latency = seconds

    def clear_faults(self) -> None:
        with self._lock:
            self._state.faults.clear()
            self._state.down.clear()
            self._state.latency = 0.0

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def asked(self) -> list[str]:
        """The numbers asked about, in order (``DE136695976``)."""
        with self._lock:
            return [
                _key(str(r.body.get("countryCode", "")), str(r.body.get("vatNumber", "")))
                for r in self.requests
                if r.body is not None
            ]

    # -- answering --------------------------------------------------------------------------

    def respond(self, method: str, path: str, raw: bytes) -> tuple[int, bytes, float]:
        """(status, body, delay) for one request."""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._lock:
            self.requests.append(
                ViesRequest(method, path, body if isinstance(body, dict) else None)
            )
            latency = self._state.latency
            fault = self._state.faults.popleft() if self._state.faults else None
        if path.split("?", 1)[0] != ROUTE:
            return 404, b'{"error":"not found"}', latency
        if method != "POST":
            return 405, b'{"error":"method not allowed"}', latency
        if fault is not None and fault.kind == "status":
            return fault.status, b"<html><body>Service Unavailable</body></html>", latency
        if fault is not None:
            return fault.status, _error(fault.error), latency
        if not isinstance(body, dict):
            return 400, _error("INVALID_INPUT"), latency
        country = body.get("countryCode")
        number = body.get("vatNumber")
        if not isinstance(country, str) or not isinstance(number, str) or len(country) != 2:
            return 400, _error("INVALID_INPUT"), latency
        with self._lock:
            down = self._state.down.get(country.upper())
            found = self._state.valid.get(_key(country, number))
        if down is not None:
            return down, _error("MS_UNAVAILABLE"), latency
        requester = body.get("requesterNumber")
        has_requester = isinstance(requester, str) and bool(requester.strip())
        if has_requester and not isinstance(body.get("requesterMemberStateCode"), str):
            return 400, _error("INVALID_REQUESTER_INFO"), latency
        answer: dict[str, Any] = {
            "countryCode": country.upper(),
            "vatNumber": number,
            "requestDate": datetime.now(timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z",
            "valid": found is not None,
            "requestIdentifier": f"WAPIAAAAZ{next(self._ids):07d}" if has_requester else "",
            "name": found[0] if found else "---",
            "address": found[1] if found else "---",
            "traderName": "",
            "traderStreet": "",
            "traderPostalCode": "",
            "traderCity": "",
            "traderCompanyType": "",
        }
        return 200, json.dumps(answer).encode(), latency


def _error(code: str) -> bytes:
    return json.dumps({"actionSucceed": False, "errorWrappers": [{"error": code}]}).encode()


def _handler_for(sandbox: ViesSandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            status, body, delay = sandbox.respond(self.command, self.path, raw)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a timeout test)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


__all__ = ["PATH", "ROUTE", "ViesRequest", "ViesSandbox"]
