"""Who may act on whose client (issue "Trust boundary"): the services are the only gate, so every
door answers the same — 404 for a client the caller may not see, 403 for one they may see but
not act on — and a refusal leaves no row, no history, no note and no notice behind."""

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from ces.models import AccessLog, Client, ClientNote, Notification
from reassignment.models import CaseAssignment, ReassignmentRequest
from reassignment.services import (
    case_assignment_set,
    reassignment_decide,
    reassignment_request,
    reassignment_step_record,
)
from tests.factories import AgencyFactory, ClientFactory, UserFactory, call_agent
from tests.reassignment.doors import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    ours = AgencyFactory(name="Connecting Point", initials="CP")
    theirs = AgencyFactory(name="AMI Housing", initials="AMIH")  # HMIS-participating: sees our consented clients
    people = {
        "ours": ours,
        "theirs": theirs,
        "current": UserFactory(agency=ours, roles=[roles.CASE_WORKER]),
        "receiving": UserFactory(agency=ours, roles=[roles.CASE_WORKER]),
        "lom": UserFactory(agency=ours, roles=[roles.SUPERVISOR]),
        "their_supervisor": UserFactory(agency=theirs, roles=[roles.SUPERVISOR]),
        "their_worker": UserFactory(agency=theirs, roles=[roles.CASE_WORKER]),
        "coc": UserFactory(roles=[roles.COC_STAFF]),
        "admin": UserFactory(roles=[roles.HMIS_ADMIN]),
    }
    people["shared"] = ClientFactory(holding_agency=ours, hmis_consent="yes")  # visible to the other agency
    people["private"] = ClientFactory(holding_agency=ours, hmis_consent="no")  # not visible to them
    return people


def api_as(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def web_as(user):
    web = WebClient()
    web.force_login(user)
    return web


def test_supervisor_of_another_agency_cannot_put_a_worker_alert_on_our_client(agencies):
    outsider = agencies["their_supervisor"]
    before = world()
    shared, private = agencies["shared"], agencies["private"]
    response = api_as(outsider).post(f"/api/v1/clients/{shared.pk}/worker-alert/", {"safety_plan": "Mine now"}, format="json")
    assert response.status_code == 403
    assert api_as(outsider).post(f"/api/v1/clients/{private.pk}/worker-alert/", {"safety_plan": "x"}, format="json").status_code == 404
    assert web_as(outsider).post(reverse("client-worker-alert", args=[private.pk]), {"safety_plan": "x"}).status_code == 404
    screen = web_as(outsider).post(reverse("client-worker-alert", args=[shared.pk]), {"safety_plan": "Mine now"})
    assert screen.status_code == 403  # the client's page again, with the reason
    assert world() == before
    shared.refresh_from_db()
    assert shared.worker_alert is False and shared.safety_plan == ""
    # The LOM of the office holding the client may.
    assert api_as(agencies["lom"]).post(f"/api/v1/clients/{shared.pk}/worker-alert/", {"safety_plan": "Office only"},
                                        format="json").json()["worker_alert"] is True


def test_lom_of_the_assigned_workers_office_may_set_the_worker_alert(agencies):
    """After a cross-agency reassignment the LOM is the assigned worker's supervisor (reassignment.md, track 2)."""
    shared = agencies["shared"]
    case_assignment_set(client=shared, worker=agencies["current"], actor=agencies["lom"])
    CaseAssignment.objects.filter(client=shared).update(worker=agencies["their_worker"])
    response = api_as(agencies["their_supervisor"]).post(f"/api/v1/clients/{shared.pk}/worker-alert/", {"safety_plan": "Pairs only"},
                                                         format="json")
    assert response.status_code == 200
    assert Client.objects.get(pk=shared.pk).safety_plan == "Pairs only"


def test_supervisor_of_another_agency_cannot_assign_our_clients_first_worker(agencies):
    outsider = agencies["their_supervisor"]
    shared, private = agencies["shared"], agencies["private"]
    before = world()
    for worker in (agencies["their_worker"], agencies["current"]):
        response = api_as(outsider).post(f"/api/v1/clients/{shared.pk}/assign/", {"worker_id": worker.pk}, format="json")
        assert response.status_code == 403, worker
    response = api_as(outsider).post(f"/api/v1/clients/{private.pk}/assign/", {"worker_id": agencies["their_worker"].pk}, format="json")
    assert response.status_code == 404
    assert web_as(outsider).post(reverse("client-assign", args=[shared.pk]), {"worker_id": agencies["their_worker"].pk}).status_code == 403
    assert web_as(outsider).post(reverse("client-assign", args=[private.pk]), {"worker_id": agencies["their_worker"].pk}).status_code == 404
    assert world() == before
    assert not CaseAssignment.objects.exists()


def test_the_first_worker_changes_only_through_a_reassignment(agencies):
    case_assignment_set(client=agencies["shared"], worker=agencies["current"], actor=agencies["lom"])
    response = api_as(agencies["lom"]).post(f"/api/v1/clients/{agencies['shared'].pk}/assign/",
                                            {"worker_id": agencies["receiving"].pk}, format="json")
    assert response.status_code == 400
    assert CaseAssignment.objects.get(client=agencies["shared"]).worker == agencies["current"]


def test_supervisor_of_another_agency_cannot_start_a_safety_transfer(agencies):
    shared = agencies["shared"]
    case_assignment_set(client=shared, worker=agencies["current"], actor=agencies["lom"])
    before = world()
    body = {"client_id": shared.pk, "new_worker_id": agencies["receiving"].pk, "explanation": "Threats"}
    assert api_as(agencies["their_supervisor"]).post("/api/v1/reassignments/safety/", body, format="json").status_code == 403
    body["client_id"] = agencies["private"].pk
    assert api_as(agencies["their_supervisor"]).post("/api/v1/reassignments/safety/", body, format="json").status_code == 404
    assert world() == before


@pytest.mark.parametrize("who", ["admin", "coc", "receiving", "lom"])
def test_only_the_requesting_or_current_worker_proposes_another_worker(agencies, who):
    shared = agencies["shared"]
    case_assignment_set(client=shared, worker=agencies["current"], actor=agencies["lom"])
    request = reassignment_request(client=shared, reason="client_request", explanation="Wants another worker",
                                   proposed_worker=agencies["receiving"], actor=agencies["current"])
    request = reassignment_decide(request=request, approve=True, decision="Approved", actor=agencies["coc"])
    reassignment_step_record(request=request, number=1, outcome="declined", actor=agencies["receiving"])
    other = UserFactory(agency=agencies["ours"], roles=[roles.CASE_WORKER])
    before = world()
    response = api_as(agencies[who]).post(f"/api/v1/reassignments/{request.pk}/propose-worker/", {"proposed_worker_id": other.pk},
                                          format="json")
    assert response.status_code == 403, response.json()
    assert world() == before
    assert ReassignmentRequest.objects.get().proposed_worker == agencies["receiving"]
    response = api_as(agencies["current"]).post(f"/api/v1/reassignments/{request.pk}/propose-worker/",
                                                {"proposed_worker_id": other.pk}, format="json")
    assert response.status_code == 200 and response.json()["proposed_worker_id"] == other.pk


@pytest.mark.parametrize("who", ["call_agent", "coc", "receiving", "their_supervisor"])
def test_a_refused_reassignment_create_leaves_no_row_and_no_history(agencies, who):
    shared = agencies["shared"]
    case_assignment_set(client=shared, worker=agencies["current"], actor=agencies["lom"])
    actor = call_agent() if who == "call_agent" else agencies[who]
    before = world()
    notes, notices = ClientNote.objects.count(), Notification.objects.count()
    body = {"client_id": shared.pk, "reason": "client_request", "explanation": "Wants another worker",
            "proposed_worker_id": agencies["receiving"].pk}
    response = api_as(actor).post("/api/v1/reassignments/", body, format="json")
    assert response.status_code == 403, response.json()
    screen = web_as(actor).post(reverse("client-reassignment-new", args=[shared.pk]), body)
    assert screen.status_code in (400, 403)
    assert world() == before
    assert not ReassignmentRequest.objects.exists()
    assert not ReassignmentRequest.history.exists()
    assert (ClientNote.objects.count(), Notification.objects.count()) == (notes, notices)


def test_the_current_workers_supervisor_may_request_a_reassignment(agencies):
    shared = agencies["shared"]
    case_assignment_set(client=shared, worker=agencies["current"], actor=agencies["lom"])
    response = api_as(agencies["lom"]).post("/api/v1/reassignments/", {
        "client_id": shared.pk, "reason": "same_agency_transfer", "explanation": "Caseload balance",
        "proposed_worker_id": agencies["receiving"].pk}, format="json")
    assert response.status_code == 200
    assert ReassignmentRequest.objects.get().requested_by == agencies["lom"]


def test_worker_ids_outside_the_allowed_agency_or_without_a_worker_role_are_400_keyed_by_field(agencies):
    shared = agencies["shared"]
    case_assignment_set(client=shared, worker=agencies["current"], actor=agencies["lom"])
    inactive = UserFactory(agency=agencies["ours"], roles=[roles.CASE_WORKER], is_active=False)
    agent = call_agent()
    base = {"client_id": shared.pk, "reason": "same_agency_transfer", "explanation": "Caseload balance"}
    for worker_id in (agencies["their_worker"].pk, agent.pk, agencies["coc"].pk, inactive.pk, 987654321):
        response = api_as(agencies["current"]).post("/api/v1/reassignments/", {**base, "proposed_worker_id": worker_id}, format="json")
        assert response.status_code == 400 and list(response.json()["errors"]) == ["proposed_worker_id"], worker_id
    safety = {"client_id": shared.pk, "explanation": "Threats"}
    for worker_id in (agencies["their_worker"].pk, agent.pk, agencies["current"].pk, 987654321):
        response = api_as(agencies["lom"]).post("/api/v1/reassignments/safety/", {**safety, "new_worker_id": worker_id}, format="json")
        assert response.status_code == 400 and list(response.json()["errors"]) == ["new_worker_id"], worker_id
    newcomer = agencies["private"]
    for worker_id in (agencies["their_worker"].pk, agent.pk, inactive.pk, 987654321):
        response = api_as(agencies["lom"]).post(f"/api/v1/clients/{newcomer.pk}/assign/", {"worker_id": worker_id}, format="json")
        assert response.status_code == 400 and list(response.json()["errors"]) == ["worker_id"], worker_id
    assert not ReassignmentRequest.objects.exists()
    assert not CaseAssignment.objects.filter(client=newcomer).exists()


def test_reading_a_request_writes_one_access_log_row_per_look(agencies):
    shared = agencies["shared"]
    case_assignment_set(client=shared, worker=agencies["current"], actor=agencies["lom"])
    request = reassignment_request(client=shared, reason="client_request", explanation="Wants another worker",
                                   proposed_worker=agencies["receiving"], actor=agencies["current"])
    coc = agencies["coc"]
    web_as(coc).get(reverse("reassignment-detail", args=[request.pk]))
    api_as(coc).get(f"/api/v1/reassignments/{request.pk}/")
    api_as(coc).get("/api/v1/reassignments/")
    rows = list(AccessLog.objects.filter(user=coc).order_by("id").values_list("action", "client_id"))
    assert rows == [(AccessLog.Action.VIEW_FILE, shared.pk), (AccessLog.Action.API_READ, shared.pk), (AccessLog.Action.VIEW_LIST, None)]
