"""Plausible synthetic callers, for the demo and the benchmarks. Deterministic per index."""

import random
from datetime import date, timedelta

FIRST = ["Ana", "Robert", "Maria", "James", "Linda", "Jose", "Patricia", "Michael", "Jennifer", "David", "Elizabeth",
         "William", "Susan", "Carlos", "Jessica", "Daniel", "Sarah", "Luis", "Karen", "Thomas", "Nancy", "Miguel",
         "Lisa", "Joseph", "Betty", "Juan", "Sandra", "Charles", "Ashley", "Kevin", "Rosa", "Brian", "Emily", "Jorge"]
LAST = ["Smith", "Johnson", "Garcia", "Williams", "Brown", "Martinez", "Jones", "Lopez", "Miller", "Hernandez", "Davis",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Ramirez", "Lee", "Perez", "White",
        "Harris", "Sanchez", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "Torres", "Nguyen", "Hill", "Flores"]
SLEEP = ["place_not_meant"] * 5 + ["emergency_shelter"] * 3 + ["family_or_friends"] * 2 + ["hotel_self_paid", "jail", "hospital", "refused"]
UNSTABLE = ["under_1_year", "1_to_3_years", "1_to_3_years", "3_to_5_years", "over_5_years", "doesnt_know"]
YN_WEIGHTS = (["no"] * 6) + (["yes"] * 3) + ["refused"]


def synthetic_ssn(rng: random.Random) -> str:
    return f"{rng.randint(1, 665):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def synthetic_answers(index: int, *, today: date | None = None) -> dict:
    rng = random.Random(index)
    today = today or date.today()
    size = rng.choice([1, 1, 1, 1, 2, 3, 4, 5])
    children = 0 if size == 1 else rng.randint(0, size - 1)
    dob = today - timedelta(days=rng.randint(18 * 365, 75 * 365))
    county = rng.choice(["nevada", "placer"])
    yn = lambda: rng.choice(YN_WEIGHTS)  # noqa: E731
    answers = {
        "collected_at": f"{today - timedelta(days=rng.randint(0, 400))}T{rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}",
        "collection_method": rng.choice(["phone", "phone", "phone", "in_person", "paper"]),
        "county": county,
        "safety_minor_without_adult": "no",
        "safety_safe_place_tonight": rng.choice(["no", "no", "yes"]),
        "safety_safe_talking": "yes",
        "safety_afraid_of_partner": "no",
        "first_name": rng.choice(FIRST),
        "last_name": rng.choice(LAST),
        "name_data_quality": "full",
        "dob": dob.isoformat(),
        "dob_data_quality": rng.choice(["full", "full", "full", "partial"]),
        "phone_primary": f"530-555-{rng.randint(100, 9999):04d}",
        "ssn_data_quality": rng.choice(["full", "full", "refused", "doesnt_know"]),
        "preferred_language": rng.choice(["en", "en", "en", "es"]),
        "voicemail_consent": rng.choice(["yes", "no"]),
        "text_consent": rng.choice(["yes", "no"]),
        "wants_shelter_tonight": "no",
        "hmis_consent": rng.choice(["yes", "yes", "yes", "yes", "no"]),
        "continue_to_vi": "yes",
        "vi_consent": "yes",
        "vi_unaccompanied_youth": "no",
        "household_size": size,
        "household_children": children,
        "gender": rng.choice(["female", "male", "male", "non_binary", "refused"]),
        "household_transgender": "no",
        "household_pregnant": rng.choice(["no"] * 9 + ["yes"]),
        "veteran": rng.choice(["no"] * 8 + ["yes"]),
        "sleep_location_30d": rng.choice(SLEEP),
        "unstable_housing_length": rng.choice(UNSTABLE),
        "er_visits_3plus_6m": yn(),
        "police_6plus_6m": yn(),
        "health_mental": yn(),
        "health_physical_sensory": yn(),
        "health_developmental": rng.choice(["no"] * 8 + ["yes"]),
        "health_substance": yn(),
        "health_alcohol": yn(),
        "health_hiv_aids": rng.choice(["no"] * 15 + ["yes"]),
        "health_chronic": yn(),
        "household_member_health": yn(),
        "attacked_since_homeless": yn(),
        "self_harm": rng.choice(["no"] * 6 + ["yes"]),
        "dv_experienced": yn(),
        "dv_fleeing": rng.choice(["no"] * 8 + ["yes"]),
        "registered_sex_offender": "no",
        "has_income": rng.choice(["no", "no", "yes"]),
    }
    if answers["ssn_data_quality"] == "full":
        answers["ssn"] = synthetic_ssn(rng)
    if answers["veteran"] == "yes":
        answers["veteran_who"] = "self"
    if answers["has_income"] == "yes":
        answers["household_income"] = str(rng.randint(200, 2500))
        answers["income_period"] = "monthly"
    if rng.random() < 0.4:
        answers["homeless_start_date"] = (today - timedelta(days=rng.randint(10, 2000))).isoformat()
    return answers
