"""Tie every amount of an order to the VAT rate it was taxed at, from OpenCart's stored data.

What OpenCart stores, and how it got there (catalog/model/extension/total/*.php, cart/tax.php):

* a product line's ``tax`` is the tax of one unit *before* coupons, rounded to 4 decimals; its rate
  is therefore the one with ``price x rate / 100 == tax``;
* each ``tax`` row is, per tax rate, the unrounded sum of ``price x rate x quantity`` over the
  products, plus the tax of shipping, handling and the low order fee (amounts excluding tax,
  taxed at their own tax class, which the order does not record), minus the tax of coupons and
  reward points; rows of 0 or less are not stored, so a rate with products and no row had its
  tax taken to 0 or below (a coupon and reward points together may take a line twice);
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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ocafas.booking.problems import Problem, problem
from ocafas.booking.spread import FIT_TOLERANCE, combined_spreads, fits_some_products, spreads
from ocafas.money import ZERO, to_cents
from ocafas.money import normalize_rate as norm
from ocafas.opencart.models import Order, ProductLine, TotalRow

HUNDRED = Decimal(100)
#: A unit tax is stored with 4 decimals: it is within this of price x rate / 100.
UNIT_TAX_TOLERANCE = Decimal("0.0001")
#: How far (excl. tax) an implied discount may lie outside its bounds: 4-decimal rows divided by a
#: rate amplify their rounding, so allow one cent.
BOUND_TOLERANCE = Decimal("0.01")
#: A coupon row this close to the running total before it was cut to it (rows have 4 decimals).
CUT_TOLERANCE = Decimal("0.0005")
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
    # coupon.php cuts the coupon to the running total after taking off the tax of all of it
    running = order.sum_of("sub_total") - reward + sum((amount for _, amount in charges), ZERO)
    cut = coupon > 0 and abs(running - coupon) <= CUT_TOLERANCE
    readings = _readings(sold, lines, charges, coupon, reward, exact, cut)
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


def _main_rate(sold: Mapping[Decimal, Decimal]) -> Decimal:
    """The rate most of the products were sold at (the higher one on a tie)."""
    return max(sold.items(), key=lambda kv: (kv[1], kv[0]))[0] if sold else norm(ZERO)


def _readings(
    sold: Mapping[Decimal, Decimal],
    lines: Mapping[Decimal, list[Decimal]],
    charges: list[tuple[str, Decimal]],
    coupon: Decimal,
    reward: Decimal,
    exact: Mapping[Decimal, Decimal],
    cut: bool = False,
) -> list[_Reading]:
    zero = norm(ZERO)
    # a rate with products but no tax row had its tax taken to 0 or below by the discounts: a
    # charge may have been taxed at it too
    rates = sorted({*exact, *sold, zero}, reverse=True)
    main = _main_rate(sold)
    shipping = dict(charges).get("shipping", ZERO)
    sold_total = sum(sold.values(), ZERO)
    free_options = [False]
    if shipping > 0 and coupon >= shipping:
        free_options.append(True)
    found = []
    for free in free_options:
        options = [[main] if free and code == "shipping" else rates for code, _ in charges]
        sizes = [a for a in (coupon - (shipping if free else ZERO), reward) if a]
        coupon_cut = cut and coupon - (shipping if free else ZERO) > 0
        for combo in itertools.product(*options):
            for discounts in _implied_discounts(
                sold, lines, charges, combo, exact, sizes, free, coupon_cut
            ):
                total = sum(discounts.values(), ZERO)
                proportional = (
                    all(
                        abs(discounts.get(rate, ZERO) - total * amount / sold_total)
                        <= FIT_TOLERANCE
                        for rate, amount in sold.items()
                    )
                    if sold_total
                    else total == 0
                )
                if proportional and sold_total:
                    discounts = {rate: total * amount / sold_total for rate, amount in sold.items()}
                    fit = 0
                else:
                    fit = 1 if fits_some_products(discounts, lines, sizes) else 2
                found.append(_Reading(tuple(combo), free, discounts, fit))
    return found


def _implied_discounts(
    sold: Mapping[Decimal, Decimal],
    lines: Mapping[Decimal, list[Decimal]],
    charges: list[tuple[str, Decimal]],
    combo: tuple[Decimal, ...],
    exact: Mapping[Decimal, Decimal],
    sizes: list[Decimal],
    free_shipping: bool,
    coupon_cut: bool = False,
) -> list[dict[Decimal, Decimal]]:
    """The product discounts per rate that the tax rows allow (none: out of bounds).

    A rate's tax row gives its discount: what was taxed at it minus the row / rate. A rate with
    products but no row is only bounded: tax.php stores positive sums only, so the discounts took
    at least all of it. The discount the rows leave unexplained goes to the one rate that can take
    it (such a rate, or 0 %); when two can, each way the discounts can spread over the product
    lines (:func:`ocafas.booking.spread.combined_spreads`) that agrees with the rows is a reading.
    """
    zero = norm(ZERO)
    base = dict(sold)
    for (code, amount), rate in zip(charges, combo, strict=True):
        # a free-shipping coupon removes exactly the shipping (and its tax) that it adds
        if not (free_shipping and code == "shipping"):
            base[rate] = base.get(rate, ZERO) + amount
    implied: dict[Decimal, Decimal] = {}
    floor: dict[Decimal, Decimal] = {}  # the least discount at a rate whose tax row is missing
    for rate in {*exact, *base} - {zero}:
        if rate in exact:
            implied[rate] = base.get(rate, ZERO) - exact[rate] * HUNDRED / rate
        else:
            implied[rate] = floor[rate] = base[rate]
    open_rates = sorted(floor) + ([zero] if sold.get(zero) else [])
    rest = sum(sizes, ZERO) - sum(implied.values(), ZERO)
    if len(open_rates) <= 1:
        target = open_rates[0] if open_rates else zero
        implied[target] = implied.get(target, ZERO) + rest
        candidates = [implied]
    else:
        candidates = _spread_candidates(implied, open_rates, rest, lines, sizes, floor, coupon_cut)
    return [
        found
        for found in (_bounded(c, sold, sizes, floor) for c in candidates)
        if found is not None
    ]


def _spread_candidates(
    implied: Mapping[Decimal, Decimal],
    open_rates: list[Decimal],
    rest: Decimal,
    lines: Mapping[Decimal, list[Decimal]],
    sizes: list[Decimal],
    floor: Mapping[Decimal, Decimal],
    coupon_cut: bool,
) -> list[dict[Decimal, Decimal]]:
    """Splits of ``rest`` over the open rates that follow a spread of the discounts.

    A coupon cut to the running total took off the tax of more than its row: its size then
    comes from a rate with a tax row, and what it took beyond its row goes to an open rate.
    """
    fixed = {rate: amount for rate, amount in implied.items() if rate not in open_rates}
    found: dict[tuple[Decimal, ...], dict[Decimal, Decimal]] = {}
    shapes = _cut_coupon_spreads(lines, sizes, fixed) if coupon_cut else None
    for spread in combined_spreads(lines, sizes) if shapes is None else shapes:
        if any(abs(spread.get(r, ZERO) - amount) > FIT_TOLERANCE for r, amount in fixed.items()):
            continue
        split = {rate: spread.get(rate, ZERO) for rate in open_rates}
        if any(split[rate] < low - FIT_TOLERANCE for rate, low in floor.items()):
            continue
        # the rows' rounding: what the spread leaves of ``rest`` goes to its largest open rate
        largest = max(open_rates, key=lambda r: (split[r], r))
        split[largest] += (
            rest + sum(implied.get(r, ZERO) for r in open_rates) - sum(split.values(), ZERO)
        )
        key = tuple(to_cents(split[rate]) for rate in open_rates)
        found.setdefault(key, {**fixed, **split})
    return list(found.values())


def _cut_coupon_spreads(
    lines: Mapping[Decimal, list[Decimal]], sizes: list[Decimal], fixed: Mapping[Decimal, Decimal]
) -> Iterator[dict[Decimal, Decimal]]:
    """Spreads of a coupon of unknown size (at least ``sizes[0]``) with the reward points."""
    anchor = next((rate for rate in sorted(fixed) if lines.get(rate)), None)
    if anchor is None:  # no row tells its size: every spread of its row is a reading
        yield from combined_spreads(lines, sizes)
        return
    rewards = spreads(lines, sizes[1]) if len(sizes) == 2 else [{}]
    for shape in spreads(lines, sizes[0]):
        if not shape.get(anchor):
            continue
        for points in rewards:
            scale = (fixed[anchor] - points.get(anchor, ZERO)) / shape[anchor]
            if scale * sizes[0] < sizes[0] - FIT_TOLERANCE:
                continue
            yield {
                rate: shape.get(rate, ZERO) * scale + points.get(rate, ZERO)
                for rate in {*shape, *points}
            }


def _bounded(
    implied: dict[Decimal, Decimal],
    sold: Mapping[Decimal, Decimal],
    sizes: list[Decimal],
    floor: Mapping[Decimal, Decimal],
) -> dict[Decimal, Decimal] | None:
    """The discounts without rounding crumbs, or None when a rate's discount is impossible.

    Each discount lowers a rate by at most what was sold at it (a coupon or reward points never
    take more than a line's total), so a coupon with reward points may take up to twice as much.
    """
    for rate, amount in implied.items():
        most = sum((min(size, sold.get(rate, ZERO)) for size in sizes), ZERO)
        least = floor.get(rate, ZERO)
        if amount < least - BOUND_TOLERANCE or amount > most + BOUND_TOLERANCE:
            return None
    implied = dict(implied)
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
