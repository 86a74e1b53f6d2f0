"""What a write to AFAS SB can come back as.

``post_sales_entry`` returns one of the outcome classes below. Three more outcomes are raised,
because they concern the whole run rather than one order: ``AfasAuthError`` (401 after one token
refresh), ``AfasForbiddenError`` (403: the app lacks rights) and ``AfasTransientError`` (429, 5xx,
timeouts or connection errors that outlasted the retries; the order's fate is then unknown until
the same Tracking-Identifier is sent again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BROKEN_ID = re.compile(
    r"delete SalesJournalEntry with id:?\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12})",
    re.IGNORECASE,
)
_DUPLICATE = re.compile(r"with invoicenumber (.+?) already exists", re.IGNORECASE)


@dataclass(frozen=True)
class Booked:
    """AFAS SB accepted the entry."""

    entry_id: str
    trace_id: str | None = None


@dataclass(frozen=True)
class Duplicate:
    """An entry with this invoice number already exists: an earlier attempt booked the order."""

    invoice_number: str
    message: str
    trace_id: str | None = None


@dataclass(frozen=True)
class BrokenEntry:
    """AFAS kept an entry with errors; it must be deleted before the order can be booked again."""

    entry_id: str
    reasons: tuple[str, ...]
    trace_id: str | None = None


@dataclass(frozen=True)
class Failed:
    """A business failure without a kept entry (e.g. "FeatureToggle not enabled")."""

    reasons: tuple[str, ...]
    trace_id: str | None = None


@dataclass(frozen=True)
class Rejected:
    """The request was refused as invalid (HTTP 400 with StatusCode/Message/ExceptionCode)."""

    status: int
    message: str
    exception_code: str | None = None
    trace_id: str | None = None
    details: tuple[str, ...] = field(default_factory=tuple)


PostOutcome = Booked | Duplicate | BrokenEntry | Failed | Rejected


def _messages(errors: object) -> tuple[str, ...]:
    """AFAS sends errors as strings, sometimes as objects: make them lines of text."""
    if not isinstance(errors, list):
        return (str(errors),) if errors else ()
    lines = []
    for item in errors:
        if isinstance(item, str):
            lines.append(item)
        elif isinstance(item, dict):
            text = item.get("message") or item.get("Message") or item.get("error") or str(item)
            lines.append(str(text))
        else:
            lines.append(str(item))
    return tuple(lines)


def business_outcome(body: dict[str, object], invoice_number: str) -> PostOutcome | None:
    """Read a body with a ``result`` field (HTTP 200 in API 6.0, HTTP 400 in 8.0)."""
    result = body.get("result")
    if not isinstance(result, str):
        return None
    trace = body.get("traceId")
    trace_id = str(trace) if trace else None
    if result.lower() == "succeeded":
        data = body.get("data")
        entry_id = data.get("SalesJournalEntryId") if isinstance(data, dict) else None
        if isinstance(entry_id, str) and entry_id:
            return Booked(entry_id, trace_id)
        return Failed(("AFAS SB said Succeeded but sent no SalesJournalEntryId",), trace_id)
    reasons = _messages(body.get("errors"))
    for line in reasons:
        if _DUPLICATE.search(line):
            return Duplicate(invoice_number, line, trace_id)
    for line in reasons:
        match = _BROKEN_ID.search(line)
        if match:
            other = tuple(r for r in reasons if r is not line) or (line,)
            return BrokenEntry(match.group(1).lower(), other, trace_id)
    return Failed(reasons or (f"AFAS SB answered {result} without a reason",), trace_id)


def rejection(status: int, body: object) -> Rejected:
    """Read a schema rejection ``{"StatusCode", "Message", "ExceptionCode", "TraceId"}``."""
    if isinstance(body, dict):
        message = str(body.get("Message") or body.get("message") or body.get("title") or "")
        code = body.get("ExceptionCode")
        trace = body.get("TraceId") or body.get("traceId")
        details = _messages(body.get("errors")) if "errors" in body else ()
        return Rejected(
            status,
            message or f"HTTP {status} without a message",
            str(code) if code else None,
            str(trace) if trace else None,
            details,
        )
    return Rejected(status, f"HTTP {status}: {str(body)[:200]}")
