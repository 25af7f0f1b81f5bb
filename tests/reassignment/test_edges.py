"""The path of an action for reassignment (docs/architecture.md): one declared input per action,
bad input refused at both doors with nothing saved, ids in URLs never a 500."""

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from ces.models import Notification
from reassignment.models import CaseAssignment, ReassignmentRequest, ReassignmentStep
from reassignment.services import (
    case_assignment_set,
    client_worker_alert_set,
    reassignment_decide,
    reassignment_request,
    reassignment_step_record,
    safety_transfer_complete,
    safety_transfer_start,
)
from tests.factories import AgencyFactory, ClientFactory, UserFactory
from tests.reassignment.doors import refused_everywhere, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = AgencyFactory(name="Connecting Point", initials="CP", caseload_limit=10)
    people = {
        "agency": agency,
        "current": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="current"),
        "receiving": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="receiving"),
        "other": UserFactory(agency=agency, roles=[roles.CASE_WORKER], username="other"),
        "lom": UserFactory(agency=agency, roles=[roles.SUPERVISOR], username="lom"),
        "coc": UserFactory(roles=[roles.COC_STAFF], username="coc"),
    }
    people["client"] = ClientFactory(holding_agency=agency, hmis_consent="yes")
    case_assignment_set(client=people["client"], worker=people["current"], actor=people["lom"])
    return people


def doors(user):
    api = APIClient()
    api.force_authenticate(user)
    web = WebClient()
    web.force_login(user)
    return api, web


def requested(office):
    return reassignment_request(client=office["client"], reason="client_request", explanation="Wants a worker in Auburn.",
                                proposed_worker=office["receiving"], actor=office["current"])


def approved(office):
    return reassignment_decide(request=requested(office), approve=True, decision="Approved.", actor=office["coc"])


def transferred(office):
    request = safety_transfer_start(client=office["client"], new_worker=office["receiving"], explanation="Threats",
                                    actor=office["lom"])
    client_worker_alert_set(client=office["client"], plan="Office visits only.", actor=office["lom"])
    return safety_transfer_complete(request=request, actor=office["lom"])


def action_url(request, name):
    return reverse("reassignment-action", args=[request.pk, name])


def test_request_refuses_bad_input_at_both_doors(office):
    api, web = doors(office["current"])
    body = {"reason": "client_request", "client_situation": "moved_and_settled", "explanation": "Wants a worker in Auburn.",
            "proposed_worker_id": office["receiving"].pk}
    refused_everywhere(api=api, api_url="/api/v1/reassignments/", api_body={**body, "client_id": office["client"].pk},
                       web=web, web_url=reverse("client-reassignment-new", args=[office["client"].pk]), web_body=body,
                       fields={"client_id": "id", "reason": "choice", "client_situation": "choice", "explanation": "text",
                               "proposed_worker_id": "id"})
    assert not ReassignmentRequest.objects.exists()
    response = web.post(reverse("client-reassignment-new", args=[office["client"].pk]), body)
    assert response.status_code == 302
    assert ReassignmentRequest.objects.get().client_situation == "moved_and_settled"
    ReassignmentRequest.objects.update(status="cancelled")
    response = api.post("/api/v1/reassignments/", {**body, "client_id": office["client"].pk}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "requested"


def test_the_screen_asks_for_the_clients_situation_the_api_may_leave_it_unstated(office):
    api, web = doors(office["current"])
    body = {"reason": "client_request", "explanation": "Wants a worker in Auburn.", "proposed_worker_id": office["receiving"].pk}
    response = web.post(reverse("client-reassignment-new", args=[office["client"].pk]), body)
    assert response.status_code == 400 and not ReassignmentRequest.objects.exists()
    response = api.post("/api/v1/reassignments/", {**body, "client_id": office["client"].pk}, format="json")
    assert response.status_code == 200 and response.json()["client_situation"] == ""


def test_decision_refuses_bad_input_at_both_doors(office):
    request = requested(office)
    api, web = doors(office["coc"])
    for name in ("approve", "deny"):
        refused_everywhere(api=api, api_url=f"/api/v1/reassignments/{request.pk}/{name}/", api_body={"decision": "Fine."},
                           web=web, web_url=action_url(request, name), web_body={"decision": "Fine."}, fields={"decision": "text"})
    assert ReassignmentRequest.objects.get().status == "requested"
    assert api.post(f"/api/v1/reassignments/{request.pk}/deny/", {"decision": "No."}, format="json").json()["status"] == "denied"


def test_step_number_and_outcome_refuse_bad_input_at_both_doors(office):
    request = approved(office)
    api, web = doors(office["receiving"])
    body = {"number": 1, "outcome": "agreed", "note": "Glad to."}
    refused_everywhere(api=api, api_url=f"/api/v1/reassignments/{request.pk}/steps/", api_body=body,
                       web=web, web_url=action_url(request, "step"), web_body=body,
                       fields={"number": "choice", "outcome": "choice", "note": "optional_text"})
    assert not ReassignmentStep.objects.exists()
    response = api.post(f"/api/v1/reassignments/{request.pk}/steps/", body, format="json")
    assert response.status_code == 200 and response.json()["next_step"] == 2


def test_proposing_another_worker_refuses_bad_input_at_both_doors(office):
    request = approved(office)
    reassignment_step_record(request=request, number=1, outcome="declined", actor=office["receiving"])
    api, web = doors(office["current"])
    body = {"proposed_worker_id": office["other"].pk}
    refused_everywhere(api=api, api_url=f"/api/v1/reassignments/{request.pk}/propose-worker/", api_body=body,
                       web=web, web_url=action_url(request, "propose"), web_body=body, fields={"proposed_worker_id": "id"})
    assert ReassignmentRequest.objects.get().proposed_worker == office["receiving"]
    response = api.post(f"/api/v1/reassignments/{request.pk}/propose-worker/", body, format="json")
    assert response.json()["proposed_worker_id"] == office["other"].pk and response.json()["status"] == "approved"


def test_safety_transfer_refuses_bad_input_at_both_doors(office):
    api, web = doors(office["lom"])
    body = {"new_worker_id": office["receiving"].pk, "explanation": "Threats against the worker", "court_obligations": "Court 12/9"}
    refused_everywhere(api=api, api_url="/api/v1/reassignments/safety/", api_body={**body, "client_id": office["client"].pk},
                       web=web, web_url=reverse("client-safety-transfer", args=[office["client"].pk]), web_body=body,
                       fields={"client_id": "id", "new_worker_id": "id", "explanation": "text", "court_obligations": "optional_text"})
    assert not ReassignmentRequest.objects.exists()
    response = api.post("/api/v1/reassignments/safety/", {**body, "client_id": office["client"].pk}, format="json")
    assert response.json()["status"] == "safety_pending"


def test_hand_off_and_assessment_refuse_bad_input_at_both_doors(office):
    request = transferred(office)
    api, web = doors(office["current"])
    refused_everywhere(api=api, api_url=f"/api/v1/reassignments/{request.pk}/handoff/", api_body={"note": "All here."},
                       web=web, web_url=action_url(request, "handoff"), web_body={"note": "All here."}, fields={"note": "text"})
    api, web = doors(office["lom"])
    refused_everywhere(api=api, api_url=f"/api/v1/reassignments/{request.pk}/lom-assessment/", api_body={"assessment": "Able."},
                       web=web, web_url=action_url(request, "assessment"), web_body={"assessment": "Able."},
                       fields={"assessment": "text"})
    request.refresh_from_db()
    assert request.handoff_at is None and request.lom_assessed_at is None


def test_first_assignment_and_worker_alert_refuse_bad_input_at_both_doors(office):
    newcomer = ClientFactory(holding_agency=office["agency"], hmis_consent="yes")
    api, web = doors(office["lom"])
    refused_everywhere(api=api, api_url=f"/api/v1/clients/{newcomer.pk}/assign/", api_body={"worker_id": office["other"].pk},
                       web=web, web_url=reverse("client-assign", args=[newcomer.pk]), web_body={"worker_id": office["other"].pk},
                       fields={"worker_id": "id"})
    refused_everywhere(api=api, api_url=f"/api/v1/clients/{newcomer.pk}/worker-alert/", api_body={"safety_plan": "Office only."},
                       web=web, web_url=reverse("client-worker-alert", args=[newcomer.pk]), web_body={"safety_plan": "Office only."},
                       fields={"safety_plan": "text"})
    assert not CaseAssignment.objects.filter(client=newcomer).exists()
    response = api.post(f"/api/v1/clients/{newcomer.pk}/assign/", {"worker_id": office["other"].pk}, format="json")
    assert response.status_code == 201 and response.json()["worker_id"] == office["other"].pk
    response = api.post(f"/api/v1/clients/{newcomer.pk}/worker-alert/", {"safety_plan": "Office only."}, format="json")
    assert response.json() == {"client_id": newcomer.pk, "worker_alert": True, "safety_plan": "Office only."}


def test_actions_without_fields_refuse_a_body_that_is_not_an_object(office):
    request = safety_transfer_start(client=office["client"], new_worker=office["receiving"], explanation="Threats", actor=office["lom"])
    client_worker_alert_set(client=office["client"], plan="Office visits only.", actor=office["lom"])
    api, _web = doors(office["lom"])
    before = world()
    for body in ([1, 2], "complete", 10**30):
        response = api.post(f"/api/v1/reassignments/{request.pk}/complete-transfer/", body, format="json")
        assert response.status_code == 400, body
    assert world() == before
    assert api.post(f"/api/v1/reassignments/{request.pk}/complete-transfer/", {}, format="json").json()["status"] == "safety_transferred"


@pytest.mark.parametrize("path", [
    "/reassignments/abc/", "/reassignments/²/", "/reassignments/1000000000000000000000000000000/",
    "/reassignments/1/abc/", "/reassignments/clients/abc/request/", "/reassignments/clients/٣/assign/",
    "/api/v1/reassignments/abc/", "/api/v1/reassignments/²/steps/", "/api/v1/clients/1000000000000000000000000000000/assign/",
])
def test_ids_in_urls_that_are_not_ids_answer_404(office, path):
    api, web = doors(office["coc"])
    before = world()
    assert web.post(path, {"decision": "x"}).status_code == 404
    assert web.get(path).status_code in (404, 405)
    if path.startswith("/api/"):
        assert api.post(path, {"decision": "x"}, format="json").status_code == 404
    assert world() == before


def test_an_unknown_action_on_the_screen_is_404(office):
    request = requested(office)
    _api, web = doors(office["coc"])
    assert web.post(action_url(request, "teleport"), {"decision": "x"}).status_code == 404
    assert ReassignmentRequest.objects.get().status == "requested"


def test_refusals_and_notices_speak_the_readers_language(office):
    office["coc"].preferred_language = "es"
    office["coc"].save()
    request = requested(office)
    notice = Notification.objects.get(recipient=office["coc"])
    assert notice.subject == f"La solicitud de reasignación de {office['client'].label} necesita una decisión"
    assert notice.link == reverse("reassignment-detail", args=[request.pk])
    api, _web = doors(office["current"])
    response = api.post(f"/api/v1/reassignments/{request.pk}/approve/", {"decision": "Sí"}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 403
    assert response.json()["errors"]["non_field_errors"] == ["Solo el personal del CoC aprueba o deniega reasignaciones."]
    response = api.post(f"/api/v1/reassignments/{request.pk}/approve/", {"decision": "Yes"}, format="json")
    assert response.json()["errors"]["non_field_errors"] == ["Only CoC staff approve or deny reassignments."]
