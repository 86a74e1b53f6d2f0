"""Turn what came back over the wire into one readable line: the cause, never the key.

Shops answer with many things that are not the extension: a login page after a redirect, a PHP
fatal error, a maintenance page, a truncated body when PHP hit its time limit. The user needs to
know which, in one line, so each helper here names the cause and shows a short piece of evidence.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from ocafas.opencart.errors import (
    OpenCartConnectionError,
    OpenCartError,
    OpenCartResponseError,
    OpenCartTimeoutError,
)
from ocafas.redact import redact

EVIDENCE_LENGTH = 100
_PHP_ERROR = re.compile(
    r"(?:PHP\s+)?(Fatal error|Parse error|Warning|Notice|Deprecated|Uncaught \w+)\s*:\s*(.+)",
    re.IGNORECASE,
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_INVISIBLE = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def display_url(url: str) -> str:
    """The URL as it may be shown: no user:password, only the ``route`` query parameter."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k == "route"], safe="/")
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, "")))


def shorten(text: str, limit: int = EVIDENCE_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strip_tags(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def first_meaningful_line(body: str) -> str:
    """The line of an HTML or text page that best says what it is (PHP error, title, text)."""
    plain = _strip_tags(_INVISIBLE.sub(" ", body)) if "<" in body else body
    lines = [_SPACES.sub(" ", line).strip() for line in plain.splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        match = _PHP_ERROR.search(line)
        if match:
            return shorten(f"PHP {match.group(1)}: {match.group(2)}")
    title = _TITLE.search(body)
    if title and _strip_tags(title.group(1)).strip():
        return shorten(f"page title {_strip_tags(title.group(1)).strip()!r}")
    return shorten(lines[0]) if lines else "(no text)"


def looks_like_html(body: str, content_type: str) -> bool:
    head = body.lstrip()[:200].lower()
    return "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<br", "<b>"))


def not_json_error(response: requests.Response, action: str, where: str) -> OpenCartError:
    """Why a 2xx body is not JSON: an HTML page, PHP text, an empty or truncated body."""
    raw = response.content
    body = raw.decode("utf-8", errors="replace")
    content_type = response.headers.get("Content-Type", "")
    if not body.strip():
        return OpenCartResponseError(
            redact(
                f"{where} sent an empty answer to action={action} (HTTP "
                f"{response.status_code}): is this the ocafas extension's endpoint?"
            )
        )
    if _PHP_ERROR.search(_strip_tags(body[:4000])):
        evidence = first_meaningful_line(body)
        return OpenCartResponseError(
            redact(f"{where} sent PHP error output instead of JSON for action={action} "
                   f"(switch display_errors off in the shop and fix the error): {evidence}")
        )  # fmt: skip
    if looks_like_html(body, content_type):
        evidence = first_meaningful_line(body)
        return OpenCartResponseError(
            redact(
                f"{where} sent an HTML page instead of JSON for action={action} "
                f"(a login page, a PHP error or a maintenance page?): {evidence}"
            )
        )
    try:
        json.loads(body)
    except json.JSONDecodeError as problem:
        if problem.pos >= len(body.rstrip()) - 1 or problem.msg.startswith("Unterminated"):
            return OpenCartResponseError(
                redact(
                    f"{where} sent truncated JSON for action={action}: it ends after "
                    f"{len(raw)} bytes (PHP time or memory limit?); try a smaller page size"
                )
            )
        snippet = shorten(body[max(0, problem.pos - 20) : problem.pos + 20], 40)
        return OpenCartResponseError(
            redact(
                f"{where} sent invalid JSON for action={action} at byte {problem.pos} "
                f"({problem.msg}) near {snippet!r}"
            )
        )
    return OpenCartResponseError(  # pragma: no cover - only called when decoding failed
        redact(f"{where} sent an unreadable answer to action={action}")
    )


def decode_json(response: requests.Response) -> Any | None:
    """The decoded body, or None when it is not JSON (a BOM is tolerated)."""
    try:
        return json.loads(response.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


def error_body(payload: Any) -> tuple[str, str] | None:
    """``(code, message)`` of the contract's error body, None when the body is not one."""
    if not isinstance(payload, dict) or not isinstance(payload.get("error"), dict):
        return None
    code, message = payload["error"].get("code"), payload["error"].get("message")
    return (str(code) if code else "", shorten(str(message), 160) if message else "")


def transport_error(
    problem: requests.RequestException, where: str, timeout: float
) -> OpenCartError:
    """One line naming the network cause: DNS, refused, TLS, timeout."""
    text = str(problem)
    if isinstance(problem, requests.exceptions.SSLError):
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            reason = "its TLS certificate is not trusted (expired, self-signed or a private CA: "
            reason += "set the CA bundle option)"
        elif "match" in text and "hostname" in text.lower():
            reason = "its TLS certificate is for another host name"
        else:
            reason = f"the TLS handshake failed ({shorten(text, 80)})"
        return OpenCartConnectionError(redact(f"cannot connect to {where}: {reason}"))
    if isinstance(problem, requests.exceptions.ConnectTimeout):
        return OpenCartTimeoutError(
            redact(f"cannot connect to {where} within {timeout:g} s (host down or firewalled?)")
        )
    if isinstance(problem, requests.Timeout):
        return OpenCartTimeoutError(
            redact(
                f"{where} did not answer within {timeout:g} s: the shop is slow or the page "
                f"is too large (lower the page size or raise the timeout)"
            )
        )
    lowered = text.lower()
    if any(
        marker in lowered
        for marker in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo",
            "name resolution",
            "no address associated",
            "nameresolutionerror",
        )
    ):
        return OpenCartConnectionError(
            redact(f"cannot resolve the host of {where} (DNS): check the OpenCart URL")
        )
    if "refused" in lowered:
        return OpenCartConnectionError(
            redact(f"{where} refused the connection: is the web server running and the port right?")
        )
    if "reset" in lowered or "aborted" in lowered or "remotedisconnected" in lowered:
        return OpenCartConnectionError(redact(f"{where} closed the connection before answering"))
    return OpenCartConnectionError(redact(f"cannot connect to {where}: {shorten(text, 80)}"))
