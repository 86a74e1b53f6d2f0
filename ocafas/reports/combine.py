"""One report over several shops: each shop's report built from its own ledger, then joined.

Every row gets the ``shop`` column; each section keeps its own totals (for the VAT report: the
regime's total over all shops, what goes into one VAT return) and gets a subtotal per shop; the
report's totals are those of all shops, and each shop's own are kept in ``Report.shops``. Sums
are Decimal additions of the shops' exact totals, so a shop's figures are the same as in its
own report, to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence

from ocafas.reports.build import BUILDERS
from ocafas.reports.cells import SHOP_KEY
from ocafas.reports.model import Column, Report, Section, ShopPart, Table, add_totals
from ocafas.reports.period import Period
from ocafas.reports.shops import ReportShop, shop_ledger

SHOP_COLUMN = Column(SHOP_KEY, "Shop")


def shops_report(kind: str, shops: Sequence[ReportShop], period: Period) -> Report:
    """The ``kind`` report (processed, errors, open, vat) over ``shops``, with a shop column."""
    parts = []
    for shop in shops:
        with shop_ledger(shop) as ledger:
            parts.append((shop, BUILDERS[kind](ledger, period)))
    return combine(parts)


def _join(
    key: str, title: str, columns: tuple[Column, ...], found: list[tuple[str, Section]]
) -> Section:
    rows = [{SHOP_KEY: name, **row} for name, section in found for row in section.rows]
    subtotals = {name: dict(section.totals) for name, section in found}
    return Section(key, title, rows, add_totals(columns, list(subtotals.values())), subtotals)


def _notes(parts: Sequence[tuple[ReportShop, Report]]) -> list[str]:
    """A note every shop has once; a note of some shops with the shop's name."""
    notes: list[str] = []
    for shop, report in parts:
        for note in report.notes:
            everywhere = all(note in other.notes for _, other in parts)
            text = note if everywhere else f"{shop.name}: {note}"
            if text not in notes:
                notes.append(text)
    return notes


def combine(parts: Sequence[tuple[ReportShop, Report]]) -> Report:
    first = parts[0][1]
    columns = (SHOP_COLUMN, *first.columns)
    keys: list[tuple[str, str]] = []
    for _shop, report in parts:
        for section in report.sections:
            if (section.key, section.title) not in keys:
                keys.append((section.key, section.title))
    order = {key: number for number, key in enumerate(_section_order(first.kind, keys))}
    keys.sort(key=lambda item: order[item])
    sections = []
    for key, title in keys:
        found = [
            (shop.name, section)
            for shop, report in parts
            for section in report.sections
            if section.key == key
        ]
        sections.append(_join(key, title, columns, found))
    tables: list[Table] = []
    for table in first.tables + [t for _, r in parts[1:] for t in r.tables]:
        if any(t.key == table.key for t in tables):
            continue
        found = [(shop.name, t.body) for shop, r in parts for t in r.tables if t.key == table.key]
        table_columns = (SHOP_COLUMN, *table.columns)
        body = _join(table.body.key, table.body.title, table_columns, found)
        tables.append(Table(table.key, table.title, table.section, table_columns, body))
    shop_parts = [
        ShopPart(shop.name, str(shop.config), str(shop.ledger), report.count, dict(report.totals))
        for shop, report in parts
    ]
    return Report(
        first.kind,
        first.title,
        ", ".join(shop.name for shop, _ in parts),
        first.period,
        columns,
        sections,
        add_totals(columns, [report.totals for _, report in parts]),
        _notes(parts),
        tables,
        shop_parts,
    )


def _section_order(kind: str, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The VAT report's sections in the order of the VAT return; others as they come."""
    if kind != "vat":
        return list(keys)
    from ocafas.reports.build import VAT_SECTIONS

    rank = {key: number for number, (key, _title) in enumerate(VAT_SECTIONS)}
    return sorted(keys, key=lambda item: rank.get(item[0], len(rank)))
