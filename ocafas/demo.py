"""``ocafas demo``: a shop's day against both sandboxes, in a few seconds, with nothing to set up.

It starts the OpenCart and AFAS SB sandboxes on 127.0.0.1, writes a complete config for them
(mode 0600) next to a fresh ledger, runs the same ``sync`` a cron job runs, moves some orders on
in the shop as its owner would during a day, runs ``recheck``, and then checks the outcome
against what the generated orders say it must be: every processable order that was not broken on
purpose is booked exactly once and to the cent, every broken one is in error, the rest wait as
open. The table code stays small: full reports are the reports' job.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from ocafas.config import Settings, load_settings
from ocafas.demo_orders import PROCESSABLE, break_orders, move_orders_on
from ocafas.demo_result import CONFIG_NAME, LEDGER_NAME, DemoResult, check, read_ledger
from ocafas.errors import ConfigError, ExitCode, OcafasError
from ocafas.ledger import Ledger
from ocafas.money import format_amount
from ocafas.pipeline import PassResult, recheck, run_pass
from ocafas.pipeline.build import afas_factory, opencart_client
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, DEFAULT_APP_TOKEN
from ocafas.sandbox.config_template import rates_yaml, sandbox_config
from ocafas.sandbox.opencart import DEFAULT_KEY, OpenCartSandbox

DEFAULT_ORDERS = 40
DEFAULT_SEED = 7

#: The demo shop charges Dutch VAT to consumers in these EU countries (no OSS).
COUNTRIES = ("NL", "BE", "DE", "FR", "AT")


class DemoFailed(OcafasError):
    """Raised when the demo's outcome differs from what its generated orders say it must be."""

    exit_code = ExitCode.INTERNAL


def config_text(shop: OpenCartSandbox, afas: AfasSandbox, ledger: Path) -> str:
    """The demo's config. The sandbox keys are written literally: the file is mode 0600."""
    return sandbox_config(
        comment="Written by 'ocafas demo' for its two sandboxes on 127.0.0.1 "
        "(they stop when the demo ends).",
        opencart_url=shop.url,
        api_key=DEFAULT_KEY,
        processable=PROCESSABLE,
        afas_url=afas.base_url,
        app_token=DEFAULT_APP_TOKEN,
        ledger=ledger,
        rates=rates_yaml(COUNTRIES, zero_everywhere=True),
        booking_extra="  payment_methods:\n    paypal: creditcard",
        batch_size=25,
    )


def write_private(path: Path, text: str) -> None:
    """Create ``path`` with mode 0600 from the start: never readable by others, not even briefly."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


@contextmanager
def _directory(keep: Path | None) -> Iterator[Path]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="ocafas-demo-") as tmp:
            yield Path(tmp)
        return
    keep = keep.expanduser().resolve()
    taken = [name for name in (CONFIG_NAME, LEDGER_NAME) if (keep / name).exists()]
    if taken:
        raise ConfigError(
            f"--keep {keep}: the directory already holds {', '.join(taken)} of an earlier demo",
            hint="choose an empty or new directory",
        )
    keep.mkdir(mode=0o700, parents=True, exist_ok=True)
    yield keep


def _pass(settings: Settings, call: Any) -> PassResult:
    client = opencart_client(settings)
    try:
        with Ledger.open(settings.ledger_path) as ledger:
            result: PassResult = call(settings, client, afas_factory(settings), ledger)
            return result
    finally:
        client.close()


def run_demo(
    orders: int = DEFAULT_ORDERS, seed: int = DEFAULT_SEED, keep: Path | None = None
) -> DemoResult:
    """Run the demo's day and return what happened; never prints."""
    if orders < 1:
        raise ConfigError("--orders must be at least 1")
    with (
        _directory(keep) as directory,
        OpenCartSandbox(seed=seed) as shop,
        AfasSandbox() as afas,
    ):
        generated = shop.generate(orders)
        faults = {i: b.kind for i, b in break_orders(generated, seed).items()}
        shop.add_orders(generated)
        config_path = directory / CONFIG_NAME
        write_private(config_path, config_text(shop, afas, directory / LEDGER_NAME))
        settings, _ = load_settings(config_path)
        seeded_relations = len(afas.persons()) + len(afas.organisations())
        first = _pass(settings, run_pass)
        moved = move_orders_on(shop, settings.ledger_path)
        second = _pass(settings, recheck)
        shop_orders = {o["order_id"]: shop.order(o["order_id"]) or {} for o in generated}
        result = DemoResult(
            orders=orders,
            seed=seed,
            directory=directory,
            kept=keep is not None,
            sync=first,
            recheck=second,
            moved=moved,
            booked=[],
            waiting=[],
            failed=[],
            afas_entries=afas.entries(ADMIN_SHOP_ID, include_deleted=True),
            shop_orders=shop_orders,
            faults=faults,
            relations_created=len(afas.persons()) + len(afas.organisations()) - seeded_relations,
            opencart_calls=shop.request_count,
            afas_calls=sum(afas.counts().values()),
        )
        read_ledger(result, settings.ledger_path)
        result.problems = check(result, settings.ledger_path)
    return result


# -- the printed story ------------------------------------------------------------------------


def render(result: DemoResult, console: Any) -> None:
    """Print what happened in plain words (``console`` is a rich Console)."""
    from rich.table import Table

    say = console.print
    say(
        f"[bold]ocafas demo[/]: a shop with {result.orders} orders (seed {result.seed}) and an "
        "AFAS SB administration, both sandboxes on 127.0.0.1."
    )
    say(f"1. [bold]sync[/] read the shop and booked what it could: {_line(result.sync)}")
    moved = [f"{i} {a} -> {b}" for i, a, b in result.moved if i not in result.booked_before]
    if moved:
        say(f"2. During the day the shop owner moved open orders on: {', '.join(moved)}.")
    for order_id, was, now in result.moved:
        if order_id in result.booked_before:
            say(
                f"   Order {order_id}, already booked, went from {was} to {now}: ocafas only "
                "notes that in its ledger; an order is never booked twice."
            )
    say(f"3. [bold]recheck[/] (nightly) looked at the open orders again: {_line(result.recheck)}")

    def table(title: str, *columns: str) -> Any:
        made = Table(title=title, title_justify="left")
        for name in columns:
            right = name in ("excl", "VAT", "incl")
            made.add_column(name, justify="right" if right else "left", no_wrap=right)
        return made

    booked = table(
        f"Booked in AFAS SB ({len(result.booked)})",
        *("order", "customer", "country", "excl", "VAT", "incl", "invoice", "by"),
    )
    for row in result.booked:
        amounts = [format_amount(a) for a in (row.excl, row.vat, row.incl)]
        booked.add_row(str(row.order_id), row.customer, row.country, *amounts, row.invoice_number,
                       row.by)  # fmt: skip
    say(booked)
    total = sum((row.incl for row in result.booked), Decimal(0))
    say(f"Booked total incl. VAT: {format_amount(total)} EUR")

    waiting = table(
        f"Open: waiting for a processable status ({len(result.waiting)})",
        *("order", "customer", "status in the shop"),
    )
    for wait in result.waiting:
        waiting.add_row(str(wait.order_id), wait.customer, wait.status)
    say(waiting)
    say(
        f"Only orders in {', '.join(PROCESSABLE)} are booked; recheck books the others once "
        "they get there."
    )

    failed = table(
        f"In error, not booked ({len(result.failed)})",
        *("order", "customer", "code", "hint", "how it was broken on purpose"),
    )
    for fail in result.failed:
        failed.add_row(str(fail.order_id), fail.customer, fail.code, fail.hint, fail.why)
    say(failed)
    say("In a real shop you fix the cause (in the shop or in the config) and run 'ocafas retry'.")
    _figures(result, say)
    if result.kept:
        _explore(result, say)


def _line(result: PassResult) -> str:
    counts = result.counts
    return (
        f"{counts['booked']} booked, {counts['open']} open, {counts['error']} in error, "
        f"{counts['unchanged']} unchanged (HTTP calls: OpenCart {result.opencart_requests}, "
        f"AFAS SB {result.afas_requests})."
    )


def _figures(result: DemoResult, say: Callable[..., None]) -> None:
    entries = [e for e in result.afas_entries if not e.deleted]
    say(
        f"[bold]Figures[/]: {result.orders} orders in the shop; {len(result.booked)} booked, "
        f"{len(result.waiting)} open, {len(result.failed)} in error; AFAS entries created: "
        f"{len(entries)}; AFAS relations created: {result.relations_created}; HTTP calls: "
        f"OpenCart {result.opencart_calls}, AFAS SB {result.afas_calls}."
    )
    if result.problems:
        say("[bold red]The demo did NOT work as designed:[/]")
        for problem in result.problems:
            say(f"  - {problem}", markup=False)
    else:
        say(
            "Checked: every processable order is booked exactly once, to the cent; nothing else is."
        )


def _explore(result: DemoResult, say: Callable[..., None]) -> None:
    ledger = result.ledger_path
    orders = "SELECT order_id, state, error_code FROM orders ORDER BY order_id"
    events = "SELECT order_id, at, event FROM events ORDER BY event_id"
    say(f"\nKept in {result.directory}. The sandboxes have stopped; explore what is left:")
    say(f"  ocafas --config {result.config_path} check-config", markup=False)
    say(f'  sqlite3 {ledger} "{orders}"', markup=False)
    say(f'  sqlite3 {ledger} "{events}"', markup=False)
