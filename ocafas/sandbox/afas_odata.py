"""The list query options of AFAS SB: an OData subset for Filter, plus Sort, Skip and Take.

Filter grammar (keywords case-insensitive)::

    expr     := and ("or" and)*
    and      := unary ("and" unary)*
    unary    := "not" unary | "(" expr ")" | function | operand op operand
    function := (contains | startswith | endswith) "(" operand "," operand ")"
    op       := eq | ne | gt | ge | lt | le
    operand  := field | 'string' ('' is a quote) | number | guid | date[time] | true | false | null

String comparisons ignore case (AFAS runs on a case-insensitive collation); a filter that does not
parse, names an unknown field or compares a text with a number is refused as AFAS does, with 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]
Getter = Callable[[Row], Any]


class QueryError(ValueError):
    """A Filter/Sort/Skip/Take value AFAS would refuse; ``option`` names which one."""

    def __init__(self, option: str, detail: str) -> None:
        super().__init__(f"{option}: {detail}")
        self.option = option
        self.detail = detail


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^']|'')*')
    | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b
    | (?P<date>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<punct>[(),])
    )""",
    re.VERBOSE,
)
_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"contains", "startswith", "endswith"}
_KEYWORDS = {"and", "or", "not", "true", "false", "null"} | _COMPARISONS


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise QueryError(
                "Filter", f"unexpected text at position {position}: {text[position:]!r}"
            )
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value.lower() in _KEYWORDS | _FUNCTIONS:
            kind, value = "keyword", value.lower()
        tokens.append((kind, value))
        position = match.end()
    return tokens


def _normalize(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    return str(value).casefold()


def _compare(op: str, left: Any, right: Any) -> bool:
    a, b = _normalize(left), _normalize(right)
    if a is not None and b is not None and type(a) is not type(b):
        raise QueryError("Filter", f"cannot compare {left!r} with {right!r}")
    if op == "eq":
        return bool(a == b)
    if op == "ne":
        return bool(a != b)
    if a is None or b is None or isinstance(a, bool):
        return False
    return bool({"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op])


class _Parser:
    def __init__(self, text: str, fields: Sequence[str]) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.fields = {name.casefold(): name for name in fields}

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise QueryError("Filter", "unexpected end of filter")
        if (kind and token[0] != kind) or (value and token[1] != value):
            raise QueryError("Filter", f"expected {value or kind}, found {token[1]!r}")
        self.index += 1
        return token

    def at(self, kind: str, value: str | None = None) -> bool:
        token = self.peek()
        return token is not None and token[0] == kind and (value is None or token[1] == value)

    def parse(self) -> Predicate:
        predicate = self.expr()
        if self.peek() is not None:
            raise QueryError("Filter", f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return predicate

    def expr(self) -> Predicate:
        terms = [self.conjunction()]
        while self.at("keyword", "or"):
            self.take()
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else (lambda row: any(t(row) for t in terms))

    def conjunction(self) -> Predicate:
        terms = [self.unary()]
        while self.at("keyword", "and"):
            self.take()
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else (lambda row: all(t(row) for t in terms))

    def unary(self) -> Predicate:
        if self.at("keyword", "not"):
            self.take()
            inner = self.unary()
            return lambda row: not inner(row)
        if self.at("punct", "("):
            self.take()
            inner = self.expr()
            self.take("punct", ")")
            return inner
        if self.peek() in {("keyword", f) for f in _FUNCTIONS}:
            return self.function()
        left = self.operand()
        op = self.take("keyword")[1]
        if op not in _COMPARISONS:
            raise QueryError("Filter", f"expected a comparison operator, found {op!r}")
        right = self.operand()
        return lambda row: _compare(op, left(row), right(row))

    def function(self) -> Predicate:
        name = self.take("keyword")[1]
        self.take("punct", "(")
        haystack = self.operand()
        self.take("punct", ",")
        needle = self.operand()
        self.take("punct", ")")

        def test(row: Row) -> bool:
            h, n = haystack(row), needle(row)
            if h is None or n is None:
                return False
            if not isinstance(h, str) or not isinstance(n, str):
                raise QueryError("Filter", f"{name} needs text, got {h!r} and {n!r}")
            h, n = h.casefold(), n.casefold()
            return n in h if name == "contains" else getattr(h, name)(n)

        return test

    def operand(self) -> Getter:
        kind, value = self.take()
        if kind == "string":
            text = value[1:-1].replace("''", "'")
            return lambda row: text
        if kind in ("guid", "date"):
            return lambda row: value
        if kind == "number":
            try:
                number = Decimal(value)
            except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
                raise QueryError("Filter", f"bad number {value!r}") from exc
            return lambda row: number
        if kind == "keyword" and value in ("true", "false", "null"):
            constant = {"true": True, "false": False, "null": None}[value]
            return lambda row: constant
        if kind == "name":
            field = self.fields.get(value.casefold())
            if field is None:
                raise QueryError("Filter", f"unknown field {value!r}")
            return lambda row: row.get(field)
        raise QueryError("Filter", f"expected a field or a value, found {value!r}")


def compile_filter(text: str, fields: Sequence[str]) -> Predicate:
    """A predicate for ``text``; raises QueryError now for syntax errors and unknown fields."""
    return _Parser(text, fields).parse()


def apply_filter(rows: Sequence[Row], text: str | None, fields: Sequence[str]) -> list[Row]:
    """The rows matching the filter (all rows when there is none)."""
    if text is None or not text.strip():
        return list(rows)
    predicate = compile_filter(text, fields)
    return [row for row in rows if predicate(row)]


def apply_sort(rows: Sequence[Row], text: str | None, fields: Sequence[str]) -> list[Row]:
    """Rows sorted by "Field Ascending|Descending[, Field2 ...]"; stable, nulls first ascending."""
    if text is None or not text.strip():
        return list(rows)
    known = {name.casefold(): name for name in fields}
    keys: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or words[0].casefold() not in known:
            raise QueryError("Sort", f"cannot sort on {part.strip()!r}")
        direction = words[1].casefold() if len(words) == 2 else "ascending"
        if direction not in ("ascending", "descending", "asc", "desc"):
            raise QueryError("Sort", f"unknown direction {words[1]!r}")
        keys.append((known[words[0].casefold()], direction.startswith("desc")))
    result = list(rows)
    for field, descending in reversed(keys):
        result.sort(key=_key_of(field), reverse=descending)
    return result


def _key_of(field: str) -> Callable[[Row], tuple[int, Any]]:
    return lambda row: _sort_key(row.get(field))


def _sort_key(value: Any) -> tuple[int, Any]:
    normalized = _normalize(value)
    if normalized is None:
        return (0, 0)
    if isinstance(normalized, bool):
        return (1, int(normalized))
    return (2, normalized) if isinstance(normalized, Decimal) else (3, normalized)


def parse_paging(
    skip: str | None, take: str | None, default_take: int, max_take: int
) -> tuple[int, int]:
    """(skip, take) from the query values; take is capped at ``max_take``."""
    values = []
    for name, raw, default in (("Skip", skip, 0), ("Take", take, default_take)):
        if raw is None or raw == "":
            values.append(default)
            continue
        if not re.fullmatch(r"\d+", raw.strip()):
            raise QueryError(name, f"must be a whole number >= 0, got {raw!r}")
        values.append(int(raw))
    return values[0], min(values[1], max_take)


def query_options(query: Mapping[str, list[str]]) -> dict[str, str]:
    """The Filter/Skip/Take/Sort options whatever their spelling ("filter", "Filter", "FILTER")."""
    options: dict[str, str] = {}
    for key, values in query.items():
        name = key.casefold()
        if name in ("filter", "skip", "take", "sort") and values:
            options[name] = values[-1]
    return options
