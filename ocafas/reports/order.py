"""Everything about one order ("More info"): as read, each check, AFAS requests, events, next step.

The checks are run again on the order exactly as the ledger stored it, with the current config,
so the report shows what a retry would find; the problems recorded at the time are shown beside.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ocafas import __version__
from ocafas.errors import ConfigError
from ocafas.ledger import Ledger
from ocafas.ledger.codec import load_json
from ocafas.ledger.records import EntryRecord, OrderRecord, OrderState, SkipReason
from ocafas.redact import redact_mapping
from ocafas.reports.order_doc import DocumentError, order_from_document

if TYPE_CHECKING:
    from ocafas.config import Settings

JSON_SCHEMA_ID = "ocafas-report-order/1"
#: The shop's default currency is only known from a live ``ping``; reports stay offline.
ASSUMED_CURRENCY = "EUR"


class OrderNotFound(ConfigError):
    """Raised when the order asked for is not in the ledger (nothing to report)."""


def _problems(found: list[Any]) -> list[dict[str, str]]:
    return [{"code": p.code, "message": p.message, "hint": p.hint} for p in found]


def run_checks(record: OrderRecord, settings: Settings | None) -> dict[str, Any]:
    """Each check of :func:`ocafas.booking.checks.check_order` on its own, with its result."""
    recorded = None
    if record.error is not None:
        recorded = {
            "code": record.error.code,
            "message": record.error.message,
            "hint": record.error.hint,
        }
    result: dict[str, Any] = {"recorded": recorded, "rerun": [], "rerun_note": ""}
    if settings is None:
        result["rerun_note"] = "no config: only the recorded problems are shown"
        return result
    try:
        order = order_from_document(record.order)
    except DocumentError as err:
        result["rerun_note"] = f"the stored order cannot be read back ({err}): recorded only"
        return result
    from ocafas.booking import checks

    steps: list[tuple[str, Any]] = [
        ("currency", lambda: checks.check_currency(order, ASSUMED_CURRENCY)),
        ("lines", lambda: checks.check_lines(order)),
        ("total rows", lambda: checks.check_rows(order)),
        ("totals", lambda: checks.check_totals(order)),
    ]
    rerun: list[dict[str, Any]] = []
    for name, step in steps:
        found = step()
        rerun.append({"check": name, "ok": not found, "problems": _problems(found)})
    classification, regime_problems = checks.check_regime(order, settings)
    label = "VAT regime"
    if classification is not None:
        label += f" ({classification.regime.value}, {classification.country})"
    rerun.append(
        {
            "check": label,
            "ok": not regime_problems,
            "problems": _problems(regime_problems),
        }
    )
    if classification is not None and not regime_problems:
        found = checks.check_rates_configured(order, settings, classification)
        rerun.append(
            {"check": "VAT rates configured", "ok": not found, "problems": _problems(found)}
        )
    found = checks.check_special_accounts(order, settings)
    rerun.append({"check": "voucher accounts", "ok": not found, "problems": _problems(found)})
    result["rerun"] = rerun
    result["rerun_note"] = (
        f"run again now with the current config (shop currency assumed {ASSUMED_CURRENCY});"
        " ledger accounts and the debtor are checked against AFAS SB when booking"
    )
    return result


def _parsed(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return redact_mapping(load_json(text))
    except ValueError:
        return redact_mapping(text)


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: Decimals as strings (exact), everything else as is."""
    plain: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return plain


def entry_detail(entry: EntryRecord) -> dict[str, Any]:
    return {
        "entry_id": entry.entry_id,
        "kind": entry.kind.value,
        "state": entry.state.value,
        "tracking_id": entry.tracking_id,
        "invoice_number": entry.invoice_number,
        "created_at": entry.created_at,
        "processed_at": entry.processed_at,
        "failed_at": entry.failed_at,
        "source": entry.source.value if entry.source else None,
        "afas_entry_id": entry.afas_entry_id,
        "relation": (
            {"id": entry.relation_id, "type": entry.relation_type} if entry.relation_id else None
        ),
        "amounts": (
            {
                "excl": str(entry.amount_excl),
                "vat": str(entry.amount_vat),
                "incl": str(entry.amount_incl),
            }
            if entry.amount_incl is not None
            else None
        ),
        "error": (
            {"code": entry.error.code, "message": entry.error.message, "hint": entry.error.hint}
            if entry.error
            else None
        ),
        "request": _parsed(entry.request_body),
        "response": _parsed(entry.response_body),
    }


def next_step(record: OrderRecord, entries: list[EntryRecord]) -> str:
    order_id = record.order_id
    state = record.state
    if state is OrderState.PROCESSED:
        live = next((e for e in reversed(entries) if e.state.value == "processed"), None)
        where = (
            f" as invoice {live.invoice_number} (AFAS entry {live.afas_entry_id})" if live else ""
        )
        return (
            f"nothing: the order is booked in AFAS SB{where}. Changes made in the shop afterwards"
            " are only logged; correct them in AFAS SB."
        )
    if state is OrderState.ERROR:
        hint = record.error.hint if record.error and record.error.hint else "fix the cause"
        return (
            f"{hint}; then run 'ocafas retry {order_id}' (add --dry-run to see the request first)"
        )
    if state is OrderState.OPEN:
        return (
            f"wait: status {record.order.get('order_status', '')!r} ({record.status_id}) is not"
            " processable; once it is, 'ocafas sync' or 'ocafas recheck' books it"
        )
    if state is OrderState.POSTING:
        return (
            "the next 'ocafas sync' sends the same request with the same Tracking-Identifier again;"
            " AFAS SB answers with its first answer, so it is never booked twice"
        )
    if state is OrderState.SKIPPED:
        if record.skip_reason is SkipReason.EXCLUDED:
            return "nothing: you excluded this order from booking"
        return f"nothing: skipped ({record.skip_detail or record.skip_reason})"
    return "the next 'ocafas sync' or 'ocafas recheck' checks this order"


def order_detail(ledger: Ledger, order_id: int, settings: Settings | None) -> dict[str, Any]:
    """The JSON document of ``report order`` (validated by ``ocafas/schemas/report-order.json``)."""
    record = ledger.get(order_id)
    if record is None:
        raise OrderNotFound(
            f"order {order_id} is not in the ledger of shop {ledger.shop!r}",
            hint="'ocafas sync' reads new orders; check the order id",
        )
    entries = ledger.entries(order_id)
    document: dict[str, Any] = {
        "schema": JSON_SCHEMA_ID,
        "report": "order",
        "ocafas_version": __version__,
        "shop": ledger.shop,
        "order_id": order_id,
        "summary": {
            "state": record.state.value,
            "date_added": record.date_added,
            "date_modified": record.date_modified,
            "status_id": record.status_id,
            "country": record.country,
            "customer": record.customer_name,
            "email": record.customer_email,
            "attempts": record.attempts,
            "last_attempt_at": record.last_attempt_at,
            "skip_reason": record.skip_reason.value if record.skip_reason else None,
            "skip_detail": record.skip_detail,
        },
        "order": redact_mapping(record.order),
        "checks": run_checks(record, settings),
        "entries": [entry_detail(entry) for entry in entries],
        "events": [
            {"at": e.at, "event": e.event, "details": redact_mapping(e.details)}
            for e in ledger.events(order_id)
        ],
        "icp_evidence": [
            {
                "country_code": ev.country_code,
                "vat_number": ev.vat_number,
                "valid": ev.valid,
                "checked_at": ev.checked_at,
                "consultation_number": ev.consultation_number,
            }
            for ev in ledger.icp_evidence(order_id)
        ],
        "next": next_step(record, entries),
    }
    return _plain(document)
