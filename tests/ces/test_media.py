"""Stored files are served only through the logged-in, access-logged download view, in every mode
(issue 9, item 8): nothing under MEDIA_URL answers, even with DEBUG on (`make run`)."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches, reverse

from ces import roles
from ces.models import AccessLog, ClientDocument
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_pdf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agency = AgencyFactory(initials="VSM", vsp=True)
    advocate = UserFactory(agency=agency, roles=[roles.VSP_ADVOCATE])
    person = ClientFactory(holding_agency=agency)
    document = ClientDocument(client=person, kind=ClientDocument.Kind.ASSESSMENT, title="Assessment", created_by=advocate)
    document.file.save("assessment.pdf", ContentFile(b"%PDF-1.4 survivor's answers"), save=True)
    return advocate, document


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `make run` (DEBUG=True) builds it."""
    import ces.urls

    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(ces.urls)
    yield
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(ces.urls)


def test_media_files_are_404_even_with_debug_on(client, stored_pdf, debug_urls):
    advocate, document = stored_pdf
    url = f"/media/{document.file.name}"
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(advocate)
    response = client.get(url)  # even for the person's own agency: only the logged view serves it
    assert response.status_code == 404 and b"%PDF" not in response.content


def test_the_download_view_serves_it_to_the_holding_agency_and_logs_it(client, stored_pdf):
    advocate, document = stored_pdf
    url = reverse("client-document", args=[document.client_id, document.pk])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(advocate)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(user=advocate, client=document.client, action=AccessLog.Action.DOWNLOAD_PDF).count() == 1
    outsider = UserFactory(agency=AgencyFactory(initials="OUT"), roles=[roles.HMIS_ADMIN])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
