"""Building OData-style ``Filter`` expressions for AFAS SB list endpoints, safely quoted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_OPERATORS = frozenset({"eq", "ne", "gt", "ge", "lt", "le"})


@dataclass(frozen=True)
class Guid:
    """A uuid value, written unquoted as AFAS's examples do (``AdministrationId eq 701b...``)."""

    value: str

    def __post_init__(self) -> None:
        uuid.UUID(self.value)  # raises ValueError for anything that is not a uuid


Value = str | int | Decimal | bool | date | Guid | None


def literal(value: Value) -> str:
    """One value as an OData literal: strings in single quotes with quotes doubled."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Guid):
        return value.value.lower()
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if any(ord(c) < 32 for c in value):
        raise ValueError("control characters cannot be sent in a filter value")
    return "'" + value.replace("'", "''") + "'"


def _field(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a field name: {name!r}")
    return name


def cmp(field: str, operator: str, value: Value) -> str:
    """``Field op value``, e.g. ``cmp("EmailAddress", "eq", "o'brien@x.nl")``."""
    if operator not in _OPERATORS:
        raise ValueError(f"unknown operator {operator!r}")
    return f"{_field(field)} {operator} {literal(value)}"


def eq(field: str, value: Value) -> str:
    return cmp(field, "eq", value)


def all_of(*clauses: str) -> str:
    """Clauses from :func:`cmp` or :func:`any_of` (which parenthesises itself) joined by and."""
    return " and ".join(c for c in clauses if c)


def any_of(*clauses: str) -> str:
    """Clauses joined with ``or``, parenthesised so it can be combined safely."""
    parts = [c for c in clauses if c]
    if len(parts) == 1:
        return parts[0]
    return "(" + " or ".join(parts) + ")"
