"""What a tabular report is, independent of how it is written (table, CSV, JSON, HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ocafas.reports.period import Period

#: Column kinds: how a value is formatted and whether it can be summed.
KINDS = ("text", "int", "date", "money", "rate", "rates")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"
    #: Summed in the totals rows (money and int columns only).
    total: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.total and self.kind not in ("money", "int"):
            raise ValueError(f"column {self.key}: only money and int columns have totals")


@dataclass
class Section:
    """A group of rows with its own totals row (the VAT report has one per regime)."""

    key: str
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Decimal | int] = field(default_factory=dict)
    #: Several shops: the totals of each shop's rows, by shop name, in report order (the rows
    #: of one shop are together). Empty for one shop.
    subtotals: dict[str, dict[str, Decimal | int]] = field(default_factory=dict)

    def groups(self) -> list[tuple[str | None, list[dict[str, Any]]]]:
        """The rows per shop (``None``: one shop, all rows), for a subtotal row after each."""
        if not self.subtotals:
            return [(None, self.rows)]
        return [(shop, [r for r in self.rows if r.get("shop") == shop]) for shop in self.subtotals]


@dataclass
class Table:
    """A table with its own columns beside the sections: the VAT report's ICP evidence per order.

    ``section`` is the key of the section it details (printed right after it).
    """

    key: str
    title: str
    section: str
    columns: tuple[Column, ...]
    body: Section


@dataclass(frozen=True)
class ShopPart:
    """One shop of a report over several: where its figures come from, and its totals."""

    name: str
    config: str
    ledger: str
    count: int
    totals: dict[str, Decimal | int]


@dataclass
class Report:
    kind: str  # processed | errors | open | vat
    title: str
    shop: str
    period: Period
    columns: tuple[Column, ...]
    sections: list[Section]
    totals: dict[str, Decimal | int]
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    #: Several shops (two or more); empty for a report of one shop.
    shops: list[ShopPart] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(section.rows) for section in self.sections)

    @property
    def multi_shop(self) -> bool:
        return len(self.shops) > 1


def sum_columns(
    columns: tuple[Column, ...], rows: list[dict[str, Any]]
) -> dict[str, Decimal | int]:
    """The totals of a list of rows, exact: Decimal for money, int for counts."""
    totals: dict[str, Decimal | int] = {}
    for column in columns:
        if not column.total:
            continue
        if column.kind == "money":
            values = [row.get(column.key) for row in rows]
            totals[column.key] = sum(
                # money is Decimal already in every report; text (a test's row) is converted
                [v if type(v) is Decimal else Decimal(v) for v in values if v is not None],
                Decimal("0.00"),
            )
        else:
            totals[column.key] = sum(int(row.get(column.key) or 0) for row in rows)
    return totals


def add_totals(
    columns: tuple[Column, ...], parts: list[dict[str, Decimal | int]]
) -> dict[str, Decimal | int]:
    totals: dict[str, Decimal | int] = {}
    for column in columns:
        if column.total:
            if column.kind == "money":
                totals[column.key] = sum(
                    (Decimal(part.get(column.key, 0)) for part in parts), Decimal("0.00")
                )
            else:
                totals[column.key] = sum(int(part.get(column.key, 0)) for part in parts)
    return totals
