"""Rebuild an :class:`~ocafas.opencart.models.Order` from the document the ledger keeps.

The pipeline stores ``dataclasses.asdict(order)`` (Decimal amounts, ISO dates), so the checks can
be run again on exactly the order as it was read, without asking the shop.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from ocafas.opencart.models import Order

T = TypeVar("T")


class DocumentError(ValueError):
    """Raised when a stored document does not have the shape of an order (e.g. malformed)."""


def _value(kind: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if value is None:
            return None
        return _value(options[0], value, where)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        if not isinstance(value, list):
            raise DocumentError(f"{where}: expected a list")
        return tuple(_value(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _build(kind, value, where)
    if kind is Decimal:
        return Decimal(str(value))
    if kind is datetime:
        return datetime.fromisoformat(str(value))
    if kind is int:
        return int(value)
    if kind is str:
        return "" if value is None else str(value)
    return value


def _build(cls: type[T], data: Any, where: str) -> T:
    if not isinstance(data, dict):
        raise DocumentError(f"{where or 'order'}: expected an object")
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):  # type: ignore[arg-type]
        if item.name not in data:
            if item.default is not dataclasses.MISSING or item.default_factory is not (
                dataclasses.MISSING
            ):
                continue
            raise DocumentError(f"{where}.{item.name}: missing".lstrip("."))
        values[item.name] = _value(hints[item.name], data[item.name], f"{where}.{item.name}")
    return cls(**values)


def order_from_document(document: dict[str, Any]) -> Order:
    try:
        return _build(Order, document, "")
    except (TypeError, ValueError, ArithmeticError) as err:
        if isinstance(err, DocumentError):
            raise
        raise DocumentError(str(err)) from None
