"""A :class:`Report` as CSV (also for Dutch Excel) or as one JSON document.

With several shops every row has a ``shop`` column, each shop's rows are followed by its own
totals row, and the last row is the total of all shops.
"""

from __future__ import annotations

import csv
import io
import json
from functools import partial
from typing import Any

from ocafas import __version__
from ocafas.reports.cells import (
    GRAND_TOTAL_LABEL,
    TOTAL_LABEL,
    RenderOptions,
    csv_cell,
    json_value,
    total_cells,
)
from ocafas.reports.model import Column, Report, Section

JSON_SCHEMA_ID = "ocafas-report-table/1"


def sectioned(report: Report) -> bool:
    """The VAT report has several sections, each with its own totals row."""
    return report.kind == "vat"


def render_csv(report: Report, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=options.csv_delimiter, lineterminator="\r\n")
    lead = sectioned(report)
    write = partial(_csv_value, options=options)

    def block(columns: tuple[Column, ...], section: Section, key: str, own_total: bool) -> None:
        head = [key] if lead else []
        for shop, rows in section.groups():
            for row in rows:
                writer.writerow(head + [csv_cell(c, row.get(c.key), options) for c in columns])
            if shop is not None:
                totals = section.subtotals[shop]
                writer.writerow(head + total_cells(columns, totals, TOTAL_LABEL, write, shop=shop))
        if own_total:
            writer.writerow(head + total_cells(columns, section.totals, TOTAL_LABEL, write))

    writer.writerow((["Section"] if lead else []) + [column.header for column in report.columns])
    for section in report.sections:
        block(report.columns, section, section.key, own_total=lead)
    if lead and report.multi_shop:
        for part in report.shops:
            cells = total_cells(report.columns, part.totals, TOTAL_LABEL, write, shop=part.name)
            writer.writerow(["", *cells])
    label = GRAND_TOTAL_LABEL if lead or report.multi_shop else TOTAL_LABEL
    writer.writerow(
        ([""] if lead else []) + total_cells(report.columns, report.totals, label, write)
    )
    for table in report.tables:
        writer.writerow([])
        writer.writerow((["Section"] if lead else []) + [c.header for c in table.columns])
        block(table.columns, table.body, table.key, own_total=True)
    text = out.getvalue()
    return ("\ufeff" + text) if options.bom else text


def _csv_value(column: Column, value: Any, options: RenderOptions) -> str:
    return csv_cell(column, value, options)


def _totals(columns: tuple[Column, ...], values: dict[str, Any]) -> dict[str, Any]:
    return {c.key: json_value(c, values[c.key]) for c in columns if c.key in values}


def _section(columns: tuple[Column, ...], section: Section) -> dict[str, Any]:
    document: dict[str, Any] = {
        "key": section.key,
        "title": section.title,
        "count": len(section.rows),
        "rows": [{c.key: json_value(c, row.get(c.key)) for c in columns} for row in section.rows],
        "totals": _totals(columns, section.totals),
    }
    if section.subtotals:
        document["subtotals"] = [
            {"shop": shop, "count": len(rows), "totals": _totals(columns, section.subtotals[shop])}
            for shop, rows in section.groups()
            if shop is not None
        ]
    return document


def _columns(columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    return [
        {"key": column.key, "header": column.header, "kind": column.kind, "total": column.total}
        for column in columns
    ]


def report_document(report: Report, options: RenderOptions) -> dict[str, Any]:
    """The JSON document (validated by ``ocafas/schemas/report-table.json``)."""
    document: dict[str, Any] = {
        "schema": JSON_SCHEMA_ID,
        "report": report.kind,
        "title": report.title,
        "shop": report.shop,
        "ocafas_version": __version__,
        "generated_at": options.stamp(),
        "period": {"from": report.period.first.isoformat(), "to": report.period.last.isoformat()},
        "columns": _columns(report.columns),
        "sections": [_section(report.columns, section) for section in report.sections],
        "count": report.count,
        "totals": _totals(report.columns, report.totals),
        "notes": list(report.notes),
    }
    if report.multi_shop:
        document["shops"] = [
            {
                "name": part.name,
                "config": part.config,
                "ledger": part.ledger,
                "count": part.count,
                "totals": _totals(report.columns, part.totals),
            }
            for part in report.shops
        ]
    if report.tables:
        document["tables"] = [
            {
                "key": table.key,
                "title": table.title,
                "section": table.section,
                "columns": _columns(table.columns),
                **{k: v for k, v in _section(table.columns, table.body).items() if k != "key"},
            }
            for table in report.tables
        ]
    return document


def render_json(report: Report, options: RenderOptions) -> str:
    return json.dumps(report_document(report, options), indent=2, ensure_ascii=False) + "\n"
