"""The intake's numbers (intake/policy.py) stated from intake-and-vat.md and Appendix B, not read
back from the code: each table here is typed from the spec, so a number moved by one fails (issue 18).

Pure: no database. The indicator scoring itself is stated in test_scoring_rules.py.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from intake import policy
from intake.presentation import live_score
from intake.scoring import POVERTY_2017, income_points, vat_score

NOW = datetime(2026, 11, 20, 18, 15, tzinfo=UTC)
ON = date(2026, 11, 20)
VI = {"county": "nevada", "continue_to_vi": "yes", "vi_consent": "yes"}

# Appendix B, "points" column, indicator by indicator.
APPENDIX_B_POINTS = {
    "age": 1, "unaccompanied_youth": 2, "gender": 1, "pregnant": 1, "children": 2, "sleep_location": 1,
    "unstable_housing": 3, "er_visits": 2, "police": 1, "health_mental": 1, "health_substance_alcohol": 1,
    "health_physical_sensory": 1, "health_developmental": 1, "health_hiv_aids": 1, "health_chronic": 1,
    "health_three_or_more": 1, "household_member_health": 1, "attacked": 1, "self_harm": 1, "dv_experienced": 1,
    "dv_fleeing": 1, "income": 1,
}
# Answers that score every indicator at its most.
MOST_VULNERABLE = {
    "dob": date(2010, 1, 1), "dob_data_quality": "full", "vi_unaccompanied_youth": "yes", "gender": "female",
    "household_pregnant": "yes", "household_size": 3, "household_children": 2, "sleep_location_30d": "place_not_meant",
    "unstable_housing_length": "over_5_years", "er_visits_3plus_6m": "yes", "police_6plus_6m": "yes",
    "health_mental": "yes", "health_substance": "yes", "health_physical_sensory": "yes", "health_developmental": "yes",
    "health_hiv_aids": "yes", "health_chronic": "yes", "household_member_health": "yes", "attacked_since_homeless": "yes",
    "self_harm": "yes", "dv_experienced": "yes", "dv_fleeing": "yes", "has_income": "no",
}
# "2017 Federal Poverty Guidelines", 48 contiguous states: household size → (monthly, annual).
HHS_2017 = {1: (1005, 12060), 2: (1353, 16240), 3: (1702, 20420), 4: (2050, 24600), 5: (2398, 28780), 6: (2747, 32960),
            7: (3095, 37140), 8: (3443, 41320)}


# --- Appendix B: points available, subtotal 27, three case-management entries, score 30 ---


def test_the_most_vulnerable_answers_score_each_indicator_at_its_appendix_b_points():
    result = vat_score(MOST_VULNERABLE, collected_at=ON, poverty=POVERTY_2017, case_management=3)
    assert result.indicators == APPENDIX_B_POINTS
    assert result.subtotal == 27 and result.total == 30


def test_the_points_available_per_indicator_are_appendix_bs():
    assert policy.INDICATOR_POINTS == APPENDIX_B_POINTS


def test_the_live_score_shows_each_indicator_out_of_its_points_and_the_subtotal_out_of_27():
    shown = live_score(VI, MOST_VULNERABLE, collected_at=ON, poverty=POVERTY_2017)
    assert shown["max"] == 27 and shown["total"] == 27
    assert {row["code"]: row["available"] for row in shown["rows"]} == APPENDIX_B_POINTS
    assert {row["code"]: row["points"] for row in shown["rows"]} == APPENDIX_B_POINTS


def test_the_maxima_are_subtotal_27_three_entries_and_score_30():
    assert (policy.SUBTOTAL_MAX, policy.CASE_MANAGEMENT_ITEMS, policy.SCORE_MAX) == (27, 3, 30)


# --- indicator 22: the 2017 table, row by row ---


@pytest.mark.parametrize("size", sorted(HHS_2017))
def test_each_row_of_the_2017_table_is_the_line_for_its_household_size(size):
    monthly, annual = HHS_2017[size]
    assert (POVERTY_2017.monthly(size), POVERTY_2017.annual(size)) == (monthly, annual)
    for period, line in (("monthly", monthly), ("annual", annual)):
        answers = {"household_size": size, "has_income": "yes", "income_period": period}
        assert income_points({**answers, "household_income": Decimal(line)}, POVERTY_2017) == 1, (size, period)
        assert income_points({**answers, "household_income": Decimal(line) + Decimal("0.01")}, POVERTY_2017) == 0, (size, period)


def test_the_table_holds_sizes_1_to_8_of_the_2017_guidelines():
    assert POVERTY_2017.year == 2017 and policy.POVERTY_POLICY_YEAR == 2017
    assert dict(POVERTY_2017.rows) == HHS_2017


@pytest.mark.parametrize(("size", "annual"), [(9, 45500), (10, 49680), (12, 58040)])
def test_each_additional_person_adds_4180_a_year(size, annual):
    assert POVERTY_2017.additional_person_annual == 4180
    assert POVERTY_2017.annual(size) == annual
    assert POVERTY_2017.monthly(size) == (Decimal(annual) / 12).quantize(Decimal("1"))


# --- "an intake entered more than 72 hours after collected_at is flagged late" ---


def test_an_intake_entered_more_than_72_hours_after_the_call_is_late():
    assert policy.entered_late(NOW, NOW) is False
    assert policy.entered_late(NOW, NOW + timedelta(hours=72)) is False  # exactly 72 hours is on time
    assert policy.entered_late(NOW, NOW + timedelta(hours=72, seconds=1)) is True
    assert policy.entered_late(NOW, NOW + timedelta(hours=73)) is True
    assert policy.entered_late(NOW, NOW + timedelta(hours=71, minutes=59)) is False
    assert policy.entered_late(NOW + timedelta(minutes=3), NOW) is False  # a call time a little ahead of the clock


# --- docs/intake.md: "one untouched for 72 hours is marked stale" ---


def test_a_draft_untouched_for_more_than_72_hours_is_stale():
    assert policy.draft_is_stale(NOW - timedelta(hours=72), NOW) is False
    assert policy.draft_is_stale(NOW - timedelta(hours=72, seconds=1), NOW) is True
    assert policy.draft_is_stale(NOW - timedelta(hours=73), NOW) is True
    assert policy.draft_is_stale(NOW - timedelta(hours=71), NOW) is False
    assert policy.draft_is_stale(NOW, NOW) is False


# --- Appendix J and the income bound ---


def test_the_national_dv_hotlines_are_appendix_js():
    assert policy.NATIONAL_DV_HOTLINE == "1-800-799-7233"
    assert policy.NATIONAL_DV_HOTLINE_TTY == "1-800-787-3224"


def test_income_is_below_ten_million():
    assert policy.MAX_INCOME == Decimal("9999999.99")
