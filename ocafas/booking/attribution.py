"""Tie every amount of an order to the VAT rate it was taxed at, from OpenCart's stored data.

What OpenCart stores, and how it got there (catalog/model/extension/total/*.php, cart/tax.php):

* a product line's ``tax`` is the tax of one unit *before* coupons, rounded to 4 decimals; its rate
  is therefore the one with ``price x rate / 100 == tax``;
* each ``tax`` row is, per tax rate, the unrounded sum of ``price x rate x quantity`` over the
  products, plus the tax of shipping, handling and the low order fee (amounts excluding tax,
  taxed at their own tax class, which the order does not record), minus the tax of coupons and
  reward points; rows of 0 or less are not stored;
* a coupon row is the (negative) discount excluding tax: a percentage or a fixed amount spread
  over the products in proportion to their totals, plus the whole shipping cost when the coupon
  gives free shipping (removing the shipping tax too); reward points are spread the same way.

So the unknowns are which rate each charge was taxed at and how the discounts split over the
rates. Every combination (charge at a rate of the order or untaxed; free shipping or not) is
tried; a combination is possible when, for every rate, the discount it implies lies between 0 and
what was sold at that rate. A discount spread in proportion to the products (the coupon applies to
all of them) is preferred, then one that is a single fraction of some product lines (a coupon on
some products, reward points on the products that have points); a free-shipping reading is
preferred only when the coupon equals the shipping cost. When no combination fits, or two fit
equally well with different bookings, the order is refused rather than guessed.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ocafas.booking.problems import Problem, problem
from ocafas.money import ZERO, to_cents
from ocafas.money import normalize_rate as norm
from ocafas.opencart.models import Order, ProductLine, TotalRow

HUNDRED = Decimal(100)
#: A unit tax is stored with 4 decimals: it is within this of price x rate / 100.
UNIT_TAX_TOLERANCE = Decimal("0.0001")
#: How far (excl. tax) an implied discount may lie outside its bounds: 4-decimal rows divided by a
#: rate amplify their rounding, so allow one cent.
BOUND_TOLERANCE = Decimal("0.01")
#: How far an implied discount may be from a fraction of the products: the error of a 4-decimal
#: tax row divided by its rate, with room to spare.
FIT_TOLERANCE = Decimal("0.002")
#: Above this many product lines at one rate, only "all" or "one" of them are tried as eligible.
MAX_SUBSET_LINES = 12
#: Up to this many product lines, a coupon and reward points are tried on every pair of subsets.
MAX_PAIR_LINES = 7
CHARGE_CODES = ("shipping", "handling", "low_order_fee")
_PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d{1,4})?)\s*%")


@dataclass(frozen=True)
class Part:
    """An amount excluding tax at one rate; discounts are negative."""

    kind: str  # product | shipping | handling | low_order_fee | coupon | reward
    rate: Decimal
    amount: Decimal
    title: str = ""
    on_shipping: bool = False  # the part of a coupon that made shipping free


@dataclass(frozen=True)
class Attribution:
    parts: tuple[Part, ...]
    #: per rate: the VAT to book, each tax row rounded to cents once, then added up
    vat: Mapping[Decimal, Decimal]
    free_shipping: bool = False


def row_rate(row: TotalRow) -> Decimal | Problem:
    """The rate of a tax row: from its tax rate, else from a single percentage in its title."""
    if row.tax_rate is not None:
        if not row.tax_rate.is_percentage:
            return problem(
                "FIXED_TAX_RATE", f"tax row {row.title!r} is a fixed amount, not a percentage"
            )
        return norm(row.tax_rate.rate)
    found = {norm(Decimal(m.replace(",", "."))) for m in _PERCENT.findall(row.title)}
    if len(found) == 1:
        return found.pop()
    return problem(
        "TAX_ROW_UNKNOWN_RATE",
        f"tax row {row.title!r} cannot be tied to one tax rate (its name is shared or gone, and "
        "does not state a single percentage)",
    )


def tax_by_rate(
    order: Order,
) -> tuple[dict[Decimal, Decimal], dict[Decimal, Decimal], list[Problem]]:
    """Per rate: the exact tax (4 decimals) and the VAT to book (rows rounded once each)."""
    exact: dict[Decimal, Decimal] = {}
    booked: dict[Decimal, Decimal] = {}
    problems = []
    for row in order.tax_rows:
        rate = row_rate(row)
        if isinstance(rate, Problem):
            problems.append(rate)
            continue
        exact[rate] = exact.get(rate, ZERO) + row.value
        booked[rate] = booked.get(rate, ZERO) + to_cents(row.value)
    return exact, booked, problems


def product_rate(line: ProductLine, candidates: Iterable[Decimal]) -> Decimal | Problem:
    """The rate whose tax of one unit is the stored ``tax`` (0 when no tax was charged)."""
    if line.tax == 0:
        return norm(ZERO)
    fits = sorted(
        (abs(line.price * rate / HUNDRED - line.tax), rate)
        for rate in candidates
        if rate > 0 and abs(line.price * rate / HUNDRED - line.tax) <= UNIT_TAX_TOLERANCE
    )
    if fits:
        return fits[0][1]
    shown = (line.tax / line.price * HUNDRED).quantize(Decimal("0.01")) if line.price else "?"
    return problem(
        "PRODUCT_RATE_UNKNOWN",
        f"product {line.name[:60]!r}: tax {line.tax} on {line.price} is {shown} %, "
        "which is not a rate of this order",
    )


@dataclass(frozen=True)
class _Reading:
    charge_rates: tuple[Decimal, ...]
    free_shipping: bool
    discounts: dict[Decimal, Decimal]  # product discount per rate, positive
    fit: int  # 0: in proportion to all products, 1: to some of them, 2: neither


#: The last attribution made in this thread: the checks and the plan of one order both need
#: it, one after the other, for the same order object.
_last = threading.local()


def attribute(
    order: Order, configured_rates: Iterable[Decimal], zero_rated: bool
) -> Attribution | list[Problem]:
    """The parts of the order per rate, or why they cannot be tied to the tax rows."""
    rates = tuple(configured_rates)
    memo = getattr(_last, "memo", None)
    if memo is not None and memo[0] is order and memo[1] == (rates, zero_rated):
        result: Attribution | list[Problem] = memo[2]
        return list(result) if isinstance(result, list) else result
    result = _attribute(order, rates, zero_rated)
    _last.memo = (order, (rates, zero_rated), result)
    return list(result) if isinstance(result, list) else result


def _attribute(
    order: Order, configured_rates: tuple[Decimal, ...], zero_rated: bool
) -> Attribution | list[Problem]:
    exact, booked, problems = tax_by_rate(order)
    if problems:
        return problems
    charges = [(code, order.sum_of(code)) for code in CHARGE_CODES if order.sum_of(code) != 0]
    coupon = -order.sum_of("coupon")
    reward = -order.sum_of("reward")
    coupon_title = ", ".join(r.title for r in order.rows("coupon"))
    reward_title = ", ".join(r.title for r in order.rows("reward"))
    zero = norm(ZERO)
    if zero_rated:
        parts = [Part("product", zero, order.products_total)]
        parts += [Part(code, zero, amount) for code, amount in charges]
        parts += _discount_parts(
            {zero: coupon + reward}, coupon, reward, coupon_title, reward_title
        )
        return Attribution(tuple(p for p in parts if p.amount != 0), {}, False)

    candidates = sorted({*exact, *(norm(r) for r in configured_rates), zero}, reverse=True)
    sold: dict[Decimal, Decimal] = {}
    lines: dict[Decimal, list[Decimal]] = {}
    for line in order.products:
        if line.total == 0:
            continue
        rate = product_rate(line, candidates)
        if isinstance(rate, Problem):
            problems.append(rate)
            continue
        sold[rate] = sold.get(rate, ZERO) + line.total
        lines.setdefault(rate, []).append(line.total)
    if problems:
        return problems
    readings = _readings(sold, lines, charges, coupon, reward, exact)
    if not readings:
        return [
            problem(
                "TAX_UNATTRIBUTABLE",
                "the tax rows ("
                + ", ".join(f"{r} %: {v}" for r, v in sorted(exact.items()))
                + ") do not follow from the order's products, charges and discounts",
            )
        ]
    best = _choose(readings, coupon, charges)
    if best is None:
        return [
            problem(
                "TAX_AMBIGUOUS", "the tax rows fit more than one split of the order over its rates"
            )
        ]
    parts = [Part("product", rate, amount) for rate, amount in sorted(sold.items(), reverse=True)]
    shipping = dict(charges).get("shipping", ZERO)
    for (code, amount), rate in zip(charges, best.charge_rates, strict=True):
        parts.append(Part(code, rate, amount))
    if best.free_shipping:
        ship_rate = best.charge_rates[[c for c, _ in charges].index("shipping")]
        parts.append(Part("coupon", ship_rate, -shipping, coupon_title, on_shipping=True))
    product_coupon = coupon - (shipping if best.free_shipping else ZERO)
    parts += _discount_parts(best.discounts, product_coupon, reward, coupon_title, reward_title)
    for rate in exact:
        booked.setdefault(rate, ZERO)
    return Attribution(tuple(p for p in parts if p.amount != 0), booked, best.free_shipping)


def _discount_parts(
    per_rate: Mapping[Decimal, Decimal],
    coupon: Decimal,
    reward: Decimal,
    coupon_title: str,
    reward_title: str,
) -> list[Part]:
    """Split each rate's discount over coupon and reward points in proportion to their sizes."""
    total = coupon + reward
    parts = []
    for rate, amount in sorted(per_rate.items(), reverse=True):
        if total == 0 or amount == 0:
            continue
        parts.append(Part("coupon", rate, -amount * coupon / total, coupon_title))
        parts.append(Part("reward", rate, -amount * reward / total, reward_title))
    return parts


def _readings(
    sold: Mapping[Decimal, Decimal],
    lines: Mapping[Decimal, list[Decimal]],
    charges: list[tuple[str, Decimal]],
    coupon: Decimal,
    reward: Decimal,
    exact: Mapping[Decimal, Decimal],
) -> list[_Reading]:
    zero = norm(ZERO)
    rates = sorted({*exact, zero}, reverse=True)
    main = max(sold.items(), key=lambda kv: (kv[1], kv[0]))[0] if sold else zero
    shipping = dict(charges).get("shipping", ZERO)
    sold_total = sum(sold.values(), ZERO)
    free_options = [False]
    if shipping > 0 and coupon >= shipping:
        free_options.append(True)
    found = []
    for free in free_options:
        options = [[main] if free and code == "shipping" else rates for code, _ in charges]
        for combo in itertools.product(*options):
            discounts = _implied_discounts(
                sold, charges, combo, exact, coupon + reward - (shipping if free else ZERO), free
            )
            if discounts is None:
                continue
            total = sum(discounts.values(), ZERO)
            proportional = (
                all(
                    abs(discounts.get(rate, ZERO) - total * amount / sold_total) <= FIT_TOLERANCE
                    for rate, amount in sold.items()
                )
                if sold_total
                else total == 0
            )
            if proportional and sold_total:
                discounts = {rate: total * amount / sold_total for rate, amount in sold.items()}
                fit = 0
            else:
                sizes = [a for a in (coupon - (shipping if free else ZERO), reward) if a]
                fit = 1 if _fits_some_products(discounts, lines, sizes) else 2
            found.append(_Reading(tuple(combo), free, discounts, fit))
    return found


def _subset_sums(amounts: list[Decimal]) -> set[Decimal]:
    """Every sum of some of the lines (only all or one of them when there are many)."""
    if len(amounts) > MAX_SUBSET_LINES:
        return {ZERO, sum(amounts, ZERO), *amounts}
    sums = {ZERO}
    for amount in amounts:
        sums |= {s + amount for s in sums}
    return sums


def _fits_some_products(
    discounts: Mapping[Decimal, Decimal],
    lines: Mapping[Decimal, list[Decimal]],
    sizes: list[Decimal],
) -> bool:
    """Do the discounts follow from each discount spread over some of the product lines?"""
    if len(sizes) == 1:
        return _one_fraction(discounts, lines)
    flat = [(rate, amount) for rate, amounts in lines.items() for amount in amounts]
    if len(sizes) != 2 or len(flat) > MAX_PAIR_LINES:
        return False
    rates = sorted({*lines, *discounts})
    spreads: list[list[tuple[Decimal, ...]]] = [[], []]
    for mask in range(1, 2 ** len(flat)):
        chosen = [flat[i] for i in range(len(flat)) if mask >> i & 1]
        eligible = sum((amount for _, amount in chosen), ZERO)
        for k, size in enumerate(sizes):
            if size <= eligible + FIT_TOLERANCE:
                spreads[k].append(
                    tuple(
                        sum((a for r, a in chosen if r == rate), ZERO) * size / eligible
                        for rate in rates
                    )
                )
    target = [discounts.get(rate, ZERO) for rate in rates]
    second = set(spreads[1])
    for first in spreads[0]:
        for other in second:
            if all(
                abs(t - a - b) <= FIT_TOLERANCE
                for t, a, b in zip(target, first, other, strict=True)
            ):
                return True
    return False


def _one_fraction(
    discounts: Mapping[Decimal, Decimal], lines: Mapping[Decimal, list[Decimal]]
) -> bool:
    """Is every rate's discount one and the same fraction of some of its product lines?

    That is how a percentage or fixed coupon on some products, or reward points on the products
    that have points, spread: ``discount x line / eligible total`` per eligible line.
    """
    positive = {r: d for r, d in discounts.items() if d > FIT_TOLERANCE}
    if not positive:
        return False
    anchor = max(positive, key=lambda r: positive[r])
    sums = {rate: _subset_sums(amounts) for rate, amounts in lines.items()}
    for eligible in sums.get(anchor, set()):
        if eligible <= 0 or positive[anchor] > eligible + FIT_TOLERANCE:
            continue
        fraction = positive[anchor] / eligible
        if all(
            any(
                abs(discounts.get(rate, ZERO) - fraction * s) <= FIT_TOLERANCE
                for s in sums.get(rate, {ZERO})
            )
            for rate in {*discounts, *lines}
        ):
            return True
    return False


def _implied_discounts(
    sold: Mapping[Decimal, Decimal],
    charges: list[tuple[str, Decimal]],
    combo: tuple[Decimal, ...],
    exact: Mapping[Decimal, Decimal],
    discount: Decimal,
    free_shipping: bool,
) -> dict[Decimal, Decimal] | None:
    """Product discount per rate implied by the tax rows, or None when out of bounds."""
    zero = norm(ZERO)
    base = dict(sold)
    for (code, amount), rate in zip(charges, combo, strict=True):
        # a free-shipping coupon removes exactly the shipping (and its tax) that it adds
        if not (free_shipping and code == "shipping"):
            base[rate] = base.get(rate, ZERO) + amount
    implied: dict[Decimal, Decimal] = {}
    for rate in {*exact, *base} - {zero}:
        implied[rate] = base.get(rate, ZERO) - exact.get(rate, ZERO) * HUNDRED / rate
    implied[zero] = discount - sum(implied.values(), ZERO)
    for rate, amount in implied.items():
        if amount < -BOUND_TOLERANCE or amount > sold.get(rate, ZERO) + BOUND_TOLERANCE:
            return None
    # rounding crumbs (the rows' 4th decimal) at a rate where nothing was sold go to the rate
    # with the largest discount, so no line is made of them and the discount still adds up
    crumbs = [r for r, a in implied.items() if a != 0 and not sold.get(r)]
    largest = max(implied, key=lambda r: implied[r])
    for rate in crumbs:
        if rate != largest:
            implied[largest] += implied.pop(rate)
    return {rate: amount for rate, amount in implied.items() if amount != 0}


def _choose(
    readings: list[_Reading], coupon: Decimal, charges: list[tuple[str, Decimal]]
) -> _Reading | None:
    shipping = dict(charges).get("shipping", ZERO)

    def rank(reading: _Reading) -> tuple[int, bool]:
        prefers_free = coupon == shipping
        return (reading.fit, reading.free_shipping != prefers_free)

    readings = sorted(readings, key=rank)
    best = readings[0]
    for other in readings[1:]:
        if rank(other) != rank(best):
            break
        if _outcome(other, charges) != _outcome(best, charges):
            return None
    return best


def _outcome(reading: _Reading, charges: list[tuple[str, Decimal]]) -> tuple[object, ...]:
    """What a reading books, in cents: readings that book the same are not ambiguous."""
    rates = tuple(
        rate if to_cents(amount) else None
        for (_, amount), rate in zip(charges, reading.charge_rates, strict=True)
    )
    discounts = tuple(sorted((r, to_cents(a)) for r, a in reading.discounts.items() if to_cents(a)))
    return (rates, reading.free_shipping, discounts)
