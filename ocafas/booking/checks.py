"""Checks an order must pass before it is booked: pure functions, each with stable problem codes.

Each ``check_*`` function looks at one thing and returns its problems (empty when fine), so each can
be tested alone; :func:`check_order` runs them all. The codes and their hints are listed in
docs/booking.md.
"""

from __future__ import annotations

from decimal import Decimal

from ocafas.booking.attribution import attribute
from ocafas.booking.classify import Classification, Regime, classify, vat_charged
from ocafas.booking.problems import Problem, problem
from ocafas.config import Settings
from ocafas.money import CENT, ZERO, normalize_rate
from ocafas.opencart.models import Order

#: The total rows OpenCart 3.0/4.x itself writes; anything else comes from an extension whose
#: meaning ocafas cannot know.
KNOWN_ROWS = frozenset(
    {
        "sub_total",
        "shipping",
        "handling",
        "low_order_fee",
        "coupon",
        "reward",
        "voucher",
        "credit",
        "tax",
        "total",
    }
)
#: Rows whose value OpenCart stores negative.
NEGATIVE_ROWS = frozenset({"coupon", "reward", "voucher", "credit"})


def tolerance(order: Order) -> Decimal:
    """One cent per line of the order: each product, sold voucher and total row but the total.

    Every stored amount is rounded to 4 decimals, so an order that OpenCart computed adds up
    far closer than this; a larger difference means the order was edited or is broken.
    """
    lines = len(order.products) + len(order.vouchers)
    lines += sum(1 for row in order.totals if row.code not in ("sub_total", "total"))
    return CENT * max(lines, 1)


def check_currency(order: Order, default_currency: str = "EUR") -> list[Problem]:
    """Amounts are stored in the shop's default currency; AFAS SB books EUR.

    An order whose ``currency_code`` is not the default was shown and invoiced to the customer in
    another currency: booking the EUR amounts would not match the invoice the customer holds,
    so such an order is refused rather than converted.
    """
    problems = []
    if default_currency.upper() != "EUR":
        problems.append(
            problem(
                "SHOP_CURRENCY_NOT_EUR",
                f"the shop's default currency is {default_currency}, AFAS SB books EUR",
            )
        )
    if order.currency_code.upper() != default_currency.upper():
        problems.append(
            problem(
                "CURRENCY_NOT_DEFAULT",
                f"the order is in {order.currency_code}, the shop's default is {default_currency}",
            )
        )
    return problems


def check_lines(order: Order) -> list[Problem]:
    """Products exist, quantities are whole and positive, amounts are not negative."""
    if not order.products and not order.vouchers:
        return [problem("NO_PRODUCTS", "the order has no products and no gift vouchers")]
    problems = []
    for line in order.products:
        name = f"product {line.name[:60]!r}"
        if line.quantity < 1:
            problems.append(problem("QUANTITY_INVALID", f"{name} has quantity {line.quantity}"))
            continue
        if line.price < 0 or line.total < 0 or line.tax < 0:
            problems.append(problem("NEGATIVE_AMOUNT", f"{name} has a negative price or tax"))
            continue
        if abs(line.price * line.quantity - line.total) > CENT / 2:
            problems.append(
                problem(
                    "LINE_TOTAL_MISMATCH",
                    f"{name}: {line.quantity} x {line.price} is not its total {line.total}",
                )
            )
    for voucher in order.vouchers:
        if voucher.amount < 0:
            problems.append(
                problem("NEGATIVE_AMOUNT", f"gift voucher {voucher.description[:60]!r} is negative")
            )
    return problems


def check_rows(order: Order) -> list[Problem]:
    """Only known total rows, with the sign OpenCart gives them."""
    problems = []
    for row in order.totals:
        if row.code not in KNOWN_ROWS:
            problems.append(
                problem(
                    "UNKNOWN_TOTAL_ROW",
                    f"total row {row.code!r} ({row.title[:40]!r}) comes from an extension "
                    "ocafas does not know",
                )
            )
        elif row.code in NEGATIVE_ROWS and row.value > 0:
            problems.append(problem("NEGATIVE_AMOUNT", f"{row.code} row {row.title!r} is positive"))
        elif row.code not in NEGATIVE_ROWS and row.value < 0:
            problems.append(problem("NEGATIVE_AMOUNT", f"{row.code} row {row.title!r} is negative"))
    return problems


def check_totals(order: Order) -> list[Problem]:
    """The total is products + shipping + fees - discounts + VAT (+ vouchers sold - redeemed)."""
    allowed = tolerance(order)
    problems = []
    sub_total = order.rows("sub_total")
    goods = order.products_total + order.vouchers_total
    if sub_total and abs(order.sum_of("sub_total") - goods) > allowed:
        problems.append(
            problem(
                "SUBTOTAL_MISMATCH",
                f"sub-total {order.sum_of('sub_total')} but products and vouchers add up to "
                f"{goods}",
            )
        )
    parts = goods + sum(
        (row.value for row in order.totals if row.code not in ("sub_total", "total")), ZERO
    )
    total_row = order.total_row
    if total_row is None or abs(total_row.value - order.total) >= CENT / 2:
        problems.append(
            problem("TOTAL_MISMATCH", f"the order total {order.total} has no matching total row")
        )
    elif abs(parts - order.total) > allowed:
        problems.append(
            problem(
                "TOTAL_MISMATCH",
                f"the order total is {order.total} but its lines add up to {parts} "
                f"(tolerance {allowed})",
            )
        )
    return problems


def check_regime(order: Order, settings: Settings) -> tuple[Classification | None, list[Problem]]:
    """Country, VAT number, ICP and international rules (see :mod:`ocafas.booking.classify`)."""
    return classify(order, settings.vat)


def check_rates_configured(
    order: Order, settings: Settings, classification: Classification
) -> list[Problem]:
    """Every VAT rate of the order has a rule for the customer's country."""
    if classification.zero_rated:
        return []
    vat = settings.vat
    country = classification.country
    attribution = attribute(order, vat.rates.get(country, {}), zero_rated=False)
    if isinstance(attribution, list):
        return attribution
    problems = []
    for rate in sorted({part.rate for part in attribution.parts} | set(attribution.vat)):
        if vat.rule_for(country, rate) is not None:
            continue
        if rate == 0 and classification.regime is Regime.EU_CONSUMER and not vat_charged(order):
            problems.append(
                problem(
                    "ZERO_VAT_EU_CONSUMER",
                    f"0 % VAT to a customer in {country} without a valid VAT number of another "
                    "member state",
                )
            )
        else:
            problems.append(
                problem(
                    "RATE_NOT_CONFIGURED",
                    f"VAT rate {normalize_rate(rate)} % for {country} is not in "
                    f"vat.rates.{country}",
                    f"add vat.rates.{country}.'{normalize_rate(rate)}' (vat_type, account) to the "
                    "config and run 'ocafas recheck'",
                )
            )
    return problems


def check_special_accounts(order: Order, settings: Settings) -> list[Problem]:
    """Gift vouchers and store credit need their own (balance sheet) accounts."""
    vat = settings.vat
    problems = []
    if order.vouchers and vat.vouchers_sold_account is None:
        problems.append(
            problem(
                "VOUCHER_ACCOUNT_MISSING", "gift vouchers sold, vat.vouchers_sold_account unset"
            )
        )
    if (order.rows("voucher") or order.rows("credit")) and vat.vouchers_redeemed_account is None:
        problems.append(
            problem(
                "VOUCHER_ACCOUNT_MISSING",
                "a gift voucher or store credit paid (part of) the order, "
                "vat.vouchers_redeemed_account unset",
            )
        )
    return problems


def check_order(order: Order, settings: Settings, default_currency: str = "EUR") -> list[Problem]:
    """Every problem that stops this order from being booked (empty: it can be planned)."""
    problems = check_currency(order, default_currency)
    problems += check_lines(order)
    problems += check_rows(order)
    if problems:
        return problems
    problems += check_totals(order)
    classification, regime_problems = check_regime(order, settings)
    problems += regime_problems
    if classification is not None and not regime_problems:
        problems += check_rates_configured(order, settings, classification)
    problems += check_special_accounts(order, settings)
    return problems
