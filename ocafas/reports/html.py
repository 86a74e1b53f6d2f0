"""One self-contained HTML file that prints on A4: CSS ``@page``, headers repeated on each page.

No scripts, fonts or images from elsewhere, so the file opens the same offline and years later.
Each table's ``thead`` carries the report heading, so every printed page shows what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ocafas.reports.model import Column

CSS = """
@page { size: A4 landscape; margin: 14mm 10mm 14mm 10mm;
  @bottom-right { content: "page " counter(page) " / " counter(pages); font-size: 8pt; } }
html { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 9pt; color: #000; }
body { margin: 0; }
h1 { font-size: 13pt; margin: 0 0 4mm 0; }
table { width: 100%; border-collapse: collapse; margin-bottom: 6mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 0.3mm solid #bbb; padding: 1mm 1.5mm; text-align: left;
  vertical-align: top; }
th { background: #eee; }
th.running { background: #fff; border: 0; font-size: 8pt; font-weight: normal; color: #444; }
th.section { background: #fff; border: 0; font-size: 11pt; padding-top: 2mm; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 0.5mm solid #000; border-bottom: 0.5mm solid #000; }
footer { font-size: 8pt; color: #444; }
@media screen { body { margin: 8mm; } }
"""

_NUMERIC = frozenset({"money", "int", "rate"})


def html_table(
    heading: str,
    section: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    total: Sequence[str],
    *,
    totals: Sequence[int] = (),
) -> str:
    """One table; ``totals`` are the body rows that are a shop's subtotal (printed bold)."""
    span = len(columns)
    head = [f'<tr><th class="running" colspan="{span}">{escape(heading)}</th></tr>']
    if section:
        head.append(f'<tr><th class="section" colspan="{span}">{escape(section)}</th></tr>')
    head.append(
        "<tr>"
        + "".join(
            f'<th class="num">{escape(c.header)}</th>'
            if c.kind in _NUMERIC
            else f"<th>{escape(c.header)}</th>"
            for c in columns
        )
        + "</tr>"
    )

    def row_html(cells: Sequence[str], css: str = "", style: str = "") -> str:
        parts = []
        for column, value in zip(columns, cells, strict=True):
            klass = ' class="num"' if column.kind in _NUMERIC else ""
            parts.append(f"<td{klass}>{escape(value)}</td>")
        attr = f' class="{css}"' if css else ""
        attr += f' style="{style}"' if style else ""
        return f"<tr{attr}>" + "".join(parts) + "</tr>"

    bold = frozenset(totals)
    body = [
        row_html(cells, style="font-weight: bold" if number in bold else "")
        for number, cells in enumerate(rows)
    ]
    body.append(row_html(total, "total"))
    return (
        "<table>\n<thead>\n"
        + "\n".join(head)
        + "\n</thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def html_document(title: str, locale: str, blocks: Sequence[str], footer: Sequence[str]) -> str:
    notes = "".join(f"<div>{escape(line)}</div>" for line in footer)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(locale)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n" + "\n".join(blocks) + f"\n<footer>{notes}</footer>\n"
        "</body>\n</html>\n"
    )
