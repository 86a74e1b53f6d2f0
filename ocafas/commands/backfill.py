"""The question ``sync --since DATE`` asks before it books older orders."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ocafas.config import Settings
    from ocafas.ledger import Ledger
    from ocafas.opencart.client import OpenCartClient


def confirm_backfill(
    settings: Settings, opencart: OpenCartClient, ledger: Ledger, since: date, *, yes: bool
) -> bool:
    """Say how many orders the backfill books; ask (or take ``--yes``). False: book nothing.

    Without a terminal and without ``--yes`` it refuses at once (a cron job must not wait for
    an answer, nor book a backfill nobody confirmed).
    """
    from ocafas.errors import ConfigError
    from ocafas.pipeline.backfill import count

    start = settings.sync.start_date
    found = count(ledger, opencart, since, start)
    before = ""
    if found.before_start:
        before = f" ({found.before_start} of them before the start date {start.isoformat()})"
    click.echo(
        f"sync --since {since.isoformat()}: {found.to_do} order(s) placed from "
        f"{since.isoformat()} are not booked yet{before}. Each is first looked up in AFAS SB "
        "by its invoice number; one AFAS SB already has is filed as processed (found in AFAS "
        "SB), not booked again. Orders not in a processable status wait as open.",
        err=True,
    )
    if yes:
        return True
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        raise ConfigError(
            "sync --since asks before it books older orders, and there is no terminal to ask;"
            " nothing was booked",
            hint="run it in a terminal, or pass --yes",
        )
    if click.confirm("Book them?", default=False, err=True):
        return True
    click.echo("Nothing was booked.", err=True)
    return False
