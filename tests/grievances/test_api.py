"""The API's answers to bad input (400 with messages keyed by field, nothing saved, never a 500),
the rejected-referral link, and the shapes of api.md."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grievances.inputs import LOOKS_LIKE_CODE
from grievances.models import Grievance, Letter, TitleViComplaint
from grievances.services import (
    INCIDENT_AFTER_RECEIPT,
    NOT_APPEALABLE,
    PUBLIC_CHANNEL_ONLY,
    REFERRAL_NOT_REJECTED,
    REFERRAL_OTHER_AGENCY,
)
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from tests.factories import AgencyFactory, BnlEntryFactory, ProgramFactory, program_staff
from tests.grievances.conftest import api_for

pytestmark = pytest.mark.django_db


def today(days: int = 0) -> str:
    return str(timezone.localdate() + timedelta(days=days))


def complaint_body(**overrides) -> dict:
    return {"complainant_name": "Ana Reyes", "language": "es", "bases": ["race"], "incident_date": today(-10),
            "received_on": today(-1), "description": "Refused an assessment.", **overrides}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"bases": ["race", "astrology"]}, "bases"),
    ({"bases": "race"}, "bases"),
    ({"incident_date": "2026-13-01"}, "incident_date"),
    ({"incident_date": today(5)}, "incident_date"),
    ({"received_on": "1899-12-31"}, "received_on"),
    ({"language": "fr"}, "language"),
    ({"channel": "public_web"}, "channel"),
    ({"on_own_behalf": "maybe"}, "on_own_behalf"),
    ({"client_id": "²"}, "client_id"),
    ({"client_id": 999999}, "client_id"),
    ({"agency_id": 999999}, "agency_id"),
    ({"email": "nobody"}, "email"),
    ({"phone_cell": "call me maybe"}, "phone_cell"),
    ({"description": "x" * 10_001}, "description"),
    ({"description": "<b onmouseover='x'>hi</b>"}, "description"),
    ({"incident_date": today(-1), "received_on": today(-2)}, "incident_date"),
])
def test_bad_complaint_input_is_a_400_keyed_by_field_and_saves_nothing(committee, overrides, field):
    response = api_for(committee).post("/api/v1/title-vi-complaints/", complaint_body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not TitleViComplaint.objects.exists() and not Letter.objects.exists()


def test_the_messages_say_what_to_fix(committee):
    api = api_for(committee)
    errors = api.post("/api/v1/title-vi-complaints/", complaint_body(description="<script>x</script>", channel="public_web",
                                                                    incident_date=today(-1), received_on=today(-2)),
                      format="json").json()["errors"]
    assert errors["description"] == [str(LOOKS_LIKE_CODE)]
    assert errors == {"description": [str(LOOKS_LIKE_CODE)]}  # the input is checked first, then the rules
    errors = api.post("/api/v1/title-vi-complaints/", complaint_body(channel="public_web"), format="json").json()["errors"]
    assert errors == {"channel": [str(PUBLIC_CHANNEL_ONLY)]}
    errors = api.post("/api/v1/title-vi-complaints/", complaint_body(incident_date=today(-1), received_on=today(-2)),
                      format="json").json()["errors"]
    assert errors == {"incident_date": [str(INCIDENT_AFTER_RECEIPT)]}
    assert api.post("/api/v1/title-vi-complaints/", ["not", "an", "object"], format="json").status_code == 400


def test_the_created_complaint_has_the_shape_of_api_md(committee):
    body = api_for(committee).post("/api/v1/title-vi-complaints/", complaint_body(), format="json").json()
    assert {"id", "status", "deadlines", "letters"} <= set(body)
    assert body["status"] == "received" and body["deadlines"] == {} and body["letters"] == []
    assert body["reference"] == f"T6-{body['id']:05d}" and body["missing"] == []


def test_actions_out_of_order_are_refused_and_unknown_actions_are_404(committee):
    api = api_for(committee)
    incomplete = api.post("/api/v1/title-vi-complaints/", complaint_body(description=""), format="json").json()
    incomplete_url = f"/api/v1/title-vi-complaints/{incomplete['id']}"
    assert api.post(f"{incomplete_url}/accept/", {}, format="json").status_code == 400  # not processed until complete
    assert api.post(f"{incomplete_url}/close/", {"outcome": "no_violation"}, format="json").status_code == 400
    assert api.post(f"{incomplete_url}/request-info/", {}, format="json").status_code == 400
    complaint = api.post("/api/v1/title-vi-complaints/", complaint_body(), format="json").json()
    url = f"/api/v1/title-vi-complaints/{complaint['id']}"
    assert api.post(f"{url}/close/", {"outcome": "administrative"}, format="json").status_code == 400
    assert api.post(f"{url}/appeal/", {}, format="json").json()["errors"] == {"non_field_errors": [str(NOT_APPEALABLE)]}
    assert api.post(f"{url}/close/", {"outcome": "lost"}, format="json").status_code == 400
    assert api.post(f"{url}/reopen/", {}, format="json").status_code == 404
    assert api.post(f"{url}/accept/", {"on": today(-5)}, format="json").status_code == 400  # before it was received
    assert api.post(f"{url}/accept/", {}, format="json").status_code == 200
    assert api.post(f"{url}/accept/", {}, format="json").status_code == 400  # once
    amended = api.post(f"{url}/amend/", {"description": "Changed story"}, format="json")
    assert amended.status_code == 400  # after the review started, only contact details
    assert api.post(f"{url}/amend/", {"address": "New address 1", "reason": "moved"}, format="json").status_code == 200
    assert TitleViComplaint.objects.get(pk=complaint["id"]).address == "New address 1"


def test_a_vote_needs_counts_and_a_decision(committee):
    agency = AgencyFactory()
    api = api_for(committee)
    grievance = api.post("/api/v1/grievances/", {"complainant_name": "Luis", "language": "en", "agency_id": agency.pk,
                                                 "denial_date": today(-3), "received_on": today(-1), "tried_with_program": True,
                                                 "program_answer": "No.", "description": "Refused."}, format="json").json()
    url = f"/api/v1/grievances/{grievance['id']}/vote/"
    for bad in ({"for": "five", "against": 0, "decision": "x"}, {"for": -1, "against": 0, "decision": "x"},
                {"for": 1, "against": 0}, {"for": 1, "against": 0, "decision": ""}, {"against": 0, "decision": "x"},
                {"for": 0, "against": 0, "abstain": 0, "decision": "x"}, {"for": 1, "against": 0, "decision": "x", "outcome": "won"}):
        assert api.post(url, bad, format="json").status_code == 400, bad
    assert Grievance.objects.get().status == "received"
    body = api.post(url, {"for": 6, "against": 2, "abstain": 1, "decision": "Upheld: re-offer the unit."}, format="json").json()
    assert body["status"] == "decided"
    assert body["vote"] == {"for": 6, "against": 2, "abstain": 1, "decision": "Upheld: re-offer the unit.", "outcome": "other",
                            "on": today()}
    assert [letter["kind"] for letter in body["letters"]] == ["decision"]
    assert api.post(url, {"for": 6, "against": 2, "decision": "again"}, format="json").status_code == 400
    appeal = api.post(f"/api/v1/grievances/{grievance['id']}/appeal/", {"to": "Placer County HHS (funder)", "on": today()},
                      format="json").json()
    assert (appeal["status"], appeal["appeal_to"], appeal["appeal_on"]) == ("appealed", "Placer County HHS (funder)", today())


def test_a_grievance_about_a_rejected_referral_takes_its_agency_person_and_date(committee):
    program = ProgramFactory()
    staff = program_staff(program)
    entry = BnlEntryFactory()
    referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
    api = api_for(committee)
    base = {"complainant_name": "Luis", "language": "en", "received_on": today(), "tried_with_program": True,
            "description": "They said my household was too big."}
    not_rejected = api.post("/api/v1/grievances/", {**base, "referral_id": referral.pk}, format="json")
    assert not_rejected.json()["errors"] == {"referral_id": [str(REFERRAL_NOT_REJECTED)]}
    referral_decide(referral=referral, outcome="provider_rejected", reason="household_size", justification="Studio.", actor=staff)
    other = AgencyFactory()
    wrong_agency = api.post("/api/v1/grievances/", {**base, "referral_id": referral.pk, "agency_id": other.pk}, format="json")
    assert wrong_agency.json()["errors"] == {"agency_id": [REFERRAL_OTHER_AGENCY.format(agency=program.agency.name)]}
    body = api.post("/api/v1/grievances/", {**base, "referral_id": referral.pk, "agency_id": None}, format="json").json()
    assert (body["status"], body["referral_id"], body["agency_id"], body["program_id"], body["client_id"]) == (
        "received", referral.pk, program.agency_id, program.pk, entry.client_id)
    assert body["denial_date"] == today()
    assert Grievance.objects.get().referral.grievances.count() == 1


def test_information_can_be_asked_during_the_jurisdiction_review_and_a_quick_closure_records_the_review(committee):
    api = api_for(committee)
    complaint = api.post("/api/v1/title-vi-complaints/", complaint_body(), format="json").json()
    url = f"/api/v1/title-vi-complaints/{complaint['id']}"
    asked = api.post(f"{url}/request-info/", {"requested": "Which office?"}, format="json").json()
    assert asked["status"] == "awaiting_information" and asked["deadlines"]["information"]
    assert api.post(f"{url}/info-received/", {}, format="json").json()["status"] == "received"  # back to the review
    closed = api.post(f"{url}/close/", {"outcome": "no_violation", "summary": "A misunderstanding about the form."},
                      format="json").json()
    assert closed["status"] == "closed_no_violation" and closed["accepted_on"] == today()
    assert closed["deadlines"]["appeal"] == today(30)
    assert [letter["kind"] for letter in closed["letters"]] == ["information_request", "closure"]
