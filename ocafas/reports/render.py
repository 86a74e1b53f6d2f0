"""Writing a :class:`Report`: a rich table, CSV (also for Dutch Excel), JSON or one HTML file.

Every renderer returns text. Colour codes appear only when ``color`` is set (the CLI sets it when
stdout is a terminal and no ``--output`` file is given).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from ocafas import __version__
from ocafas.reports import fmt
from ocafas.reports.html import html_document, html_table
from ocafas.reports.model import Column, Report

FORMATS = ("table", "csv", "json", "html")
JSON_SCHEMA_ID = "ocafas-report-table/1"
TOTAL_LABEL = "Total"
GRAND_TOTAL_LABEL = "Total all"


@dataclass(frozen=True)
class RenderOptions:
    locale: str = "en"
    color: bool = False
    width: int = 160
    #: CSV: ``None`` follows the locale (``;`` for nl, ``,`` for en).
    delimiter: str | None = None
    #: CSV: ``None`` follows the locale (decimal comma for nl).
    decimal_comma: bool | None = None
    bom: bool = True
    generated_at: str = ""

    @property
    def csv_delimiter(self) -> str:
        if self.delimiter is not None:
            return self.delimiter
        return ";" if self.locale == "nl" else ","

    @property
    def csv_decimal_comma(self) -> bool:
        if self.decimal_comma is not None:
            return self.decimal_comma
        return self.locale == "nl"

    def stamp(self) -> str:
        return self.generated_at or datetime.now(timezone.utc).isoformat(timespec="seconds")


def cell(column: Column, value: Any, locale: str) -> str:
    """A value as people read it (table and HTML)."""
    if value is None or value == "":
        return ""
    if column.kind == "money":
        return fmt.amount(Decimal(value), locale)
    if column.kind == "date":
        return fmt.day(str(value), locale)
    if column.kind == "rate":
        return fmt.rate(Decimal(value), locale)
    if column.kind == "rates":
        return " / ".join(fmt.rate(Decimal(rate), locale) for rate in value)
    return str(value)


def _csv_cell(column: Column, value: Any, options: RenderOptions) -> str:
    if value is None:
        return ""
    if column.kind == "money":
        return fmt.plain_amount(Decimal(value), options.csv_decimal_comma)
    return cell(column, value, options.locale)


def _multi(report: Report) -> bool:
    return report.kind == "vat"


def _total_cells(
    report: Report, totals: dict[str, Any], label: str, locale: str, count: int | None
) -> list[str]:
    cells = []
    for index, column in enumerate(report.columns):
        if column.key in totals:
            cells.append(cell(column, totals[column.key], locale))
        elif index == 0:
            cells.append(label if count is None else f"{label} ({count})")
        else:
            cells.append("")
    return cells


def render_csv(report: Report, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=options.csv_delimiter, lineterminator="\r\n")
    lead = ["Section"] if _multi(report) else []
    writer.writerow(lead + [column.header for column in report.columns])

    def totals_row(label: str, totals: dict[str, Any], section: str | None) -> list[str]:
        cells = []
        for index, column in enumerate(report.columns):
            if column.key in totals:
                cells.append(_csv_cell(column, totals[column.key], options))
            else:
                cells.append(label if index == 0 else "")
        return ([section or ""] if _multi(report) else []) + cells

    for section in report.sections:
        for row in section.rows:
            cells = [_csv_cell(column, row.get(column.key), options) for column in report.columns]
            writer.writerow(([section.key] if _multi(report) else []) + cells)
        if _multi(report):
            writer.writerow(totals_row(TOTAL_LABEL, section.totals, section.key))
    if _multi(report):
        writer.writerow(totals_row(GRAND_TOTAL_LABEL, report.totals, None))
    else:
        writer.writerow(totals_row(TOTAL_LABEL, report.totals, None))
    text = out.getvalue()
    return ("\ufeff" + text) if options.bom else text


def _json_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "money":
        return fmt.plain_amount(Decimal(value), decimal_comma=False)
    if column.kind == "rate":
        return str(value)
    if column.kind == "rates":
        return [str(rate) for rate in value]
    if column.kind == "int":
        return int(value)
    return str(value)


def report_document(report: Report, options: RenderOptions) -> dict[str, Any]:
    """The JSON document (validated by ``ocafas/schemas/report-table.json``)."""

    def totals(values: dict[str, Any]) -> dict[str, Any]:
        return {
            column.key: _json_value(column, values[column.key])
            for column in report.columns
            if column.key in values
        }

    return {
        "schema": JSON_SCHEMA_ID,
        "report": report.kind,
        "title": report.title,
        "shop": report.shop,
        "ocafas_version": __version__,
        "generated_at": options.stamp(),
        "period": {"from": report.period.first.isoformat(), "to": report.period.last.isoformat()},
        "columns": [
            {"key": column.key, "header": column.header, "kind": column.kind, "total": column.total}
            for column in report.columns
        ],
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "count": len(section.rows),
                "rows": [
                    {
                        column.key: _json_value(column, row.get(column.key))
                        for column in report.columns
                    }
                    for row in section.rows
                ],
                "totals": totals(section.totals),
            }
            for section in report.sections
        ],
        "count": report.count,
        "totals": totals(report.totals),
        "notes": list(report.notes),
    }


def render_json(report: Report, options: RenderOptions) -> str:
    return json.dumps(report_document(report, options), indent=2, ensure_ascii=False) + "\n"


def heading(report: Report, options: RenderOptions) -> str:
    first = fmt.day(report.period.first, options.locale)
    period = f"{first} – {fmt.day(report.period.last, options.locale)}"
    return f"{report.title} · shop {report.shop} · {period}"


def render_table(report: Report, options: RenderOptions) -> str:
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(
        file=out,
        width=options.width,
        color_system="standard" if options.color else None,
        force_terminal=options.color,
        no_color=not options.color,
        highlight=False,
        emoji=False,
    )
    console.print(heading(report, options), style="bold", markup=False)
    for section in report.sections:
        table = Table(title=section.title if _multi(report) else None, title_justify="left")
        for column in report.columns:
            right = column.kind in ("money", "int", "rate")
            table.add_column(column.header, justify="right" if right else "left", overflow="fold")
        for number, row in enumerate(section.rows, start=1):
            table.add_row(
                *[cell(column, row.get(column.key), options.locale) for column in report.columns],
                end_section=number == len(section.rows),
            )
        table.add_row(
            *_total_cells(report, section.totals, TOTAL_LABEL, options.locale, len(section.rows)),
            style="bold",
        )
        console.print(table)
    if not report.sections:
        console.print("nothing in this period", markup=False)
    if _multi(report):
        cells = _total_cells(report, report.totals, GRAND_TOTAL_LABEL, options.locale, None)
        parts = [
            f"{column.header} {value}"
            for column, value in zip(report.columns, cells, strict=True)
            if column.key in report.totals
        ]
        console.print(f"{GRAND_TOTAL_LABEL}: " + ", ".join(parts), style="bold", markup=False)
    for note in report.notes:
        console.print(f"note: {note}", markup=False)
    return out.getvalue()


def render_html(report: Report, options: RenderOptions) -> str:
    title = heading(report, options)
    tables = []
    for section in report.sections:
        rows = [
            [cell(column, row.get(column.key), options.locale) for column in report.columns]
            for row in section.rows
        ]
        total = _total_cells(report, section.totals, TOTAL_LABEL, options.locale, len(rows))
        tables.append(
            html_table(
                title,
                section.title if _multi(report) else "",
                report.columns,
                rows,
                total,
            )
        )
    if _multi(report) or not report.sections:
        total = _total_cells(report, report.totals, GRAND_TOTAL_LABEL, options.locale, None)
        tables.append(html_table(title, GRAND_TOTAL_LABEL, report.columns, [], total))
    footer = [f"generated {options.stamp()} by ocafas {__version__}", *report.notes]
    return html_document(title, options.locale, tables, footer)


def render(report: Report, form: str, options: RenderOptions) -> str:
    if form == "csv":
        return render_csv(report, options)
    if form == "json":
        return render_json(report, options)
    if form == "html":
        return render_html(report, options)
    if form == "table":
        return render_table(report, options)
    raise ValueError(f"unknown format {form!r}")
