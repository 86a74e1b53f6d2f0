"""Turn the extension's JSON into models, one order at a time, without ever stopping a page.

A shop's database can hold anything (a 10 KB name pasted by a bot, a control character from an
import script, a float where a string belongs), so :func:`parse_order` never raises: it returns an
:class:`Order` or a :class:`MalformedOrder` whose reason names the field, e.g.
``products[2].price: not a decimal string``. The other actions' parsers raise
:class:`ResponseShapeError`, which the client turns into one :class:`OpenCartError` line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from ocafas.opencart.models import (
    Address,
    Customer,
    MalformedOrder,
    Order,
    OrderStatus,
    PaymentMethod,
    ProductLine,
    ProductOption,
    ShippingMethod,
    ShopInfo,
    StatusList,
    TaxRate,
    TaxRateRef,
    TotalRow,
    Voucher,
)

T = TypeVar("T")

SHORT_TEXT = 255
LONG_TEXT = 4000
_MONEY = re.compile(r"^-?\d{1,15}(?:\.\d{1,8})?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MISSING = object()
_MAX_INT = 2**53
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)$")
_ISO2 = re.compile(r"^[A-Za-z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class ResponseShapeError(ValueError):
    """Raised when a response (or a part of an order) lacks a field or has a wrong type."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _field(obj: Any, key: str, path: str) -> Any:
    if not isinstance(obj, dict):
        raise ResponseShapeError(path, f"expected an object, got {_kind(obj)}")
    if key not in obj:
        raise ResponseShapeError(_join(path, key), "missing")
    return obj[key]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def text(
    obj: Any, key: str, path: str, *, max_len: int = SHORT_TEXT, multiline: bool = False
) -> str:
    # The fast path builds no path string: only a problem pays for its location.
    value = obj.get(key, _MISSING) if isinstance(obj, dict) else _MISSING
    if (
        type(value) is str
        and len(value) <= max_len
        and not (_CONTROL if multiline else _CONTROL_OR_BREAK).search(value)
    ):
        return value
    return text_value(
        _field(obj, key, path), _join(path, key), max_len=max_len, multiline=multiline
    )


def text_value(
    value: Any, where: str, *, max_len: int = SHORT_TEXT, multiline: bool = False
) -> str:
    if not isinstance(value, str):
        raise ResponseShapeError(where, f"expected a string, got {_kind(value)}")
    if len(value) > max_len:
        raise ResponseShapeError(where, f"longer than {max_len} characters ({len(value)})")
    if (_CONTROL if multiline else _CONTROL_OR_BREAK).search(value):
        raise ResponseShapeError(where, "contains control characters")
    return value


def integer(obj: Any, key: str, path: str, *, minimum: int = 0) -> int:
    value = obj.get(key, _MISSING) if isinstance(obj, dict) else _MISSING
    if type(value) is int and minimum <= value <= _MAX_INT:
        return value
    return integer_value(_field(obj, key, path), _join(path, key), minimum=minimum)


def integer_value(value: Any, where: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ResponseShapeError(where, f"expected an integer, got {_kind(value)}")
    if value < minimum:
        raise ResponseShapeError(where, f"must be at least {minimum}, got {value}")
    if value > _MAX_INT:
        raise ResponseShapeError(where, "integer out of range")
    return value


def _optional_integer(obj: Any, key: str, path: str) -> int | None:
    if _field(obj, key, path) is None:
        return None
    return integer(obj, key, path)


def money(obj: Any, key: str, path: str) -> Decimal:
    value = _field(obj, key, path)
    if not isinstance(value, str) or not _MONEY.match(value):
        raise ResponseShapeError(_join(path, key), "not a decimal string")
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a decimal
        raise ResponseShapeError(_join(path, key), "not a decimal string") from None


def moment(obj: Any, key: str, path: str) -> tuple[datetime, str]:
    where = _join(path, key)
    value = _field(obj, key, path)
    if not isinstance(value, str) or not _DATE.match(value):
        raise ResponseShapeError(where, "not an ISO 8601 date-time with UTC offset")
    try:
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise ResponseShapeError(where, "not a valid date-time") from None
    return parsed, value


def _listed(obj: Any, key: str, path: str, item: Callable[[Any, str], T]) -> tuple[T, ...]:
    value = _field(obj, key, path)
    where = _join(path, key)
    if not isinstance(value, list):
        raise ResponseShapeError(where, f"expected a list, got {_kind(value)}")
    return tuple(item(entry, _join(where, index)) for index, entry in enumerate(value))


def _type_code(obj: Any, key: str, path: str) -> str:
    value = text(obj, key, path, max_len=1)
    if value not in ("P", "F"):
        raise ResponseShapeError(_join(path, key), f"expected P or F, got {value!r}")
    return value


def _rate(obj: Any, key: str, path: str) -> Decimal:
    value = money(obj, key, path)
    if value < 0:
        raise ResponseShapeError(_join(path, key), "negative tax rate")
    return value


def _customer(obj: Any, path: str) -> Customer:
    customer_id = _field(obj, "customer_id", path)
    return Customer(
        customer_id=0 if customer_id is None else integer(obj, "customer_id", path),
        customer_group_id=integer(obj, "customer_group_id", path),
        firstname=text(obj, "firstname", path),
        lastname=text(obj, "lastname", path),
        email=text(obj, "email", path),
        telephone=text(obj, "telephone", path),
    )


def _address(obj: Any, path: str) -> Address:
    iso = text(obj, "iso_code_2", path)
    if iso and not _ISO2.match(iso):
        raise ResponseShapeError(_join(path, "iso_code_2"), f"not a country code: {iso[:10]!r}")
    return Address(
        firstname=text(obj, "firstname", path),
        lastname=text(obj, "lastname", path),
        company=text(obj, "company", path),
        address_1=text(obj, "address_1", path),
        address_2=text(obj, "address_2", path),
        city=text(obj, "city", path),
        postcode=text(obj, "postcode", path),
        country=text(obj, "country", path),
        iso_code_2=iso.upper() or None,
        zone=text(obj, "zone", path),
    )


def _option(obj: Any, path: str) -> ProductOption:
    return ProductOption(
        name=text(obj, "name", path),
        value=text(obj, "value", path, max_len=LONG_TEXT, multiline=True),
    )


def _product(obj: Any, path: str) -> ProductLine:
    return ProductLine(
        order_product_id=integer(obj, "order_product_id", path, minimum=1),
        product_id=integer(obj, "product_id", path),
        name=text(obj, "name", path),
        model=text(obj, "model", path),
        quantity=integer(obj, "quantity", path, minimum=1),
        price=money(obj, "price", path),
        total=money(obj, "total", path),
        tax=money(obj, "tax", path),
        tax_class_id=_optional_integer(obj, "tax_class_id", path),
        options=_listed(obj, "options", path, _option),
    )


def _voucher(obj: Any, path: str) -> Voucher:
    return Voucher(description=text(obj, "description", path), amount=money(obj, "amount", path))


def _tax_rate_ref(obj: Any, path: str) -> TaxRateRef:
    return TaxRateRef(
        tax_rate_id=integer(obj, "tax_rate_id", path, minimum=1),
        rate=_rate(obj, "rate", path),
        type=_type_code(obj, "type", path),
    )


def _total_row(obj: Any, path: str) -> TotalRow:
    ref = obj.get("tax_rate") if isinstance(obj, dict) else None
    sort_order = _field(obj, "sort_order", path)
    return TotalRow(
        code=text(obj, "code", path, max_len=64),
        title=text(obj, "title", path),
        value=money(obj, "value", path),
        sort_order=0 if sort_order is None else integer(obj, "sort_order", path, minimum=-999),
        tax_rate=None if ref is None else _tax_rate_ref(ref, _join(path, "tax_rate")),
    )


def _code_name(obj: Any, path: str) -> tuple[str, str]:
    return text(obj, "code", path, max_len=128), text(obj, "name", path)


def _order(obj: Any) -> Order:
    date_added, _ = moment(obj, "date_added", "")
    date_modified, date_modified_raw = moment(obj, "date_modified", "")
    currency = text(obj, "currency_code", "", max_len=3)
    if not _CURRENCY.match(currency):
        raise ResponseShapeError("currency_code", f"not a currency code: {currency!r}")
    currency_value = money(obj, "currency_value", "")
    if currency_value <= 0:
        raise ResponseShapeError("currency_value", "must be positive")
    shipping_address = _field(obj, "shipping_address", "")
    shipping_method = _field(obj, "shipping_method", "")
    vat_number = _field(obj, "vat_number", "")
    totals = _listed(obj, "totals", "", _total_row)
    if not totals:
        raise ResponseShapeError("totals", "empty")
    return Order(
        order_id=integer(obj, "order_id", "", minimum=1),
        invoice_no=integer(obj, "invoice_no", ""),
        invoice_prefix=text(obj, "invoice_prefix", "", max_len=64),
        store_id=integer(obj, "store_id", ""),
        store_name=text(obj, "store_name", ""),
        date_added=date_added,
        date_modified=date_modified,
        order_status_id=integer(obj, "order_status_id", "", minimum=1),
        order_status=text(obj, "order_status", ""),
        currency_code=currency,
        currency_value=currency_value,
        customer=_customer(_field(obj, "customer", ""), "customer"),
        payment_address=_address(_field(obj, "payment_address", ""), "payment_address"),
        shipping_address=(
            None if shipping_address is None else _address(shipping_address, "shipping_address")
        ),
        vat_number=(None if vat_number is None else text(obj, "vat_number", "").strip() or None),
        payment_method=PaymentMethod(
            *_code_name(_field(obj, "payment_method", ""), "payment_method")
        ),
        shipping_method=(
            None
            if shipping_method is None
            else ShippingMethod(*_code_name(shipping_method, "shipping_method"))
        ),
        products=_listed(obj, "products", "", _product),
        vouchers=_listed(obj, "vouchers", "", _voucher),
        totals=totals,
        total=money(obj, "total", ""),
        date_modified_raw=date_modified_raw,
    )


def order_id_of(raw: Any) -> int | None:
    """The order id of a raw order when it is readable, so an error row can name it."""
    if isinstance(raw, dict):
        value = raw.get("order_id")
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 2**53:
            return value
    return None


def parse_order(raw: Any) -> Order | MalformedOrder:
    """An :class:`Order`, or a :class:`MalformedOrder` naming the first unreadable field."""
    try:
        return _order(raw)
    except ResponseShapeError as problem:
        return MalformedOrder(order_id=order_id_of(raw), reason=str(problem), raw=raw)
    except (RecursionError, MemoryError, ValueError, TypeError) as problem:  # hostile nesting
        reason = f"unreadable order ({type(problem).__name__})"
        return MalformedOrder(order_id=order_id_of(raw), reason=reason, raw=raw)


def parse_shop_info(obj: Any) -> ShopInfo:
    api_version = integer(obj, "api_version", "")
    vat_field = _field(obj, "vat_number_field", "")
    return ShopInfo(
        api_version=api_version,
        extension_version=text(obj, "extension_version", "", max_len=64),
        opencart_version=text(obj, "opencart_version", "", max_len=64),
        php_version=text(obj, "php_version", "", max_len=64),
        store_name=text(obj, "store_name", ""),
        default_currency=text(obj, "default_currency", "", max_len=3),
        timezone=text(obj, "timezone", "", max_len=64),
        vat_number_field=None if vat_field is None else text(obj, "vat_number_field", "") or None,
    )


def _status(obj: Any, path: str) -> OrderStatus:
    return OrderStatus(integer(obj, "order_status_id", path), text(obj, "name", path))


def _id_list(obj: Any, key: str) -> tuple[int, ...]:
    value = _field(obj, key, "")
    if not isinstance(value, list):
        raise ResponseShapeError(key, f"expected a list, got {_kind(value)}")
    return tuple(integer_value(entry, f"{key}[{i}]", minimum=1) for i, entry in enumerate(value))


def parse_statuses(obj: Any) -> StatusList:
    return StatusList(
        statuses=_listed(obj, "statuses", "", _status),
        processing=_id_list(obj, "processing"),
        complete=_id_list(obj, "complete"),
    )


def _country(value: Any, where: str) -> str:
    iso = text_value(value, where, max_len=2)
    if not _ISO2.match(iso):
        raise ResponseShapeError(where, f"not a country code: {iso!r}")
    return iso.upper()


def _tax_rate(obj: Any, path: str) -> TaxRate:
    countries = _listed(obj, "countries", path, _country)
    return TaxRate(
        tax_rate_id=integer(obj, "tax_rate_id", path, minimum=1),
        name=text(obj, "name", path),
        rate=_rate(obj, "rate", path),
        type=_type_code(obj, "type", path),
        geo_zone=text(obj, "geo_zone", path),
        countries=countries,
    )


def parse_tax_rates(obj: Any) -> tuple[TaxRate, ...]:
    return _listed(obj, "tax_rates", "", _tax_rate)


def parse_payment_methods(obj: Any) -> tuple[PaymentMethod, ...]:
    return _listed(obj, "payment_methods", "", lambda v, p: PaymentMethod(*_code_name(v, p)))
