"""The project's one business-day calendar (engagement.md, "Business days").

Business days skip Saturdays, Sundays, US federal holidays (the `holidays`
library, observed dates included) and the closure days an admin enters.
Every deadline counted in business days goes through `add_business_days`.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from ces.models import ClosureDay

_MAX_SPAN_DAYS = 3660  # refuse to walk more than ~10 years


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("US", years=year, observed=True).keys())


def _closure_days(start: date, end: date) -> frozenset[date]:
    return frozenset(ClosureDay.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def _is_business_day(day: date, closures: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year) and day not in closures


def is_business_day(day: date) -> bool:
    return _is_business_day(day, _closure_days(day, day))


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days after `start` (before it, for negative days).

    `start` itself is not counted: 5 business days after Wednesday 2026-11-25
    is Thursday 2026-12-03 (Thanksgiving and the weekend skipped).
    """
    if days == 0:
        return start
    step = 1 if days > 0 else -1
    # One query for closure days over a generous window (weekends and holidays
    # at most roughly double the span).
    window = abs(days) * 2 + 30
    low, high = sorted((start, start + timedelta(days=step * window)))
    closures = _closure_days(low, high)
    remaining, day = abs(days), start
    for _walked in range(_MAX_SPAN_DAYS):
        day += timedelta(days=step)
        if not low <= day <= high:
            low, high = sorted((day, day + timedelta(days=step * window)))
            closures = _closure_days(low, high)
        if _is_business_day(day, closures):
            remaining -= 1
            if remaining == 0:
                return day
    raise ValueError(f"{days} business days from {start} is beyond the calendar's range")


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    closures = _closure_days(start, end)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if _is_business_day(start + timedelta(days=offset), closures)
    )


def upcoming_non_business_days(start: date, days: int = 30) -> list[tuple[date, str]]:
    """Holidays and closure days in the next `days` days, for dashboards."""
    end = start + timedelta(days=days)
    found = {
        day: name
        for year in range(start.year, end.year + 1)
        for day, name in holidays.country_holidays("US", years=year, observed=True).items()
        if start <= day <= end
    }
    for closure in ClosureDay.objects.filter(date__range=(start, end)):
        found[closure.date] = closure.name
    return sorted(found.items())
