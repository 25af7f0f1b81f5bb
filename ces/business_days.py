"""The project's one business-day calendar (engagement.md, "Business days").

Business days skip Saturdays, Sundays, US federal holidays (the `holidays`
library, observed dates included) and the closure days an admin enters.
Every deadline counted in business days goes through `add_business_days`.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces.models import ClosureDay

# The federal holidays' names (as the `holidays` package gives them) in the reader's language.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Martin Luther King Jr. Day": _("Martin Luther King Jr. Day"),
    "Washington's Birthday": _("Washington's Birthday (Presidents' Day)"),
    "Memorial Day": _("Memorial Day"),
    "Juneteenth National Independence Day": _("Juneteenth National Independence Day"),
    "Independence Day": _("Independence Day"),
    "Labor Day": _("Labor Day"),
    "Columbus Day": _("Columbus Day"),
    "Veterans Day": _("Veterans Day"),
    "Thanksgiving Day": _("Thanksgiving Day"),
    "Christmas Day": _("Christmas Day"),
}
OBSERVED_SUFFIX = " (observed)"


def holiday_name(name: str):
    """A federal holiday's name in the reader's language ("Christmas Day (observed)" too); others unchanged."""
    if name.endswith(OBSERVED_SUFFIX):
        base = name.removesuffix(OBSERVED_SUFFIX)
        if base in HOLIDAY_NAMES:
            return format_lazy(_("{holiday} (observed)"), holiday=HOLIDAY_NAMES[base])
    return HOLIDAY_NAMES.get(name, name)

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


def business_days_window(start: date, counts: list[int]) -> tuple[date, date]:
    """The closure days `add_business_days_many(start, counts)` reads: a caller that reads them
    itself (in a statement it runs anyway) passes them as `closures`."""
    return start, start + timedelta(days=max(counts) * 2 + 30)


def add_business_days_many(start: date, counts: list[int], *, closures: frozenset[date] | None = None) -> list[date]:
    """`add_business_days(start, n)` for each forward n, with one closure-day query (none when
    the closure days of `business_days_window(start, counts)` are given)."""
    if not counts or min(counts) < 0:
        return [add_business_days(start, n) for n in counts]
    window = (business_days_window(start, counts)[1] - start).days
    if closures is None:
        closures = _closure_days(*business_days_window(start, counts))
    found: dict[int, date] = {0: start}
    remaining, day, wanted = 0, start, sorted(set(counts))
    for _walked in range(window):
        if all(n in found for n in wanted):
            break
        day += timedelta(days=1)
        if _is_business_day(day, closures):
            remaining += 1
            found.setdefault(remaining, day)
    if not all(n in found for n in wanted):  # past the window: the general walk
        return [add_business_days(start, n) for n in counts]
    return [found[n] for n in counts]


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
        day: holiday_name(name)
        for year in range(start.year, end.year + 1)
        for day, name in holidays.country_holidays("US", years=year, observed=True).items()
        if start <= day <= end
    }
    for closure in ClosureDay.objects.filter(date__range=(start, end)):
        found[closure.date] = closure.name
    return sorted(found.items())
