"""``ocafas demo``: see ocafas book a shop's orders into AFAS SB, with nothing to set up."""

from __future__ import annotations

from pathlib import Path

import click

from ocafas.commands.context import Context


@click.command("demo")
@click.option(
    "--orders",
    type=click.IntRange(min=1, max=2000),
    default=40,
    show_default=True,
    help="How many orders the demo shop has.",
)
@click.option(
    "--seed",
    type=int,
    default=7,
    show_default=True,
    help="Seed of the generated orders: the same seed gives the same shop.",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep the demo's config and ledger in DIR (a new or empty directory) to explore.",
)
@click.pass_obj
def demo(obj: Context, orders: int, seed: int, keep: Path | None) -> None:
    """Book a demo shop's orders into a demo AFAS SB, on this machine, in a few seconds.

    Starts an OpenCart shop and an AFAS SB administration as local sandboxes (127.0.0.1 only,
    no network, no account needed), writes a config for them, runs 'sync', lets the shop owner
    move some orders on, runs 'recheck', and shows what was booked, what waits and what is in
    error (a few orders are broken on purpose). It then checks every booking against the shop.
    Exit code 0 when everything came out as designed. Your own config and ledger are not touched.

    Example: ocafas demo --orders 60 --keep /tmp/ocafas-demo
    """
    from rich.console import Console

    from ocafas.demo import DemoFailed, render, run_demo

    result = run_demo(orders=orders, seed=seed, keep=keep)
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console.width = 120
    render(result, console)
    if result.problems:
        raise DemoFailed(
            f"the demo did not work as designed ({len(result.problems)} problems above)",
            hint="please report this with the output of 'ocafas demo'",
        )
