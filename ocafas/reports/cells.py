"""How one value and one totals row of a report are written, shared by every format."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from ocafas.reports import fmt
from ocafas.reports.model import Column

TOTAL_LABEL = "Total"
GRAND_TOTAL_LABEL = "Total all"
#: The column of a report over several shops (first, so the label of a totals row can follow it).
SHOP_KEY = "shop"


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


def text_console(options: RenderOptions) -> tuple[Any, io.StringIO]:
    """A rich console printing into a string (ANSI colours only with ``options.color``)."""
    from rich.console import Console

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
    return console, out


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


def csv_cell(column: Column, value: Any, options: RenderOptions) -> str:
    if value is None:
        return ""
    if column.kind == "money":
        return fmt.plain_amount(Decimal(value), options.csv_decimal_comma)
    return cell(column, value, options.locale)


def json_value(column: Column, value: Any) -> Any:
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


def label_index(columns: Sequence[Column], totals: dict[str, Any]) -> int:
    """Where a totals row says what it is: the first column that is neither summed nor the shop."""
    for index, column in enumerate(columns):
        if column.key != SHOP_KEY and column.key not in totals:
            return index
    return 0


def total_cells(
    columns: Sequence[Column],
    totals: dict[str, Any],
    label: str,
    write: Any,
    *,
    count: int | None = None,
    shop: str = "",
) -> list[str]:
    """A totals row: the sums, the label (with the row count for people) and the shop, if any.

    ``write(column, value)`` formats a sum the way the format needs it.
    """
    at = label_index(columns, totals)
    cells = []
    for index, column in enumerate(columns):
        if column.key in totals:
            cells.append(write(column, totals[column.key]))
        elif column.key == SHOP_KEY:
            cells.append(shop)
        elif index == at:
            cells.append(label if count is None else f"{label} ({count})")
        else:
            cells.append("")
    return cells
