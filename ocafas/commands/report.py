"""``ocafas report``: processed, errors, open, vat, order ID, problem ID."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ocafas.commands.context import Context

_FORMATS = ("table", "csv", "json", "html")


def _period_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--month",
        metavar="YYYY-MM",
        help="One calendar month, e.g. 2025-04 (not with --from/--to).",
    )(command)
    command = click.option(
        "--to", "date_to", metavar="YYYY-MM-DD", help="Last day, inclusive (default: today)."
    )(command)
    command = click.option(
        "--from",
        "date_from",
        metavar="YYYY-MM-DD",
        help="First day (default: the first of the current month).",
    )(command)
    return command


def _shop_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--all-shops",
        is_flag=True,
        help="Also every shop in this config's shop.others.",
    )(command)
    command = click.option(
        "--shop",
        "shops",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="CONFIG",
        help="Also the shop of this config (repeatable); rows get a shop column.",
    )(command)
    return command


def _output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--format",
            "form",
            type=click.Choice(_FORMATS),
            default="table",
            show_default=True,
            help="table for people, csv for spreadsheets, json for programs, html to print.",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to this file instead of standard output.",
        ),
        click.option(
            "--locale",
            type=click.Choice(["en", "nl"]),
            default="en",
            show_default=True,
            help="nl: dates dd-mm-jjjj, amounts 1.234,56; CSV with ';' and a decimal comma.",
        ),
        click.option(
            "--separator",
            type=click.Choice([",", ";", "tab"]),
            help="CSV field separator (default: ';' for --locale nl, else ',').",
        ),
        click.option(
            "--decimal-comma/--decimal-point",
            default=None,
            help="CSV amounts as 1234,56 or 1234.56 (default: follows --locale).",
        ),
        click.option(
            "--bom/--no-bom",
            default=True,
            show_default=True,
            help="CSV starts with a UTF-8 byte order mark, so Excel reads accents right.",
        ),
        click.option(
            "--excel-nl",
            is_flag=True,
            help="CSV for Excel with Dutch settings: --locale nl, ';', decimal comma, BOM.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _options(
    form: str,
    output: Path | None,
    locale: str,
    separator: str | None,
    decimal_comma: bool | None,
    bom: bool,
    excel_nl: bool,
) -> Any:
    from ocafas.reports.render import RenderOptions

    if excel_nl:
        locale, separator, decimal_comma, bom = "nl", ";", True, True
    color = output is None and form == "table" and sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if color else 160
    return RenderOptions(
        locale=locale,
        color=color,
        width=max(width, 100),
        delimiter="\t" if separator == "tab" else separator,
        decimal_comma=decimal_comma,
        bom=bom,
    )


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8", newline="")
    click.echo(f"wrote {output}", err=True)


def _open_ledger(obj: Context) -> tuple[Any, Any]:
    from ocafas.errors import LedgerError
    from ocafas.ledger import Ledger

    settings = obj.settings()
    path = Path(settings.ledger_path)
    if not path.exists():
        raise LedgerError(
            f"no ledger at {path} yet", hint="run 'ocafas sync' first, or check ledger.path"
        )
    return settings, Ledger.open(path)


def _several_shops(obj: Context, shops: tuple[Path, ...], all_shops: bool) -> list[Any] | None:
    """The shops of a report over several, or None for the one shop of ``--config``."""
    if not shops and not all_shops:
        return None
    import os

    from ocafas.config import resolve_config_path
    from ocafas.reports.shops import resolve_shops

    found = resolve_shops(resolve_config_path(obj.config_path), shops, all_shops, dict(os.environ))
    return found if len(found) > 1 else None


def _period_report(kind: str) -> Callable[..., None]:
    def run(
        obj: Context,
        date_from: str | None,
        date_to: str | None,
        month: str | None,
        form: str,
        output: Path | None,
        shops: tuple[Path, ...] = (),
        all_shops: bool = False,
        **render: Any,
    ) -> None:
        from ocafas.errors import ConfigError
        from ocafas.reports.build import BUILDERS
        from ocafas.reports.period import PeriodError, resolve_period
        from ocafas.reports.render import render as render_report

        try:
            period = resolve_period(date_from, date_to, month)
        except PeriodError as err:
            raise ConfigError(str(err)) from None
        options = _options(form, output, **render)
        several = _several_shops(obj, shops, all_shops)
        if several is not None:
            from ocafas.reports.combine import shops_report

            report = shops_report(kind, several, period)
        else:
            _settings, ledger = _open_ledger(obj)
            with ledger:
                report = BUILDERS[kind](ledger, period)
        _emit(render_report(report, form, options), output)

    return run


@click.group("report")
def report() -> None:
    """Reports for accountants and operators, from the local ledger (no shop or AFAS SB calls).

    processed, errors and open cover a period (default: the current month; --month 2025-04 or
    --from/--to). vat sums the revenue and VAT per country, rate and AFAS VAT type, with ICP and
    International apart; its totals tie to the processed report. order ID shows everything about
    one order; problem ID writes one file for support, with every secret masked.

    Several shops (each with its own config and ledger): processed, errors, open and vat take
    --shop OTHER.yaml (repeatable) and --all-shops (every config in shop.others); each row then
    names its shop, with totals per shop and for all shops. The other shops' secrets are not
    needed. order and problem report on the shop of --config only.

    Example: ocafas report vat --month 2025-04 --format html -o vat-2025-04.html
    """


def _period_command(name: str, summary: str) -> None:
    body = _period_report(name)

    @click.pass_obj
    def command(obj: Context, /, **kwargs: Any) -> None:
        body(obj, **kwargs)

    command.__doc__ = summary
    report.command(name, help=summary)(_period_options(_shop_options(_output_options(command))))


_period_command(
    "processed",
    "Orders booked in AFAS SB in the period (by invoice date), with a totals row.\n\n"
    "One row per entry: order, date, customer, country, amounts excl./VAT/incl., VAT rates,"
    " AFAS invoice number and entry id.\n\n"
    "Example: ocafas report processed --month 2025-04 --excel-nl -o april.csv",
)
_period_command(
    "errors",
    "Orders in error placed in the period: the code, a one-line reason and what to do.\n\n"
    "Example: ocafas report errors --from 2025-04-01 --to 2025-04-15",
)
_period_command(
    "open",
    "Orders placed in the period that wait for a processable status in the shop.\n\n"
    "Example: ocafas report open --format json",
)
_period_command(
    "vat",
    "VAT booked in the period per country, VAT rate and AFAS VAT type.\n\n"
    "Domestic, EU consumers (OSS), ICP and International each get their own totals; gift"
    " vouchers and store credit are listed apart as they are not revenue. The totals tie to"
    " 'report processed' for the same period.\n\n"
    "Example: ocafas report vat --month 2025-04 --locale nl",
)


@report.command("order")
@click.argument("order_id", type=click.IntRange(min=1))
@click.option(
    "--request",
    "show_request",
    is_flag=True,
    help="Print only the exact AFAS SB request body of the order's last entry, byte for byte.",
)
@_output_options
@click.pass_obj
def order_command(
    obj: Context,
    /,
    order_id: int,
    form: str,
    output: Path | None,
    show_request: bool = False,
    **render: Any,
) -> None:
    """Everything about one order ("More info").

    The order as read from the shop, each check run again with the current config (and the
    problem recorded at the time), the AFAS SB requests sent and their answers, the event
    history, and what to do next.

    --request prints only the exact JSON body sent to AFAS SB (for an order not sent yet,
    'ocafas sync --dry-run --format json' shows the body it would send).

    Example: ocafas report order 1234
    """
    if show_request:
        _emit(_request_text(obj, order_id), output)
        return
    from ocafas.reports.order import order_detail
    from ocafas.reports.order_render import ORDER_RENDERERS

    options = _options(form, output, **render)
    settings, ledger = _open_ledger(obj)
    with ledger:
        detail = order_detail(ledger, order_id, settings)
    _emit(ORDER_RENDERERS[form](detail, options), output)


@report.command("problem")
@click.argument("order_id", type=click.IntRange(min=1))
@click.option(
    "--format",
    "form",
    type=click.Choice(["zip", "json"]),
    default="zip",
    show_default=True,
    help="One zip with separate files, or one JSON document.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: ocafas-problem-<order>.<format> here).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Log file whose last lines go in (e.g. where cron writes ocafas's output).",
)
@click.option(
    "--log-lines",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="How many of the last log lines.",
)
@click.pass_obj
def problem_command(
    obj: Context,
    /,
    order_id: int,
    form: str,
    output: Path | None,
    log_file: Path | None,
    log_lines: int,
) -> None:
    """Write one file for support about one order, with secrets and tokens masked.

    It holds the versions, the config (API key and app token masked), the order report
    (as read, checks, AFAS SB requests and responses, events), recent run events and the last
    lines of --log-file. Look inside before you send it: it contains customer data.

    Example: ocafas report problem 1234 --log-file /var/log/ocafas.log
    """
    import os

    from ocafas.config import resolve_config_path
    from ocafas.reports.problem import bundle, write_bundle

    settings, ledger = _open_ledger(obj)
    with ledger:
        document = bundle(
            ledger,
            order_id,
            settings,
            config_path=resolve_config_path(obj.config_path),
            log_file=log_file,
            log_lines=log_lines,
        )
    data = write_bundle(document, form)
    target = output or Path(f"ocafas-problem-{order_id}.{form}")
    fd = os.open(target, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    click.echo(f"wrote {target} (customer data inside: share it with support only)", err=True)


def _request_text(obj: Context, order_id: int) -> str:
    from ocafas.errors import ConfigError

    _settings, ledger = _open_ledger(obj)
    with ledger:
        entries = [e for e in ledger.entries(order_id) if e.request_body]
    if not entries:
        raise ConfigError(
            f"order {order_id} has no AFAS SB request in the ledger",
            hint="'ocafas sync --dry-run --format json' shows the request it would send",
        )
    body = entries[-1].request_body
    return f"{body}\n"
