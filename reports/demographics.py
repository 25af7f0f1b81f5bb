"""HUD demographics as the equity view and the export read them.

intake-and-vat.md (amended 2026-11-23) asks `race_ethnicity` (several of seven
codes, or one standard response), `race_additional` and `sex`, optional. They
are read defensively from the client record: until the intake stores them,
every person reads as "not collected", and nothing breaks. `gender` (VI item 3)
and the age at assessment come from the assessment.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from ces.models import Client
from reports import policy

RACE_CODES = (
    "am_ind_ak_native",
    "asian",
    "black_af_american",
    "hispanic_latinaeo",
    "mid_east_n_african",
    "native_hi_pacific",
    "white",
)
# The six race codes (HUD 3.04 lists Hispanic/Latina/e/o among them; the equity view
# shows it as the ethnicity dimension, and race as the other six).
RACE_ONLY_CODES = tuple(code for code in RACE_CODES if code != "hispanic_latinaeo")
HISPANIC = "hispanic_latinaeo"
UNKNOWN = "unknown"

RACE_LABELS = {
    "am_ind_ak_native": _("American Indian, Alaska Native or Indigenous"),
    "asian": _("Asian or Asian American"),
    "black_af_american": _("Black, African American or African"),
    "mid_east_n_african": _("Middle Eastern or North African"),
    "native_hi_pacific": _("Native Hawaiian or Pacific Islander"),
    "white": _("White"),
    "multiple": _("More than one race"),
    "hispanic_only": _("Hispanic/Latina/e/o, no race given"),
    UNKNOWN: _("Unknown, refused or not collected"),
}
ETHNICITY_LABELS = {
    HISPANIC: _("Hispanic/Latina/e/o"),
    "not_hispanic_latinaeo": _("Not Hispanic/Latina/e/o"),
    UNKNOWN: _("Unknown, refused or not collected"),
}
SEX_LABELS = {"female": _("Female"), "male": _("Male"), UNKNOWN: _("Unknown, refused or not collected")}
GENDER_CODES = ("female", "male", "transgender", "non_binary", "questioning", "different_identity")
GENDER_LABELS = {
    "female": _("Female"),
    "male": _("Male"),
    "transgender": _("Transgender"),
    "non_binary": _("Non-binary / gender non-conforming"),
    "questioning": _("Questioning"),
    "different_identity": _("A different identity"),
    UNKNOWN: _("Unknown, refused or not collected"),
}
AGE_LABELS = {
    "under_18": _("Under 18"),
    "18_24": _("18–24"),
    "25_34": _("25–34"),
    "35_44": _("35–44"),
    "45_54": _("45–54"),
    "55_64": _("55–64"),
    "65_plus": _("65 and over"),
    UNKNOWN: _("Unknown"),
}

DIMENSIONS = (
    ("race", _("Race"), RACE_LABELS),
    ("ethnicity", _("Ethnicity"), ETHNICITY_LABELS),
    ("gender", _("Gender (VI item 3)"), GENDER_LABELS),
    ("sex", _("Sex"), SEX_LABELS),
    ("age_group", _("Age group at assessment"), AGE_LABELS),
)


def _client_field(name: str):
    try:
        return Client._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def has_race() -> bool:
    return _client_field("race_ethnicity") is not None


def has_sex() -> bool:
    return _client_field("sex") is not None


def race_array_sql(alias: str) -> str:
    """SQL text[] of the person's race_ethnicity answers (NULL when not stored)."""
    field = _client_field("race_ethnicity")
    if field is None:
        return "NULL::text[]"
    column = f"{alias}.{field.column}"
    if field.get_internal_type() == "ArrayField":
        return f"{column}::text[]"
    if field.get_internal_type() == "JSONField":
        return f"ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof({column}) = 'array' THEN {column} ELSE '[]'::jsonb END))"
    return f"string_to_array(NULLIF({column}::text, ''), ',')"


def _codes_sql(codes) -> str:
    return "ARRAY[" + ", ".join(f"'{code}'" for code in codes) + "]::text[]"


def race_group_sql(alias: str) -> str:
    races = f"ARRAY(SELECT unnest(COALESCE({race_array_sql(alias)}, '{{}}'::text[])) INTERSECT SELECT unnest({_codes_sql(RACE_ONLY_CODES)}))"
    array = f"COALESCE({race_array_sql(alias)}, '{{}}'::text[])"
    return (
        f"CASE WHEN cardinality({races}) = 1 THEN ({races})[1] "
        f"WHEN cardinality({races}) > 1 THEN 'multiple' "
        f"WHEN '{HISPANIC}' = ANY({array}) THEN 'hispanic_only' ELSE '{UNKNOWN}' END"
    )


def ethnicity_sql(alias: str) -> str:
    array = f"COALESCE({race_array_sql(alias)}, '{{}}'::text[])"
    return (
        f"CASE WHEN '{HISPANIC}' = ANY({array}) THEN '{HISPANIC}' "
        f"WHEN {array} && {_codes_sql(RACE_ONLY_CODES)} THEN 'not_hispanic_latinaeo' ELSE '{UNKNOWN}' END"
    )


def sex_sql(alias: str) -> str:
    field = _client_field("sex")
    if field is None:
        return f"'{UNKNOWN}'"
    return f"CASE WHEN {alias}.{field.column} IN ('female', 'male') THEN {alias}.{field.column} ELSE '{UNKNOWN}' END"


def gender_sql(alias: str) -> str:
    return f"CASE WHEN {alias}.gender IN ({', '.join(repr(c) for c in GENDER_CODES)}) THEN {alias}.gender ELSE '{UNKNOWN}' END"


def age_group_sql(alias: str) -> str:
    whens = []
    for code, low, high in policy.AGE_GROUPS:
        condition = f"{alias}.age_at_assessment >= {int(low)}" + (
            f" AND {alias}.age_at_assessment <= {int(high)}" if high is not None else ""
        )
        whens.append(f"WHEN {condition} THEN '{code}'")
    return f"CASE {' '.join(whens)} ELSE '{UNKNOWN}' END"


def dimension_columns(client: str = "c", assessment: str = "a") -> str:
    """SQL select items naming each person's group in every dimension."""
    return (
        f"{race_group_sql(client)} AS race, {ethnicity_sql(client)} AS ethnicity, "
        f"{gender_sql(assessment)} AS gender, {sex_sql(client)} AS sex, {age_group_sql(assessment)} AS age_group"
    )


def race_codes_of(value) -> list[str]:
    """A client's race_ethnicity value (list, JSON list or comma text) as a list of codes."""
    if value is None:
        return []
    if isinstance(value, str):
        return [code.strip() for code in value.split(",") if code.strip()]
    return [str(code) for code in value]
