"""The HTTP layer of the AFAS sandbox: the threaded server, the handler and AFAS's error shapes.

The handler reads the whole request, runs the tests' "before" hooks, applies the faults planned
for it (delay, 5xx, 429, a dropped connection before or after processing), lets the sandbox
answer, records the request, and runs the "after" hooks before it writes the answer.
Error bodies follow the 400/401/403/404 examples of the official 8.0 spec.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ocafas.sandbox.afas_faults import Decision
from ocafas.sandbox.afas_hooks import HookedRequest
from ocafas.sandbox.afas_state import Outcome

if TYPE_CHECKING:
    from ocafas.sandbox.afas import AfasSandbox


@dataclass(frozen=True)
class RequestRecord:
    """One request as the sandbox saw it. Never holds a token, a header or a body."""

    method: str
    path: str
    query: str
    endpoint: str | None
    version: str | None
    status: int | None  # None: the connection was dropped without an answer
    tracking_identifier: str | None
    replayed: bool
    fault: str | None
    seconds: float


def error_outcome(status: int, message: str, exception: str, **extra: Any) -> Outcome:
    body: dict[str, Any] = {"StatusCode": status, "Message": message}
    body.update(extra)
    body["TraceId"] = uuid.uuid4().hex
    body["AdditionalInfo"] = {"ExceptionType": exception}
    return Outcome(status, body)


def not_authenticated() -> Outcome:
    return error_outcome(401, "Er is geen ingelogde gebruiker.", "NotAuthenticatedException")


def invalid_json(message: str, endpoint: str, properties: str = "") -> Outcome:
    outcome = error_outcome(400, message, "DeserializationException", ExceptionCode="DS3100")
    outcome.body["AdditionalInfo"].update(
        DefinitionName=f"{endpoint}.UpdateConnectorHandler", PropertyNames=properties
    )
    return outcome


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def fault_outcome(decision: Decision) -> Outcome:
    """The answer of an injected fault: JSON from AFAS itself, HTML from the nginx in front."""
    status = decision.status or 500
    if status == 429:
        outcome = error_outcome(429, "Too many requests", "TooManyRequestsException")
        outcome.headers["Retry-After"] = str(decision.retry_after or 1)
        return outcome
    if status in (502, 503, 504):
        text = f"<html><body><h1>{status}</h1>nginx</body></html>"
        return Outcome(status, None, {"Content-Type": "text/html"}, text)
    return error_outcome(status, "Internal Server Error", "InternalServerError")


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sandbox: AfasSandbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout) closes its socket; that is normal traffic, not a crash.
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle plus delayed ACK adds ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the sandbox keeps its own request log."""

    def _handle(self) -> None:
        sandbox = self.server.sandbox
        started = time.monotonic()
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        endpoint, route_error = sandbox._route(self.command, url.path)
        version = self.headers.get("Accept-Version")
        tracking = self.headers.get("Tracking-Identifier")
        hooked = None
        if endpoint is not None and route_error is None:
            hooked = HookedRequest(self.command, endpoint, tracking, body, version, url.query)
        discarded = hooked is not None and sandbox.hooks.run("before", hooked)
        decision = (
            sandbox.faults.decide(self.command, endpoint)
            if endpoint is not None and not discarded
            else Decision()
        )
        if decision.latency:
            time.sleep(decision.latency)
        replayed = False
        if route_error is not None:
            outcome = route_error
        elif discarded:
            outcome = None
        elif decision.status is not None:
            outcome = fault_outcome(decision)
        elif decision.drop_before:
            outcome = None
        else:
            assert endpoint is not None
            try:
                outcome, replayed = sandbox._dispatch(
                    self.command, endpoint, url.query, dict(self.headers.items()), body
                )
            except Exception as exc:  # a sandbox bug must still answer, visibly
                outcome = error_outcome(500, f"sandbox error: {exc!r}", "SandboxError")
        dropped = outcome is None or decision.drop_after
        sandbox._record(
            RequestRecord(
                method=self.command,
                path=url.path,
                query=url.query,
                endpoint=endpoint,
                version=version,
                status=None if dropped or outcome is None else outcome.status,
                tracking_identifier=tracking,
                replayed=replayed,
                fault="discarded by hook" if discarded else decision.label,
                seconds=time.monotonic() - started,
            )
        )
        if hooked is not None and not dropped:
            sandbox.hooks.run("after", hooked)
        if dropped:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        assert outcome is not None
        self._send(outcome)

    def _send(self, outcome: Outcome) -> None:
        if outcome.text is not None:
            payload = outcome.text.encode()
        else:
            payload = json.dumps(outcome.body, default=json_default, ensure_ascii=False).encode()
            outcome.headers.setdefault("Content-Type", "application/json; charset=utf-8")
        self.send_response(outcome.status)
        for name, value in outcome.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
