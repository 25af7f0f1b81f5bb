"""Issue 11, items 16–18: reassignment as seed 000 ("Reassigning Clients Policy") says it, one test per rule,
built from the policy's own words."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client as WebClient
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from ces.errors import Forbidden, Invalid
from ces.models import ClientNote, Notification, User
from reassignment import policy
from reassignment.models import CaseAssignment, ReassignmentRequest
from reassignment.selectors import caseload_size, current_worker_of
from reassignment.services import (
    ASSIGNMENT_ENDED,
    ONLY_REQUESTER_PROPOSES,
    ONLY_WORKER_REQUESTS,
    case_assignment_set,
    reassignment_decide,
    reassignment_propose_another,
    reassignment_request,
    reassignment_step_record,
)
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, call_agent, program_staff
from tests.reassignment.doors import world

pytestmark = pytest.mark.django_db

# The policy's own sentence (seed 000, "Non-Permissible Reasons for Reassignment").
POLICY_SENTENCE = "The client is transient or frequently relocates."


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def web_as(user) -> WebClient:
    web = WebClient()
    web.force_login(user)
    return web


@pytest.fixture
def office():
    agency = AgencyFactory(name="Connecting Point", initials="CP", caseload_limit=5)
    people = {
        "agency": agency,
        "current": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="current"),
        "receiving": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="receiving"),
        "colleague": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="colleague"),
        "lom": UserFactory(agency=agency, roles=[roles.SUPERVISOR], username="lom"),
        "coc": UserFactory(roles=[roles.COC_STAFF], username="coc"),
    }
    people["client"] = ClientFactory(holding_agency=agency, hmis_consent="yes")
    case_assignment_set(client=people["client"], worker=people["current"], actor=people["lom"])
    return people


def body_for(office, **changes) -> dict:
    return {"client_id": office["client"].pk, "reason": "client_request", "client_situation": "moved_and_settled",
            "explanation": "She moved to Truckee for good and asks for a worker there.",
            "proposed_worker_id": office["receiving"].pk, **changes}


# --- 16. the client's situation from a list: "transient or frequently relocates" refuses -----------------


@pytest.mark.parametrize("reason", [code for code in policy.STANDARD_REASONS])
def test_a_client_stated_to_be_transient_or_frequently_relocating_is_not_reassigned_whatever_the_reason(office, reason):
    before = world()
    with pytest.raises(Invalid) as refused:
        reassignment_request(client=office["client"], reason=reason, client_situation="transient",
                             explanation="Asked for another worker last week.", proposed_worker=office["receiving"],
                             actor=office["current"])
    assert refused.value.errors == {"client_situation": [policy.TRANSIENT_REFUSAL]}
    response = api_as(office["current"]).post("/api/v1/reassignments/", body_for(office, reason=reason, client_situation="transient"),
                                              format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"client_situation": [str(policy.TRANSIENT_REFUSAL)]}
    assert world() == before
    assert CaseAssignment.objects.get(client=office["client"]).worker == office["current"]


def test_the_situation_list_offers_the_policys_own_sentence_and_the_screen_refuses_it_keeping_what_was_typed(office):
    web = web_as(office["current"])
    page_url = reverse("client-detail", args=[office["client"].pk])
    page = web.get(page_url).content.decode()
    assert 'name="client_situation"' in page and "The client is transient or frequently relocates" in page
    body = {key: value for key, value in body_for(office, client_situation="transient").items() if key != "client_id"}
    response = web.post(reverse("client-reassignment-new", args=[office["client"].pk]), {**body, "next": page_url})
    assert response.status_code == 400
    html = response.content.decode()
    assert "maintaining continuity of care is essential" in html
    assert "She moved to Truckee for good and asks for a worker there." in html  # what was typed, kept
    assert not ReassignmentRequest.objects.exists()


def test_the_policys_own_sentence_as_the_whole_explanation_is_refused(office):
    """reassignment.md: a request "whose explanation is only that" is refused (the pattern used to let it through)."""
    before = world()
    for explanation in (POLICY_SENTENCE, "Client is transient.", "He keeps moving around, very transient.",
                        "The customer frequently relocates"):
        body = {key: value for key, value in body_for(office, explanation=explanation).items() if key != "client_situation"}
        response = api_as(office["current"]).post("/api/v1/reassignments/", body, format="json")
        assert response.status_code == 400, explanation
        assert response.json()["errors"] == {"explanation": [str(policy.TRANSIENT_REFUSAL)]}, explanation
    assert world() == before


def test_the_explanation_is_free_text_read_by_coc_staff_when_the_situation_is_not_transience(office):
    item = reassignment_request(client=office["client"], reason="client_request", client_situation="moved_and_settled",
                                explanation="She was transient last year; now she has settled in Truckee and wants a worker there.",
                                proposed_worker=office["receiving"], actor=office["current"])
    assert (item.status, item.client_situation) == ("requested", "moved_and_settled")
    page = web_as(office["coc"]).get(reverse("reassignment-detail", args=[item.pk])).content.decode()
    assert "The client moved to another area and settled there" in page


# --- 17. who may create a request or propose a worker is the service's rule --------------------------------


@pytest.mark.parametrize("who", ["call_agent", "hmis_admin", "coc_staff", "program_staff", "nonhmis_list_holder", "committee",
                                 "colleague", "receiving"])
def test_only_the_current_case_worker_or_their_supervisor_requests_a_reassignment(office, who):
    """Seed 000, step 1: "The current case worker discusses the reassignment with the proposed new case worker"."""
    personas = {
        "call_agent": lambda: call_agent(agency=office["agency"]),
        "hmis_admin": lambda: UserFactory(agency=office["agency"], roles=[roles.HMIS_ADMIN]),
        "coc_staff": lambda: office["coc"],
        "program_staff": lambda: program_staff(ProgramFactory(agency=office["agency"], type="psh")),
        "nonhmis_list_holder": lambda: UserFactory(roles=[roles.NONHMIS_LIST_HOLDER]),
        "committee": lambda: UserFactory(roles=[roles.COMMITTEE]),
        "colleague": lambda: office["colleague"],
        "receiving": lambda: office["receiving"],
    }
    actor = personas[who]()
    before = world()
    response = api_as(actor).post("/api/v1/reassignments/", body_for(office), format="json")
    assert response.status_code in (403, 404), response.json()
    screen = web_as(actor).post(reverse("client-reassignment-new", args=[office["client"].pk]),
                                {key: value for key, value in body_for(office).items() if key != "client_id"})
    assert screen.status_code in (403, 404)
    with pytest.raises((Forbidden, Invalid)) as refused:
        reassignment_request(client=office["client"], reason="client_request", client_situation="moved_and_settled",
                             explanation="x", proposed_worker=office["receiving"], actor=actor)
    if isinstance(refused.value, Forbidden):
        assert refused.value.errors == {"non_field_errors": [ONLY_WORKER_REQUESTS]}
    assert world() == before
    assert not ReassignmentRequest.history.exists()
    # The current case worker and the supervisor of their agency may.
    assert api_as(office["current"]).post("/api/v1/reassignments/", body_for(office), format="json").status_code == 200


def test_a_requester_who_is_no_longer_a_case_worker_cannot_propose_another_worker(office):
    """Seed 000: "The receiving worker must agree to accept the client" — when they decline, the requesting (or current)
    case worker proposes another; a person whose roles changed (now an HMIS admin) may not."""
    item = reassignment_request(client=office["client"], reason="same_agency_transfer", client_situation="stays_in_area",
                                explanation="Caseload balance", proposed_worker=office["receiving"], actor=office["lom"])
    item = reassignment_decide(request=item, approve=True, decision="Approved", actor=office["coc"])
    reassignment_step_record(request=item, number=1, outcome="declined", actor=office["receiving"], note="Full caseload")
    office["lom"].groups.set(Group.objects.filter(name=roles.HMIS_ADMIN))  # the supervisor moved to HMIS administration
    former = User.objects.get(pk=office["lom"].pk)
    assert former.has_role(roles.HMIS_ADMIN) and not former.has_role(roles.SUPERVISOR)
    before = world()
    with pytest.raises(Forbidden) as refused:
        reassignment_propose_another(request=item, worker=office["colleague"], actor=former)
    assert refused.value.errors == {"non_field_errors": [ONLY_REQUESTER_PROPOSES]}
    response = api_as(former).post(f"/api/v1/reassignments/{item.pk}/propose-worker/", {"proposed_worker_id": office["colleague"].pk},
                                   format="json")
    assert response.status_code == 403
    assert world() == before
    # The current case worker still may.
    item = reassignment_propose_another(request=item, worker=office["colleague"], actor=office["current"])
    assert (item.status, item.proposed_worker) == ("approved", office["colleague"])


# --- 18. the assignment ends at the housing enrollment --------------------------------------------------------


@pytest.fixture
def referred(office):
    """The client on the list, referred to a PSH program's vacancy (seed 000: "while enrolled in CE prior to being
    enrolled in a housing project")."""
    housing = ProgramFactory(agency=AgencyFactory(name="AMI Housing", initials="AMIH"), type="psh", name="Brunswick Commons")
    staff = program_staff(housing)
    BnlEntryFactory(client=office["client"], score=20)
    referral = vacancy_pull(vacancy=vacancy_create(program=housing, actor=staff), actor=staff, count=1).referrals.get()
    return {"program": housing, "staff": staff, "referral": referral}


def test_the_assignment_ends_when_the_receiving_housing_program_enrolls_the_person(office, referred):
    person = office["client"]
    waiting = reassignment_request(client=person, reason="client_request", client_situation="stays_in_area",
                                   explanation="Wants a Spanish-speaking worker", proposed_worker=office["receiving"], actor=office["current"])
    assert caseload_size(office["current"]) == 1
    response = api_as(referred["staff"]).post(f"/api/v1/referrals/{referred['referral'].pk}/decision/", {"outcome": "enrolled"},
                                              format="json")
    assert response.status_code == 200, response.json()
    assignment = CaseAssignment.objects.get(client=person)
    assert assignment.ended_at is not None and "Brunswick Commons" in assignment.ended_because
    assert assignment.history.first().history_user == referred["staff"]
    assert current_worker_of(person) is None and caseload_size(office["current"]) == 0
    assert ReassignmentRequest.objects.get(pk=waiting.pk).status == "cancelled"
    note = ClientNote.objects.filter(client=person, topic="assignment").order_by("-id").first()
    assert note.text.startswith("CE assignment to") and "Brunswick Commons" in note.text
    assert Notification.objects.filter(recipient=office["current"], subject__contains="enrolled in housing").count() == 1
    # Reassignment no longer applies.
    with pytest.raises(Invalid) as refused:
        reassignment_request(client=person, reason="client_request", client_situation="stays_in_area", explanation="x",
                             proposed_worker=office["receiving"], actor=office["current"])
    assert refused.value.errors == {"non_field_errors": [ASSIGNMENT_ENDED]}
    page = web_as(office["lom"]).get(reverse("client-detail", args=[person.pk])).content.decode()
    assert "The CE assignment to" in page and "ended on" in page


def test_an_accepted_referral_leaves_the_assignment_in_place(office, referred):
    referral_decide(referral=referred["referral"], outcome="accepted", actor=referred["staff"])
    assert current_worker_of(office["client"]) == office["current"]
    assert CaseAssignment.objects.get(client=office["client"]).ended_at is None


def test_a_person_back_in_ce_after_housing_is_assigned_anew(office, referred):
    referral_decide(referral=referred["referral"], outcome="enrolled", actor=referred["staff"])
    assert current_worker_of(office["client"]) is None
    case_assignment_set(client=office["client"], worker=office["colleague"], actor=office["lom"], reason="back in CE")
    assignment = CaseAssignment.objects.get(client=office["client"])
    assert (assignment.worker, assignment.ended_at, assignment.ended_because) == (office["colleague"], None, "")
    assert assignment.history.count() >= 3  # assigned, ended at the enrollment, assigned again
