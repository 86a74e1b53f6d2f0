"""The period options: default current month, --month, --from/--to."""

from __future__ import annotations

from datetime import date

import pytest

from ocafas.reports.period import Period, PeriodError, resolve_period


def test_default_is_the_current_month() -> None:
    assert resolve_period(None, None, None, today=date(2024, 2, 10)) == Period(
        date(2024, 2, 1), date(2024, 2, 29)
    )
    assert resolve_period(None, None, "2025-12").after == date(2026, 1, 1)


def test_from_and_to() -> None:
    today = date(2025, 5, 20)
    assert resolve_period("2025-04-03", None, None, today=today) == Period(date(2025, 4, 3), today)
    assert resolve_period(None, "2025-04-09", None, today=today).first == date(2025, 4, 1)
    for bad in (("2025-04-09", "2025-04-01", None), ("x", None, None), (None, None, "2025-13")):
        with pytest.raises(PeriodError):
            resolve_period(*bad, today=today)
    with pytest.raises(PeriodError, match="cannot be combined"):
        resolve_period("2025-04-01", None, "2025-04")
