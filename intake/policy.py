"""The numbers and rules of the intake and the VAT (Appendix A and B), each once."""

from datetime import datetime, timedelta
from decimal import Decimal

# "Data collected on paper should be entered into HMIS within 72 hours of collection."
LATE_ENTRY_HOURS = 72
# Appendix J, "National Resources for Victim Services": given with the local VSP hotlines.
NATIONAL_DV_HOTLINE = "1-800-799-7233"
NATIONAL_DV_HOTLINE_TTY = "1-800-787-3224"
# A draft untouched this long is flagged on the agent's dashboard.
STALE_DRAFT_HOURS = 72

# Appendix B, indicator by indicator: code → points available.
INDICATOR_POINTS = {
    "age": 1,  # "less than 25 years of age - OR - over 59 years of age"
    "unaccompanied_youth": 2,  # "unaccompanied youth under 18 years of age"
    "gender": 1,  # "Self is Female - or - Self or HH Member is Transgender or Gender Non-Conforming"
    "pregnant": 1,  # "Self or HH Member is Pregnant"
    "children": 2,  # "Household has children under 18"
    "sleep_location": 1,  # "literally homeless - OR - institutional setting"
    "unstable_housing": 3,  # "1 - 3 years = 1 point, 3 - 5 years = 2 points, 5 + years = 3 points"
    "er_visits": 2,  # "hospitalized or visited an emergency room 3 or more times in last 6 months"
    "police": 1,  # "interaction with police 6 or more times in last 6 months"
    "health_mental": 1,
    "health_substance_alcohol": 1,  # "Substance and/or Alcohol Abuse": one point, not two
    "health_physical_sensory": 1,
    "health_developmental": 1,
    "health_hiv_aids": 1,
    "health_chronic": 1,
    "health_three_or_more": 1,  # "If yes to 3 or more of above categories, add 1 point"
    "household_member_health": 1,
    "attacked": 1,
    "self_harm": 1,
    "dv_experienced": 1,
    "dv_fleeing": 1,
    "income": 1,  # "at - OR - below federal guidelines for household size (2017)"
}
SUBTOTAL_MAX = 27
CASE_MANAGEMENT_ITEMS = 3  # "Case Management Entry" ×3, 1 point each
SCORE_MAX = SUBTOTAL_MAX + CASE_MANAGEMENT_ITEMS

HEALTH_INDICATORS = (
    "health_mental",
    "health_substance_alcohol",
    "health_physical_sensory",
    "health_developmental",
    "health_hiv_aids",
    "health_chronic",
)
HEALTH_BONUS_THRESHOLD = 3

YOUNG_BELOW_AGE = 25
OLD_FROM_AGE = 60

UNSTABLE_HOUSING_POINTS = {"1_to_3_years": 1, "3_to_5_years": 2, "over_5_years": 3}

# Where slept most in 30 days counts as "literally homeless OR institutional setting".
LITERALLY_HOMELESS_OR_INSTITUTIONAL = frozenset(
    {
        "place_not_meant",
        "emergency_shelter",
        "transitional_housing",
        "safe_haven",
        "foster_care",
        "hospital",
        "jail",
        "long_term_care",
        "substance_treatment",
    }
)

# Chronic homelessness (24 CFR 578.3) as HUD reports compute it at assessment.
DISABLING_CONDITIONS = (
    "health_mental",
    "health_physical_sensory",
    "health_developmental",
    "health_substance",
    "health_alcohol",
    "health_hiv_aids",
    "health_chronic",
)
CHRONIC_LOCATIONS = frozenset({"place_not_meant", "emergency_shelter", "safe_haven"})
CHRONIC_MIN_DAYS = 365
CHRONIC_MIN_OCCASIONS = "four_or_more"
CHRONIC_MIN_MONTHS = frozenset({"12", "more_than_12"})

# Length of time homeless for BNL ordering when no start date is given:
# the lower bound of the unstable-housing answer, in days.
UNSTABLE_HOUSING_LOWER_BOUND_DAYS = {"under_1_year": 0, "1_to_3_years": 365, "3_to_5_years": 1095, "over_5_years": 1825}

YOUTH_FLAG_AGES = (18, 24)  # "youth (18–24 at assessment)"

# The poverty guidelines in force for indicator 22: "2017 Federal Poverty Guidelines".
POVERTY_POLICY_YEAR = 2017
POVERTY_2017 = {  # household size: (monthly, annual), HHS 48 contiguous states
    1: (1005, 12060),
    2: (1353, 16240),
    3: (1702, 20420),
    4: (2050, 24600),
    5: (2398, 28780),
    6: (2747, 32960),
    7: (3095, 37140),
    8: (3443, 41320),
}
POVERTY_2017_ADDITIONAL_PERSON_ANNUAL = 4180  # "each additional person + 4,180 annual"

MAX_INCOME = Decimal("9999999.99")


def entered_late(collected_at: datetime, entered_at: datetime) -> bool:
    """Entered into HMIS more than LATE_ENTRY_HOURS after collection (exactly 72 hours is on time)."""
    return entered_at - collected_at > timedelta(hours=LATE_ENTRY_HOURS)


def draft_is_stale(touched_at: datetime, now: datetime) -> bool:
    """A draft last touched more than STALE_DRAFT_HOURS before `now`."""
    return touched_at < now - timedelta(hours=STALE_DRAFT_HOURS)
