"""The VAT (Appendix B) indicator by indicator, with the spec's worked examples."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake import policy
from intake.questions import BY_CODE, SLEEP_LOCATIONS, YN_CHOICES
from intake.scoring import (
    POVERTY_2017,
    age_on,
    chronically_homeless,
    eligibility_flags,
    length_of_time_homeless_days,
    vat_score,
)

ON = date(2026, 11, 20)
INDICATOR_KEYS = {
    "age", "unaccompanied_youth", "gender", "pregnant", "children", "sleep_location", "unstable_housing",
    "er_visits", "police", "health_mental", "health_substance_alcohol", "health_physical_sensory",
    "health_developmental", "health_hiv_aids", "health_chronic", "health_three_or_more",
    "household_member_health", "attacked", "self_harm", "dv_experienced", "dv_fleeing", "income",
}


def score(**answers):
    return vat_score(answers, collected_at=ON, poverty=POVERTY_2017)


def points(indicator, **answers):
    return score(**answers).indicators[indicator]


def test_breakdown_has_exactly_the_api_indicator_keys():
    assert set(score().indicators) == INDICATOR_KEYS
    assert set(policy.INDICATOR_POINTS) == INDICATOR_KEYS


def test_worked_example_1_single_woman_30_in_her_car_scores_6():
    result = score(
        dob=date(1996, 3, 4), dob_data_quality="full", gender="female", household_size=1, household_children=0,
        sleep_location_30d="place_not_meant", unstable_housing_length="1_to_3_years",
        health_mental="yes", health_alcohol="yes", has_income="no",
    )
    assert result.total == result.subtotal == 6
    assert {k: v for k, v in result.indicators.items() if v} == {
        "gender": 1, "sleep_location": 1, "unstable_housing": 1, "health_mental": 1,
        "health_substance_alcohol": 1, "income": 1,
    }


WORKED_2 = dict(
    dob=date(1964, 5, 1), dob_data_quality="full", gender="male", household_size=3, household_children=2,
    sleep_location_30d="emergency_shelter", unstable_housing_length="over_5_years", er_visits_3plus_6m="yes",
    health_physical_sensory="yes", health_chronic="yes", health_developmental="yes",
    has_income="yes", household_income=Decimal("21000"), income_period="annual",
)


def test_worked_example_2_man_62_with_two_children_scores_13():
    result = score(**WORKED_2)
    assert result.total == 13
    assert {k: v for k, v in result.indicators.items() if v} == {
        "age": 1, "children": 2, "sleep_location": 1, "unstable_housing": 3, "er_visits": 2,
        "health_physical_sensory": 1, "health_chronic": 1, "health_developmental": 1, "health_three_or_more": 1,
    }


def test_worked_example_2_with_income_exactly_at_the_line_scores_14():
    assert score(**{**WORKED_2, "household_income": Decimal("20420")}).total == 14


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        (date(2001, 11, 21), 1),  # 24 (turns 25 tomorrow)
        (date(2001, 11, 20), 0),  # 25 exactly on the birthday
        (date(1966, 11, 21), 0),  # 59
        (date(1966, 11, 20), 1),  # 60 exactly on the birthday
        (date(1990, 1, 1), 0),
    ],
)
def test_age_boundaries(dob, expected):
    assert points("age", dob=dob, dob_data_quality="full") == expected


def test_age_needs_a_full_or_partial_dob():
    assert points("age", dob=date(2005, 1, 1), dob_data_quality="partial") == 1
    assert points("age", dob=date(2005, 1, 1), dob_data_quality="refused") == 0
    assert points("age") == 0


def test_age_on_counts_whole_years_and_leap_days():
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26


@pytest.mark.parametrize(
    ("indicator", "answers", "expected"),
    [
        ("unaccompanied_youth", {"vi_unaccompanied_youth": "yes"}, 2),
        ("gender", {"gender": "transgender"}, 1),
        ("gender", {"gender": "non_binary"}, 1),
        ("gender", {"gender": "male", "household_transgender": "yes"}, 1),
        ("gender", {"gender": "questioning"}, 0),
        ("pregnant", {"household_pregnant": "yes"}, 1),
        ("children", {"household_children": 1}, 2),
        ("children", {"household_children": 0}, 0),
        ("sleep_location", {"sleep_location_30d": "jail"}, 1),
        ("sleep_location", {"sleep_location_30d": "family_or_friends"}, 0),
        ("unstable_housing", {"unstable_housing_length": "under_1_year"}, 0),
        ("unstable_housing", {"unstable_housing_length": "1_to_3_years"}, 1),
        ("unstable_housing", {"unstable_housing_length": "3_to_5_years"}, 2),
        ("unstable_housing", {"unstable_housing_length": "over_5_years"}, 3),
        ("er_visits", {"er_visits_3plus_6m": "yes"}, 2),
        ("police", {"police_6plus_6m": "yes"}, 1),
        ("health_mental", {"health_mental": "yes"}, 1),
        ("health_substance_alcohol", {"health_substance": "yes"}, 1),
        ("health_substance_alcohol", {"health_alcohol": "yes"}, 1),
        ("health_substance_alcohol", {"health_substance": "yes", "health_alcohol": "yes"}, 1),
        ("health_physical_sensory", {"health_physical_sensory": "yes"}, 1),
        ("health_developmental", {"health_developmental": "yes"}, 1),
        ("health_hiv_aids", {"health_hiv_aids": "yes"}, 1),
        ("health_chronic", {"health_chronic": "yes"}, 1),
        ("household_member_health", {"household_member_health": "yes"}, 1),
        ("attacked", {"attacked_since_homeless": "yes"}, 1),
        ("self_harm", {"self_harm": "yes"}, 1),
        ("dv_experienced", {"dv_experienced": "yes"}, 1),
        ("dv_fleeing", {"dv_fleeing": "yes"}, 1),
    ],
)
def test_each_indicator_on_its_own(indicator, answers, expected):
    result = score(**answers)
    assert result.indicators[indicator] == expected
    assert result.subtotal == expected


def test_substance_and_alcohol_together_give_one_point_and_count_once_for_the_bonus():
    result = score(health_substance="yes", health_alcohol="yes", health_mental="yes")
    assert result.indicators["health_substance_alcohol"] == 1
    assert result.indicators["health_three_or_more"] == 0
    assert result.subtotal == 2


def test_three_or_more_health_categories_add_a_point():
    assert points("health_three_or_more", health_mental="yes", health_hiv_aids="yes") == 0
    assert points("health_three_or_more", health_mental="yes", health_hiv_aids="yes", health_alcohol="yes") == 1
    six = {code: "yes" for code in ("health_mental", "health_substance", "health_physical_sensory",
                                    "health_developmental", "health_hiv_aids", "health_chronic")}
    assert score(**six).subtotal == 7


@pytest.mark.parametrize("declined", ["doesnt_know", "refused", "not_collected"])
def test_declined_answers_score_zero(declined):
    yn_codes = [q.code for q in BY_CODE.values() if q.section == "vi" and q.type == "yn"]
    result = score(**{code: declined for code in yn_codes}, gender=declined if declined != "not_collected" else "refused",
                   sleep_location_30d="refused", unstable_housing_length="doesnt_know")
    assert result.subtotal == 0


@pytest.mark.parametrize(
    ("size", "income", "period", "expected"),
    [
        (1, "1005", "monthly", 1),  # exactly at the line
        (1, "1006", "monthly", 0),  # one dollar above
        (1, "12060", "annual", 1),
        (1, "12061", "annual", 0),
        (4, "24600", "annual", 1),
        (8, "3443", "monthly", 1),
        (9, "45500", "annual", 1),  # 41,320 + 4,180
        (9, "45501", "annual", 0),
        (9, "3792", "monthly", 1),  # 45,500 / 12 = 3,791.67 → 3,792
        (9, "3793", "monthly", 0),
        (12, "58040", "annual", 1),  # 41,320 + 4 × 4,180
        (12, "58041", "annual", 0),
        (12, "4837", "monthly", 1),  # 58,040 / 12 = 4,836.67 → 4,837
        (3, "1702", "monthly", 1),
        (3, "1702", "annual", 1),  # an annual figure compares with the annual column
        (3, "20420", "monthly", 0),
    ],
)
def test_income_against_the_2017_guidelines(size, income, period, expected):
    assert points("income", household_size=size, has_income="yes", household_income=Decimal(income),
                  income_period=period) == expected


def test_income_edge_cases():
    assert points("income", household_size=2, has_income="no") == 1
    assert points("income", has_income="no") == 0  # household size unknown
    assert points("income", household_size=2, has_income="yes") == 0  # amount unknown
    assert points("income", household_size=2, has_income="refused", household_income=Decimal(0), income_period="annual") == 0
    assert points("income", household_size=2, has_income="yes", household_income=Decimal(0), income_period="annual") == 1


def test_poverty_table_monthly_rounding_for_large_households():
    assert POVERTY_2017.annual(9) == 45500 and POVERTY_2017.monthly(9) == 3792
    assert POVERTY_2017.annual(12) == 58040 and POVERTY_2017.monthly(12) == 4837


def test_chronically_homeless_needs_disability_location_and_duration():
    base = {"health_mental": "yes", "sleep_location_30d": "place_not_meant"}
    assert chronically_homeless({**base, "homeless_start_date": date(2025, 11, 20)}, collected_at=ON)
    assert not chronically_homeless({**base, "homeless_start_date": date(2025, 11, 21)}, collected_at=ON)
    assert chronically_homeless({**base, "times_homeless_3y": "four_or_more", "months_homeless_3y": "12"}, collected_at=ON)
    assert chronically_homeless({**base, "times_homeless_3y": "four_or_more", "months_homeless_3y": "more_than_12"}, collected_at=ON)
    assert not chronically_homeless({**base, "times_homeless_3y": "four_or_more", "months_homeless_3y": "11"}, collected_at=ON)
    assert not chronically_homeless({**base, "times_homeless_3y": "three", "months_homeless_3y": "12"}, collected_at=ON)
    long = {"homeless_start_date": date(2020, 1, 1)}
    assert not chronically_homeless({"sleep_location_30d": "place_not_meant", **long}, collected_at=ON)
    assert not chronically_homeless({"health_alcohol": "yes", "sleep_location_30d": "family_or_friends", **long}, collected_at=ON)
    assert chronically_homeless({"health_alcohol": "yes", "sleep_location_30d": "safe_haven", **long}, collected_at=ON)


def test_length_of_time_homeless():
    assert length_of_time_homeless_days({"homeless_start_date": date(2026, 11, 1)}, collected_at=ON) == 19
    assert length_of_time_homeless_days({"unstable_housing_length": "3_to_5_years"}, collected_at=ON) == 1095
    assert length_of_time_homeless_days({"unstable_housing_length": "refused"}, collected_at=ON) == 0


def test_flags():
    flags = eligibility_flags(
        {"dob": date(2004, 1, 1), "veteran": "yes", "household_children": 1, "dv_fleeing": "yes"}, collected_at=ON
    )
    assert flags == {"veteran": True, "youth": True, "family": True, "dv": True, "disability": False}
    assert not eligibility_flags({"dob": date(2001, 11, 20)}, collected_at=ON)["youth"]  # 25 today


YN = [code for code, _en, _es in YN_CHOICES]
VI_YN_CODES = [q.code for q in BY_CODE.values() if q.section == "vi" and q.type == "yn"]


@st.composite
def vi_answers(draw):
    size = draw(st.integers(1, 30))
    answers = {code: draw(st.sampled_from(YN)) for code in VI_YN_CODES}
    answers.update(
        dob=draw(st.one_of(st.none(), st.dates(date(1900, 1, 1), ON))),
        dob_data_quality=draw(st.sampled_from(["full", "partial", "doesnt_know", "refused", "not_collected"])),
        household_size=size,
        household_children=draw(st.integers(0, size)),
        gender=draw(st.sampled_from([c for c, _e, _s in BY_CODE["gender"].choices])),
        sleep_location_30d=draw(st.sampled_from([c for c, _e, _s in SLEEP_LOCATIONS])),
        unstable_housing_length=draw(st.sampled_from([c for c, _e, _s in BY_CODE["unstable_housing_length"].choices])),
        household_income=draw(st.one_of(st.none(), st.decimals(0, 9_999_999, places=2))),
        income_period=draw(st.sampled_from(["monthly", "annual", None])),
    )
    return answers


@settings(max_examples=300, deadline=None)
@given(vi_answers())
def test_property_total_is_between_0_and_27_and_the_sum_of_the_indicators(answers):
    result = vat_score(answers, collected_at=datetime(2026, 11, 20, 10, 0), poverty=POVERTY_2017)
    assert 0 <= result.subtotal <= policy.SUBTOTAL_MAX
    assert result.subtotal == sum(result.indicators.values()) == result.total
    for code, value in result.indicators.items():
        assert 0 <= value <= policy.INDICATOR_POINTS[code]
