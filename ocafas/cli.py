"""The ``ocafas`` command line: parse, build, call, render. No business logic lives here.

Imports of the heavier modules happen inside the commands so that ``ocafas --help`` and an idle
cron run start quickly.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ocafas import __version__
from ocafas.commands import setup as setup_commands
from ocafas.commands.context import Context
from ocafas.commands.demo import demo
from ocafas.commands.ledger import ledger_group
from ocafas.commands.reconcile import reconcile
from ocafas.commands.report import report as report_group
from ocafas.errors import ConfigError, ExitCode, OcafasError

if TYPE_CHECKING:
    from ocafas.config import Settings
    from ocafas.ledger import Ledger
    from ocafas.opencart.client import OpenCartClient
    from ocafas.pipeline import PassResult
    from ocafas.pipeline.context import AfasFactory

log = logging.getLogger("ocafas")


class OcafasGroup(click.Group):
    """The root group: the one place that turns an :class:`OcafasError` into its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OcafasError as err:
            obj = ctx.obj if isinstance(ctx.obj, Context) else None
            if obj is not None and obj.log_json:
                problems = "".join(f"; {p}" for p in getattr(err, "problems", []))
                log.error("%s%s", err, problems, extra={"event": "error"})
            else:
                _report_error(err, obj.verbose if obj else 0)
            ctx.exit(int(err.exit_code))


@click.group(
    cls=OcafasGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: ocafas --config /etc/ocafas/shop.yaml check-config",
)
@click.version_option(__version__, "-V", "--version", prog_name="ocafas")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="OCAFAS_CONFIG",
    help="Config file (default: $OCAFAS_CONFIG, else the platform config dir, "
    "e.g. ~/.config/ocafas/config.yaml).",
)
@click.option("-v", "--verbose", count=True, help="More output; -vv also shows HTTP calls.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors (for cron).")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line (for log shippers).")
@click.pass_context
def cli(
    ctx: click.Context, config_path: Path | None, verbose: int, quiet: bool, log_json: bool
) -> None:
    """Book OpenCart orders into AFAS SB as sales journal entries.

    Each command reads the YAML config (see config.example.yaml) and, where it needs to, the local
    ledger of every order ocafas has seen.
    """
    from ocafas.logs import setup_logging

    setup_logging(verbose=verbose, quiet=quiet, json_lines=log_json)
    ctx.obj = Context(config_path, verbose, quiet, log_json)


@cli.command("check-config")
@click.pass_obj
def check_config(obj: Context) -> None:
    """Validate the config file and print a summary with secrets hidden.

    Every problem is listed with its key path, e.g. `afas.administration_id: not a UUID`.
    Exit code 0 when the config is valid, 2 when it is not.

    Example: ocafas --config shop.yaml check-config
    """
    from ocafas.config import describe_settings
    from ocafas.shops import check_shops

    settings = obj.settings()
    check_shops(settings)
    click.echo(describe_settings(settings))


PassCall = Callable[["Settings", "OpenCartClient", "AfasFactory", "Ledger"], "PassResult"]
BeforeCall = Callable[["Settings", "OpenCartClient", "Ledger"], bool]


def _run_pass(
    obj: Context,
    call: PassCall,
    *,
    dry_run: bool = False,
    form: str = "text",
    before: BeforeCall | None = None,
    full_check: bool | None = None,
) -> int:
    """Build the clients and the ledger, run one pass, print what needs printing.

    A dry run opens the ledger read-only (``ocafas.pipeline.preview``). ``before`` runs with
    the clients and the ledger before the pass (the backfill's question); False ends the run.
    ``full_check``: read every page of the ledger at open (None: only a small ledger).
    """
    from ocafas.pipeline.build import afas_factory, open_ledger, opencart_client
    from ocafas.pipeline.preview import open_preview_ledger
    from ocafas.render import dry_run_lines, problem_lines, summary
    from ocafas.shops import check_shops

    settings = obj.settings()
    check_shops(settings)
    opencart = opencart_client(settings)
    try:
        ledger_cm = (
            open_preview_ledger(settings.ledger_path)
            if dry_run
            else open_ledger(settings, full_check=full_check)
        )
        with ledger_cm as ledger:
            if before is not None and not before(settings, opencart, ledger):
                return int(ExitCode.OK)
            result = call(settings, opencart, afas_factory(settings), ledger)
    finally:
        opencart.close()
    if result.dry_run and form == "json":
        from ocafas.render_preview import dry_run_json

        click.echo(dry_run_json(result, settings.shop.name))
        return int(ExitCode.AFAS) if result.stopped else int(ExitCode.OK)
    if result.dry_run:
        for line in dry_run_lines(result):
            click.echo(line)
    # The nightly recheck reminds of errors standing from earlier runs; the hourly sync speaks
    # (and exits 3) only about what went wrong in this run, so cron does not mail old news.
    remind = result.command == "recheck"
    problems = problem_lines(result, remind_standing=remind)
    for line in problems:
        _say(obj, line, "problem", warning=True)
    if (problems or obj.verbose or result.dry_run) and not (obj.quiet and not problems):
        _say(obj, summary(result), "summary", warning=bool(problems))
    if result.stopped:
        return int(ExitCode.AFAS)
    if result.dry_run:
        return int(ExitCode.OK)
    if result.errors or (remind and result.errors_in_ledger):
        return int(ExitCode.ORDERS_FAILED)
    return int(ExitCode.OK)


def _say(obj: Context, line: str, event: str, *, warning: bool) -> None:
    """Print a line; with --log-json, log it instead, as one JSON object like every log line."""
    if obj.log_json:
        log.log(logging.WARNING if warning else logging.INFO, "%s", line, extra={"event": event})
    else:
        click.echo(line)


_DRY_RUN_HELP = (
    "Run every check and plan every entry, print what would happen (with the exact AFAS SB"
    " request of each order); send no write to AFAS SB and change nothing in the ledger."
)
_FORMAT_HELP = "With --dry-run: text for people, json for scripts (one document)."


@cli.command("sync")
@click.option("--dry-run", is_flag=True, help=_DRY_RUN_HELP)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Backfill: book orders placed from this date, even before sync.start_date; each is "
    "first looked up in AFAS SB and filed as found when it is already there. Asks first.",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask before a --since backfill (cron).")
@click.option(
    "--format", "form", type=click.Choice(["text", "json"]), default="text", help=_FORMAT_HELP
)
@click.pass_context
def sync(ctx: click.Context, dry_run: bool, since: Any, yes: bool, form: str) -> None:
    """Book new and changed orders: one pass from where the last one stopped.

    Finishes first what an interrupted run left half-posted (resending the same request, so
    nothing is booked twice), then reads the orders changed since the last run, page by page.
    Orders not yet in a processable status wait as open; orders that fail a check go to the
    errors with a hint. Quiet on a clean run (for cron); -v prints a one-line summary.
    Exit code 0 when all is well, 3 when orders are in error, 5 when AFAS SB stayed down,
    6 when another run holds the ledger.

    --dry-run previews the run; --since DATE backfills older orders (see docs/connectors.md).

    Example: ocafas --config shop.yaml sync
    """
    from ocafas.pipeline import run_pass

    if form == "json" and not dry_run:
        raise click.UsageError("--format json goes with --dry-run")
    since_date = since.date() if since is not None else None

    def call(
        settings: Settings, opencart: OpenCartClient, factory: AfasFactory, ledger: Ledger
    ) -> PassResult:
        return run_pass(settings, opencart, factory, ledger, dry_run=dry_run, since=since_date)

    before = None
    if since_date is not None and not dry_run:
        from ocafas.commands.backfill import confirm_backfill

        def before(settings: Settings, opencart: OpenCartClient, ledger: Ledger) -> bool:
            return confirm_backfill(settings, opencart, ledger, since_date, yes=yes)

    ctx.exit(_run_pass(ctx.obj, call, dry_run=dry_run, form=form, before=before))


@cli.command("recheck")
@click.option("--dry-run", is_flag=True, help=_DRY_RUN_HELP)
@click.option(
    "--format", "form", type=click.Choice(["text", "json"]), default="text", help=_FORMAT_HELP
)
@click.pass_context
def recheck_command(ctx: click.Context, dry_run: bool, form: str) -> None:
    """Look at every open order again and book those that became processable.

    Run it nightly: an order whose status changed without OpenCart moving its modification
    date (or one a crashed run did not finish reading) is fetched again by id. It also reads
    every page of the ledger first (PRAGMA quick_check), which the hourly sync does only for
    a ledger up to 64 MiB.

    Example: ocafas --config shop.yaml recheck
    """
    from ocafas.pipeline import recheck

    if form == "json" and not dry_run:
        raise click.UsageError("--format json goes with --dry-run")

    def call(
        settings: Settings, opencart: OpenCartClient, factory: AfasFactory, ledger: Ledger
    ) -> PassResult:
        return recheck(settings, opencart, factory, ledger, dry_run=dry_run)

    ctx.exit(_run_pass(ctx.obj, call, dry_run=dry_run, form=form, full_check=True))


@cli.command("retry")
@click.argument("order_ids", metavar="[ORDER_ID]...", nargs=-1, type=click.IntRange(min=1))
@click.option(
    "--code", "codes", multiple=True, metavar="CODE", help="Only orders in error with this code."
)
@click.option(
    "--dry-run", is_flag=True, help="Show the requests that would be sent; change nothing."
)
@click.option(
    "--format", "form", type=click.Choice(["text", "json"]), default="text", help=_FORMAT_HELP
)
@click.pass_context
def retry_command(
    ctx: click.Context,
    order_ids: tuple[int, ...],
    codes: tuple[str, ...],
    dry_run: bool,
    form: str,
) -> None:
    """Try orders in error again, after you fixed the cause (config, shop or AFAS SB).

    Without arguments every order in error is retried; give order ids and/or --code to choose.
    Each order is fetched fresh from the shop. A booked order is never booked again.
    --dry-run prints the exact AFAS SB request of each order and writes nothing.

    Example: ocafas retry --code RATE_NOT_CONFIGURED --dry-run
    """
    from ocafas.pipeline import retry

    def call(
        settings: Settings, opencart: OpenCartClient, factory: AfasFactory, ledger: Ledger
    ) -> PassResult:
        return retry(
            settings,
            opencart,
            factory,
            ledger,
            order_ids=list(order_ids) or None,
            codes=[c.strip().upper() for c in codes] or None,
            dry_run=dry_run,
        )

    if form == "json" and not dry_run:
        raise click.UsageError("--format json goes with --dry-run")
    ctx.exit(_run_pass(ctx.obj, call, dry_run=dry_run, form=form))


cli.add_command(setup_commands.connect)
cli.add_command(setup_commands.configure_vat)
cli.add_command(demo)
cli.add_command(reconcile)
cli.add_command(report_group)
cli.add_command(ledger_group)


def _report_error(err: OcafasError, verbose: int) -> None:
    if isinstance(err, ConfigError) and err.problems:
        click.echo(f"error: {err.message}", err=True)
        for problem in err.problems:
            click.echo(f"  {problem}", err=True)
        if err.hint:
            click.echo(f"  ({err.hint})", err=True)
    else:
        click.echo(f"error: {err}", err=True)
    if verbose > 1:
        log.debug("traceback", exc_info=err)


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the console script: one place that maps errors to exit codes."""
    verbose = sum(1 for a in (argv or sys.argv[1:]) if a in ("-v", "-vv", "--verbose"))
    try:
        result = cli.main(args=argv, prog_name="ocafas", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.INTERNAL)
    except click.ClickException as err:
        err.show()
        sys.exit(ExitCode.CONFIG if err.exit_code == 2 else err.exit_code)
    except OcafasError as err:
        _report_error(err, verbose)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as err:  # the one boundary for bugs: one line, traceback with -v
        click.echo(
            f"error: unexpected {type(err).__name__}: {err}. Run again with -vv for the "
            "traceback and report it.",
            err=True,
        )
        if verbose:
            import traceback

            traceback.print_exc()
        sys.exit(ExitCode.INTERNAL)
    if isinstance(result, int):
        sys.exit(result)
    sys.exit(ExitCode.OK)
