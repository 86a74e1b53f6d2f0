"""OpenCart 3.0's order arithmetic, step by step, producing contract ORDER JSON (test helper).

It follows catalog/model/extension/total/*.php and system/library/cart/{cart,tax}.php in their own
order (sort orders of a default install: sub_total 1, reward 2, shipping/handling/low_order_fee 3,
coupon 4, tax 5, credit 7, voucher 8, total 9): taxes are kept unrounded per tax rate, and every
amount is rounded to 4 decimals only when it is stored, as MySQL's DECIMAL(15,4) does.
The planner never sees these intermediate values, only what would be stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

D4 = Decimal("0.0001")
HUNDRED = Decimal(100)


def store(value: Decimal) -> str:
    """A money value as the database keeps it and the extension sends it."""
    return str(value.quantize(D4, rounding=ROUND_HALF_UP))


@dataclass
class Item:
    name: str
    price: Decimal
    quantity: int
    rate: Decimal | None  # None: no tax class
    points: bool = True  # the product can be paid with reward points
    coupon: bool = True  # the coupon applies to it (coupon_product)


@dataclass
class Cart:
    items: list[Item]
    country: str = "NL"
    shipping: Decimal | None = None
    shipping_rate: Decimal | None = None
    handling: Decimal | None = None
    handling_rate: Decimal | None = None
    low_order_fee: Decimal | None = None
    low_order_fee_rate: Decimal | None = None
    coupon_type: str | None = None  # P | F
    coupon_discount: Decimal = Decimal(0)
    coupon_shipping: bool = False
    reward_fraction: Decimal = Decimal(0)  # session reward points / points total
    vouchers_sold: list[Decimal] = field(default_factory=list)
    voucher_balance: Decimal = Decimal(0)  # a gift voucher redeemed (its remaining amount)
    credit_balance: Decimal = Decimal(0)
    tax_names: dict[Decimal, str] = field(default_factory=dict)


def _rate_id(rate: Decimal) -> int:
    return int(rate * 100) + 1


def compute(
    cart: Cart,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Decimal, dict[Decimal, Decimal]]:
    """The stored product lines, total rows and order total, and the true net amount per rate.

    The last (never stored) is what tests compare the planner's reading of the order with.
    """
    taxes: dict[Decimal, Decimal] = {}
    bases: dict[Decimal, Decimal] = {}

    def base(rate: Decimal | None, amount: Decimal) -> None:
        key = rate or Decimal(0)
        bases[key] = bases.get(key, Decimal(0)) + amount

    products = []
    for index, item in enumerate(cart.items, start=1):
        total = item.price * item.quantity
        unit_tax = item.price / HUNDRED * item.rate if item.rate else Decimal(0)
        base(item.rate, total)
        if item.rate:
            taxes[item.rate] = taxes.get(item.rate, Decimal(0)) + unit_tax * item.quantity
        products.append(
            {
                "order_product_id": index,
                "product_id": 100 + index,
                "name": item.name,
                "model": f"M-{index}",
                "quantity": item.quantity,
                "price": store(item.price),
                "total": store(total),
                "tax": store(unit_tax),
                "tax_class_id": 9 if item.rate else 0,
                "options": [],
            }
        )
    rows: list[tuple[str, str, Decimal, int]] = []
    sub_total = sum((i.price * i.quantity for i in cart.items), Decimal(0))
    running = sub_total + sum(cart.vouchers_sold, Decimal(0))
    rows.append(("sub_total", "Sub-Total", running, 1))
    if cart.reward_fraction:
        discount = Decimal(0)
        for item in cart.items:
            if not item.points:
                continue
            part = item.price * item.quantity * cart.reward_fraction
            base(item.rate, -part)
            if item.rate:
                taxes[item.rate] -= part / HUNDRED * item.rate
            discount += part
        rows.append(("reward", "Reward Points (120)", -discount, 2))
        running -= discount
    for code, title, amount, rate in (
        ("shipping", "Flat Shipping Rate", cart.shipping, cart.shipping_rate),
        ("handling", "Handling Fee", cart.handling, cart.handling_rate),
        ("low_order_fee", "Low Order Fee", cart.low_order_fee, cart.low_order_fee_rate),
    ):
        if amount is None:
            continue
        rows.append((code, title, amount, 3))
        base(rate, amount)
        if rate:
            taxes[rate] = taxes.get(rate, Decimal(0)) + amount / HUNDRED * rate
        running += amount
    if cart.coupon_type:
        eligible = sum((i.price * i.quantity for i in cart.items if i.coupon), Decimal(0))
        discount_total = Decimal(0)
        fixed = min(cart.coupon_discount, eligible)
        for item in cart.items:
            if not item.coupon:
                continue
            total = item.price * item.quantity
            if cart.coupon_type == "F":
                discount = fixed * (total / eligible)
            else:
                discount = total / HUNDRED * cart.coupon_discount
            base(item.rate, -discount)
            if item.rate:
                taxes[item.rate] -= discount / HUNDRED * item.rate
            discount_total += discount
        if cart.coupon_shipping and cart.shipping is not None:
            if cart.shipping_rate:
                taxes[cart.shipping_rate] -= cart.shipping / HUNDRED * cart.shipping_rate
            discount_total += cart.shipping
            base(cart.shipping_rate, -cart.shipping)
        discount_total = min(discount_total, running)
        if discount_total > 0:
            rows.append(("coupon", "Coupon (SAVE)", -discount_total, 4))
            running -= discount_total
    for rate in sorted(taxes, reverse=True):
        if taxes[rate] > 0:
            name = cart.tax_names.get(rate, f"VAT {rate.normalize():f}%")
            rows.append(("tax", name, taxes[rate], 5))
            running += taxes[rate]
    if cart.credit_balance:
        credit = min(cart.credit_balance, running)
        if credit > 0:
            rows.append(("credit", "Store Credit", -credit, 7))
            running -= credit
    if cart.voucher_balance:
        amount = min(cart.voucher_balance, running)
        if amount > 0:
            rows.append(("voucher", "Voucher (GIFT25)", -amount, 8))
            running -= amount
    total = max(Decimal(0), running)
    rows.append(("total", "Total", total, 9))
    stored_rows = []
    for code, title, value, sort_order in rows:
        row: dict[str, Any] = {
            "code": code,
            "title": title,
            "value": store(value),
            "sort_order": sort_order,
        }
        if code == "tax":
            rate = next(
                r for r in taxes if cart.tax_names.get(r, f"VAT {r.normalize():f}%") == title
            )
            row["tax_rate"] = {"tax_rate_id": _rate_id(rate), "rate": store(rate), "type": "P"}
        stored_rows.append(row)
    return products, stored_rows, Decimal(store(total)), bases


def order_json(
    cart: Cart,
    *,
    order_id: int = 1001,
    company: str = "",
    vat_number: str | None = None,
    payment_code: str = "bank_transfer",
    customer_id: int = 42,
    firstname: str = "Sarah",
    lastname: str = "de Wit",
    email: str = "Sarah@Test.nl",
    address_1: str = "Stationstraat 12a",
    city: str = "Amsterdam",
    postcode: str = "1000 AA",
    currency: str = "EUR",
    invoice_no: int = 17,
) -> dict[str, Any]:
    products, totals, total, _ = compute(cart)
    country_names = {"NL": "Netherlands", "BE": "Belgium", "DE": "Germany", "US": "United States"}
    address = {
        "firstname": firstname,
        "lastname": lastname,
        "company": company,
        "address_1": address_1,
        "address_2": "",
        "city": city,
        "postcode": postcode,
        "country": country_names.get(cart.country, cart.country),
        "iso_code_2": cart.country,
        "zone": "",
    }
    return {
        "order_id": order_id,
        "invoice_no": invoice_no,
        "invoice_prefix": "INV-2025-00",
        "store_id": 0,
        "store_name": "Demo shop",
        "date_added": "2025-04-01T00:20:00+02:00",
        "date_modified": "2025-04-01T10:22:05+02:00",
        "order_status_id": 5,
        "order_status": "Complete",
        "currency_code": currency,
        "currency_value": "1.00000000",
        "customer": {
            "customer_id": customer_id,
            "customer_group_id": 1,
            "firstname": firstname,
            "lastname": lastname,
            "email": email,
            "telephone": "06-23138800",
        },
        "payment_address": address,
        "shipping_address": dict(address) if cart.shipping is not None else None,
        "vat_number": vat_number,
        "payment_method": {"code": payment_code, "name": payment_code.replace("_", " ").title()},
        "shipping_method": (
            {"code": "flat.flat", "name": "Flat Shipping Rate"}
            if cart.shipping is not None
            else None
        ),
        "products": products,
        "vouchers": [
            {"description": f"EUR {store(a)} Gift Certificate", "amount": store(a)}
            for a in cart.vouchers_sold
        ],
        "totals": totals,
        "total": str(total),
    }
