"""Order -> EntryPlan: the sales journal entry lines, to the cent, with nothing guessed.

One line per (ledger account, VAT rule, kind). A rate's VAT is its tax rows, each rounded once,
spread over that rate's lines in proportion (largest remainder); the amounts excluding VAT are
rounded so that the lines add up exactly to the order total. Rounding moves no line by a cent or
more; when that is not enough the order is refused (ROUNDING_RESIDUE). See docs/booking.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ocafas.booking.allocate import allocate, round_to_total
from ocafas.booking.attribution import Attribution, Part, attribute
from ocafas.booking.checks import check_order
from ocafas.booking.classify import Classification, classify
from ocafas.booking.problems import BookingRefused, Problem, problem
from ocafas.booking.templates import (
    payment_method,
    render_description,
    render_invoice_number,
    render_payment_reference,
)
from ocafas.config import Settings, VatRule
from ocafas.money import ZERO, normalize_rate, to_cents
from ocafas.opencart.models import Order

#: Kinds in the order their lines appear in the entry.
KINDS = (
    "product",
    "shipping",
    "handling",
    "low_order_fee",
    "coupon",
    "reward",
    "voucher_sold",
    "voucher_redeemed",
    "credit",
)
#: Kinds that are payments or liabilities, not revenue: kept out of the VAT totals.
NON_REVENUE = frozenset({"voucher_sold", "voucher_redeemed", "credit"})
NO_CENTS = Decimal("0.00")
_NO_VAT = VatRule(vat_type="zero", account="")


@dataclass(frozen=True)
class PlannedLine:
    kind: str
    account: str  # as configured: a ledger account number or an AFAS id
    ledger_account_id: str  # the AFAS id
    rate: Decimal
    vat_type: str
    vat_calculation: str | None
    intra_community_type: str | None
    amount_excl: Decimal  # cents
    amount_vat: Decimal  # cents; 0 on zero-rated lines
    description: str


@dataclass(frozen=True)
class RateTotal:
    """Revenue per VAT rate and type, for the ledger and the VAT report."""

    rate: Decimal
    vat_type: str
    vat_calculation: str | None
    intra_community_type: str | None
    country: str
    excl: Decimal
    vat: Decimal


@dataclass(frozen=True)
class EntryPlan:
    order_id: int
    classification: Classification
    invoice_number: str
    invoice_date: date
    description: str
    reference: str
    payment_method: str | None
    payment_reference: str
    lines: tuple[PlannedLine, ...]
    rate_totals: tuple[RateTotal, ...]
    total: Decimal  # the order total in cents == sum of excl + VAT of the lines
    free_shipping: bool = False

    @property
    def total_excl(self) -> Decimal:
        return sum((line.amount_excl for line in self.lines), ZERO)

    @property
    def total_vat(self) -> Decimal:
        return sum((line.amount_vat for line in self.lines), ZERO)


@dataclass(frozen=True)
class _Group:
    kind: str
    account: str
    where: str  # the config key the account comes from, for messages
    rate: Decimal
    rule: VatRule
    description: str


def plan_entry(
    order: Order,
    settings: Settings,
    accounts: Mapping[str, str],
    default_currency: str = "EUR",
    *,
    checked: bool = False,
) -> EntryPlan:
    """The entry to book for ``order``; raises :class:`BookingRefused` with every problem.

    ``accounts`` maps ledger account numbers to AFAS LedgerAccountIds (from GET ledgeraccounts);
    an account configured as an AFAS id is used as it is. ``checked``: the caller ran
    :func:`check_order` with the same settings and it found nothing (not run again).
    """
    problems = [] if checked else check_order(order, settings, default_currency)
    if problems:
        raise BookingRefused(problems)
    classification, problems = classify(order, settings.vat)
    if classification is None or problems:  # pragma: no cover - check_order reported these
        raise BookingRefused(problems)
    vat = settings.vat
    attribution = attribute(
        order, vat.rates.get(classification.country, {}), classification.zero_rated
    )
    if isinstance(attribution, list):  # pragma: no cover - check_order reported these
        raise BookingRefused(attribution)
    groups: dict[_Group, Decimal] = {}
    problems = []
    for group, amount in _groups(order, settings, classification, attribution):
        groups[group] = groups.get(group, ZERO) + amount
    kept = [(g, a) for g, a in groups.items() if a != 0]
    kept.sort(key=lambda ga: (KINDS.index(ga[0].kind), -ga[0].rate, ga[0].account))
    vats, vat_problems = _allocate_vat(kept, attribution)
    problems += vat_problems
    target = to_cents(order.total) - sum(attribution.vat.values(), ZERO)
    excl = round_to_total([amount for _, amount in kept], target)
    if excl is None:
        problems.append(
            problem(
                "ROUNDING_RESIDUE",
                f"the lines add up to {sum((a for _, a in kept), ZERO)} excluding VAT, but the "
                f"total minus VAT is {target}",
            )
        )
    ids: dict[str, str] = {}
    for group, _ in kept:
        resolved = _account_id(group.account, accounts)
        if resolved is None:
            problems.append(
                problem(
                    "ACCOUNT_UNKNOWN",
                    f"ledger account {group.account} ({group.where}) is not in the AFAS "
                    "administration",
                )
            )
        else:
            ids[group.account] = resolved
    if problems or excl is None:
        raise BookingRefused(_unique(problems))
    lines = tuple(
        PlannedLine(
            kind=group.kind,
            account=group.account,
            ledger_account_id=ids[group.account],
            rate=group.rate,
            vat_type=group.rule.vat_type,
            vat_calculation=group.rule.vat_calculation,
            intra_community_type=group.rule.intra_community_type,
            amount_excl=amount_excl,
            amount_vat=line_vat,
            description=group.description,
        )
        for (group, _), amount_excl, line_vat in zip(kept, excl, vats, strict=True)
    )
    return EntryPlan(
        order_id=order.order_id,
        classification=classification,
        invoice_number=render_invoice_number(order, settings.booking),
        invoice_date=order.date_added.date(),
        description=render_description(order, settings.booking),
        reference=str(order.order_id),
        payment_method=payment_method(order, settings.booking),
        payment_reference=render_payment_reference(order, settings.booking),
        lines=lines,
        rate_totals=_rate_totals(lines, classification.country),
        total=to_cents(order.total),
        free_shipping=attribution.free_shipping,
    )


def _groups(
    order: Order, settings: Settings, classification: Classification, attribution: Attribution
) -> list[tuple[_Group, Decimal]]:
    vat = settings.vat
    special = classification.special_rule(vat)
    out = []
    for part in attribution.parts:
        rule = special or vat.rule_for(classification.country, part.rate)
        if rule is None:  # pragma: no cover - check_rates_configured reported it
            raise BookingRefused(
                [problem("RATE_NOT_CONFIGURED", f"VAT rate {part.rate} % is not configured")]
            )
        account, where = _revenue_account(part, rule, settings, classification)
        rate = normalize_rate(part.rate)
        out.append(
            (_Group(part.kind, account, where, rate, rule, _describe(part, order)), part.amount)
        )
    zero = normalize_rate(ZERO)
    if order.vouchers and vat.vouchers_sold_account:
        group = _Group(
            "voucher_sold",
            vat.vouchers_sold_account,
            "vat.vouchers_sold_account",
            zero,
            _NO_VAT,
            "Gift vouchers sold",
        )
        out.append((group, order.vouchers_total))
    for code, kind, text in (
        ("voucher", "voucher_redeemed", "Gift voucher redeemed"),
        ("credit", "credit", "Store credit used"),
    ):
        rows = order.rows(code)
        if rows and vat.vouchers_redeemed_account:
            titles = ", ".join(r.title for r in rows) if code == "voucher" else text
            group = _Group(
                kind,
                vat.vouchers_redeemed_account,
                "vat.vouchers_redeemed_account",
                zero,
                _NO_VAT,
                titles,
            )
            out.append((group, order.sum_of(code)))
    return out


def _revenue_account(
    part: Part, rule: VatRule, settings: Settings, classification: Classification
) -> tuple[str, str]:
    vat = settings.vat
    rule_key = (
        f"vat.{classification.regime.value}.account"
        if classification.zero_rated
        else f"vat.rates.{classification.country}.'{normalize_rate(part.rate)}'.account"
    )
    if (part.kind == "shipping" or part.on_shipping) and vat.shipping_account:
        return vat.shipping_account, "vat.shipping_account"
    if part.kind in ("handling", "low_order_fee") and vat.fees_account:
        return vat.fees_account, "vat.fees_account"
    return rule.account, rule_key


def _describe(part: Part, order: Order) -> str:
    rate = f"{normalize_rate(part.rate)} %"
    if part.kind == "product":
        return f"Products {rate}"
    if part.kind == "shipping":
        titles = ", ".join(r.title for r in order.rows("shipping"))
        return f"Shipping: {titles}" if titles else "Shipping"
    if part.kind == "handling":
        return "Handling fee"
    if part.kind == "low_order_fee":
        return "Low order fee"
    if part.kind == "coupon":
        return part.title or "Coupon"
    return part.title or "Reward points"


def _allocate_vat(
    kept: list[tuple[_Group, Decimal]], attribution: Attribution
) -> tuple[list[Decimal], list[Problem]]:
    """Each rate's booked VAT over its lines, in proportion to their amounts."""
    vats = [NO_CENTS] * len(kept)
    problems = []
    for rate, booked in sorted(attribution.vat.items()):
        indexes = [
            i
            for i, (g, _) in enumerate(kept)
            if g.rate == normalize_rate(rate) and g.kind not in NON_REVENUE
        ]
        shares = allocate(booked, [kept[i][1] for i in indexes])
        if shares is None:
            problems.append(
                problem("TAX_UNATTRIBUTABLE", f"VAT {booked} at {rate} % has no lines to go on")
            )
            continue
        for i, share in zip(indexes, shares, strict=True):
            vats[i] = share
    return vats, problems


def _account_id(account: str, accounts: Mapping[str, str]) -> str | None:
    try:
        uuid.UUID(account)
    except ValueError:
        return accounts.get(account)
    return account


def _rate_totals(lines: tuple[PlannedLine, ...], country: str) -> tuple[RateTotal, ...]:
    totals: dict[tuple[Decimal, str, str | None, str | None], tuple[Decimal, Decimal]] = {}
    for line in lines:
        if line.kind in NON_REVENUE:
            continue
        key = (line.rate, line.vat_type, line.vat_calculation, line.intra_community_type)
        excl, vat = totals.get(key, (NO_CENTS, NO_CENTS))
        totals[key] = (excl + line.amount_excl, vat + line.amount_vat)
    return tuple(
        RateTotal(rate, vat_type, calc, ict, country, excl, vat)
        for (rate, vat_type, calc, ict), (excl, vat) in sorted(
            totals.items(), key=lambda kv: (-kv[0][0], kv[0][1])
        )
    )


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: list[Problem] = []
    for p in problems:
        if p not in seen:
            seen.append(p)
    return seen
