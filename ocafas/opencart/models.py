"""Typed, immutable views of what the ocafas extension sends (contract v1).

These hold facts of the OpenCart data and nothing else: money is Decimal exactly as the database
keeps it (4 decimals), datetimes are timezone-aware, and the derived properties only restate what
the data says (which rows are tax rows, is this a guest). Booking decisions live in
``ocafas.booking``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

ZERO = Decimal("0")
_CURSOR_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)$")
_CURSOR_SEPARATOR = "|"


@dataclass(frozen=True)
class ShopInfo:
    """The answer to ``action=ping``."""

    api_version: int
    extension_version: str
    opencart_version: str
    php_version: str
    store_name: str
    default_currency: str
    timezone: str
    vat_number_field: str | None

    @property
    def opencart_major(self) -> int | None:
        """3 or 4 (the two families the extension supports), None when unreadable."""
        head = self.opencart_version.split(".", 1)[0]
        return int(head) if head.isdigit() else None


@dataclass(frozen=True)
class TaxRateRef:
    """The tax rate a ``tax`` total row belongs to (when exactly one rate has its title)."""

    tax_rate_id: int
    rate: Decimal
    type: str  # "P" (percentage) or "F" (fixed amount)

    @property
    def is_percentage(self) -> bool:
        return self.type == "P"


@dataclass(frozen=True)
class Customer:
    customer_id: int  # 0 for a guest checkout
    customer_group_id: int
    firstname: str
    lastname: str
    email: str
    telephone: str

    @property
    def is_guest(self) -> bool:
        return self.customer_id == 0

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.firstname, self.lastname) if part)


@dataclass(frozen=True)
class Address:
    firstname: str
    lastname: str
    company: str
    address_1: str
    address_2: str
    city: str
    postcode: str
    country: str
    iso_code_2: str | None  # None when the order's country no longer exists in the shop
    zone: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.firstname, self.lastname) if part)


@dataclass(frozen=True)
class ProductOption:
    name: str
    value: str


@dataclass(frozen=True)
class ProductLine:
    order_product_id: int
    product_id: int
    name: str
    model: str
    quantity: int
    price: Decimal  # unit price excluding tax
    total: Decimal  # price x quantity, excluding tax
    tax: Decimal  # tax of ONE unit, before any coupon
    tax_class_id: int | None  # as the product is now; None when the product was deleted
    options: tuple[ProductOption, ...] = ()

    @property
    def tax_before_discounts(self) -> Decimal:
        """Tax of the whole line before coupons and reward points lowered it."""
        return self.tax * self.quantity

    @property
    def product_deleted(self) -> bool:
        return self.tax_class_id is None


@dataclass(frozen=True)
class TotalRow:
    """One ``order_total`` row as stored; coupon/voucher/reward/credit rows are negative."""

    code: str
    title: str
    value: Decimal
    sort_order: int
    tax_rate: TaxRateRef | None = None

    @property
    def is_tax(self) -> bool:
        return self.code == "tax"


@dataclass(frozen=True)
class Voucher:
    """A gift voucher sold in the order (``order_voucher``); OpenCart charges no tax on it."""

    description: str
    amount: Decimal


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    name: str


@dataclass(frozen=True)
class ShippingMethod:
    code: str
    name: str


@dataclass(frozen=True)
class Order:
    order_id: int
    invoice_no: int  # 0 while OpenCart assigned no invoice number
    invoice_prefix: str
    store_id: int
    store_name: str
    date_added: datetime
    date_modified: datetime
    order_status_id: int
    order_status: str
    currency_code: str
    currency_value: Decimal
    customer: Customer
    payment_address: Address
    shipping_address: Address | None
    vat_number: str | None
    payment_method: PaymentMethod
    shipping_method: ShippingMethod | None
    products: tuple[ProductLine, ...]
    vouchers: tuple[Voucher, ...]
    totals: tuple[TotalRow, ...]
    total: Decimal
    #: ``date_modified`` exactly as the extension sent it, for the paging cursor.
    date_modified_raw: str = field(default="", compare=False)

    @property
    def is_guest(self) -> bool:
        return self.customer.is_guest

    @property
    def invoice_number(self) -> str | None:
        """OpenCart's invoice number (prefix + number), None while none was assigned."""
        return f"{self.invoice_prefix}{self.invoice_no}" if self.invoice_no else None

    @property
    def billing_country(self) -> str | None:
        return self.payment_address.iso_code_2

    @property
    def shipping_country(self) -> str | None:
        return self.shipping_address.iso_code_2 if self.shipping_address else None

    @property
    def company(self) -> str | None:
        return self.payment_address.company.strip() or None

    @property
    def has_shipping(self) -> bool:
        return self.shipping_address is not None

    @property
    def tax_rows(self) -> tuple[TotalRow, ...]:
        return tuple(row for row in self.totals if row.is_tax)

    @property
    def totals_by_code(self) -> Mapping[str, tuple[TotalRow, ...]]:
        grouped: dict[str, list[TotalRow]] = {}
        for row in self.totals:
            grouped.setdefault(row.code, []).append(row)
        return {code: tuple(rows) for code, rows in grouped.items()}

    def rows(self, code: str) -> tuple[TotalRow, ...]:
        return tuple(row for row in self.totals if row.code == code)

    def sum_of(self, code: str) -> Decimal:
        """Sum of the values of all rows with ``code`` (0 when there are none)."""
        return sum((row.value for row in self.totals if row.code == code), ZERO)

    @property
    def total_row(self) -> TotalRow | None:
        rows = self.rows("total")
        return rows[0] if len(rows) == 1 else None

    @property
    def sum_of_rows(self) -> Decimal:
        """Sum of every row but ``total``: what the ``total`` row adds up in OpenCart."""
        return sum((row.value for row in self.totals if row.code != "total"), ZERO)

    @property
    def products_total(self) -> Decimal:
        return sum((line.total for line in self.products), ZERO)

    @property
    def vouchers_total(self) -> Decimal:
        return sum((voucher.amount for voucher in self.vouchers), ZERO)

    @property
    def cursor(self) -> Cursor:
        """Where paging resumes after this order."""
        return Cursor(self.date_modified_raw or self.date_modified.isoformat(), self.order_id)


@dataclass(frozen=True)
class MalformedOrder:
    """An order the extension sent that cannot be read; it becomes an error row, not a crash."""

    order_id: int | None
    reason: str
    raw: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class OrderStatus:
    order_status_id: int
    name: str


@dataclass(frozen=True)
class StatusList:
    """The shop's order statuses plus its processing and complete status settings."""

    statuses: tuple[OrderStatus, ...]
    processing: tuple[int, ...]
    complete: tuple[int, ...]

    def name_of(self, order_status_id: int) -> str | None:
        for status in self.statuses:
            if status.order_status_id == order_status_id:
                return status.name
        return None

    def id_of(self, name: str) -> int | None:
        """The id of a status by its (case-insensitive) name, None when unknown or ambiguous."""
        found = [s.order_status_id for s in self.statuses if s.name.casefold() == name.casefold()]
        return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class TaxRate:
    tax_rate_id: int
    name: str
    rate: Decimal
    type: str
    geo_zone: str
    countries: tuple[str, ...]


@dataclass(frozen=True)
class Cursor:
    """A position in the keyset paging by ``(date_modified, order_id)``.

    ``modified_after`` is kept as the extension's own string so that a stored cursor sends back
    exactly what the shop said, offset included.
    """

    modified_after: str
    after_id: int

    def __post_init__(self) -> None:
        if not _CURSOR_DATE.match(self.modified_after):
            raise ValueError(f"cursor date is not ISO 8601 with offset: {self.modified_after!r}")
        if isinstance(self.after_id, bool) or not isinstance(self.after_id, int):
            raise ValueError("cursor after_id must be an integer")
        if self.after_id < 0:
            raise ValueError("cursor after_id must not be negative")

    @classmethod
    def starting_at(cls, moment: datetime) -> Cursor:
        """A cursor that returns every order modified at or after ``moment``."""
        if moment.tzinfo is None:
            raise ValueError("cursor start must be timezone-aware")
        # after_id 0 with the same second includes orders modified in that very second.
        return cls(moment.replace(microsecond=0).isoformat(), 0)

    def to_string(self) -> str:
        return f"{self.modified_after}{_CURSOR_SEPARATOR}{self.after_id}"

    @classmethod
    def from_string(cls, text: str) -> Cursor:
        date, sep, after_id = text.strip().partition(_CURSOR_SEPARATOR)
        if not sep or not after_id.isdigit():
            raise ValueError(f"not a stored OpenCart cursor: {text[:60]!r}")
        return cls(date, int(after_id))

    def params(self) -> dict[str, str]:
        return {"modified_after": self.modified_after, "after_id": str(self.after_id)}

    def __str__(self) -> str:
        return self.to_string()


@dataclass(frozen=True)
class OrderPage:
    """One page of ``action=orders``.

    ``next_cursor`` is where to resume after this page (store it once the page is handled): the
    extension's ``next`` when it sent one, else the position of the page's last order, else the
    cursor the page was asked with. ``has_more`` says whether the extension has more.
    """

    orders: list[Order]
    malformed: list[MalformedOrder]
    next_cursor: Cursor | None
    has_more: bool = False
    #: Order ids asked for by :meth:`OpenCartClient.get_orders` that the shop did not return.
    missing: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.orders) + len(self.malformed)
