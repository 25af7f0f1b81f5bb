"""One test per rule of reassignment.md, named after it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ces import roles
from ces.deadlines import deadlines_sweep
from ces.errors import Forbidden, ServiceError
from ces.models import ClientNote, Deadline, Notification
from reassignment import policy
from reassignment.models import CaseAssignment, ReassignmentRequest
from reassignment.services import (
    ALERT_AND_PLAN_REQUIRED,
    NEW_WORKER_CANNOT_DECLINE,
    ONLY_COC_STAFF,
    case_assignment_set,
    client_worker_alert_set,
    reassignment_decide,
    reassignment_propose_another,
    reassignment_request,
    reassignment_step_record,
    safety_handoff_record,
    safety_lom_assessment_record,
    safety_transfer_acknowledge,
    safety_transfer_complete,
    safety_transfer_start,
)
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = AgencyFactory(name="Connecting Point", initials="CP", caseload_limit=2)
    return {
        "agency": agency,
        "current": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="current"),
        "receiving": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="receiving"),
        "lom": UserFactory(agency=agency, roles=[roles.SUPERVISOR], username="lom"),
        "coc": UserFactory(roles=[roles.COC_STAFF], username="coc"),
        "holder": UserFactory(roles=[roles.NONHMIS_LIST_HOLDER], username="holder"),
    }


@pytest.fixture
def client_of(office):
    def make(consent="yes"):
        person = ClientFactory(holding_agency=office["agency"], hmis_consent=consent)
        case_assignment_set(client=person, worker=office["current"], actor=office["lom"], reason="first assignment")
        return person
    return make


def approved(office, client, reason="client_request"):
    request = reassignment_request(client=client, reason=reason, explanation="The client asked for a worker nearer to Auburn.",
                                   proposed_worker=office["receiving"], actor=office["current"])
    return reassignment_decide(request=request, approve=True, decision="Approved: client choice.", actor=office["coc"])


def steps_1_to_4(office, request):
    reassignment_step_record(request=request, number=1, outcome="agreed", actor=office["receiving"])
    reassignment_step_record(request=request, number=2, outcome="consented", actor=office["current"])
    reassignment_step_record(request=request, number=3, outcome="done", actor=office["current"], note="Gave the new worker's number")
    reassignment_step_record(request=request, number=4, outcome="done", actor=office["receiving"], note="Called and introduced myself")


def test_transient_client_cannot_be_reassigned(office, client_of):
    person = client_of()
    for reason, explanation, field in [("transient", "Keeps moving between Auburn and Truckee", "reason"),
                                       ("client_request", "Client is transient", "explanation")]:
        with pytest.raises(ServiceError) as raised:
            reassignment_request(client=person, reason=reason, explanation=explanation, proposed_worker=office["receiving"],
                                 actor=office["current"])
        assert raised.value.errors == {field: [policy.TRANSIENT_REFUSAL]}
        assert "maintaining continuity of care is essential" in policy.TRANSIENT_REFUSAL
    assert not ReassignmentRequest.objects.exists()
    assert CaseAssignment.objects.get(client=person).worker == office["current"]


def test_only_permissible_reasons_are_accepted(office, client_of):
    with pytest.raises(ServiceError) as raised:
        reassignment_request(client=client_of(), reason="worker_on_vacation", explanation="x", proposed_worker=office["receiving"],
                             actor=office["current"])
    assert "reason" in raised.value.errors


def test_case_worker_cannot_approve(office, client_of):
    request = reassignment_request(client=client_of(), reason="client_request", explanation="Wants another worker",
                                   proposed_worker=office["receiving"], actor=office["current"])
    with pytest.raises(Forbidden) as raised:
        reassignment_decide(request=request, approve=True, decision="ok", actor=office["current"])
    assert raised.value.errors == {"non_field_errors": [ONLY_COC_STAFF]}
    api = APIClient()
    api.force_authenticate(office["receiving"])
    assert api.post(f"/api/v1/reassignments/{request.pk}/approve/", {"decision": "ok"}, format="json").status_code == 403
    request.refresh_from_db()
    assert request.status == "requested" and request.decided_by is None


def test_decision_must_be_written(office, client_of):
    request = reassignment_request(client=client_of(), reason="client_request", explanation="Wants another worker",
                                   proposed_worker=office["receiving"], actor=office["current"])
    with pytest.raises(ServiceError):
        reassignment_decide(request=request, approve=False, decision=" ", actor=office["coc"])


def test_assignment_changes_only_after_system_update_step(office, client_of):
    person = client_of()
    request = approved(office, person)
    steps_1_to_4(office, request)
    assert CaseAssignment.objects.get(client=person).worker == office["current"]
    reassignment_step_record(request=request, number=5, outcome="done", actor=office["coc"])
    assert CaseAssignment.objects.get(client=person).worker == office["receiving"]
    assert ReassignmentRequest.objects.get().status == "completed"


def test_steps_go_in_order(office, client_of):
    request = approved(office, client_of())
    with pytest.raises(ServiceError) as raised:
        reassignment_step_record(request=request, number=2, outcome="consented", actor=office["current"])
    assert "Record step 1 first" in raised.value.errors["number"][0]


def test_receiving_worker_must_agree_in_own_account(office, client_of):
    request = approved(office, client_of())
    for someone_else in (office["current"], office["lom"], office["coc"]):
        with pytest.raises(ServiceError) as raised:
            reassignment_step_record(request=request, number=1, outcome="agreed", actor=someone_else)
        assert "receiving worker in their own account" in raised.value.errors["non_field_errors"][0]
    reassignment_step_record(request=request, number=1, outcome="agreed", actor=office["receiving"])


def test_declining_receiving_worker_stops_until_another_is_proposed(office, client_of):
    request = approved(office, client_of())
    reassignment_step_record(request=request, number=1, outcome="declined", actor=office["receiving"], note="Full week")
    assert ReassignmentRequest.objects.get().status == "receiving_declined"
    other = UserFactory(agency=office["agency"], roles=[roles.CASE_WORKER])
    request = reassignment_propose_another(request=request, worker=other, actor=office["current"])
    assert request.status == "approved"
    reassignment_step_record(request=request, number=1, outcome="agreed", actor=other)


def test_client_without_consent_stops_the_request(office, client_of):
    person = client_of()
    request = approved(office, person)
    reassignment_step_record(request=request, number=1, outcome="agreed", actor=office["receiving"])
    reassignment_step_record(request=request, number=2, outcome="refused", actor=office["current"])
    assert ReassignmentRequest.objects.get().status == "client_declined"
    with pytest.raises(ServiceError):
        reassignment_step_record(request=request, number=3, outcome="done", actor=office["current"])
    assert CaseAssignment.objects.get(client=person).worker == office["current"]


def test_non_hmis_client_system_update_is_done_by_the_list_holder_who_is_notified(office, client_of):
    person = client_of(consent="no")
    request = approved(office, person)
    steps_1_to_4(office, request)
    assert Notification.objects.filter(recipient=office["holder"], subject__contains="system update is yours").exists()
    with pytest.raises(ServiceError):
        reassignment_step_record(request=request, number=5, outcome="done", actor=office["coc"])
    reassignment_step_record(request=request, number=5, outcome="done", actor=office["holder"])
    assert CaseAssignment.objects.get(client=person).worker == office["receiving"]


def test_every_step_is_in_the_ce_enrollment_notes_and_history(office, client_of):
    person = client_of()
    request = approved(office, person)
    steps_1_to_4(office, request)
    reassignment_step_record(request=request, number=5, outcome="done", actor=office["coc"])
    texts = list(ClientNote.objects.filter(client=person).values_list("text", flat=True))
    for n in range(1, 6):
        assert any(text.startswith(f"Reassignment step {n}") for text in texts), n
    assert request.history.count() >= 7


def test_standard_reassignment_refused_at_the_caseload_limit(office, client_of):
    client_of()
    case_assignment_set(client=ClientFactory(holding_agency=office["agency"]), worker=office["receiving"], actor=office["lom"], reason="x")
    case_assignment_set(client=ClientFactory(holding_agency=office["agency"]), worker=office["receiving"], actor=office["lom"], reason="x")
    with pytest.raises(ServiceError) as raised:
        reassignment_request(client=client_of(), reason="client_request", explanation="Wants another",
                             proposed_worker=office["receiving"], actor=office["current"])
    assert "caseload limit" in raised.value.texts()["proposed_worker_id"][0]


def test_safety_transfer_ignores_caseload_limit(office, client_of):
    person = client_of()
    for _ in range(2):
        case_assignment_set(client=ClientFactory(holding_agency=office["agency"]), worker=office["receiving"], actor=office["lom"], reason="x")
    request = safety_transfer_start(client=person, new_worker=office["receiving"], explanation="Threats against the current worker",
                                    actor=office["lom"])
    client_worker_alert_set(client=person, plan="Meet only at the office with a second staff member.", actor=office["lom"])
    request = safety_transfer_complete(request=request, actor=office["lom"])
    assert request.caseload_bypassed is True
    assert CaseAssignment.objects.get(client=person).worker == office["receiving"]
    assert "caseload limit bypassed" in request.history.first().history_change_reason


def test_safety_transfer_requires_worker_alert_and_plan(office, client_of):
    person = client_of()
    request = safety_transfer_start(client=person, new_worker=office["receiving"], explanation="Threats", actor=office["lom"])
    with pytest.raises(ServiceError) as raised:
        safety_transfer_complete(request=request, actor=office["lom"])
    assert raised.value.errors == {"non_field_errors": [ALERT_AND_PLAN_REQUIRED]}
    assert CaseAssignment.objects.get(client=person).worker == office["current"]
    client_worker_alert_set(client=person, plan="Office visits only.", actor=office["lom"])
    safety_transfer_complete(request=request, actor=office["lom"])


def test_safety_transfer_is_decided_by_the_lom_without_coc_approval(office, client_of):
    person = client_of()
    with pytest.raises(ServiceError):
        safety_transfer_start(client=person, new_worker=office["receiving"], explanation="x", actor=office["coc"])
    other_office_lom = UserFactory(roles=[roles.SUPERVISOR])
    with pytest.raises(ServiceError):
        safety_transfer_start(client=person, new_worker=office["receiving"], explanation="x", actor=other_office_lom)
    request = safety_transfer_start(client=person, new_worker=office["receiving"], explanation="Threats", actor=office["lom"])
    assert request.status == "safety_pending" and request.decided_by == office["lom"]


def test_new_worker_cannot_decline_safety_transfer(office, client_of):
    person = client_of()
    request = safety_transfer_start(client=person, new_worker=office["receiving"], explanation="Threats", actor=office["lom"])
    client_worker_alert_set(client=person, plan="Office only", actor=office["lom"])
    request = safety_transfer_complete(request=request, actor=office["lom"])
    with pytest.raises(ServiceError) as raised:
        reassignment_step_record(request=request, number=1, outcome="declined", actor=office["receiving"])
    assert raised.value.errors == {"outcome": [NEW_WORKER_CANNOT_DECLINE]}
    assert Notification.objects.filter(recipient=office["receiving"], subject__startswith="WORKER ALERT").exists()
    safety_transfer_acknowledge(request=request, actor=office["receiving"])


def test_handoff_note_is_due_in_two_business_days_with_reminders_to_the_lom(office, client_of):
    person = client_of()
    request = safety_transfer_start(client=person, new_worker=office["receiving"], explanation="Threats", actor=office["lom"],
                                    court_obligations="Court date 2026-12-09")
    client_worker_alert_set(client=person, plan="Office only", actor=office["lom"])
    request = safety_transfer_complete(request=request, actor=office["lom"])
    due = Deadline.objects.get(kind="reassignment.handoff_due", state="pending")
    assert (timezone.localtime(due.due_at).date() - timezone.localdate()).days >= 2
    deadlines_sweep(now=due.due_at + timedelta(minutes=1))
    assert Notification.objects.filter(recipient=office["lom"], subject__contains="overdue").count() == 1
    assert Deadline.objects.filter(kind="reassignment.handoff_due", state="pending").count() == 1  # next reminder
    with pytest.raises(ServiceError):
        safety_handoff_record(request=request, note="Here is everything", actor=office["receiving"])
    safety_handoff_record(request=request, note="Here is everything", actor=office["current"])
    assert not Deadline.objects.filter(kind="reassignment.handoff_due", state="pending").exists()
    safety_transfer_acknowledge(request=request, actor=office["receiving"])
    request = safety_lom_assessment_record(request=request, text="Experienced with de-escalation.", actor=office["lom"])
    assert request.status == "completed"


def test_worker_alert_shows_wherever_the_client_appears(office, client_of, client):
    from tests.factories import BnlEntryFactory

    person = client_of()
    client_worker_alert_set(client=person, plan="Office only", actor=office["lom"])
    BnlEntryFactory(client=person)
    client.force_login(office["current"])
    for url in (reverse("client-detail", args=[person.pk]), reverse("bnl-list")):
        assert "WORKER ALERT" in client.get(url).content.decode(), url
    api = APIClient()
    api.force_authenticate(office["current"])
    assert api.get(f"/api/v1/clients/{person.pk}/").json()["worker_alert"] is True
    assert api.get("/api/v1/bnl/").json()["results"][0]["worker_alert"] is True


def test_worker_of_another_agency_cannot_see_the_request(office, client_of):
    request = reassignment_request(client=client_of(), reason="client_request", explanation="Wants another",
                                   proposed_worker=office["receiving"], actor=office["current"])
    outsider = UserFactory(roles=[roles.CASE_WORKER])
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/reassignments/{request.pk}/").status_code == 404
    assert api.get("/api/v1/reassignments/").json() == []
    web = __import__("django.test", fromlist=["Client"]).Client()
    web.force_login(outsider)
    assert web.get(reverse("reassignment-detail", args=[request.pk])).status_code == 404
    api.force_authenticate(office["coc"])
    assert api.get(f"/api/v1/reassignments/{request.pk}/").status_code == 200


def test_api_walks_a_standard_reassignment(office, client_of):
    person = client_of()
    def api_as(user):
        api = APIClient()
        api.force_authenticate(user)
        return api
    created = api_as(office["current"]).post("/api/v1/reassignments/", {"client_id": person.pk, "reason": "client_request",
                                                                       "explanation": "Wants a Spanish-speaking worker",
                                                                       "proposed_worker_id": office["receiving"].pk}, format="json")
    assert created.status_code == 200, created.json()
    pk = created.json()["id"]
    assert api_as(office["coc"]).post(f"/api/v1/reassignments/{pk}/approve/", {"decision": "Approved"}, format="json").json()["status"] == "approved"
    for user, number, outcome in [("receiving", 1, "agreed"), ("current", 2, "consented"), ("current", 3, "done"),
                                  ("receiving", 4, "done"), ("coc", 5, "done")]:
        response = api_as(office[user]).post(f"/api/v1/reassignments/{pk}/steps/", {"number": number, "outcome": outcome}, format="json")
        assert response.status_code == 200, (number, response.json())
    assert response.json()["status"] == "completed"
    # The receiving worker is now the client's worker: only they (or their supervisor) may ask again.
    bad = api_as(office["receiving"]).post("/api/v1/reassignments/", {"client_id": person.pk, "reason": "transient",
                                                                   "explanation": "moves", "proposed_worker_id": office["lom"].pk}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]["reason"] == [policy.TRANSIENT_REFUSAL]
