"""The VAT's boundaries and empty cases, stated from intake-and-vat.md (Appendix B), not from intake.policy.

Each test names the rule it holds; a wrong rule (a boundary moved by one, a case-management point
dropped, a datetime taken for a date) fails one of them (issue 18).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from intake.scoring import (
    POVERTY_2017,
    age_on,
    age_points,
    chronically_homeless,
    eligibility_flags,
    income_points,
    length_of_time_homeless_days,
    vat_score,
)

ON = date(2026, 11, 20)
PACIFIC = ZoneInfo("America/Los_Angeles")


def born_years_before(years: int, on: date = ON) -> date:
    return on.replace(year=on.year - years)


# --- "Veteran, youth (18–24 at assessment), family (children ≥ 1), DV (dv_fleeing = yes)" ---


@pytest.mark.parametrize(("age", "youth"), [(17, False), (18, True), (21, True), (24, True), (25, False)])
def test_youth_flag_is_18_to_24_inclusive_at_assessment(age, youth):
    assert eligibility_flags({"dob": born_years_before(age)}, collected_at=ON)["youth"] is youth


def test_youth_flag_counts_the_birthday_on_the_day_itself():
    turns_18_tomorrow = date(2008, 11, 21)
    assert eligibility_flags({"dob": turns_18_tomorrow}, collected_at=ON)["youth"] is False
    turns_25_tomorrow = date(2001, 11, 21)
    assert eligibility_flags({"dob": turns_25_tomorrow}, collected_at=ON)["youth"] is True


def test_youth_flag_without_a_date_of_birth_is_false():
    assert eligibility_flags({}, collected_at=ON)["youth"] is False
    assert eligibility_flags({"dob": None}, collected_at=ON)["youth"] is False


@pytest.mark.parametrize(("children", "family"), [(0, False), (1, True), (4, True), (None, False), ("2", False)])
def test_family_flag_needs_at_least_one_child(children, family):
    assert eligibility_flags({"household_children": children}, collected_at=ON)["family"] is family


def test_veteran_dv_and_disability_flags_follow_their_answers():
    flags = eligibility_flags({"veteran": "yes", "dv_fleeing": "yes", "health_chronic": "yes"}, collected_at=ON)
    assert flags == {"veteran": True, "youth": False, "family": False, "dv": True, "disability": True}
    none = eligibility_flags({"veteran": "no", "dv_experienced": "yes", "dv_fleeing": "refused"}, collected_at=ON)
    assert none == {"veteran": False, "youth": False, "family": False, "dv": False, "disability": False}


@pytest.mark.parametrize("code", ["health_mental", "health_physical_sensory", "health_developmental", "health_substance",
                                  "health_alcohol", "health_hiv_aids", "health_chronic"])
def test_each_disabling_condition_sets_the_disability_flag(code):
    assert eligibility_flags({code: "yes"}, collected_at=ON)["disability"] is True


# --- indicator 5: "Household has children under 18 — household_children ≥ 1" ---


@pytest.mark.parametrize(("children", "points"), [(0, 0), (1, 2), (3, 2), (None, 0)])
def test_children_indicator_is_two_points_from_one_child(children, points):
    assert vat_score({"household_children": children}, collected_at=ON, poverty=POVERTY_2017).indicators["children"] == points


# --- indicator 1: "age < 25 or age ≥ 60", dob quality full or partial ---


@pytest.mark.parametrize(("age", "points"), [(18, 1), (24, 1), (25, 0), (40, 0), (59, 0), (60, 1), (75, 1)])
def test_age_indicator_below_25_or_from_60(age, points):
    assert age_points({"dob": born_years_before(age), "dob_data_quality": "full"}, ON) == points


@pytest.mark.parametrize(("quality", "points"), [("full", 1), ("partial", 1), ("doesnt_know", 0), ("refused", 0), ("not_collected", 0), (None, 0)])
def test_age_indicator_needs_a_full_or_partial_date_of_birth(quality, points):
    assert age_points({"dob": born_years_before(62), "dob_data_quality": quality}, ON) == points


def test_age_on_counts_whole_years_birthday_included():
    assert age_on(date(2000, 11, 20), ON) == 26
    assert age_on(date(2000, 11, 21), ON) == 25
    assert age_on(date(2000, 12, 1), ON) == 25
    assert age_on(date(2000, 1, 1), ON) == 26


# --- "Vulnerability Score = subtotal + case-management entries (23–25, one point each)" ---


@pytest.mark.parametrize("case_management", [0, 1, 2, 3])
def test_total_adds_the_case_management_points_to_the_subtotal(case_management):
    answers = {"gender": "female", "health_mental": "yes", "has_income": "no", "household_size": 1}
    result = vat_score(answers, collected_at=ON, poverty=POVERTY_2017, case_management=case_management)
    assert result.subtotal == 3
    assert result.case_management == case_management
    assert result.total == 3 + case_management


def test_case_management_points_do_not_enter_the_subtotal_or_the_breakdown():
    result = vat_score({}, collected_at=ON, poverty=POVERTY_2017, case_management=3)
    assert result.subtotal == 0
    assert sum(result.indicators.values()) == 0
    assert result.total == 3


# --- indicator 16: "Yes to 3 or more of indicators 10–15" ---


def test_three_health_categories_give_the_bonus_point_two_do_not():
    two = {"health_mental": "yes", "health_chronic": "yes"}
    assert vat_score(two, collected_at=ON, poverty=POVERTY_2017).indicators["health_three_or_more"] == 0
    three = {**two, "health_hiv_aids": "yes"}
    assert vat_score(three, collected_at=ON, poverty=POVERTY_2017).indicators["health_three_or_more"] == 1


def test_substance_and_alcohol_are_one_category_for_the_bonus():
    answers = {"health_mental": "yes", "health_substance": "yes", "health_alcohol": "yes"}
    result = vat_score(answers, collected_at=ON, poverty=POVERTY_2017)
    assert result.indicators["health_substance_alcohol"] == 1
    assert result.indicators["health_three_or_more"] == 0


# --- indicator 22: income at or below the guideline for the household size ---


def test_household_size_zero_or_missing_gives_no_income_point():
    assert income_points({"household_size": 0, "has_income": "no"}, POVERTY_2017) == 0
    assert income_points({"household_size": None, "has_income": "no"}, POVERTY_2017) == 0
    assert income_points({"has_income": "no"}, POVERTY_2017) == 0
    assert income_points({"household_size": 1, "has_income": "no"}, POVERTY_2017) == 1


@pytest.mark.parametrize(("size", "period", "at_line"), [
    (1, "monthly", 1005), (1, "annual", 12060), (4, "monthly", 2050), (4, "annual", 24600),
    (8, "monthly", 3443), (8, "annual", 41320),
    # "each additional person + 4,180 annual; monthly = annual ÷ 12 rounded to the nearest dollar"
    (9, "annual", 45500), (9, "monthly", 3792), (10, "annual", 49680), (10, "monthly", 4140),
])
def test_income_at_the_line_scores_and_one_dollar_above_does_not(size, period, at_line):
    answers = {"household_size": size, "has_income": "yes", "income_period": period}
    assert income_points({**answers, "household_income": Decimal(at_line)}, POVERTY_2017) == 1
    assert income_points({**answers, "household_income": Decimal(at_line + 1)}, POVERTY_2017) == 0


def test_unknown_income_scores_nothing():
    base = {"household_size": 2}
    assert income_points({**base, "has_income": "yes", "income_period": "monthly"}, POVERTY_2017) == 0
    assert income_points({**base, "has_income": "yes", "household_income": Decimal(10), "income_period": None}, POVERTY_2017) == 0
    assert income_points({**base, "has_income": "yes", "household_income": Decimal(10), "income_period": "weekly"}, POVERTY_2017) == 0
    assert income_points({**base, "has_income": "refused", "household_income": Decimal(10), "income_period": "monthly"}, POVERTY_2017) == 0
    assert income_points({**base, "has_income": "doesnt_know"}, POVERTY_2017) == 0


def test_poverty_table_rows_and_the_additional_person_step():
    assert POVERTY_2017.annual(1) == 12060 and POVERTY_2017.monthly(1) == 1005
    assert POVERTY_2017.annual(8) == 41320 and POVERTY_2017.monthly(8) == 3443
    assert POVERTY_2017.annual(11) == 41320 + 3 * 4180
    assert POVERTY_2017.monthly(11) == round(Decimal(41320 + 3 * 4180) / 12)


# --- length of time homeless: "days since homeless_start_date" ---


def test_homeless_since_today_is_zero_days():
    assert length_of_time_homeless_days({"homeless_start_date": ON}, collected_at=ON) == 0
    # The start date, when given, wins over the unstable-housing answer, even on its first day.
    answers = {"homeless_start_date": ON, "unstable_housing_length": "over_5_years"}
    assert length_of_time_homeless_days(answers, collected_at=ON) == 0


def test_homeless_since_yesterday_is_one_day():
    assert length_of_time_homeless_days({"homeless_start_date": date(2026, 11, 19)}, collected_at=ON) == 1


def test_a_start_date_after_the_assessment_falls_back_to_the_unstable_housing_lower_bound():
    answers = {"homeless_start_date": date(2026, 11, 21), "unstable_housing_length": "1_to_3_years"}
    assert length_of_time_homeless_days(answers, collected_at=ON) == 365


@pytest.mark.parametrize(("length", "days"), [("under_1_year", 0), ("1_to_3_years", 365), ("3_to_5_years", 1095),
                                              ("over_5_years", 1825), (None, 0)])
def test_without_a_start_date_the_lower_bound_of_unstable_housing(length, days):
    assert length_of_time_homeless_days({"unstable_housing_length": length}, collected_at=ON) == days


# --- collected_at is a datetime in production (intake.services passes localtime(collected_at)) ---


def test_a_datetime_collected_at_counts_days_from_its_local_date():
    # Checked for real (issue 18): a datetime with a date start is no TypeError; the day is the local one.
    late_evening = datetime(2026, 11, 20, 23, 30, tzinfo=PACIFIC)
    answers = {"homeless_start_date": date(2026, 11, 1)}
    assert length_of_time_homeless_days(answers, collected_at=late_evening) == 19
    assert length_of_time_homeless_days({"homeless_start_date": date(2026, 11, 20)}, collected_at=late_evening) == 0


def test_chronic_duration_with_a_datetime_collected_at():
    base = {"health_mental": "yes", "sleep_location_30d": "place_not_meant"}
    at = datetime(2026, 11, 20, 9, 15, tzinfo=PACIFIC)
    assert chronically_homeless({**base, "homeless_start_date": date(2025, 11, 20)}, collected_at=at)
    assert not chronically_homeless({**base, "homeless_start_date": date(2025, 11, 21)}, collected_at=at)


def test_flags_and_age_with_a_datetime_collected_at():
    at = datetime(2026, 11, 20, 8, 0, tzinfo=PACIFIC)
    answers = {"dob": date(2008, 11, 20), "dob_data_quality": "full"}
    assert eligibility_flags(answers, collected_at=at)["youth"] is True
    assert vat_score(answers, collected_at=at, poverty=POVERTY_2017).indicators["age"] == 1


# --- chronically homeless: "at least 365 days", or "four_or_more" with 12 or more months ---


def test_chronic_needs_all_three_parts():
    long = {"homeless_start_date": date(2024, 1, 1)}
    assert chronically_homeless({"health_chronic": "yes", "sleep_location_30d": "emergency_shelter", **long}, collected_at=ON)
    assert not chronically_homeless({"health_chronic": "no", "sleep_location_30d": "emergency_shelter", **long}, collected_at=ON)
    assert not chronically_homeless({"health_chronic": "yes", "sleep_location_30d": "emergency_shelter"}, collected_at=ON)
    assert not chronically_homeless({"health_chronic": "yes", "sleep_location_30d": "jail", **long}, collected_at=ON)


def test_chronic_by_occasions_needs_four_or_more_and_twelve_months():
    base = {"health_mental": "yes", "sleep_location_30d": "place_not_meant"}
    assert chronically_homeless({**base, "times_homeless_3y": "four_or_more", "months_homeless_3y": "12"}, collected_at=ON)
    assert not chronically_homeless({**base, "times_homeless_3y": "four_or_more", "months_homeless_3y": None}, collected_at=ON)
    assert not chronically_homeless({**base, "times_homeless_3y": None, "months_homeless_3y": "more_than_12"}, collected_at=ON)
