"""Why an order cannot be booked: a stable code, a message and what to do about it.

The codes are part of ocafas's interface (the ledger stores them, reports group by them, docs list
them in docs/booking.md), so a code is never renamed; a new situation gets a new code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ocafas.errors import OcafasError

#: Every code a check or the planner can report, with the hint shown when none more specific is.
CODES: dict[str, str] = {
    "CURRENCY_NOT_DEFAULT": "the customer paid in another currency than the shop's default: "
    "book this order by hand from the invoice the customer received",
    "SHOP_CURRENCY_NOT_EUR": "AFAS SB books in EUR: set the shop's default currency to EUR",
    "NO_PRODUCTS": "an order without products or gift vouchers has nothing to book",
    "QUANTITY_INVALID": "correct the quantity of the order line in OpenCart",
    "NEGATIVE_AMOUNT": "negative prices are not booked automatically: book this order by hand",
    "LINE_TOTAL_MISMATCH": "the line total is not price x quantity: check the order in OpenCart",
    "UNKNOWN_TOTAL_ROW": "ocafas books only OpenCart's own order totals: book this order by hand",
    "SUBTOTAL_MISMATCH": "the sub-total row is not the sum of the products and gift vouchers",
    "TOTAL_MISMATCH": "the order total is not the sum of its rows: check the order in OpenCart",
    "COUNTRY_MISSING": "the order's address has no (known) country: fix the address in OpenCart",
    "ADDRESS_MISSING": "the order has no billing and no shipping address (OpenCart 4.0.2+ asks "
    "for no billing address by default): add the address to the order in OpenCart, or turn on "
    "the billing address in the checkout settings for new orders, then run 'ocafas retry'",
    "TAX_ROW_UNKNOWN_RATE": "give the tax rate a unique name in OpenCart (System > Localisation > "
    "Taxes > Tax Rates) that contains its percentage, e.g. 'BTW 21%'",
    "FIXED_TAX_RATE": "fixed-amount tax rates cannot be booked as VAT: book this order by hand",
    "PRODUCT_RATE_UNKNOWN": "the product's tax is not one of the order's VAT rates (several rates "
    "on one tax class?): book this order by hand",
    "TAX_UNATTRIBUTABLE": "the tax rows do not follow from the products, shipping, fees and "
    "discounts: book this order by hand",
    "TAX_AMBIGUOUS": "the tax rows fit more than one split over the VAT rates (a coupon on some "
    "products only?): book this order by hand",
    "RATE_NOT_CONFIGURED": "add the rate under vat.rates.<country> in the config and run "
    "'ocafas recheck'",
    "VAT_NUMBER_INVALID": "correct the customer's VAT number in OpenCart (or remove it for a "
    "consumer) and run 'ocafas recheck'",
    "ICP_COMPANY_MISSING": "an intra-community supply needs the customer's company name: add it "
    "to the billing address in OpenCart",
    "ICP_NOT_CONFIGURED": "add vat.icp (account, intra_community_type) to the config",
    "INTERNATIONAL_NOT_CONFIGURED": "add vat.international (account) to the config",
    "INTERNATIONAL_WITH_VAT": "VAT was charged to a customer outside the EU: correct the shop's "
    "tax settings and book this order by hand (or refund the VAT)",
    "ZERO_VAT_EU_CONSUMER": "0 % VAT to an EU customer needs a valid VAT number (ICP) or a "
    "configured 0 % rate for that country",
    "VOUCHER_ACCOUNT_MISSING": "set vat.vouchers_sold_account / vat.vouchers_redeemed_account in "
    "the config",
    "ACCOUNT_UNKNOWN": "create the ledger account in AFAS SB or correct its number in the config",
    "ROUNDING_RESIDUE": "the rounded lines differ from the order total by more than one cent per "
    "line: check the order in OpenCart",
    "ADDRESS_NO_NUMBER": "add the house number to the billing address in OpenCart and run "
    "'ocafas recheck'",
    "ADDRESS_UNREADABLE": "write the billing address as street, house number, addition in "
    "OpenCart and run 'ocafas recheck'",
    "NAME_MISSING": "the order has no customer or company name: fix it in OpenCart",
    "EMAIL_INVALID": "correct the customer's e-mail address in OpenCart (or empty it) and run "
    "'ocafas retry ORDER_ID'",
}


@dataclass(frozen=True)
class Problem:
    """One reason an order cannot be booked as it is."""

    code: str
    message: str
    hint: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")

    def __str__(self) -> str:
        return f"{self.code}: {self.message} ({self.hint})"


def problem(code: str, message: str, hint: str | None = None) -> Problem:
    """A :class:`Problem` with the code's standard hint unless a more specific one is given."""
    return Problem(code, message, hint or CODES[code])


class BookingRefused(OcafasError):
    """Raised by the planners when an order cannot be booked; ``problems`` says why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("BookingRefused needs at least one problem")
        first = self.problems[0]
        more = f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first.code}: {first.message}{more}", first.hint)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)
