"""``ocafas reconcile``: the ledger's booked entries against what AFAS SB holds (read only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ocafas.commands.context import Context  # noqa: F401 - the object ctx.obj holds
from ocafas.commands.report import _emit, _options, _output_options, _period_options


def _last_month() -> str:
    from datetime import date, timedelta

    previous = date.today().replace(day=1) - timedelta(days=1)
    return f"{previous.year:04d}-{previous.month:02d}"


@click.command("reconcile")
@_period_options
@_output_options
@click.pass_context
def reconcile(
    ctx: click.Context,
    /,
    date_from: str | None,
    date_to: str | None,
    month: str | None,
    form: str,
    output: Path | None,
    **render: Any,
) -> None:
    """Compare the ledger's booked entries with the sales invoices AFAS SB holds.

    Lists entries missing in AFAS SB (deleted there), amounts or dates that differ, and
    invoices in AFAS SB under ocafas's invoice-number pattern that the ledger does not know.
    Reads only: no AFAS SB write, no ledger change. Default period: last month (by invoice
    date). Exit code 0 when everything matches, 3 when anything differs.

    Example: ocafas reconcile --month 2025-04 --format csv -o differences.csv
    """
    from ocafas.commands.report import _open_ledger
    from ocafas.errors import ConfigError, ExitCode
    from ocafas.pipeline.build import afas_factory
    from ocafas.reconcile import reconcile as compare
    from ocafas.reconcile_report import reconcile_report
    from ocafas.reports.period import PeriodError, resolve_period
    from ocafas.reports.render import render as render_report

    if month is None and date_from is None and date_to is None:
        month = _last_month()
    try:
        period = resolve_period(date_from, date_to, month)
    except PeriodError as err:
        raise ConfigError(str(err)) from None
    options = _options(form, output, **render)
    settings, ledger = _open_ledger(ctx.obj)
    with ledger:
        afas = afas_factory(settings)()
        result = compare(settings, ledger, afas, period.first, period.last)
        report = reconcile_report(result, ledger.shop)
    _emit(render_report(report, form, options), output)
    ctx.exit(int(ExitCode.ORDERS_FAILED) if result.differences else int(ExitCode.OK))
