"""Text the CLI prints for a pass: nothing on a clean run, the problems otherwise.

Cron mails whatever a job prints, so a clean run prints nothing (``-v`` adds a one-line
summary) and a run with orders in error lists them with their code, message and hint.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ocafas.pipeline.result import ERROR, PENDING, WOULD_BOOK, PassResult


def summary(result: PassResult) -> str:
    counts = result.counts
    parts = [
        f"{counts['booked']} booked",
        f"{counts['open']} open",
        f"{counts['skipped']} skipped",
        f"{counts['error']} in error",
        f"{counts['unchanged']} unchanged",
    ]
    if counts[PENDING]:
        parts.append(f"{counts[PENDING]} pending")
    if result.reconciled:
        parts.append(f"{result.reconciled} reconciled")
    if result.dry_run:
        parts.append(f"{counts[WOULD_BOOK]} would be booked")
    requests = f"requests: OpenCart {result.opencart_requests}, AFAS SB {result.afas_requests}"
    return f"{result.command}: " + ", ".join(parts) + f" ({requests})"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(type(value).__name__)


def problem_lines(result: PassResult, remind_standing: bool = False) -> list[str]:
    """One line per order this run put in error or left pending, plus notes and the stop.

    Errors left from earlier runs are mentioned only together with new problems, or when
    ``remind_standing`` (the nightly recheck): an hourly cron sync must not mail the same old
    errors every hour.
    """
    lines = []
    for outcome in result.outcomes:
        if outcome.outcome not in (ERROR, PENDING):
            continue
        who = f"order {outcome.order_id}" if outcome.order_id is not None else "an order"
        code = f" {outcome.code}" if outcome.code else ""
        hint = f" ({outcome.hint})" if outcome.hint else ""
        lines.append(f"{who}:{code} {outcome.message or outcome.outcome}{hint}")
    lines.extend(result.notes)
    if result.stopped:
        lines.append(f"stopped: {result.stopped}")
    new = len(result.errors)
    older = result.errors_in_ledger - sum(1 for o in result.errors if o.order_id is not None)
    if older > 0 and (new or remind_standing):
        lines.append(
            f"{result.errors_in_ledger} orders are in error in the ledger ({new} from this run);"
            " fix the causes and run 'ocafas retry'"
        )
    return lines


def dry_run_lines(result: PassResult) -> list[str]:
    lines = []
    for outcome in result.outcomes:
        if outcome.outcome == WOULD_BOOK:
            lines.append(f"order {outcome.order_id}: would book (debtor: {outcome.debtor})")
            lines.append(json.dumps(outcome.body, indent=2, default=_plain, ensure_ascii=False))
        elif outcome.outcome == ERROR:
            lines.append(
                f"order {outcome.order_id}: still in error: {outcome.code} {outcome.message}"
            )
        else:
            lines.append(
                f"order {outcome.order_id}: {outcome.outcome} {outcome.message or ''}".rstrip()
            )
    return lines
