import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from engagement.services import engagement_open
from tests.factories import AgencyFactory, ClientFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    agency = AgencyFactory()
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    program = ProgramFactory(agency=agency, type="services")
    client = ClientFactory(holding_agency=agency, voicemail_consent="no")
    return engagement_open(client=client, program=program, worker=worker, actor=worker)


def test_worker_sees_todays_tasks_and_the_case(client, case):
    client.force_login(case.worker)
    home = client.get(reverse("engagement-home")).content.decode()
    assert case.client.label in home and "First round" in home
    page = client.get(reverse("engagement-case", args=[case.pk])).content.decode()
    assert "No voicemail consent" in page and "Next: First round" in page


def test_attempt_form_refuses_a_voicemail_without_consent_and_keeps_the_case(client, case):
    client.force_login(case.worker)
    response = client.post(reverse("engagement-attempt", args=[case.pk]), {"channel": "voicemail", "outcome": "left_voicemail"}, follow=True)
    assert "did not consent to voicemail" in response.content.decode()
    assert not case.attempts.exists()


def test_other_agencies_cannot_see_a_case(client, case):
    client.force_login(UserFactory(roles=[roles.CASE_WORKER]))
    assert client.get(reverse("engagement-case", args=[case.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(UserFactory(roles=[roles.SUPERVISOR]))
    assert api.get(f"/api/v1/engagement-cases/{case.pk}/").status_code == 404


def test_api_records_attempts_and_shows_the_next_step(case):
    api = APIClient()
    api.force_authenticate(case.worker)
    body = api.post(f"/api/v1/engagement-cases/{case.pk}/attempts/", {"channel": "phone", "outcome": "no_answer"}, format="json").json()
    assert body["next_step"]["number"] == 1
    body = api.post(f"/api/v1/engagement-cases/{case.pk}/attempts/", {"channel": "text", "outcome": "message_sent"}, format="json").json()
    assert body["next_step"]["number"] == 3 and body["next_step"]["not_before"]
    assert api.post(f"/api/v1/engagement-cases/{case.pk}/attempts/", {"channel": "pigeon"}, format="json").status_code == 400


def test_staff_meeting_report_screen_and_pdf(client, case):
    supervisor = UserFactory(agency=case.worker.agency, roles=[roles.SUPERVISOR])
    client.force_login(supervisor)
    assert client.get(reverse("engagement-staff-meeting")).status_code == 200
    pdf = client.get(reverse("engagement-staff-meeting"), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_enrollment_notes_carry_who_wrote_them(case):
    note = case.client.notes.get(topic="engagement")
    assert note.author == case.worker
    assert note.history.first().history_user == case.worker


def test_the_letter_can_be_read_before_it_is_sent_and_the_preview_records_nothing(client):
    from devtools.demo.engagement import _walk_to_letter
    from engagement.models import Letter

    agency = AgencyFactory()
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    program = ProgramFactory(agency=agency, type="services")
    person = ClientFactory(holding_agency=agency)
    from datetime import timedelta

    from django.utils import timezone

    case = engagement_open(client=person, program=program, worker=worker, actor=worker, on=timezone.localdate() - timedelta(days=40))
    client.force_login(worker)
    preview = reverse("engagement-letter-preview", args=[case.pk])
    assert client.get(preview).status_code == 404  # no letter step yet
    _walk_to_letter(case, worker)
    page = client.get(reverse("engagement-case", args=[case.pk])).content.decode()
    assert preview in page and "Make the letter and record it sent" in page
    response = client.get(preview)
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    assert "inline" in response["Content-Disposition"]
    assert not Letter.objects.filter(case=case).exists()
    client.force_login(UserFactory(roles=[roles.CASE_WORKER]))  # another agency's worker
    assert client.get(preview).status_code == 404


def test_outreach_panel_says_so_when_the_agency_has_no_program(client):
    agency = AgencyFactory()
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    person = ClientFactory(holding_agency=agency)
    client.force_login(worker)
    html = client.get(reverse("client-detail", args=[person.pk])).content.decode()
    assert "no program to open outreach in" in html
    assert reverse("engagement-open", args=[person.pk]) not in html
