"""HUD's integer codes for the answers the system stores (hmis-export.md, HMIS CSV FY2026).

Each map turns a stored code into HUD's value; `sql_case` turns a map into SQL, so
the database writes the codes while it streams the rows.
"""

from ces.choices import DATA_QUALITY_HMIS, YES_NO_HMIS

# Standard responses (1.7/1.8): 0 No, 1 Yes, 8 doesn't know, 9 prefers not to answer, 99 not collected.
YES_NO = YES_NO_HMIS
NOT_COLLECTED = 99
DATA_QUALITY = DATA_QUALITY_HMIS

# 3.06 Sex (FY2026): 0 Female, 1 Male.
SEX = {"female": 0, "male": 1, "doesnt_know": 8, "refused": 9, "not_collected": 99}

# 3.04 Race and Ethnicity: one yes/no column each; RaceNone 8/9/99 when no race is given.
RACE_COLUMNS = {
    "am_ind_ak_native": "AmIndAKNative",
    "asian": "Asian",
    "black_af_american": "BlackAfAmerican",
    "hispanic_latinaeo": "HispanicLatinaeo",
    "mid_east_n_african": "MidEastNAfrican",
    "native_hi_pacific": "NativeHIPacific",
    "white": "White",
}
RACE_NONE = {"doesnt_know": 8, "refused": 9, "not_collected": 99}

# 4.19 AssessmentType: 1 phone, 2 virtual, 3 in person (paper counts as in person).
ASSESSMENT_TYPE = {"phone": 1, "virtual": 2, "in_person": 3, "paper": 3}
ASSESSMENT_LEVEL_CRISIS = 1  # intake without the VI
ASSESSMENT_LEVEL_HOUSING = 2  # the VI
PRIORITIZATION_PLACED = 1
PRIORITIZATION_NOT_PLACED = 2

# 2.02.6 ProjectType.
PROJECT_TYPE = {"es": 0, "th": 2, "psh": 3, "services": 6, "prevention": 12, "rrh": 13}
PROJECT_TYPE_CE = 14
# 2.02.7 HousingType (residential projects): 1 site-based single site, 3 tenant-based scattered site.
HOUSING_TYPE = {"es": 1, "th": 1, "psh": 1, "rrh": 3}
RRH_SUBTYPE_HOUSING = 2  # 2.02.A: RRH housing with or without services
TARGET_POPULATION_DV = 1
TARGET_POPULATION_NA = 4
# 2.08 HMISParticipationType: 0 not participating, 1 HMIS participating, 2 comparable database.
HMIS_NOT_PARTICIPATING = 0
HMIS_PARTICIPATING = 1
HMIS_COMPARABLE_DATABASE = 2
# 2.03.4 GeographyType: 2 suburban, 3 rural; HUD geocodes of the CoC's counties.
GEOCODE = {"placer": "069061", "nevada": "069057"}
GEOGRAPHY_TYPE = {"placer": 2, "nevada": 3}

# 3.917 Prior living situation, from `sleep_location_30d`.
LIVING_SITUATION = {
    "place_not_meant": 116,
    "emergency_shelter": 101,
    "safe_haven": 118,
    "foster_care": 215,
    "hospital": 206,
    "jail": 207,
    "long_term_care": 225,
    "substance_treatment": 205,
    "transitional_housing": 302,
    "hotel_self_paid": 314,
    "family_or_friends": 335,
    "rental": 410,
    "owned": 411,
    "other": 17,
    "doesnt_know": 8,
    "refused": 9,
}
# 3.917.4 / 3.917.5 times and months homeless in the past three years.
TIMES_HOMELESS = {"one": 1, "two": 2, "three": 3, "four_or_more": 4, "doesnt_know": 8, "refused": 9}
MONTHS_HOMELESS = {**{str(n): 100 + n for n in range(1, 13)}, "more_than_12": 113, "doesnt_know": 8, "refused": 9}
# 3.07 VeteranStatus from the VI's `veteran` (+ `veteran_who`): only the person's own service counts.

# 3.12 Destination of an Exit (when a BNL entry ends).
DESTINATION_RENTAL_WITH_SUBSIDY = 435
SUBSIDY_BY_PROGRAM_TYPE = {"rrh": 431, "psh": 439}  # 3.12.A RRH or equivalent; Permanent Supportive Housing
DESTINATION_DECEASED = 24
DESTINATION_OTHER = 17
DESTINATION_NO_EXIT_INTERVIEW = 30

# 4.20 ReferralResult: 1 accepted, 2 client rejected, 3 provider rejected.
REFERRAL_RESULTS = (1, 2, 3)


def sql_case(expression: str, mapping: dict, default: int | str | None = NOT_COLLECTED) -> str:
    """SQL CASE turning stored codes into HUD's values (codes are constants, never input)."""
    whens = " ".join(f"WHEN '{code}' THEN {value}" for code, value in mapping.items())
    fallback = "NULL" if default is None else str(default)
    return f"(CASE {expression} {whens} ELSE {fallback} END)"
