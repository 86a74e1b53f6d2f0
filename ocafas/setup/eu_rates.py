"""The EU member states' VAT rates shipped with ocafas (``ocafas/data/eu_vat_rates.json``).

The file names its source and date; rates change a few times a year somewhere in the EU, so
``configure-vat`` only uses them to pre-fill, and the user confirms or adjusts every rate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from ocafas.money import normalize_rate


@dataclass(frozen=True)
class CountryRates:
    standard: Decimal
    reduced: tuple[Decimal, ...]

    @property
    def all(self) -> tuple[Decimal, ...]:
        return (self.standard, *self.reduced)


@dataclass(frozen=True)
class RateTable:
    source: str
    date: str
    countries: dict[str, CountryRates]


@cache
def rate_table() -> RateTable:
    text = resources.files("ocafas").joinpath("data/eu_vat_rates.json").read_text("utf-8")
    raw = json.loads(text)
    countries = {
        code: CountryRates(
            normalize_rate(Decimal(entry["standard"])),
            tuple(normalize_rate(Decimal(r)) for r in entry["reduced"]),
        )
        for code, entry in raw["rates"].items()
    }
    return RateTable(raw["_source"], raw["_date"], countries)


def rate_key(rate: Decimal) -> str:
    """The config's key for a rate: "21", "5.5"."""
    return str(normalize_rate(rate))
