"""Build one OpenCart order as contract JSON, with OpenCart's own arithmetic.

The numbers follow catalog/model/extension/total/*.php (3.0.x) and
extension/opencart/catalog/model/total/*.php (4.x), which compute the same way: the totals run in
sort_order (sub_total 1, reward 2, shipping/handling/low_order_fee 3, coupon 4, tax 5, credit 7,
voucher 8, total 9) on unrounded PHP floats, and every amount is rounded only when MySQL stores
it in a decimal(15,4) column. So a product's ``tax`` is the rounded tax of one unit, each tax row
is the rounded sum of the unrounded per-unit taxes times quantity minus the unrounded coupon and
reward tax, and the ``total`` row is the rounded running total: the stored rows may differ from
the stored total by a few 0.0001, exactly as in a real shop.

Used by the generator (:mod:`ocafas.sandbox.orders`) and directly by tests that need one precise
order. Never imports the client.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

ZERO = Decimal(0)
_DB = Decimal("0.0001")
_PHP_FLOAT = Context(prec=14)  # PHP casts floats to strings with 14 significant digits


def dec(value: str | int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def stored(value: Decimal) -> Decimal:
    """What MySQL keeps of a PHP float in a decimal(15,4) column."""
    return _PHP_FLOAT.create_decimal(value).quantize(_DB, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """The contract's money string: 4 decimals, never ``-0.0000``."""
    value = stored(value)
    return f"{(value if value else ZERO.quantize(_DB)):f}"


@dataclass(frozen=True)
class TaxRateDef:
    """A row of OpenCart's tax_rate table."""

    tax_rate_id: int
    name: str
    rate: Decimal
    type: str = "P"
    geo_zone: str = "EU VAT Zone"
    countries: tuple[str, ...] = ()

    def amount(self, value: Decimal) -> Decimal:
        """Cart\\Tax::getRates() for one rate: unrounded."""
        return self.rate if self.type == "F" else value / 100 * self.rate

    def ref(self) -> dict[str, Any]:
        return {"tax_rate_id": self.tax_rate_id, "rate": money(self.rate), "type": self.type}

    def contract(self) -> dict[str, Any]:
        return {
            "tax_rate_id": self.tax_rate_id,
            "name": self.name,
            "rate": money(self.rate),
            "type": self.type,
            "geo_zone": self.geo_zone,
            "countries": list(self.countries),
        }


@dataclass
class _Product:
    product_id: int
    name: str
    model: str
    price: Decimal
    quantity: int
    rates: tuple[TaxRateDef, ...]
    tax_class_id: int | None
    options: list[dict[str, str]]
    points: int  # reward points needed to buy the line with points (0: not payable in points)
    deleted: bool  # the product was deleted since: the extension reports tax_class_id null

    @property
    def total(self) -> Decimal:
        return self.price * self.quantity


@dataclass
class _Charge:
    code: str
    title: str
    cost: Decimal
    rates: tuple[TaxRateDef, ...]


@dataclass
class OrderBuilder:
    """A small, explicit way to write one order; :meth:`build` returns the contract dict."""

    order_id: int
    date_added: datetime
    date_modified: datetime | None = None
    order_status_id: int = 5
    order_status: str = "Complete"
    store_name: str = "Demo shop"
    invoice_no: int = 0
    invoice_prefix: str = "INV-2025-00"
    currency_code: str = "EUR"
    currency_value: str = "1.00000000"
    customer: dict[str, Any] = field(default_factory=dict)
    payment_address: dict[str, str] = field(default_factory=dict)
    shipping_address: dict[str, str] | None = None
    vat_number: str | None = None
    payment_method: dict[str, str] = field(
        default_factory=lambda: {"code": "bank_transfer", "name": "Bank Transfer"}
    )
    shipping_method: dict[str, str] | None = None
    sort_orders: dict[str, int] = field(
        default_factory=lambda: {
            "sub_total": 1, "reward": 2, "shipping": 3, "handling": 3, "low_order_fee": 3,
            "coupon": 4, "tax": 5, "credit": 7, "voucher": 8, "total": 9,
        }
    )  # fmt: skip
    _products: list[_Product] = field(default_factory=list)
    _charges: list[_Charge] = field(default_factory=list)
    _vouchers_sold: list[tuple[str, Decimal]] = field(default_factory=list)
    _coupon: tuple[str, str, Decimal, bool, frozenset[int]] | None = None
    _reward_points: int = 0
    _credit: Decimal = ZERO
    _voucher: tuple[str, Decimal] | None = None
    _hidden_rates: set[int] = field(default_factory=set)
    _total_shift: Decimal = ZERO

    # -- who --------------------------------------------------------------------------------

    def set_customer(
        self, firstname: str, lastname: str, email: str, *, customer_id: int = 0,
        customer_group_id: int = 1, telephone: str = "",
    ) -> OrderBuilder:  # fmt: skip
        self.customer = {
            "customer_id": customer_id, "customer_group_id": customer_group_id,
            "firstname": firstname, "lastname": lastname, "email": email, "telephone": telephone,
        }  # fmt: skip
        return self

    def set_address(
        self, *, country: str, iso_code_2: str, city: str, postcode: str, address_1: str,
        zone: str = "", company: str = "", address_2: str = "", shipping: bool = True,
        firstname: str | None = None, lastname: str | None = None,
    ) -> OrderBuilder:  # fmt: skip
        """The payment address (and the same shipping address unless ``shipping=False``)."""
        self.payment_address = {
            "firstname": self.customer.get("firstname", "") if firstname is None else firstname,
            "lastname": self.customer.get("lastname", "") if lastname is None else lastname,
            "company": company, "address_1": address_1, "address_2": address_2, "city": city,
            "postcode": postcode, "country": country, "iso_code_2": iso_code_2, "zone": zone,
        }  # fmt: skip
        self.shipping_address = dict(self.payment_address) if shipping else None
        return self

    # -- what -------------------------------------------------------------------------------

    def add_product(
        self, name: str, price: str | Decimal, quantity: int = 1, *,
        rates: Sequence[TaxRateDef] = (), tax_class_id: int | None = 9, product_id: int = 0,
        model: str = "", options: Sequence[tuple[str, str]] = (), points: int = 0,
        deleted: bool = False,
    ) -> OrderBuilder:  # fmt: skip
        """A line; ``price`` excludes tax (OpenCart keeps 4 decimals), ``rates`` apply to it."""
        self._products.append(
            _Product(
                product_id=product_id or 28 + len(self._products), name=name,
                model=model or f"M-{len(self._products) + 1}", price=stored(dec(price)),
                quantity=quantity, rates=tuple(rates), tax_class_id=tax_class_id,
                options=[{"name": k, "value": v} for k, v in options], points=points,
                deleted=deleted,
            )
        )  # fmt: skip
        return self

    def add_shipping(
        self, title: str, cost: str | Decimal, *, rates: Sequence[TaxRateDef] = (),
        code: str = "flat.flat",
    ) -> OrderBuilder:  # fmt: skip
        self.shipping_method = {"code": code, "name": title}
        self._charges.append(_Charge("shipping", title, stored(dec(cost)), tuple(rates)))
        return self

    def add_fee(
        self, code: str, fee: str | Decimal, *, rates: Sequence[TaxRateDef] = (),
        title: str | None = None,
    ) -> OrderBuilder:  # fmt: skip
        """A ``handling`` or ``low_order_fee`` row (excluding tax; its tax joins the tax rows)."""
        default = {"handling": "Handling Fee", "low_order_fee": "Low Order Fee"}.get(code, code)
        self._charges.append(_Charge(code, title or default, stored(dec(fee)), tuple(rates)))
        return self

    def sell_voucher(self, description: str, amount: str | Decimal) -> OrderBuilder:
        self._vouchers_sold.append((description, stored(dec(amount))))
        return self

    # -- discounts --------------------------------------------------------------------------

    def apply_coupon(
        self, code: str, kind: str, discount: str | Decimal, *, free_shipping: bool = False,
        product_ids: Sequence[int] = (),
    ) -> OrderBuilder:  # fmt: skip
        """``kind`` P (percent) or F (fixed amount, excluding tax); optional free shipping."""
        if kind not in ("P", "F"):
            raise ValueError("coupon kind must be P or F")
        self._coupon = (code, kind, dec(discount), free_shipping, frozenset(product_ids))
        return self

    def redeem_reward(self, points: int) -> OrderBuilder:
        self._reward_points = points
        return self

    def use_credit(self, balance: str | Decimal) -> OrderBuilder:
        self._credit = dec(balance)
        return self

    def redeem_voucher(self, code: str, amount: str | Decimal) -> OrderBuilder:
        self._voucher = (code, dec(amount))
        return self

    @property
    def products_total(self) -> Decimal:
        return sum((p.total for p in self._products), ZERO)

    @property
    def points_total(self) -> int:
        return sum(p.points for p in self._products)

    @property
    def tax_rate_ids(self) -> set[int]:
        """The tax rates with a positive amount on some product line."""
        return {r.tax_rate_id for p in self._products for r in p.rates if r.amount(p.price) > 0}

    # -- deliberate faults ------------------------------------------------------------------

    def break_total(self, shift: str | Decimal = "0.0100") -> OrderBuilder:
        """Make the total disagree with its rows (a shop plugin that edits the total)."""
        self._total_shift = dec(shift)
        return self

    def hide_rate(self, tax_rate_id: int) -> OrderBuilder:
        """Emit this rate's tax row without a resolvable tax rate (renamed or deleted rate)."""
        self._hidden_rates.add(tax_rate_id)
        return self

    # -- the arithmetic ---------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        taxes: dict[int, Decimal] = {}
        rate_of: dict[int, TaxRateDef] = {}
        rows: list[dict[str, Any]] = []

        def add_tax(rates: Sequence[TaxRateDef], value: Decimal, sign: int, only_p: bool) -> None:
            for rate in rates:
                if only_p and rate.type != "P":
                    continue
                rate_of[rate.tax_rate_id] = rate
                taxes[rate.tax_rate_id] = taxes.get(rate.tax_rate_id, ZERO) + sign * rate.amount(
                    value
                )

        def row(code: str, title: str, value: Decimal) -> None:
            rows.append({"code": code, "title": title, "value": value,
                         "sort_order": self.sort_orders[code]})  # fmt: skip

        for product in self._products:  # Cart::getTaxes(): per-unit tax times quantity
            for rate in product.rates:
                rate_of[rate.tax_rate_id] = rate
                unit = rate.amount(product.price)
                taxes[rate.tax_rate_id] = (
                    taxes.get(rate.tax_rate_id, ZERO) + unit * product.quantity
                )
        products_total = sum((p.total for p in self._products), ZERO)
        sub_total = products_total + sum((amount for _, amount in self._vouchers_sold), ZERO)
        row("sub_total", "Sub-Total", sub_total)
        running = sub_total

        if self._reward_points:  # reward.php
            points_total = sum((p.points for p in self._products if p.points), 0)
            discount_total = ZERO
            for product in self._products:
                if product.points and points_total:
                    discount = product.total * (Decimal(self._reward_points) / points_total)
                    add_tax(product.rates, discount, -1, only_p=True)
                    discount_total += discount
            row("reward", f"Reward Points ({self._reward_points})", -discount_total)
            running -= discount_total

        for charge in self._charges:  # shipping.php, handling.php, low_order_fee.php
            row(charge.code, charge.title, charge.cost)
            add_tax(charge.rates, charge.cost, +1, only_p=False)
            running += charge.cost

        if self._coupon:  # coupon.php
            code, kind, discount, free_shipping, scope = self._coupon
            eligible = [p for p in self._products if not scope or p.product_id in scope]
            base = sum((p.total for p in eligible), ZERO)
            if kind == "F":
                discount = min(discount, base)
            discount_total = ZERO
            for product in eligible:
                if kind == "F":
                    line = discount * (product.total / base) if base else ZERO
                else:
                    line = product.total / 100 * discount
                if product.tax_class_id:
                    add_tax(product.rates, line, -1, only_p=True)
                discount_total += line
            shipping = [c for c in self._charges if c.code == "shipping"]
            if free_shipping and shipping:
                add_tax(shipping[0].rates, shipping[0].cost, -1, only_p=True)
                discount_total += shipping[0].cost
            discount_total = min(discount_total, running)
            if discount_total > 0:
                row("coupon", f"Coupon ({code})", -discount_total)
                running -= discount_total

        for tax_rate_id, value in taxes.items():  # tax.php: only positive sums become rows
            if value > 0:
                rate = rate_of[tax_rate_id]
                hidden = tax_rate_id in self._hidden_rates
                rows.append({"code": "tax", "title": f"{rate.name} (old)" if hidden else rate.name,
                             "value": value, "sort_order": self.sort_orders["tax"],
                             "tax_rate": None if hidden else rate.ref()})  # fmt: skip
                running += value

        if self._credit > 0:  # credit.php
            credit = min(self._credit, running)
            if credit > 0:
                row("credit", "Store Credit", -credit)
                running -= credit

        if self._voucher:  # voucher.php
            code, amount = self._voucher
            amount = min(amount, running)
            if amount > 0:
                row("voucher", f"Voucher ({code})", -amount)
                running -= amount

        total = max(ZERO, running) + self._total_shift
        row("total", "Total", total)
        # checkout: array_multisort($sort_order, $totals): ties by code, then title, then value.
        rows.sort(key=lambda r: (r["sort_order"], r["code"], r["title"], stored(r["value"])))
        for entry in rows:
            entry["value"] = money(entry["value"])
        return self._document(rows, money(total))

    def _document(self, rows: list[dict[str, Any]], total: str) -> dict[str, Any]:
        products = [
            {
                "order_product_id": self.order_id * 100 + index,
                "product_id": p.product_id, "name": p.name, "model": p.model,
                "quantity": p.quantity, "price": money(p.price), "total": money(p.total),
                "tax": money(sum((r.amount(p.price) for r in p.rates), ZERO)),
                "tax_class_id": None if p.deleted else p.tax_class_id, "options": p.options,
            }
            for index, p in enumerate(self._products, start=1)
        ]  # fmt: skip
        modified = self.date_modified or self.date_added
        shipping_address = None if self.shipping_address is None else dict(self.shipping_address)
        shipping_method = None if self.shipping_method is None else dict(self.shipping_method)
        return {
            "order_id": self.order_id, "invoice_no": self.invoice_no,
            "invoice_prefix": self.invoice_prefix, "store_id": 0, "store_name": self.store_name,
            "date_added": self.date_added.isoformat(timespec="seconds"),
            "date_modified": modified.isoformat(timespec="seconds"),
            "order_status_id": self.order_status_id, "order_status": self.order_status,
            "currency_code": self.currency_code, "currency_value": self.currency_value,
            "customer": dict(self.customer), "payment_address": dict(self.payment_address),
            "shipping_address": shipping_address,
            "vat_number": self.vat_number, "payment_method": dict(self.payment_method),
            "shipping_method": shipping_method,
            "products": products,
            "vouchers": [{"description": d, "amount": money(a)} for d, a in self._vouchers_sold],
            "totals": rows, "total": total,
        }  # fmt: skip
