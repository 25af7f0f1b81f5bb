"""The core's screens and API take the path of an action (issue 9, item 10): declared input,
access helper (404 for what the user may not see), service, response; the service holds the
permission rule, and every look at a person is exactly one access-log row."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from ces.errors import Forbidden
from ces.models import AccessLog, ClientDocument, Notification
from ces.services import client_ssn_reveal
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SSN = "287-65-4321"


@pytest.fixture
def agency():
    return AgencyFactory(initials="CAA")


@pytest.fixture
def person(agency):
    return ClientFactory(holding_agency=agency, ssn=SSN, first_name="Leontyne")


def test_the_reveal_service_refuses_without_the_permission_and_logs_nothing(agency, person):
    call_agent = UserFactory(agency=agency, roles=[roles.CALL_AGENT])
    with pytest.raises(Forbidden):
        client_ssn_reveal(client=person, actor=call_agent)
    assert not AccessLog.objects.exists()


def test_revealing_an_ssn_the_user_may_not_see_is_404_and_logs_nothing(client, person):
    stranger = UserFactory(agency=AgencyFactory(initials="STR"), roles=[roles.SUPERVISOR])
    client.force_login(stranger)
    response = client.post(reverse("client-reveal-ssn", args=[person.pk]))
    assert response.status_code == 404 and "4321" not in response.content.decode()
    assert not AccessLog.objects.exists()


def test_a_reveal_shows_the_ssn_once_formatted_and_is_one_log_row(client, agency, person):
    supervisor = UserFactory(agency=agency, roles=[roles.SUPERVISOR])
    client.force_login(supervisor)
    response = client.post(reverse("client-reveal-ssn", args=[person.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and SSN in response.content.decode()
    assert list(AccessLog.objects.values_list("action", flat=True)) == [AccessLog.Action.REVEAL_SSN]
    assert client.get(reverse("client-reveal-ssn", args=[person.pk])).status_code == 405


def test_a_document_is_reached_only_through_its_own_client(client, settings, tmp_path, agency, person):
    settings.MEDIA_ROOT = tmp_path
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    other = ClientFactory(holding_agency=AgencyFactory(initials="OTA"), hmis_consent="no")
    document = ClientDocument(client=other, kind=ClientDocument.Kind.LETTER, title="Letter", created_by=worker)
    document.file.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=True)
    client.force_login(worker)
    assert client.get(reverse("client-document", args=[person.pk, document.pk])).status_code == 404
    assert client.get(reverse("client-document", args=[other.pk, document.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_someone_elses_notice_is_404_and_stays_unread(client, agency):
    owner = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    nosy = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    notice = Notification.objects.create(recipient=owner, subject="Reminder", link="/")
    client.force_login(nosy)
    assert client.post(reverse("notification-read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    client.force_login(owner)
    assert client.post(reverse("notification-read", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_api_client_detail_is_404_outside_access_and_one_log_row_inside(agency, person):
    api = APIClient()
    api.force_authenticate(UserFactory(agency=AgencyFactory(initials="XYZ"), roles=[roles.CASE_WORKER]))
    assert api.get(reverse("api-client-detail", args=[person.pk])).status_code == 404
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    api.force_authenticate(worker)
    body = api.get(reverse("api-client-detail", args=[person.pk])).json()
    assert body["first_name"] == "Leontyne" and body["ssn_last4"] == "4321" and "ssn" not in body
    assert list(AccessLog.objects.values_list("user_id", "action")) == [(worker.pk, AccessLog.Action.API_READ)]


@pytest.mark.parametrize("path", ["ces/views.py", "ces/api/views.py"])
def test_core_views_hold_no_parsing_and_no_error_handling(path):
    source = (BASE_DIR / path).read_text()
    for forbidden in (r"\btry:", r"request\.(POST|GET|data|query_params)\.get\(", r"\.isdigit\(", r"\.is_valid\(",
                      r"get_object_or_404", r"int\(request"):
        assert not re.search(forbidden, source), f"{path}: {forbidden}"
