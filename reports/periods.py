"""Report periods: any date range, with quarter and year presets, in the CoC's time zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in America/Los_Angeles."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        """The first moment of the period (aware)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period (aware): filters use `< until`."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + timedelta(days=32)).replace(day=1)
        return months

    def as_params(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def quarter(year: int, number: int) -> Period:
    first = date(year, 3 * (number - 1) + 1, 1)
    last = (first + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return Period(first, last)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def default_period(today: date | None = None) -> Period:
    """The last twelve months to today: what the committee sees first."""
    today = today or timezone.localdate()
    try:
        start = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + timedelta(days=1)
    return Period(start, today)


def presets(today: date | None = None) -> list[tuple[str, Period]]:
    """The quarter and year presets offered on every report: the last eight quarters and three years."""
    today = today or timezone.localdate()
    found: list[tuple[str, Period]] = [(str(_("Last 12 months")), default_period(today))]
    number, year = (today.month - 1) // 3 + 1, today.year
    for _step in range(8):
        found.append((f"Q{number} {year}", quarter(year, number)))
        number -= 1
        if number == 0:
            number, year = 4, year - 1
    for back in range(3):
        found.append((str(today.year - back), year_period(today.year - back)))
    return found
