"""Writing a :class:`Report`: a rich table, CSV (also for Dutch Excel), JSON or one HTML file.

Every renderer returns text. Colour codes appear only when ``color`` is set (the CLI sets it when
stdout is a terminal and no ``--output`` file is given). CSV and JSON are in
:mod:`ocafas.reports.render_data`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ocafas import __version__
from ocafas.reports import fmt
from ocafas.reports.cells import (
    GRAND_TOTAL_LABEL,
    TOTAL_LABEL,
    RenderOptions,
    cell,
    text_console,
    total_cells,
)
from ocafas.reports.html import html_document, html_table
from ocafas.reports.model import Column, Report, Section
from ocafas.reports.render_data import (
    JSON_SCHEMA_ID,
    render_csv,
    render_json,
    report_document,
    sectioned,
)

FORMATS = ("table", "csv", "json", "html")
SHOP_TOTALS_TITLE = "Totals per shop"

__all__ = [
    "FORMATS",
    "GRAND_TOTAL_LABEL",
    "JSON_SCHEMA_ID",
    "TOTAL_LABEL",
    "RenderOptions",
    "cell",
    "heading",
    "render",
    "render_csv",
    "render_html",
    "render_json",
    "render_table",
    "report_document",
]


def heading(report: Report, options: RenderOptions) -> str:
    first = fmt.day(report.period.first, options.locale)
    period = f"{first} – {fmt.day(report.period.last, options.locale)}"
    shop = "shops" if report.multi_shop else "shop"
    return f"{report.title} · {shop} {report.shop} · {period}"


#: One printed table: its title, columns, body rows (cells) and the bold rows after each group.
Block = tuple[str, tuple[Column, ...], list[tuple[list[str], bool]]]


def _section_rows(
    columns: tuple[Column, ...], section: Section, total_label: str, locale: str
) -> list[tuple[list[str], bool]]:
    """Cells of each row, ``True`` for a totals row: per shop a subtotal, then the section's."""
    write = partial(cell, locale=locale)
    rows: list[tuple[list[str], bool]] = []
    for shop, group in section.groups():
        rows.extend(([write(c, row.get(c.key)) for c in columns], False) for row in group)
        if shop is not None:
            totals = section.subtotals[shop]
            subtotal = total_cells(columns, totals, TOTAL_LABEL, write, count=len(group), shop=shop)
            rows.append((subtotal, True))
    count = len(section.rows)
    rows.append((total_cells(columns, section.totals, total_label, write, count=count), True))
    return rows


def _blocks(report: Report, locale: str) -> Iterator[Block]:
    """Each section (the VAT report: with the tables that detail it right after it)."""
    label = GRAND_TOTAL_LABEL if report.multi_shop and not sectioned(report) else TOTAL_LABEL
    for section in report.sections:
        title = section.title if sectioned(report) else ""
        yield title, report.columns, _section_rows(report.columns, section, label, locale)
        for table in report.tables:
            if table.section == section.key:
                rows = _section_rows(table.columns, table.body, TOTAL_LABEL, locale)
                yield table.title, table.columns, rows


def _shop_totals(report: Report, locale: str) -> list[tuple[list[str], bool]]:
    write = partial(cell, locale=locale)
    rows = [
        (
            total_cells(report.columns, p.totals, TOTAL_LABEL, write, count=p.count, shop=p.name),
            False,
        )
        for p in report.shops
    ]
    rows.append((total_cells(report.columns, report.totals, GRAND_TOTAL_LABEL, write), True))
    return rows


def render_table(report: Report, options: RenderOptions) -> str:
    from rich.table import Table

    console, out = text_console(options)

    def show(title: str, columns: tuple[Column, ...], rows: list[tuple[list[str], bool]]) -> None:
        table = Table(title=title or None, title_justify="left")
        for column in columns:
            right = column.kind in ("money", "int", "rate")
            table.add_column(column.header, justify="right" if right else "left", overflow="fold")
        for number, (cells, bold) in enumerate(rows):
            # a line under the rows before a totals row, and under a shop's subtotal
            last = number + 2 == len(rows)
            end = number + 1 < len(rows) and (rows[number + 1][1] != bold or last)
            table.add_row(*cells, style="bold" if bold else None, end_section=end)
        console.print(table)

    console.print(heading(report, options), style="bold", markup=False)
    for title, columns, rows in _blocks(report, options.locale):
        show(title, columns, rows)
    if not report.sections:
        console.print("nothing in this period", markup=False)
    if sectioned(report) and report.multi_shop:
        show(SHOP_TOTALS_TITLE, report.columns, _shop_totals(report, options.locale))
    elif sectioned(report):
        write = partial(cell, locale=options.locale)
        cells = total_cells(report.columns, report.totals, GRAND_TOTAL_LABEL, write)
        parts = [
            f"{column.header} {value}"
            for column, value in zip(report.columns, cells, strict=True)
            if column.key in report.totals
        ]
        console.print(f"{GRAND_TOTAL_LABEL}: " + ", ".join(parts), style="bold", markup=False)
    for note in report.notes:
        console.print(f"note: {note}", markup=False)
    return out.getvalue()


def _html_block(heading_text: str, title: str, columns: tuple[Column, ...], rows: Any) -> str:
    """Body rows, bold subtotal rows inside the body, the last totals row as the table's total."""
    *body, (total, _bold) = rows
    return html_table(
        heading_text,
        title,
        columns,
        [cells for cells, _ in body],
        total,
        totals=[number for number, (_, bold) in enumerate(body) if bold],
    )


def render_html(report: Report, options: RenderOptions) -> str:
    title = heading(report, options)
    tables = [
        _html_block(title, name, columns, rows)
        for name, columns, rows in _blocks(report, options.locale)
    ]
    if sectioned(report) and report.multi_shop:
        shop_rows = _shop_totals(report, options.locale)
        tables.append(_html_block(title, SHOP_TOTALS_TITLE, report.columns, shop_rows))
    elif sectioned(report) or not report.sections:
        write = partial(cell, locale=options.locale)
        total = total_cells(report.columns, report.totals, GRAND_TOTAL_LABEL, write)
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
