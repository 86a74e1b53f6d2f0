"""A dry run as one JSON document: what each order would become, with the exact request body.

The ``request`` of an order is written with :func:`ocafas.afas.jsonbody.dumps`, the serialiser
the AFAS client posts with, so its numbers are the exact text AFAS SB would receive (``12.30``,
never ``12.3``): a script may compare it with what a real run then sends.
"""

from __future__ import annotations

from typing import Any

from ocafas.afas import jsonbody
from ocafas.pipeline.result import PassResult


def dry_run_document(result: PassResult, shop: str | None = None) -> dict[str, Any]:
    orders = [
        {
            "order_id": o.order_id,
            "outcome": o.outcome,
            "code": o.code,
            "message": o.message,
            "hint": o.hint,
            "debtor": o.debtor,
            "request": o.body,
        }
        for o in result.outcomes
    ]
    return {
        "command": result.command,
        "dry_run": result.dry_run,
        "shop": shop,
        "orders": orders,
        "counts": result.counts,
        "notes": list(result.notes),
        "requests": {"opencart": result.opencart_requests, "afas": result.afas_requests},
    }


def dry_run_json(result: PassResult, shop: str | None = None) -> str:
    return jsonbody.dumps(dry_run_document(result, shop))
