"""Thin edges (issue 10): every intake door parses strictly, answers 4xx for bad input, never 500,
and saves nothing when it refuses; a draft can always be reopened and discarded."""

import json
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import crypto
from ces.models import Client
from intake import validation as v
from intake.duplicates import duplicate_candidates
from intake.models import Assessment, Intake
from intake.services import intake_draft_answers, intake_start, intake_submit
from tests.factories import ClientFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db
URL = "/api/v1/intakes/"


@pytest.fixture
def agent():
    return call_agent()


@pytest.fixture
def api(agent):
    client = APIClient()
    client.force_authenticate(agent)
    return client


@pytest.fixture
def logged_in(client, agent):
    client.force_login(agent)
    return client


def nothing_saved() -> bool:
    return not Intake.objects.exists() and not Client.objects.exists() and not BnlEntry.objects.exists()


# --- the API: bad answers are 400 keyed by code, never 500 ------------------------


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"household_income": "1e999999"}, "household_income"),  # a finite Decimal too large to quantize
        ({"household_income": "1e3"}, "household_income"),
        ({"household_income": "NaN"}, "household_income"),
        ({"household_size": "٣"}, "household_size"),  # an Arabic-Indic digit is not a whole number here
        ({"household_size": "²"}, "household_size"),
        ({"household_size": "9" * 5000}, "household_size"),  # int() of 5,000 digits raises
        ({"household_size": [3]}, "household_size"),
        ({"household_size": {"n": 3}}, "household_size"),
        ({"household_size": 3.5}, "household_size"),
        ({"collected_at": "0001-01-01T00:00:00+05:00"}, "collected_at"),  # cannot even be turned into UTC
        ({"collected_at": "9999-12-31T23:59:59-05:00"}, "collected_at"),
        ({"collected_at": "2026-11-20T10:15:00+25:00"}, "collected_at"),
        ({"collected_at": "٢٠٢٦-11-20T10:15"}, "collected_at"),
        ({"dob": "0001-01-01"}, "dob"),
        ({"dob": "19640501"}, "dob"),
        ({"homeless_start_date": "0001-01-01"}, "homeless_start_date"),
        ({"homeless_start_date": "2999-01-01"}, "homeless_start_date"),
        ({"first_name": "R" * 101}, "first_name"),  # the column holds 100
        ({"ssn": "٢٨٧٦٥٤٣٢١"}, "ssn"),
        ({"email": "a@" + "b" * 300 + ".org"}, "email"),
        ({"first_name": ["Robert"]}, "first_name"),
    ],
)
def test_bad_answers_answer_400_keyed_by_code_and_save_nothing(api, overrides, code):
    response = api.post(URL, {"answers": worked_example_2_answers(**overrides)}, format="json")
    assert response.status_code == 400, response.content
    assert code in response.json()["errors"]
    assert nothing_saved()


def test_dob_before_1900_keeps_its_message(api):
    response = api.post(URL, {"answers": worked_example_2_answers(dob="0001-01-01")}, format="json")
    assert response.json()["errors"]["dob"] == [v.DOB_BEFORE_1900]


@pytest.mark.parametrize("shelter_choice", ["9" * 5000, "٣", True, 10**30])
def test_a_chosen_record_must_be_a_real_id(api, shelter_choice):
    answers = worked_example_2_answers(wants_shelter_tonight="yes", nv_resident_30_days="yes", shelter_choice=shelter_choice)
    response = api.post(URL, {"answers": answers}, format="json")
    assert response.status_code == 400 and "shelter_choice" in response.json()["errors"]
    assert nothing_saved()


def test_amounts_are_rounded_to_cents(api):
    body = api.post(URL, {"answers": worked_example_2_answers(household_income="$20,420.004")}, format="json").json()
    assert Assessment.objects.get(pk=body["assessment"]["id"]).household_income == 20420
    assert body["assessment"]["score"]["total"] == 14  # at the poverty line


def test_service_messages_are_in_the_readers_language(api):
    response = api.post(URL, {"answers": worked_example_2_answers(dob="2999-01-01", household_size=0)}, format="json",
                        HTTP_ACCEPT_LANGUAGE="es")
    errors = response.json()["errors"]
    assert errors["dob"] == ["Esta fecha está en el futuro."]
    assert errors["household_size"] == ["Escriba un número de 1 a 30."]


def test_the_schema_states_the_intake_input_and_output(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/intakes/"]["post"]
    assert "201" in operation["responses"]
    output = schema["components"]["schemas"]["IntakeOutput"]["properties"]
    assert {"intake_id", "client", "assessment", "bnl_entry", "shelter_eligibility", "identity_kept"} <= set(output)
    request = schema["components"]["schemas"]["IntakeInputRequest"]["properties"]
    assert request["client_id"]["type"] == "integer" and "update_identity" in request
    duplicates = schema["paths"]["/api/v1/clients/duplicates/"]
    assert {"get", "post"} <= set(duplicates)
    assert {p["name"] for p in duplicates["get"]["parameters"]} >= {"first_name", "last_name", "dob", "ssn"}


# --- the duplicate check never crashes ------------------------------------------


@pytest.mark.parametrize("dob", ["0001-01-01", "0019-03-22", "0197-03-22", "1899-12-31", "2999-01-01", "31/02/1975"])
def test_duplicate_check_refuses_an_implausible_dob_with_400(api, dob):
    response = api.get("/api/v1/clients/duplicates/", {"first_name": "Robert", "dob": dob})
    assert response.status_code == 400 and "dob" in response.json()["errors"]


def test_duplicate_check_with_a_year_1_dob_finds_nothing_rather_than_crash(agent):
    ClientFactory(first_name="Robert", last_name="Hale", dob=date(1964, 5, 1))
    assert duplicate_candidates(user=agent, first_name="Robert", last_name="Hale", dob=date(1, 3, 22)) == []


@pytest.mark.parametrize("ssn", ["12345", "٢٨٧٦٥٤٣٢١", "287-65-4321x", "2" * 30])
def test_duplicate_check_refuses_what_is_not_an_ssn(api, ssn):
    response = api.get("/api/v1/clients/duplicates/", {"ssn": ssn})
    assert response.status_code == 400 and "ssn" in response.json()["errors"]


# --- the call form: the autosave stores what it can ------------------------------


def test_autosave_survives_a_date_of_birth_being_typed(logged_in, agent):
    """Chrome sends "0001-03-22", "0019-03-22", "0197-03-22" while 03221975 is typed: the autosave
    (with its duplicate check) answers, and the STOP box waits for the whole date."""
    known = ClientFactory(first_name="Robert", last_name="Hale", dob=date(1975, 3, 22))
    intake = intake_start(actor=agent)
    url = reverse("intake-autosave", args=[intake.pk])
    logged_in.post(url, {"county": "nevada", "first_name": "Robert", "last_name": "Hale"}, HTTP_HX_REQUEST="true")
    for n, typed in enumerate(("0001-03-22", "0019-03-22", "0197-03-22")):
        response = logged_in.post(url, {"dob": typed}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert known.label not in html  # nothing to check yet...
        if n == 0:
            assert "Type the name (and the whole date of birth)" in html  # ...the STOP box waits
        else:
            assert 'id="dup-panel"' not in html  # ...and is not redrawn for each key of the date
        assert "1 answer to check" in html
    done = logged_in.post(url, {"dob": "1975-03-22"}, HTTP_HX_REQUEST="true").content.decode()
    assert known.label in done and "Type the name" not in done
    assert logged_in.get(reverse("intake-detail", args=[intake.pk])).status_code == 200


def test_a_draft_holding_garbage_can_be_reopened_and_discarded(logged_in, agent):
    intake = intake_start(actor=agent)
    garbage = {
        "county": "nevada", "first_name": "Ana", "last_name": "Lee", "dob": "0001-01-01",
        "collected_at": "0001-01-01T00:00:00+05:00", "household_income": "1e999999", "household_size": "²",
        "ssn": "٢٨٧٦٥٤٣٢١", "ssn_data_quality": "full", "shelter_choice": "9" * 5000, "homeless_start_date": "0001-01-01",
        "continue_to_vi": "yes", "vi_consent": "yes", "_client_id": "abc", "current_location": ["a", "list"],
    }
    Intake.objects.filter(pk=intake.pk).update(draft_ciphertext=crypto.encrypt(json.dumps(garbage)))
    page = logged_in.get(reverse("intake-detail", args=[intake.pk]))
    assert page.status_code == 200
    assert "A date of birth cannot be before 1900-01-01." in page.content.decode()
    finish = logged_in.post(reverse("intake-complete", args=[intake.pk]), {})
    assert finish.status_code == 200 and 'href="#q-collected_at"' in finish.content.decode()
    assert not Client.objects.exists()
    discarded = logged_in.post(reverse("intake-discard", args=[intake.pk]))
    assert discarded.status_code == 302
    intake.refresh_from_db()
    assert intake.status == "discarded" and intake.draft_ciphertext == ""


def test_autosave_keeps_what_can_be_stored_and_marks_the_rest(logged_in, agent):
    intake = intake_start(actor=agent)
    response = logged_in.post(reverse("intake-autosave", args=[intake.pk]),
                              {"county": "nevada", "first_name": "Ana", "current_location": "x" * 5000}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "1 answer to check" in response.content.decode()
    intake.refresh_from_db()
    answers = intake_draft_answers(intake)
    assert answers["first_name"] == "Ana" and "current_location" not in answers


def test_a_chosen_person_that_is_not_an_id_is_an_answer_to_fix_not_a_crash(logged_in, agent):
    intake = intake_start(actor=agent)
    posted = {**worked_example_2_answers(), "_client_id": "abc"}
    response = logged_in.post(reverse("intake-complete", args=[intake.pk]), posted)
    assert response.status_code == 200 and 'href="#q-client_id"' in response.content.decode()
    assert not Client.objects.exists()


def test_a_name_longer_than_its_column_is_shown_at_the_question(logged_in, agent):
    intake = intake_start(actor=agent)
    response = logged_in.post(reverse("intake-complete", args=[intake.pk]), {**worked_example_2_answers(), "first_name": "R" * 150})
    assert response.status_code == 200 and 'id="err-first_name"' in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.parametrize("name", ["intake-detail", "intake-autosave", "intake-complete", "intake-discard", "intake-amend"])
def test_web_views_taking_a_word_for_an_id_answer_404(logged_in, name):
    url = reverse(name, args=[1]).replace("/1/", "/abc/")
    assert logged_in.post(url).status_code == 404
    assert logged_in.get(url.replace("/abc/", "/²/")).status_code == 404


def test_starting_a_call_in_an_unknown_language_is_refused(logged_in):
    response = logged_in.post(reverse("intake-new"), {"call_language": "xx"})
    assert response.status_code == 400 and not Intake.objects.exists()  # the page again, with the reason


def test_completing_someone_elses_intake_through_the_service_is_forbidden(agent):
    from ces.errors import Forbidden
    from intake.services import intake_complete

    intake = intake_start(actor=agent)
    with pytest.raises(Forbidden):
        intake_complete(intake=intake, actor=call_agent(agency=agent.agency))


def test_roles_without_intake_permission_cannot_submit_through_the_service():
    from ces import roles
    from ces.errors import Forbidden
    from tests.factories import UserFactory

    with pytest.raises(Forbidden):
        intake_submit(actor=UserFactory(roles=[roles.PROGRAM_STAFF]), answers=worked_example_2_answers())
    assert nothing_saved()
