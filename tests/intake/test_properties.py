"""Property-based: whatever a caller, a browser or an integration sends as answers, the intake's
parsing never raises, keeps only storable, plausible values, and a refused intake saves nothing."""

import json
from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from ces.models import Client
from intake.inputs import stop_box_query
from intake.models import Intake
from intake.questions import BY_CODE
from intake.validation import clean_answers, draft_values, normalized
from tests.factories import call_agent, worked_example_2_answers

NASTY_TEXT = st.sampled_from([
    "0001-01-01", "0001-03-22", "0019-03-22", "9999-12-31", "1975-02-30", "19750322", "0001-01-01T00:00:00+05:00",
    "2026-11-20T10:15:00+25:00", "9999-12-31T23:59:59-14:00", "1e999999", "-1e999999", "NaN", "Infinity", "²", "٣",
    "３", "9" * 5000, "-0", "0x10", " 12 ", "a\x00b", "\ud800", "€", "true", "on", "", " ", "287-65-4321", "٢٨٧٦٥٤٣٢١",
    "$1,200.50", "1200.505", ".5", "5.", ".", "-", "+15305550142", "x" * 3000,
])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30) | NASTY_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=5,
)
CODES = st.sampled_from(sorted(BY_CODE) + ["_client_id", "favourite_colour"])
ANSWERS = st.dictionaries(CODES, VALUES, max_size=12)
PATH = {"county": "nevada", "safety_safe_talking": "yes", "continue_to_vi": "yes", "vi_consent": "yes",
        "wants_shelter_tonight": "yes"}


@settings(max_examples=400, deadline=None)
@given(answers=ANSWERS, open_every_section=st.booleans())
def test_parsing_answers_never_raises_and_keeps_only_plausible_values(answers, open_every_section):
    if open_every_section:
        answers = {**PATH, **answers}
    raw = {code: value for code, value in answers.items() if not code.startswith("_")}
    for complete in (False, True):
        cleaned, errors = clean_answers(raw, complete=complete)
        assert all(isinstance(messages, list) and messages for messages in errors.values())
        for code, value in cleaned.items():
            if isinstance(value, datetime):
                assert 1900 <= value.astimezone(timezone.utc).year <= 2101, code
            elif isinstance(value, date):
                assert date(1900, 1, 1) <= value <= date(2100, 12, 31), code
            elif isinstance(value, str):
                assert "\x00" not in value and len(value) <= 1000, code
                value.encode("utf-8")
    normalized(answers)
    kept, _problems = draft_values(answers)
    assert set(kept) <= set(answers)
    stop_box_query(answers)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(overrides=st.dictionaries(CODES, VALUES, max_size=4), client_id=VALUES)
def test_the_intake_api_never_answers_5xx_and_a_refusal_saves_nothing(overrides, client_id):
    api = APIClient()
    api.force_authenticate(call_agent())
    before = (Intake.objects.count(), Client.objects.count())
    body = {"client_id": client_id, "answers": {**worked_example_2_answers(), **overrides}}
    # Encoded here (not by the test client) so lone surrogates travel as "\ud800", as any JSON client may send them.
    response = api.post("/api/v1/intakes/", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (201, 400), response.content[:500]
    if response.status_code == 400:
        assert (Intake.objects.count(), Client.objects.count()) == before
        assert response.json()["errors"]
