"""The path of an action for engagement: one declared input per action, bad input refused at both
doors with nothing saved, who may act decided by the services, one access-log row per look."""

import ast
from pathlib import Path

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from ces.errors import Forbidden, Invalid, NotFound
from ces.models import AccessLog, Notification
from ces.system_user import system_user_get
from engagement.disengagement import status_form_countersign, status_form_file
from engagement.models import ContactAttempt, EngagementCase, OutreachStep, ServiceRecord, StatusForm
from engagement.selectors import letter_is_due
from engagement.services import VOICEMAIL_NOT_CONSENTED, attempt_record, engagement_open, letter_send, step_overdue
from tests.factories import AgencyFactory, ClientFactory, ProgramFactory, UserFactory, call_agent
from tests.reassignment.doors import refused_everywhere, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = AgencyFactory(initials="COSE")
    other = AgencyFactory(initials="AMIH")
    return {
        "agency": agency,
        "worker": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "director": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "assertive": ProgramFactory(agency=agency, type="services", engagement_policy="assertive"),
        "thirty_sixty": ProgramFactory(agency=agency, type="services", engagement_policy="disengagement_30_60"),
        "their_program": ProgramFactory(agency=other, type="services"),
        "their_supervisor": UserFactory(agency=other, roles=[roles.SUPERVISOR]),
        "their_worker": UserFactory(agency=other, roles=[roles.CASE_WORKER]),
        "client": ClientFactory(holding_agency=agency, hmis_consent="yes", voicemail_consent="no"),
    }


def doors(user):
    api = APIClient()
    api.force_authenticate(user)
    web = WebClient()
    web.force_login(user)
    return api, web


def due_for_engagement(office) -> EngagementCase:
    case = engagement_open(client=office["client"], program=office["thirty_sixty"], worker=office["worker"], actor=office["worker"])
    attempt_record(case=case, channel="phone", outcome="no_answer", actor=office["worker"])
    attempt_record(case=case, channel="email", outcome="message_sent", actor=office["worker"])
    EngagementCase.objects.filter(pk=case.pk).update(status="due_for_engagement")
    return EngagementCase.objects.get(pk=case.pk)


def letter_due(office) -> EngagementCase:
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["worker"])
    OutreachStep.objects.filter(case=case).update(cancelled=True)
    OutreachStep.objects.create(case=case, number=OutreachStep.Number.LETTER, due_on=case.opened_on)
    return case


# --- bad input at both doors -------------------------------------------------------------------


def test_opening_a_case_refuses_bad_input_at_both_doors(office):
    api, web = doors(office["worker"])
    body = {"program_id": office["assertive"].pk, "kind": "new_referral"}
    refused_everywhere(api=api, api_url="/api/v1/engagement-cases/", api_body={**body, "client_id": office["client"].pk},
                       web=web, web_url=reverse("engagement-open", args=[office["client"].pk]), web_body={**body, "referral_id": ""},
                       fields={"client_id": "id", "program_id": "id", "kind": "defaulted_choice", "referral_id": "optional_id"})
    assert not EngagementCase.objects.exists()
    response = api.post("/api/v1/engagement-cases/", {**body, "client_id": office["client"].pk}, format="json")
    assert response.status_code == 201 and response.json()["next_step"]["number"] == 1


def test_attempts_refuse_bad_input_at_both_doors(office):
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["worker"])
    api, web = doors(office["worker"])
    body = {"channel": "phone", "outcome": "no_answer", "note": "Rang ten times."}
    refused_everywhere(api=api, api_url=f"/api/v1/engagement-cases/{case.pk}/attempts/", api_body=body,
                       web=web, web_url=reverse("engagement-attempt", args=[case.pk]), web_body=body,
                       fields={"channel": "choice", "outcome": "choice", "note": "optional_text", "at": "moment"})
    assert not ContactAttempt.objects.exists()
    assert api.post(f"/api/v1/engagement-cases/{case.pk}/attempts/", body, format="json").status_code == 200
    assert ContactAttempt.objects.count() == 1


def test_services_refuse_bad_input_at_both_doors(office):
    case = engagement_open(client=office["client"], program=office["thirty_sixty"], worker=office["worker"], actor=office["worker"])
    api, web = doors(office["worker"])
    body = {"kind": "benefits", "note": "SSI appeal paperwork."}
    refused_everywhere(api=api, api_url=f"/api/v1/engagement-cases/{case.pk}/services/", api_body=body,
                       web=web, web_url=reverse("engagement-service", args=[case.pk]), web_body=body,
                       fields={"kind": "choice", "note": "optional_text", "at": "moment"})
    assert not ServiceRecord.objects.exists()
    assert api.post(f"/api/v1/engagement-cases/{case.pk}/services/", body, format="json").status_code == 200
    assert web.post(reverse("engagement-service", args=[case.pk]), body).status_code == 302
    assert ServiceRecord.objects.count() == 2


def test_linking_a_referral_refuses_bad_input_at_both_doors(office):
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["worker"])
    api, web = doors(office["worker"])
    refused_everywhere(api=api, api_url=f"/api/v1/engagement-cases/{case.pk}/referral/", api_body={"referral_id": 1},
                       web=web, web_url=reverse("engagement-referral", args=[case.pk]), web_body={"referral_id": "1"},
                       fields={"referral_id": "id"})
    assert EngagementCase.objects.get(pk=case.pk).referral_id is None


def test_contact_lost_refuses_a_body_that_is_not_an_object_and_outsiders(office):
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["worker"])
    attempt_record(case=case, channel="phone", outcome="reached", actor=office["worker"])
    api, _web = doors(office["worker"])
    before = world()
    for body in ([1], "lost", 10**30):
        assert api.post(f"/api/v1/engagement-cases/{case.pk}/lost-contact/", body, format="json").status_code == 400
    for outsider in (office["their_worker"], office["their_supervisor"]):
        assert doors(outsider)[0].post(f"/api/v1/engagement-cases/{case.pk}/lost-contact/", {}, format="json").status_code == 404
        assert doors(outsider)[1].post(reverse("engagement-lost-contact", args=[case.pk]), {}).status_code == 404
    assert world() == before
    assert api.post(f"/api/v1/engagement-cases/{case.pk}/lost-contact/", {}, format="json").json()["kind"] == "lost_contact"


def test_the_letter_refuses_bad_input_at_both_doors(office):
    case = letter_due(office)
    api, web = doors(office["worker"])
    refused_everywhere(api=api, api_url=f"/api/v1/engagement-cases/{case.pk}/letter/", api_body={"channel": "mail"},
                       web=web, web_url=reverse("engagement-letter", args=[case.pk]), web_body={"channel": "mail"},
                       fields={"channel": "defaulted_choice"})
    assert not case.letters.exists()
    assert api.post(f"/api/v1/engagement-cases/{case.pk}/letter/", {"channel": "email"}, format="json").status_code == 200
    assert case.letters.get().sent_channel == "email"


def test_the_status_form_refuses_bad_input_at_both_doors(office):
    case = due_for_engagement(office)
    api, web = doors(office["worker"])
    body = {"step": 1, "status_change_date": "2026-10-02", "requestor": "agency", "reason": "unable_to_engage",
            "comments": "Phone and email, no reply.", "team_consensus_date": ""}
    refused_everywhere(api=api, api_url=f"/api/v1/engagement-cases/{case.pk}/forms/", api_body={**body, "team_consensus_date": None},
                       web=web, web_url=reverse("engagement-form", args=[case.pk]), web_body=body,
                       fields={"step": "choice", "status_change_date": "date", "requestor": "choice", "reason": "choice",
                               "comments": "text", "team_consensus_date": "date"})
    assert not StatusForm.objects.exists()
    response = api.post(f"/api/v1/engagement-cases/{case.pk}/forms/", {**body, "team_consensus_date": None}, format="json")
    assert response.status_code == 201 and response.json()["form_id"] == StatusForm.objects.get().pk


def test_the_countersign_refuses_a_body_that_is_not_an_object_and_ids_that_are_not_ids(office):
    case = due_for_engagement(office)
    form = status_form_file(case=case, step=1, status_change_date=None, requestor="agency", reason="moved",
                            comments="Phone and email", actor=office["worker"])
    api, web = doors(office["director"])
    before = world()
    for body in ([1], "sign", 10**30):
        assert api.post(f"/api/v1/engagement-cases/{case.pk}/forms/{form.pk}/sign/", body, format="json").status_code == 400
    for path in (f"/api/v1/engagement-cases/{case.pk}/forms/abc/sign/", f"/api/v1/engagement-cases/{case.pk}/forms/²/sign/",
                 f"/engagement/{case.pk}/forms/1000000000000000000000/sign/", "/engagement/abc/attempts/"):
        assert (api if path.startswith("/api/") else web).post(path, {}).status_code == 404, path
    assert world() == before
    assert api.post(f"/api/v1/engagement-cases/{case.pk}/forms/{form.pk}/sign/", {}, format="json").json()["status"] == "engagement"


# --- who may act -------------------------------------------------------------------------------


def test_outreach_is_opened_for_a_program_of_the_workers_agency(office):
    api, web = doors(office["worker"])
    before = world()
    response = api.post("/api/v1/engagement-cases/", {"client_id": office["client"].pk, "program_id": office["their_program"].pk},
                        format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["program_id"]
    assert web.post(reverse("engagement-open", args=[office["client"].pk]), {"program_id": office["their_program"].pk}).status_code == 400
    assert world() == before


def test_a_call_agent_cannot_open_outreach_and_a_client_out_of_sight_is_404(office):
    agent = call_agent()
    hidden = ClientFactory(hmis_consent="no")
    before = world()
    body = {"client_id": office["client"].pk, "program_id": office["assertive"].pk}
    assert doors(agent)[0].post("/api/v1/engagement-cases/", body, format="json").status_code == 403
    response = doors(office["worker"])[0].post("/api/v1/engagement-cases/", {**body, "client_id": hidden.pk}, format="json")
    assert response.status_code == 404
    with pytest.raises(NotFound):
        engagement_open(client=hidden, program=office["assertive"], worker=office["worker"], actor=office["worker"])
    assert world() == before


def test_a_supervisor_opens_outreach_only_for_a_worker_of_their_agency(office):
    with pytest.raises(Forbidden):
        engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["their_supervisor"])
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["director"])
    assert case.worker == office["worker"]


def test_nobody_outside_the_case_records_attempts_or_signs(office):
    case = due_for_engagement(office)
    form = status_form_file(case=case, step=1, status_change_date=None, requestor="agency", reason="moved",
                            comments="Phone and email", actor=office["worker"])
    before = world()
    for outsider in (office["their_worker"], office["their_supervisor"], UserFactory(agency=office["agency"], roles=[roles.CASE_WORKER])):
        with pytest.raises(NotFound):
            attempt_record(case=case, channel="phone", outcome="reached", actor=outsider)
        assert doors(outsider)[0].post(f"/api/v1/engagement-cases/{case.pk}/attempts/", {"channel": "phone", "outcome": "reached"},
                                       format="json").status_code == 404
    with pytest.raises(NotFound):
        status_form_countersign(form=form, actor=office["their_supervisor"])
    assert world() == before


def test_the_sign_button_shows_only_to_who_may_sign(office):
    case = due_for_engagement(office)
    status_form_file(case=case, step=1, status_change_date=None, requestor="agency", reason="moved", comments="Phone and email",
                     actor=office["worker"])
    url = reverse("engagement-case", args=[case.pk])
    assert "Sign as Director of Services" in doors(office["director"])[1].get(url).content.decode()
    assert "Sign as Director of Services" not in doors(office["worker"])[1].get(url).content.decode()


# --- one rule, one place -----------------------------------------------------------------------


def test_the_letter_form_shows_exactly_when_the_service_accepts_the_letter(office):
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["worker"])
    web = doors(office["worker"])[1]
    url = reverse("engagement-case", args=[case.pk])
    assert not letter_is_due(case)
    assert reverse("engagement-letter", args=[case.pk]) not in web.get(url).content.decode()
    with pytest.raises(Invalid):
        letter_send(case=case, channel="mail", actor=office["worker"])
    OutreachStep.objects.filter(case=case).update(cancelled=True)
    OutreachStep.objects.create(case=case, number=OutreachStep.Number.LETTER, due_on=case.opened_on)
    assert letter_is_due(case)
    assert reverse("engagement-letter", args=[case.pk]) in web.get(url).content.decode()
    letter_send(case=case, channel="mail", actor=office["worker"])


def test_the_voicemail_hint_and_the_voicemail_rule_agree(office):
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["worker"])
    web = doors(office["worker"])[1]
    url = reverse("engagement-case", args=[case.pk])
    assert "No voicemail consent" in web.get(url).content.decode()
    with pytest.raises(Invalid) as raised:
        attempt_record(case=case, channel="voicemail", outcome="left_voicemail", actor=office["worker"])
    assert raised.value.errors == {"outcome": [VOICEMAIL_NOT_CONSENTED]}
    type(office["client"]).objects.filter(pk=office["client"].pk).update(voicemail_consent="yes")
    assert "No voicemail consent" not in web.get(url).content.decode()
    attempt_record(case=case, channel="voicemail", outcome="left_voicemail", actor=office["worker"])


def test_notices_link_with_reverse_and_speak_the_recipients_language(office):
    office["worker"].preferred_language = "es"
    office["worker"].save()
    case = engagement_open(client=office["client"], program=office["assertive"], worker=office["worker"], actor=office["worker"])
    step = OutreachStep.objects.get(case=case)
    step_overdue(step_id=step.pk, now=step.case.created_at, actor=system_user_get())
    spanish = Notification.objects.get(recipient=office["worker"])
    english = Notification.objects.get(recipient=office["director"])
    assert spanish.link == english.link == reverse("engagement-case", args=[case.pk])
    assert english.subject.startswith("Overdue: First round")
    assert spanish.subject.startswith("Atrasado: Primera ronda")


# --- access log --------------------------------------------------------------------------------


def test_the_staff_meeting_report_writes_one_access_log_row_per_look(office):
    due_for_engagement(office)
    web = doors(office["director"])[1]
    url = reverse("engagement-staff-meeting")
    assert web.get(url).status_code == 200
    assert list(AccessLog.objects.values_list("action", flat=True)) == [AccessLog.Action.VIEW_LIST]
    pdf = web.get(url, {"format": "pdf"})
    assert pdf.content[:4] == b"%PDF"
    assert list(AccessLog.objects.order_by("id").values_list("action", flat=True)) == [AccessLog.Action.VIEW_LIST,
                                                                                      AccessLog.Action.DOWNLOAD_PDF]
    assert web.get(url, {"format": "docx"}).status_code == 400
    assert AccessLog.objects.count() == 2


def test_the_case_page_and_the_api_write_one_access_log_row_per_look(office):
    case = due_for_engagement(office)
    api, web = doors(office["worker"])
    web.get(reverse("engagement-case", args=[case.pk]))
    api.get(f"/api/v1/engagement-cases/{case.pk}/")
    api.get("/api/v1/engagement-cases/")
    rows = list(AccessLog.objects.order_by("id").values_list("action", "client_id"))
    assert rows == [(AccessLog.Action.VIEW_FILE, case.client_id), (AccessLog.Action.API_READ, case.client_id),
                    (AccessLog.Action.VIEW_LIST, None)]


# --- no import cycle ---------------------------------------------------------------------------


@pytest.mark.parametrize("app", ["engagement", "reassignment"])
def test_the_apps_modules_import_each_other_without_a_cycle(app):
    """Every import at the top of the module (ruff's PLC0415 keeps them there) and no module imports one that imports it back."""
    root = Path(__file__).resolve().parents[2] / app
    graph = {}
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        graph[path.stem] = {
            node.module.split(".")[1] for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(f"{app}.") and node.module.count(".") == 1
        } | {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == app for alias in node.names
        }
        nested = [node for function in ast.walk(tree) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))]
        assert not nested, f"{path.name} imports inside a function"

    def reaches(start, target, seen=()):
        return any(step == target or (step not in seen and reaches(step, target, (*seen, step))) for step in graph.get(start, ()))

    assert [module for module in graph if reaches(module, module)] == []
