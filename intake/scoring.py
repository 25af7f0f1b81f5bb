"""The Nevada-Placer Vulnerability Assessment Tool (Appendix B), as pure functions.

Everything here takes the cleaned answers (codes of intake-and-vat.md mapped
to typed values) and returns numbers; nothing reads the database. The poverty
table is data: callers load it (intake.selectors.poverty_table_in_force) and
pass it in.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from intake import policy

Answers = Mapping[str, object]


@dataclass(frozen=True)
class PovertyTable:
    """One year's guidelines: size → (monthly, annual), plus the per-person step."""

    year: int
    rows: Mapping[int, tuple[int, int]]
    additional_person_annual: int

    def annual(self, household_size: int) -> Decimal:
        largest = max(self.rows)
        if household_size <= largest:
            return Decimal(self.rows[household_size][1])
        return Decimal(self.rows[largest][1] + (household_size - largest) * self.additional_person_annual)

    def monthly(self, household_size: int) -> Decimal:
        largest = max(self.rows)
        if household_size <= largest:
            return Decimal(self.rows[household_size][0])
        # "monthly = annual ÷ 12 rounded to the nearest dollar"
        return (self.annual(household_size) / 12).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


POVERTY_2017 = PovertyTable(
    year=policy.POVERTY_POLICY_YEAR,
    rows=policy.POVERTY_2017,
    additional_person_annual=policy.POVERTY_2017_ADDITIONAL_PERSON_ANNUAL,
)


@dataclass(frozen=True)
class VatScore:
    indicators: dict[str, int]
    case_management: int = 0
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def subtotal(self) -> int:
        return sum(self.indicators.values())

    @property
    def total(self) -> int:
        return self.subtotal + self.case_management


def age_on(dob: date, on: date) -> int:
    """Whole years on `on` (a birthday counts on the day itself)."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _on_date(collected_at: datetime | date) -> date:
    return collected_at.date() if isinstance(collected_at, datetime) else collected_at


def _yes(answers: Answers, code: str) -> bool:
    return answers.get(code) == "yes"


def age_points(answers: Answers, collected_at: date) -> int:
    dob = answers.get("dob")
    if not isinstance(dob, date) or answers.get("dob_data_quality") not in ("full", "partial"):
        return 0
    age = age_on(dob, collected_at)
    return policy.INDICATOR_POINTS["age"] if age < policy.YOUNG_BELOW_AGE or age >= policy.OLD_FROM_AGE else 0


def income_points(answers: Answers, poverty: PovertyTable) -> int:
    """Indicator 22: household income at or below the guideline for the household size."""
    size = answers.get("household_size")
    if not isinstance(size, int) or size < 1:
        return 0
    if answers.get("has_income") == "no":
        return policy.INDICATOR_POINTS["income"]  # no income: 0 is below any line
    income, period = answers.get("household_income"), answers.get("income_period")
    if answers.get("has_income") != "yes" or income is None or period not in ("monthly", "annual"):
        return 0
    line = poverty.monthly(size) if period == "monthly" else poverty.annual(size)
    return policy.INDICATOR_POINTS["income"] if Decimal(income) <= line else 0


def vat_score(
    answers: Answers, *, collected_at: datetime | date, poverty: PovertyTable, case_management: int = 0
) -> VatScore:
    """Score the VI section. Declined answers (doesn't know, refused, not collected) score 0."""
    on = _on_date(collected_at)
    p = policy.INDICATOR_POINTS
    health = {
        "health_mental": p["health_mental"] if _yes(answers, "health_mental") else 0,
        "health_substance_alcohol": p["health_substance_alcohol"]
        if _yes(answers, "health_substance") or _yes(answers, "health_alcohol")
        else 0,
        "health_physical_sensory": p["health_physical_sensory"] if _yes(answers, "health_physical_sensory") else 0,
        "health_developmental": p["health_developmental"] if _yes(answers, "health_developmental") else 0,
        "health_hiv_aids": p["health_hiv_aids"] if _yes(answers, "health_hiv_aids") else 0,
        "health_chronic": p["health_chronic"] if _yes(answers, "health_chronic") else 0,
    }
    health_yes = sum(1 for points in health.values() if points)
    children = answers.get("household_children")
    indicators = {
        "age": age_points(answers, on),
        "unaccompanied_youth": p["unaccompanied_youth"] if _yes(answers, "vi_unaccompanied_youth") else 0,
        "gender": p["gender"]
        if answers.get("gender") in ("female", "transgender", "non_binary") or _yes(answers, "household_transgender")
        else 0,
        "pregnant": p["pregnant"] if _yes(answers, "household_pregnant") else 0,
        "children": p["children"] if isinstance(children, int) and children >= 1 else 0,
        "sleep_location": p["sleep_location"]
        if answers.get("sleep_location_30d") in policy.LITERALLY_HOMELESS_OR_INSTITUTIONAL
        else 0,
        "unstable_housing": policy.UNSTABLE_HOUSING_POINTS.get(answers.get("unstable_housing_length"), 0),
        "er_visits": p["er_visits"] if _yes(answers, "er_visits_3plus_6m") else 0,
        "police": p["police"] if _yes(answers, "police_6plus_6m") else 0,
        **health,
        "health_three_or_more": p["health_three_or_more"] if health_yes >= policy.HEALTH_BONUS_THRESHOLD else 0,
        "household_member_health": p["household_member_health"] if _yes(answers, "household_member_health") else 0,
        "attacked": p["attacked"] if _yes(answers, "attacked_since_homeless") else 0,
        "self_harm": p["self_harm"] if _yes(answers, "self_harm") else 0,
        "dv_experienced": p["dv_experienced"] if _yes(answers, "dv_experienced") else 0,
        "dv_fleeing": p["dv_fleeing"] if _yes(answers, "dv_fleeing") else 0,
        "income": income_points(answers, poverty),
    }
    return VatScore(indicators=indicators, case_management=case_management)


def chronically_homeless(answers: Answers, *, collected_at: datetime | date) -> bool:
    """24 CFR 578.3 at assessment: disabling condition, homeless location, and duration."""
    on = _on_date(collected_at)
    disabled = any(_yes(answers, code) for code in policy.DISABLING_CONDITIONS)
    # "or an institution after one of those": the intake does not ask where the
    # person stayed before an institution, so an institutional stay alone does
    # not make the flag; a program case manager corrects it with documentation.
    where = answers.get("sleep_location_30d") in policy.CHRONIC_LOCATIONS
    start = answers.get("homeless_start_date")
    long_enough = isinstance(start, date) and (on - start).days >= policy.CHRONIC_MIN_DAYS
    occasions = (
        answers.get("times_homeless_3y") == policy.CHRONIC_MIN_OCCASIONS
        and str(answers.get("months_homeless_3y")) in policy.CHRONIC_MIN_MONTHS
    )
    return disabled and where and (long_enough or occasions)


def length_of_time_homeless_days(answers: Answers, *, collected_at: datetime | date) -> int:
    """Days since homeless_start_date; else the lower bound of unstable_housing_length."""
    on = _on_date(collected_at)
    start = answers.get("homeless_start_date")
    if isinstance(start, date) and start <= on:
        return (on - start).days
    return policy.UNSTABLE_HOUSING_LOWER_BOUND_DAYS.get(answers.get("unstable_housing_length"), 0)


def eligibility_flags(answers: Answers, *, collected_at: datetime | date) -> dict[str, bool]:
    """Veteran, youth (18–24), family (children ≥ 1), DV (fleeing) and disability flags."""
    on = _on_date(collected_at)
    dob = answers.get("dob")
    age = age_on(dob, on) if isinstance(dob, date) else None
    low, high = policy.YOUTH_FLAG_AGES
    children = answers.get("household_children")
    return {
        "veteran": _yes(answers, "veteran"),
        "youth": age is not None and low <= age <= high,
        "family": isinstance(children, int) and children >= 1,
        "dv": _yes(answers, "dv_fleeing"),
        "disability": any(_yes(answers, code) for code in policy.DISABLING_CONDITIONS),
    }
