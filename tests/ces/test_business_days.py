from datetime import date

import pytest

from ces.business_days import add_business_days, business_days_between, is_business_day
from ces.models import ClosureDay

pytestmark = pytest.mark.django_db


def test_five_business_days_after_wednesday_before_thanksgiving_skip_holiday_and_weekend():
    # Thu 2026-11-26 is Thanksgiving; Fri 27, Mon 30, Tue 1, Wed 2, Thu 3.
    assert add_business_days(date(2026, 11, 25), 5) == date(2026, 12, 3)


def test_closure_day_added_by_an_admin_is_skipped():
    ClosureDay.objects.create(date=date(2026, 11, 27), name="Day after Thanksgiving (county closure)")
    assert add_business_days(date(2026, 11, 25), 5) == date(2026, 12, 4)
    assert not is_business_day(date(2026, 11, 27))


def test_weekends_and_observed_holidays_are_not_business_days():
    assert not is_business_day(date(2026, 11, 28))  # Saturday
    assert not is_business_day(date(2026, 11, 29))  # Sunday
    assert not is_business_day(date(2026, 7, 3))  # Independence Day observed (Jul 4 is a Saturday)
    assert not is_business_day(date(2026, 12, 25))
    assert is_business_day(date(2026, 11, 25))


def test_counting_backwards_and_zero_days():
    assert add_business_days(date(2026, 12, 3), -5) == date(2026, 11, 25)
    assert add_business_days(date(2026, 11, 28), 0) == date(2026, 11, 28)


def test_deadline_starting_on_a_weekend_counts_from_the_next_business_day():
    assert add_business_days(date(2026, 11, 28), 1) == date(2026, 11, 30)


def test_business_days_between_matches_add_business_days():
    start = date(2026, 12, 18)
    for n in (1, 5, 10, 20):
        assert business_days_between(start, add_business_days(start, n)) == n


def test_long_spans_cross_year_boundary():
    # 20 business days from Fri 2026-12-18 skip Christmas, New Year's Day and
    # Martin Luther King Jr. Day (Mon 2027-01-18).
    assert add_business_days(date(2026, 12, 18), 20) == date(2027, 1, 20)
