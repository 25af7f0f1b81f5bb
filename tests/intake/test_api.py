"""POST /api/v1/intakes/ and the duplicate check, exactly as api.md."""

import pytest
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.models import Client, ClientDocument, ConsentRecord
from intake import validation as v
from intake.models import Assessment, DvReferral, Intake
from intake.services import SSN_BELONGS_TO_SOMEONE
from intake.tasks import assessment_pdf_render
from referrals.models import ShelterReferral
from tests.factories import AgencyFactory, UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db
URL = "/api/v1/intakes/"

INDICATOR_KEYS = {
    "age", "unaccompanied_youth", "gender", "pregnant", "children", "sleep_location", "unstable_housing",
    "er_visits", "police", "health_mental", "health_substance_alcohol", "health_physical_sensory",
    "health_developmental", "health_hiv_aids", "health_chronic", "health_three_or_more",
    "household_member_health", "attacked", "self_harm", "dv_experienced", "dv_fleeing", "income",
}


@pytest.fixture
def agent():
    return call_agent(first_name="Carla")


@pytest.fixture
def api(agent):
    client = APIClient()
    client.force_authenticate(agent)
    return client


def post(api, answers, client_id=None):
    return api.post(URL, {"client_id": client_id, "answers": answers}, format="json")


def test_worked_example_2_through_the_api(api, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post(api, worked_example_2_answers())
    assert len(callbacks) == 1  # the PDF task is queued after commit
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["assessment"]["score"]["total"] == 13
    assert body["assessment"]["score"]["subtotal"] == 13
    assert body["assessment"]["score"]["case_management"] == 0
    assert set(body["assessment"]["score"]["indicators"]) == INDICATOR_KEYS
    assert body["assessment"]["chronically_homeless"] is False
    assert body["bnl_entry"]["status"] == "active"
    client = Client.objects.get(pk=body["client"]["id"])
    assert client.first_name == "Robert" and client.holding_agency == agent.agency
    assert client.ssn_last4 == "4321" and client.hmis_consent == "yes"
    assert str(client.phone_primary) == "+15305550142"
    assert ConsentRecord.objects.filter(client=client, kind="hmis_roi", answer="yes", method="verbal_recorded").exists()
    entry = BnlEntry.objects.get(pk=body["bnl_entry"]["id"])
    assert entry.score == 13 and entry.family and entry.client == client
    intake = Intake.objects.get(pk=body["intake_id"])
    assert intake.status == "completed" and intake.outcome == "assessed" and intake.draft_ciphertext == ""
    # The worker renders the assessment PDF off the request and keeps it on the client's file.
    assert assessment_pdf_render(body["assessment"]["id"]) == 1
    assert assessment_pdf_render(body["assessment"]["id"]) == 0  # exactly once
    document = ClientDocument.objects.get(client=client, kind="assessment")
    assert document.version == 1 and document.file.read(4) == b"%PDF"


def test_api_response_keys_match_the_spec(api):
    body = post(api, worked_example_2_answers()).json()
    assert {"intake_id", "client", "assessment", "bnl_entry", "shelter_eligibility"} <= set(body)
    assert set(body["assessment"]) >= {"id", "score", "chronically_homeless"}


def test_no_vi_section_means_no_assessment_and_no_bnl_entry(api):
    body = post(api, worked_example_2_answers(continue_to_vi="no")).json()
    assert body["assessment"] is None and body["bnl_entry"] is None
    assert not Assessment.objects.exists() and not BnlEntry.objects.exists()
    assert Client.objects.count() == 1


def test_outside_coc_records_the_call_without_list_or_shelter(api):
    body = post(api, {"county": "outside_coc", "first_name": "Lee", "continue_to_vi": "yes", "vi_consent": "yes",
                      "household_size": 1}).json()
    assert body["outcome"] == "outside_coc" and body["bnl_entry"] is None


def test_shelter_screening_lists_eligible_and_excluded_shelters_and_refers(api):
    answers = worked_example_2_answers(
        wants_shelter_tonight="yes", nv_resident_30_days="yes", nv_barred_hospitality_house="no",
        nv_substance_issue="no", nv_warrant_or_violent_conviction="no",
    )
    from intake.models import Shelter

    hh = Shelter.objects.get(name="Hospitality House")
    answers["shelter_choice"] = hh.pk
    body = post(api, answers).json()
    assert body["shelter_eligibility"] == [{"shelter_id": hh.pk, "name": "Hospitality House", "eligible": True, "reasons": []}]
    assert ShelterReferral.objects.get().shelter == hh


def test_excluded_shelter_says_why_and_cannot_be_chosen(api):
    from intake.models import Shelter

    hh = Shelter.objects.get(name="Hospitality House")
    answers = worked_example_2_answers(wants_shelter_tonight="yes", nv_resident_30_days="no", shelter_choice=hh.pk)
    response = post(api, answers)
    assert response.status_code == 400
    assert "shelter_choice" in response.json()["errors"]
    answers.pop("shelter_choice")
    body = post(api, answers).json()
    assert body["shelter_eligibility"][0]["eligible"] is False
    assert body["shelter_eligibility"][0]["reasons"] == ["30 day residency requirement"]


def test_placer_pets_exclude_unless_arranged(api):
    base = worked_example_2_answers(county="placer", wants_shelter_tonight="yes", pl_resident_15_days="yes", pl_pets="yes")
    excluded = post(api, {**base, "pl_pets_arranged": "no"}).json()["shelter_eligibility"]
    assert excluded[0]["eligible"] is False and "pets" in excluded[0]["reasons"][0].lower()
    arranged = post(api, {**base, "pl_pets_arranged": "yes", "ssn": None, "ssn_data_quality": "refused"}).json()
    assert arranged["shelter_eligibility"][0]["eligible"] is True


def test_dv_pathway_accepted_stores_no_personal_data(api):
    vsp = AgencyFactory(vsp=True, name="Stand Up Placer", initials="SUP")
    answers = {
        "county": "placer", "safety_safe_talking": "no", "dv_referral_accepted": "yes", "dv_referral_agency": vsp.pk,
        "first_name": "Secret", "dob": "1990-01-01", "ssn": "123-45-6789", "phone_primary": "530-555-0100",
        "current_location": "somewhere", "continue_to_vi": "yes", "vi_consent": "yes", "household_size": 2,
    }
    response = post(api, answers)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["client"] is None and body["assessment"] is None and body["outcome"] == "dv_referred"
    assert not Client.objects.exists()
    assert DvReferral.objects.get().vsp == vsp
    intake = Intake.objects.get()
    assert intake.draft_ciphertext == ""
    for historical in Intake.history.all():
        assert "Secret" not in str(historical.__dict__)


def test_dv_pathway_declined_needs_the_sharing_notice(api):
    answers = worked_example_2_answers(safety_afraid_of_partner="yes", dv_referral_accepted="no")
    response = post(api, answers)
    assert response.status_code == 400
    assert response.json()["errors"] == {"dv_pii_sharing_acknowledged": [v.DV_ACK_REQUIRED]}
    assert post(api, {**answers, "dv_pii_sharing_acknowledged": True}).status_code == 201


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"favourite_colour": "blue"}, "favourite_colour", v.UNKNOWN_CODE),
        ({"gender": "robot"}, "gender", None),
        ({"health_mental": "maybe"}, "health_mental", None),
        ({"dob": "2999-01-01"}, "dob", v.DATE_IN_FUTURE),
        ({"dob": "1899-12-31"}, "dob", v.DOB_BEFORE_1900),
        ({"dob": "04/03/1986"}, "dob", v.NOT_A_DATE),
        ({"household_size": 3, "household_children": 3}, "household_children", v.CHILDREN_NOT_BELOW_SIZE),
        ({"household_size": 0}, "household_size", "Enter a number from 1 to 30."),
        ({"household_income": "-5"}, "household_income", v.NEGATIVE_INCOME),
        ({"household_income": "10000000"}, "household_income", v.ABSURD_INCOME),
        ({"household_income": "lots"}, "household_income", v.NOT_AN_AMOUNT),
        ({"income_period": None}, "income_period", v.INCOME_NEEDS_PERIOD),
        ({"ssn": "666-12-3456"}, "ssn", None),
        ({"ssn": "123-00-4567"}, "ssn", None),
        ({"ssn": "12345"}, "ssn", "A Social Security number has 9 digits."),
        ({"collected_at": "2099-01-01T10:00:00-08:00"}, "collected_at", v.COLLECTED_IN_FUTURE),
        ({"phone_primary": "12"}, "phone_primary", v.NOT_A_PHONE),
        ({"email": "not-an-email"}, "email", v.NOT_AN_EMAIL),
        ({"county": None}, "county", v.COUNTY_REQUIRED),
    ],
)
def test_bad_input_is_400_keyed_by_code_and_saves_nothing(api, overrides, code, message):
    response = post(api, worked_example_2_answers(**overrides))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert code in errors
    if message:
        assert message in errors[code]
    assert not Intake.objects.exists() and not Client.objects.exists() and not BnlEntry.objects.exists()


def test_unaccompanied_youth_may_count_themselves_as_a_child(api):
    answers = worked_example_2_answers(vi_unaccompanied_youth="yes", household_size=1, household_children=1, dob="2010-01-01")
    assert post(api, answers).status_code == 201
    too_many = worked_example_2_answers(vi_unaccompanied_youth="yes", household_size=1, household_children=2)
    assert post(api, too_many).json()["errors"]["household_children"] == [v.CHILDREN_ABOVE_SIZE]


def test_invalid_ssn_may_be_recorded_with_partial_quality(api):
    response = post(api, worked_example_2_answers(ssn="666-12-3456", ssn_data_quality="partial"))
    assert response.status_code == 201


def test_answers_must_be_an_object_and_client_id_a_number(api):
    assert api.post(URL, {"answers": ["county"]}, format="json").json()["errors"] == {"answers": [
        "Send the answers as an object of question codes, e.g. {\"county\": \"nevada\"}."]}
    assert "client_id" in post(api, {"county": "nevada"}, client_id="abc").json()["errors"]
    assert "client_id" in post(api, {"county": "nevada"}, client_id=999999).json()["errors"]


def test_non_json_body_is_400_not_500(api):
    response = api.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_same_person_twice_updates_the_one_bnl_entry(api):
    first = post(api, worked_example_2_answers()).json()
    again = worked_example_2_answers(health_mental="yes")
    response = post(api, again, client_id=first["client"]["id"])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["bnl_entry"]["id"] == first["bnl_entry"]["id"]
    assert BnlEntry.objects.count() == 1 and BnlEntry.objects.get().score == 14
    assert BnlEntry.history.count() == 2


def test_new_person_with_an_ssn_already_on_file_is_refused(api):
    first = post(api, worked_example_2_answers()).json()
    response = post(api, worked_example_2_answers(first_name="Bob"))
    assert response.status_code == 400
    label = Client.objects.get(pk=first["client"]["id"]).label
    assert response.json()["errors"]["ssn"] == [SSN_BELONGS_TO_SOMEONE.format(label=label)]


def test_declined_questions_still_complete_and_list_the_person(api):
    answers = {"county": "nevada", "wants_shelter_tonight": "refused", "hmis_consent": "refused", "continue_to_vi": "yes",
               "vi_consent": "yes", "household_size": 1}
    body = post(api, answers).json()
    assert body["assessment"]["score"]["total"] == 0
    assert body["bnl_entry"]["status"] == "active"


def test_late_entry_is_flagged(api):
    body = post(api, worked_example_2_answers(collected_at="2026-01-01T09:00:00-08:00")).json()
    assert body["is_late"] is True
    assert Intake.objects.get().is_late


def test_roles_without_intake_permission_get_403():
    client = APIClient()
    client.force_authenticate(UserFactory(roles=[roles.PROGRAM_STAFF]))
    assert client.post(URL, {"answers": {}}, format="json").status_code == 403


def test_duplicates_ranked_by_ssn_then_name_similarity(api, agent):
    post(api, worked_example_2_answers())
    other = post(api, worked_example_2_answers(first_name="Roberta", last_name="Halle", ssn=None, ssn_data_quality="refused",
                                               dob="1964-09-01")).json()
    response = api.get("/api/v1/clients/duplicates/", {"first_name": "Robert", "last_name": "Hale", "dob": "1964-05-01",
                                                      "ssn": "287654321"})
    candidates = response.json()
    assert response.status_code == 200 and len(candidates) == 2
    assert candidates[0]["score"] == 1.0 and set(candidates[0]) >= {"client_id", "score", "label"}
    assert candidates[1]["client_id"] == other["client"]["id"]
    assert 0 < candidates[1]["score"] < 1


def test_duplicates_tolerate_typos_and_swapped_names(api):
    created = post(api, worked_example_2_answers(ssn=None, ssn_data_quality="refused")).json()
    for first, last in [("Hale", "Robert"), ("Robbert", "Hail"), ("Rob", "Hale")]:
        found = api.get("/api/v1/clients/duplicates/", {"first_name": first, "last_name": last, "dob": "1965-02-01"}).json()
        assert created["client"]["id"] in [c["client_id"] for c in found], (first, last)
    far = api.get("/api/v1/clients/duplicates/", {"first_name": "Robert", "last_name": "Hale", "dob": "1970-01-01"}).json()
    assert far == []


def test_duplicates_hide_personal_data_the_user_may_not_see(api):
    other_agent = call_agent()
    other_api = APIClient()
    other_api.force_authenticate(other_agent)
    post(other_api, worked_example_2_answers(hmis_consent="no"))
    found = api.get("/api/v1/clients/duplicates/", {"first_name": "Robert", "last_name": "Hale"}).json()
    assert found and "name" not in found[0] and found[0]["label"]
    assert api.get("/api/v1/clients/duplicates/", {"dob": "not-a-date"}).status_code == 400
