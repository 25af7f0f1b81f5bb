"""Referrals as the CA-515 P&P says them (issue 11, items 4, 5, 7 and 8), one test per rule.

Seed 004: "If an agency has an open bed/unit, they are able to pull a maximum of five (5) eligible
individuals from the top of the BNL"; "ensuring that such rejections are justified and rare";
"If a referring agency has rejected a client referral, the client must be able to appeal the
decision with the referring agency. If the issue cannot be resolved, the participant may appeal the
decision through the CoC's Outcomes and Measurements Committee"; and the HUD CE data (4.19, 4.20).
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from ces import roles
from ces.deadlines import deadlines_sweep
from intake.models import Assessment
from referrals.models import CeEvent, Referral
from referrals.services import referral_decide, referral_expire, vacancy_create, vacancy_pull
from reports.hmis.files import EVENT
from tests.factories import BnlEntryFactory, ProgramFactory, UserFactory, call_agent, program_staff, worked_example_2_answers

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- 4. five referrals per open bed/unit ---------------------------------------------------------


def test_a_three_unit_vacancy_may_hold_fifteen_open_referrals():
    """"a maximum of five (5) eligible individuals" for each open bed/unit: 3 units, 15 referrals."""
    program = ProgramFactory(type="psh")
    staff = program_staff(program)
    entries = [BnlEntryFactory(score=25 - i) for i in range(20)]
    api = api_for(staff)
    vacancy = api.post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": 3}, format="json").json()
    assert api.post(f"/api/v1/vacancies/{vacancy['id']}/pull/", {"count": 16}, format="json").status_code == 400
    refs = api.post(f"/api/v1/vacancies/{vacancy['id']}/pull/", {"count": 15}, format="json").json()["referrals"]
    assert [r["bnl_entry_id"] for r in refs] == [e.pk for e in entries[:15]]
    assert api.post(f"/api/v1/vacancies/{vacancy['id']}/pull/", {"count": 1}, format="json").json()["referrals"] == []


def test_a_pull_without_a_count_fills_five_per_open_unit_and_an_enrolment_closes_a_unit():
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    for i in range(20):
        BnlEntryFactory(score=25 - i)
    vacancy = vacancy_create(program=program, actor=staff, units=2)
    pull = vacancy_pull(vacancy=vacancy, actor=staff)
    refs = list(pull.referrals.order_by("rank"))
    assert len(refs) == 10
    referral_decide(referral=refs[0], outcome="enrolled", actor=staff)  # one unit filled: 5 per the other
    for ref in refs[1:6]:
        referral_decide(referral=ref, outcome="client_declined", actor=staff)
    assert vacancy_pull(vacancy=vacancy, actor=staff).pulled_count == 1  # 4 open + 1 = 5 for the last unit


# --- 5. HUD 4.20: a ResultDate only with a ReferralResult; 4.19 location; intake events ---------


def test_expired_and_not_selected_referrals_get_no_result_date_without_a_result():
    program = ProgramFactory(type="psh")
    staff = program_staff(program)
    for i in range(3):
        BnlEntryFactory(score=20 - i)
    refs = list(vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=3).referrals.order_by("rank"))
    referral_expire(referral=refs[2], actor=staff)
    referral_decide(referral=refs[0], outcome="enrolled", actor=staff)  # refs[1]: not selected
    events = {e.referral_id: e for e in CeEvent.objects.all()}
    assert (events[refs[0].pk].referral_result, events[refs[0].pk].result_date is not None) == (1, True)
    for ref in refs[1:]:
        assert Referral.objects.get(pk=ref.pk).status in ("not_selected", "expired")
        assert events[ref.pk].referral_result is None and events[ref.pk].result_date is None
    assert not CeEvent.objects.filter(referral_result__isnull=True, result_date__isnull=False).exists()
    assert "ReferralResult" in [name for name, _expression in EVENT.columns]


def test_the_assessment_record_carries_its_assessment_location():
    agent = call_agent()
    response = api_for(agent).post("/api/v1/intakes/", {"client_id": None, "answers": worked_example_2_answers()},
                                   format="json")
    assessment = Assessment.objects.get(pk=response.json()["assessment"]["id"])
    assert assessment.location == agent.agency.name


def test_an_at_risk_caller_produces_a_prevention_event_and_an_out_of_area_caller_a_non_continuum_event():
    """"If the individual is at risk of becoming homeless, he or she will be referred based on the
    county where they are residing": HUD event 1. Outside Placer and Nevada: event 8."""
    api = api_for(call_agent())
    at_risk = api.post("/api/v1/intakes/", {"client_id": None, "answers": worked_example_2_answers(
        sleep_location_30d="family_or_friends")}, format="json").json()
    assert list(CeEvent.objects.filter(intake_id=at_risk["intake_id"]).values_list("event", flat=True)) == [1]
    outside = api.post("/api/v1/intakes/", {"client_id": None, "answers": {
        "county": "outside_coc", "first_name": "Lee", "continue_to_vi": "no"}}, format="json").json()
    assert list(CeEvent.objects.filter(intake_id=outside["intake_id"]).values_list("event", flat=True)) == [8]
    literally_homeless = api.post("/api/v1/intakes/", {"client_id": None, "answers": worked_example_2_answers(
        ssn="287-65-9999", first_name="Rob")}, format="json").json()
    assert not CeEvent.objects.filter(intake_id=literally_homeless["intake_id"]).exists()


# --- 7. the appeal route, and CoC staff's review of rejections -----------------------------------


def rejected():
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    entry = BnlEntryFactory(score=18)
    referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
    referral_decide(referral=referral, outcome="provider_rejected", actor=staff, reason="household_size",
                    justification="Two-bedroom unit; household of six.")
    return program, staff, entry, referral


def test_a_rejected_referral_shows_the_appeal_route_agency_first_then_the_committee_grievance(client):
    program, staff, entry, referral = rejected()
    body = api_for(staff).get("/api/v1/referrals/", {"program": program.pk}).json()
    appeal = body[0]["appeal"]
    assert appeal["agency_name"] == program.agency.name
    assert appeal["grievance_url"] == f"/grievances/ce/new/?referral={referral.pk}"
    client.force_login(staff)
    page = client.get(f"/referrals/programs/{program.pk}/").content.decode()
    assert f"First with {program.agency.name}" in page and f"/grievances/ce/new/?referral={referral.pk}" in page
    coc = UserFactory(roles=[roles.COC_STAFF])
    client.force_login(coc)
    assert f"/grievances/ce/new/?referral={referral.pk}" in client.get(f"/bnl/{entry.pk}/").content.decode()
    assert client.get(f"/grievances/ce/new/?referral={referral.pk}").status_code == 200


def test_coc_staff_review_rejections_justified_and_rare(client):
    program, staff, entry, referral = rejected()
    coc = UserFactory(roles=[roles.COC_STAFF])
    api = api_for(coc)
    listed = api.get("/api/v1/referrals/rejections/").json()
    assert [row["id"] for row in listed] == [referral.pk] and listed[0]["justification"].startswith("Two-bedroom")
    refused = api.post(f"/api/v1/referrals/{referral.pk}/rejection-review/", {"finding": "not_justified"}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()["errors"]
    done = api.post(f"/api/v1/referrals/{referral.pk}/rejection-review/",
                    {"finding": "not_justified", "note": "A 3-bedroom unit opens next month; refer again."}, format="json")
    assert done.status_code == 200 and done.json()["rejection_review"] == "not_justified"
    assert api.get("/api/v1/referrals/rejections/").json() == []
    assert len(api.get("/api/v1/referrals/rejections/", {"reviewed": "yes"}).json()) == 1
    assert api_for(staff).get("/api/v1/referrals/rejections/").status_code == 403
    assert api_for(staff).post(f"/api/v1/referrals/{referral.pk}/rejection-review/", {"finding": "justified"},
                               format="json").status_code == 403
    client.force_login(coc)
    page = client.get("/referrals/rejections/?reviewed=all")
    assert page.status_code == 200 and "Rejections by program" in page.content.decode()
    client.force_login(staff)
    assert client.get("/referrals/rejections/").status_code == 403


def test_rejection_review_screen_saves_a_finding(client):
    program, staff, entry, referral = rejected()
    client.force_login(UserFactory(roles=[roles.COC_STAFF]))
    response = client.post(f"/referrals/{referral.pk}/rejection-review/", {"finding": "justified", "note": ""})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).rejection_review == "justified"


# --- 8. chronic is self-reported: documentation before a chronic-dedicated program enrols -------


def test_a_chronic_dedicated_program_cannot_enrol_without_the_documentation_checklist(client):
    program = ProgramFactory(type="psh", requires_chronic=True)
    staff = program_staff(program)
    BnlEntryFactory(score=20, chronic=True)
    referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
    api = api_for(staff)
    refused = api.post(f"/api/v1/referrals/{referral.pk}/decision/", {"outcome": "enrolled"}, format="json")
    assert refused.status_code == 400 and "chronic_documentation" in refused.json()["errors"]
    assert Referral.objects.get(pk=referral.pk).status == "pending"
    partial = api.post(f"/api/v1/referrals/{referral.pk}/chronic-documentation/",
                       {"items": ["disability", "current_homelessness"]}, format="json").json()
    assert partial["chronic_documentation_missing"] == ["duration", "institutional_stay"]
    assert api.post(f"/api/v1/referrals/{referral.pk}/decision/", {"outcome": "enrolled"}, format="json").status_code == 400
    client.force_login(staff)
    assert "Chronic homelessness documentation" in client.get(f"/referrals/programs/{program.pk}/").content.decode()
    saved = client.post(f"/referrals/{referral.pk}/chronic-documentation/",
                        {"items": ["disability", "current_homelessness", "duration", "institutional_stay"]})
    assert saved.status_code == 302
    enrolled = api.post(f"/api/v1/referrals/{referral.pk}/decision/", {"outcome": "enrolled"}, format="json")
    assert enrolled.status_code == 200 and enrolled.json()["status"] == "enrolled"


def test_a_program_without_the_chronic_requirement_enrols_without_the_checklist():
    program = ProgramFactory(type="psh")
    staff = program_staff(program)
    BnlEntryFactory(score=20, chronic=True)
    referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
    assert referral_decide(referral=referral, outcome="enrolled", actor=staff).status == "enrolled"
    assert api_for(staff).post(f"/api/v1/referrals/{referral.pk}/chronic-documentation/", {"items": []},
                               format="json").status_code == 400


def test_expiry_by_the_timer_leaves_no_result(settings):
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    BnlEntryFactory(score=20)
    referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
    with time_machine.travel(timezone.now() + timedelta(days=60), tick=False):
        deadlines_sweep()
    event = CeEvent.objects.get(referral=referral)
    assert Referral.objects.get(pk=referral.pk).status == "expired"
    assert event.referral_result is None and event.result_date is None
