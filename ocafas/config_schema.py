"""The rules of the config file: one method per section, each problem with its key path.

Values of secrets are never echoed; other values are shown shortened so a message stays one line.
The rules live by section (config_checks: single values; config_connections: opencart, afas,
ledger; config_vat; config_booking: debtors, booking, sync; config_api8; config_shop); this
module puts them together and keeps their public names importable from one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocafas.config_booking import (
    AFAS_PAYMENT_METHODS,
    DEFAULT_PAYMENT_METHODS,
    RELATION_TYPES,
    ZERO_TOTAL_CHOICES,
    BookingRules,
)
from ocafas.config_checks import SECRET_ENV_FALLBACKS, SECRET_KEYS, TEMPLATE_FIELDS
from ocafas.config_connections import ConnectionRules
from ocafas.config_vat import (
    EU_COUNTRIES,
    INTRA_COMMUNITY_TYPES,
    VAT_CALCULATIONS,
    VAT_TYPES,
    VIES_URL,
    VatRules,
)

if TYPE_CHECKING:
    from ocafas.config import Settings

SECTIONS = ("opencart", "afas", "ledger", "vat", "debtors", "booking", "sync", "shop")


class Validator(ConnectionRules, VatRules, BookingRules):
    """Collects problems while building :class:`~ocafas.config.Settings` from raw data."""

    def build(self, raw: dict[str, Any], source: Path | None) -> Settings | None:
        from ocafas.config import Settings

        self.known_keys(raw, "", SECTIONS)
        opencart = self.opencart(self.section(raw, "opencart"))
        afas = self.afas(self.section(raw, "afas"))
        ledger_path = self.ledger(self.section(raw, "ledger", required=False))
        vat = self.vat(self.section(raw, "vat"))
        debtors = self.debtors(self.section(raw, "debtors", required=False))
        booking = self.booking(self.section(raw, "booking", required=False))
        sync = self.sync(self.section(raw, "sync"))
        from ocafas.config_shop import shop_settings

        shop = shop_settings(self, self.section(raw, "shop", required=False), source)
        if self.problems:
            return None
        return Settings(
            source=source,
            opencart=opencart,
            afas=afas,
            ledger_path=ledger_path,
            vat=vat,
            fixed_debtors=debtors,
            booking=booking,
            sync=sync,
            shop=shop,
        )


__all__ = [
    "AFAS_PAYMENT_METHODS",
    "DEFAULT_PAYMENT_METHODS",
    "EU_COUNTRIES",
    "INTRA_COMMUNITY_TYPES",
    "RELATION_TYPES",
    "SECRET_ENV_FALLBACKS",
    "SECRET_KEYS",
    "SECTIONS",
    "TEMPLATE_FIELDS",
    "VAT_CALCULATIONS",
    "VAT_TYPES",
    "VIES_URL",
    "ZERO_TOTAL_CHOICES",
    "Validator",
]
