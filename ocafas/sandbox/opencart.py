"""A real HTTP server on 127.0.0.1 that behaves like an OpenCart shop with the ocafas extension.

It speaks contract v1 (docs: contracts/opencart-extension-api.md) from its own reading of the
contract, never from the client's code, so the two can disagree and tests catch it. Tests drive
its state (orders, statuses, key, enabled) and inject faults (5xx, truncated JSON, an HTML page,
latency, dropped connections); every request is logged.

    with OpenCartSandbox(api_key="Sandbox-key-2025", generate=50) as shop:
        client = OpenCartClient(shop.url, "Sandbox-key-2025")
"""

from __future__ import annotations

import hmac
import json
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ocafas.sandbox.opencart_faults import (
    FAULT_KINDS,
    LOGIN_PAGE,
    NOT_FOUND_PAGE,
    PHP_ERROR_PAGE,
    Fault,
    LoggedRequest,
)
from ocafas.sandbox.opencart_store import OrderStore, parse_moment
from ocafas.sandbox.orders import (
    COMPLETE_STATUSES,
    PROCESSING_STATUSES,
    STATUSES,
    TIMEZONE,
    OrderGenerator,
    Shop,
)
from ocafas.sandbox.serving import ServedSandbox

DEFAULT_KEY = "Sandbox-Key-2025"
DEFAULT_ROUTE = "extension/ocafas/api"


@dataclass
class _Settings:
    api_key: str | None
    enabled: bool = True
    latency: float = 0.0
    failure_share: float = 0.0
    failure_status: int = 500
    api_version: int = 1
    extension_version: str = "1.0.0"
    vat_number_field: str | None = "custom_field:2"
    faults: deque[Fault] = field(default_factory=deque)


class OpenCartSandbox(ServedSandbox):
    """An OpenCart shop with the ocafas extension, on 127.0.0.1 and a free port."""

    def __init__(
        self,
        api_key: str | None = DEFAULT_KEY,
        *,
        orders: Iterable[dict[str, Any]] = (),
        generate: int = 0,
        seed: int = 1,
        shop: Shop | None = None,
        route: str = DEFAULT_ROUTE,
        broken: float = 0.0,
    ) -> None:
        self.shop = shop or Shop()
        self.route = route
        self.store = OrderStore()
        self.generator = OrderGenerator(seed, shop=self.shop, broken=broken)
        self.settings = _Settings(api_key=api_key)
        self._lock = threading.Lock()
        self._random = random.Random(seed)  # noqa: S311 - fault sampling, not secrets
        self.log: list[LoggedRequest] = []
        self.store.put_many(orders)
        if generate:
            self.store.put_many(self.generator.iter_orders(generate))

    # -- lifecycle --------------------------------------------------------------------------

    def _make_server(self) -> ThreadingHTTPServer:
        return ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The endpoint URL as the extension's settings page shows it."""
        return f"{self.base_url}/index.php?route={self.route}"

    # -- state ------------------------------------------------------------------------------

    def add_order(self, order: dict[str, Any]) -> None:
        self.store.put(order)

    def add_orders(self, orders: Iterable[dict[str, Any]]) -> None:
        self.store.put_many(orders)

    def generate(self, count: int) -> list[dict[str, Any]]:
        """Generate ``count`` more orders (continuing ids and dates) and add them."""
        made = self.generator.orders(count)
        self.store.put_many(made)
        return made

    def order(self, order_id: int) -> dict[str, Any] | None:
        return self.store.get(order_id)

    def set_status(self, order_id: int, status_id: int, *, at: datetime | None = None) -> None:
        """Change an order's status the way the admin does: ``date_modified`` moves to now."""
        order = self.store.get(order_id)
        if order is None:
            raise KeyError(order_id)
        moment = (at or datetime.now(TIMEZONE)).astimezone(TIMEZONE).replace(microsecond=0)
        order.update(
            order_status_id=status_id,
            order_status=STATUSES.get(status_id, f"Status {status_id}"),
            date_modified=moment.isoformat(timespec="seconds"),
        )
        if status_id in COMPLETE_STATUSES and not order.get("invoice_no"):
            order["invoice_no"] = max(1, order_id)
        self.store.put(order)

    def delete_order(self, order_id: int) -> bool:
        return self.store.delete(order_id)

    def disable(self) -> None:
        self.settings.enabled = False

    def enable(self) -> None:
        self.settings.enabled = True

    def set_key(self, api_key: str | None) -> None:
        """Save another key; None clears it, which disables the extension (HTTP 403)."""
        self.settings.api_key = api_key

    # -- faults -----------------------------------------------------------------------------

    def inject(self, kind: str, count: int = 1, **options: Any) -> None:
        """Queue ``count`` faults for the next matching requests (see :class:`Fault`)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        with self._lock:
            self.settings.faults.extend(Fault(kind, **options) for _ in range(count))

    def fail_next(self, count: int = 1, status: int = 503, retry_after: str | None = None) -> None:
        self.inject("status", count, status=status, retry_after=retry_after)

    def fail_share(self, share: float, status: int = 500) -> None:
        """Answer this share of requests (at random, seeded) with ``status``."""
        self.settings.failure_share, self.settings.failure_status = share, status

    def set_latency(self, seconds: float) -> None:
        self.settings.latency = seconds

    def clear_faults(self) -> None:
        with self._lock:
            self.settings.faults.clear()
        self.settings.failure_share = 0.0
        self.settings.latency = 0.0

    def _take_fault(self, action: str | None) -> Fault | None:
        with self._lock:
            for fault in list(self.settings.faults):
                if fault.action is None or fault.action == action:
                    self.settings.faults.remove(fault)
                    return fault
            if self.settings.failure_share and self._random.random() < self.settings.failure_share:
                return Fault("status", status=self.settings.failure_status)
        return None

    # -- the request log --------------------------------------------------------------------

    @property
    def request_count(self) -> int:
        return len(self.log)

    def counts(self) -> Counter[str | None]:
        return Counter(entry.action for entry in self.log)

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    def _record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.log.append(entry)

    # -- the extension ----------------------------------------------------------------------

    def respond(
        self, method: str, target: str, key: str | None
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """Status, headers, body and the fault applied, for one request."""
        parts = urlsplit(target)
        params = parse_qs(parts.query, keep_blank_values=True)
        action = params.get("action", [None])[0]
        wanted = self.settings.api_key
        key_ok = bool(wanted and key is not None and hmac.compare_digest(key, wanted))
        fault = self._take_fault(action)
        if self.settings.latency:
            time.sleep(self.settings.latency)
        status, headers, body = self._answer(method, parts.path, params, action, key_ok)
        if fault is not None:
            status, headers, body = self._apply(fault, status, headers, body)
        self._record(
            LoggedRequest(method, action, params, key_ok, status, fault.kind if fault else None)
        )
        return status, headers, body, fault.kind if fault else None

    def _apply(
        self, fault: Fault, status: int, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if fault.kind == "status":
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return _error(fault.status, "internal", "Temporary failure", extra)
        if fault.kind == "truncate":
            return status, headers, body[: max(1, len(body) // 2)]
        if fault.kind in ("html", "php_error"):
            page = LOGIN_PAGE if fault.kind == "html" else PHP_ERROR_PAGE
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()
        if fault.kind == "slow":
            time.sleep(fault.seconds)
        return status, headers, body

    def _answer(
        self, method: str, path: str, params: dict[str, list[str]], action: str | None,
        key_ok: bool,
    ) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
        if path not in ("/index.php", "/") or params.get("route", [""])[0] != self.route:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND_PAGE.encode()
        if method != "GET":
            return _error(405, "bad_request", "Only GET is supported")
        if not self.settings.enabled or not self.settings.api_key:
            return _error(403, "disabled", "The ocafas extension is disabled")
        if not key_ok:
            return _error(401, "unauthorized", "Missing or wrong X-Ocafas-Key")
        handler = {
            "ping": self._ping,
            "orders": self._orders,
            "statuses": self._statuses,
            "tax_rates": self._tax_rates,
            "payment_methods": self._payment_methods,
        }.get(action or "")
        if handler is None:
            return _error(404, "not_found", f"Unknown action {str(action)[:40]!r}")
        try:
            return handler(params)
        except _BadRequest as problem:
            return _error(400, "bad_request", str(problem))

    def _ping(self, _: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        return _json({
            "api_version": self.settings.api_version,
            "extension_version": self.settings.extension_version,
            "opencart_version": self.shop.opencart_version, "php_version": "8.2.7",
            "store_name": self.shop.name, "default_currency": "EUR",
            "timezone": "Europe/Amsterdam", "vat_number_field": self.settings.vat_number_field,
        })  # fmt: skip

    def _statuses(self, _: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        statuses = [{"order_status_id": k, "name": v} for k, v in sorted(STATUSES.items())]
        return _json({"statuses": statuses, "processing": list(PROCESSING_STATUSES),
                      "complete": list(COMPLETE_STATUSES)})  # fmt: skip

    def _tax_rates(self, _: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        return _json({"tax_rates": [rate.contract() for rate in self.shop.tax_rates()]})

    def _payment_methods(self, _: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        return _json({"payment_methods": self.shop.payment_methods()})

    def _orders(self, params: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        limit = _int_param(params, "limit", 100)
        if not 1 <= limit <= 500:
            raise _BadRequest("limit must be 1..500")
        ids = [part for value in params.get("order_id", []) for part in value.split(",") if part]
        if ids:
            if not all(part.strip().isdigit() for part in ids):
                raise _BadRequest("order_id must be integers")
            bodies = self.store.lookup([int(part) for part in ids], limit)
            return _orders_body(bodies, None)
        after = None
        if params.get("modified_after", [""])[0]:
            try:
                moment = parse_moment(params["modified_after"][0])
            except ValueError:
                raise _BadRequest("modified_after is not an ISO 8601 date-time") from None
            after = (moment, _int_param(params, "after_id", 0))
        bodies, last = self.store.page_after(after, limit)
        cursor = None if last is None else {"modified_after": last[0], "after_id": last[1]}
        return _orders_body(bodies, cursor)

    def bump_all(self, seconds: int = 1) -> None:
        """Move every order's ``date_modified`` on (a mass status update in the admin)."""
        for _, order_id in self.store.positions():
            order = self.store.get(order_id)
            if order is not None:
                moved = datetime.fromisoformat(order["date_modified"]) + timedelta(seconds=seconds)
                order["date_modified"] = moved.isoformat(timespec="seconds")
                self.store.put(order)


class _BadRequest(ValueError):
    pass


def _int_param(params: dict[str, list[str]], name: str, default: int) -> int:
    value = params.get(name, [""])[0].strip()
    if not value:
        return default
    if not value.isdigit():
        raise _BadRequest(f"{name} must be a non-negative integer")
    return int(value)


def _json(payload: Any, status: int = 200) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=utf-8"}, body


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    status, base, body = _json({"error": {"code": code, "message": message}}, status)
    return status, {**base, **(headers or {})}, body


def _orders_body(
    bodies: list[bytes], cursor: dict[str, Any] | None
) -> tuple[int, dict[str, str], bytes]:
    tail = json.dumps(cursor, separators=(",", ":")).encode()
    body = b'{"orders":[' + b",".join(bodies) + b'],"next":' + tail + b"}"
    return 200, {"Content-Type": "application/json; charset=utf-8"}, body


def _handler_for(sandbox: OpenCartSandbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "Apache"
        sys_version = ""
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, the body waits for the client's
        # delayed ACK (about 40 ms a request on Linux).
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            key = self.headers.get("X-Ocafas-Key")
            status, headers, body, fault = sandbox.respond(self.command, self.path, key)
            if fault == "drop":
                self.close_connection = True
                self.connection.close()
                return
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _serve
        do_POST = _serve
        do_PUT = _serve
        do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
