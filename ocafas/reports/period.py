"""The period a report covers: whole days, ``--from``/``--to`` inclusive, or one ``--month``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """Raised for a period that cannot be read or ends before it starts."""


@dataclass(frozen=True)
class Period:
    """Days ``first`` up to and including ``last``; queries use ``[first, after)``."""

    first: date
    last: date

    @property
    def after(self) -> date:
        return self.last + timedelta(days=1)

    def label(self) -> str:
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def month_period(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"no month {month:02d}")
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(first, following - timedelta(days=1))


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"{option}: not a date (YYYY-MM-DD): {text[:20]!r}") from None


def resolve_period(
    date_from: str | None, date_to: str | None, month: str | None, *, today: date | None = None
) -> Period:
    """The period of the options; the current month when none is given."""
    today = today or date.today()
    if month is not None:
        if date_from is not None or date_to is not None:
            raise PeriodError("--month cannot be combined with --from/--to")
        match = _MONTH.match(month.strip())
        if not match:
            raise PeriodError(f"--month: not a month (YYYY-MM): {month[:20]!r}")
        return month_period(int(match.group(1)), int(match.group(2)))
    if date_from is None and date_to is None:
        return month_period(today.year, today.month)
    last = parse_day(date_to, "--to") if date_to is not None else None
    first = parse_day(date_from, "--from") if date_from is not None else None
    if first is None:
        assert last is not None
        first = last.replace(day=1)
    if last is None:
        last = max(today, first)
    if last < first:
        raise PeriodError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    return Period(first, last)
