"""The business-day calendar's edges (engagement.md, "Business days": weekends, US federal holidays with
their observed dates, and the closure days an admin enters), stated from the calendar, not the code (issue 18)."""

from datetime import date, timedelta

import pytest

from ces.business_days import add_business_days, business_days_between, is_business_day, upcoming_non_business_days
from ces.models import ClosureDay

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 11, d) for d in range(16, 23))  # 16–22 November 2026


# --- business_days_between: "after start, up to and including end" ---


def test_the_first_day_is_not_counted_and_the_last_day_is():
    assert business_days_between(MON, TUE) == 1
    assert business_days_between(MON, WED) == 2
    assert business_days_between(MON, FRI) == 4
    assert business_days_between(TUE, date(2026, 11, 23)) == 4  # Wed, Thu, Fri and the next Monday


def test_a_weekend_in_between_counts_nothing():
    assert business_days_between(FRI, SAT) == 0
    assert business_days_between(FRI, SUN) == 0
    assert business_days_between(FRI, date(2026, 11, 23)) == 1
    assert business_days_between(SAT, date(2026, 11, 23)) == 1


def test_same_day_and_reversed_ranges_are_zero():
    assert business_days_between(WED, WED) == 0
    assert business_days_between(FRI, MON) == 0
    assert business_days_between(date(2027, 1, 1), date(2026, 1, 1)) == 0


def test_thanksgiving_and_a_closure_day_are_not_counted_between():
    # Mon 23 → Mon 30 November 2026: Tue, Wed, (Thu Thanksgiving), Fri, Mon.
    assert business_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 4
    ClosureDay.objects.create(date=date(2026, 11, 27), name="County closure")
    assert business_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 3
    ClosureDay.objects.create(date=date(2026, 11, 23), name="Closure on the first day")  # outside: not counted anyway
    ClosureDay.objects.create(date=date(2026, 12, 1), name="Closure after the end")
    assert business_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 3


def test_a_closure_on_the_last_day_is_not_counted():
    ClosureDay.objects.create(date=FRI, name="County closure")
    assert business_days_between(MON, FRI) == 3


# --- is_business_day ---


def test_monday_to_friday_are_business_days_the_weekend_is_not():
    assert [is_business_day(day) for day in (MON, TUE, WED, THU, FRI, SAT, SUN)] == [True] * 5 + [False] * 2


def test_observed_holidays_in_another_year():
    assert not is_business_day(date(2027, 7, 5))  # Independence Day observed (Jul 4 2027 is a Sunday)
    assert not is_business_day(date(2027, 12, 31))  # New Year's Day 2028 observed
    assert is_business_day(date(2027, 7, 6))


# --- add_business_days ---


def test_one_business_day_after_friday_is_monday_and_before_monday_is_friday():
    assert add_business_days(FRI, 1) == date(2026, 11, 23)
    assert add_business_days(date(2026, 11, 23), -1) == FRI
    assert add_business_days(MON, 4) == FRI
    assert add_business_days(FRI, -4) == MON


def test_a_closure_run_longer_than_the_first_window_is_walked_through(django_assert_num_queries):
    # One business day reads the closures of a 32-day window; 40 closure days force the walk past it,
    # and the walk reads the next window once.
    start = date(2026, 3, 1)  # a Sunday
    ClosureDay.objects.bulk_create(ClosureDay(date=start + timedelta(days=n), name="Long closure") for n in range(1, 41))
    with django_assert_num_queries(2):
        assert add_business_days(start, 1) == date(2026, 4, 13)  # Sat 11, Sun 12 April, then Monday 13
    with django_assert_num_queries(2):
        assert add_business_days(date(2026, 4, 13), -1) == date(2026, 2, 27)  # back over the closure to Friday


def test_a_walk_that_ends_on_the_last_day_of_its_window_reads_one_window(django_assert_num_queries):
    start = date(2026, 3, 1)  # Sunday; the window of one business day is 32 days: up to Thu 2 April
    ClosureDay.objects.bulk_create(ClosureDay(date=start + timedelta(days=n), name="Closure") for n in range(1, 32))
    with django_assert_num_queries(1):
        assert add_business_days(start, 1) == date(2026, 4, 2)


def test_a_walk_back_that_ends_on_the_first_day_of_its_window_reads_one_window(django_assert_num_queries):
    start = date(2026, 6, 1)  # Monday; 32 days back is Thu 30 April
    ClosureDay.objects.bulk_create(ClosureDay(date=start - timedelta(days=n), name="Closure") for n in range(1, 32))
    with django_assert_num_queries(1):
        assert add_business_days(start, -1) == date(2026, 4, 30)


def test_the_walk_stops_after_3660_calendar_days():
    start = date(2026, 1, 6)
    # start + 3660 days (Mon 2036-01-14) and + 3661 (Tue 2036-01-15) are business days, 2504 days after start.
    assert business_days_between(start, start + timedelta(days=3660)) == 2504
    assert add_business_days(start, 2504) == start + timedelta(days=3660)
    with pytest.raises(ValueError, match="beyond the calendar's range"):
        add_business_days(start, 2505)
    with pytest.raises(ValueError, match="beyond the calendar's range"):
        add_business_days(start, -3000)


# --- upcoming_non_business_days: what the dashboard shows ---


def test_upcoming_holidays_include_the_window_edges():
    assert upcoming_non_business_days(date(2026, 11, 11), 15) == [
        (date(2026, 11, 11), "Veterans Day"),
        (date(2026, 11, 26), "Thanksgiving Day"),
    ]
    assert upcoming_non_business_days(date(2026, 11, 12), 13) == []
    assert upcoming_non_business_days(date(2026, 11, 12), 14) == [(date(2026, 11, 26), "Thanksgiving Day")]


def test_upcoming_includes_observed_dates():
    assert upcoming_non_business_days(date(2027, 7, 1), 5) == [
        (date(2027, 7, 4), "Independence Day"),
        (date(2027, 7, 5), "Independence Day (observed)"),
    ]


def test_upcoming_crosses_the_new_year():
    assert upcoming_non_business_days(date(2026, 12, 20), 30) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2027, 1, 18), "Martin Luther King Jr. Day"),
    ]


def test_upcoming_merges_closure_days_in_date_order():
    ClosureDay.objects.create(date=date(2026, 11, 27), name="Day after Thanksgiving (county closure)")
    ClosureDay.objects.create(date=date(2026, 11, 5), name="Before the window")
    ClosureDay.objects.create(date=date(2026, 12, 12), name="After the window")
    ClosureDay.objects.create(date=date(2026, 12, 11), name="Last day of the window")
    assert upcoming_non_business_days(date(2026, 11, 11), 30) == [
        (date(2026, 11, 11), "Veterans Day"),
        (date(2026, 11, 26), "Thanksgiving Day"),
        (date(2026, 11, 27), "Day after Thanksgiving (county closure)"),
        (date(2026, 12, 11), "Last day of the window"),
    ]


def test_upcoming_defaults_to_thirty_days():
    assert upcoming_non_business_days(date(2026, 10, 27)) == [
        (date(2026, 11, 11), "Veterans Day"),
        (date(2026, 11, 26), "Thanksgiving Day"),
    ]
    assert upcoming_non_business_days(date(2026, 10, 26)) == [(date(2026, 11, 11), "Veterans Day")]


# --- "One query for closure days over a generous window" (the walk reads the closures once) ---


@pytest.mark.parametrize("days", [1, 5, 20, 100, -1, -100])
def test_a_walk_reads_the_closure_days_with_one_query(days, django_assert_num_queries):
    with django_assert_num_queries(1):
        add_business_days(date(2026, 11, 25), days)


def test_empty_ranges_do_not_ask_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert business_days_between(WED, WED) == 0
        assert business_days_between(FRI, MON) == 0
        assert add_business_days(WED, 0) == WED
