"""The one document store (ces.documents): render, version, keep, log."""

import hashlib

import pytest
from django.test import RequestFactory

from ces.documents import document_keep, document_render, document_response, documents_of, pdf_render
from ces.models import AccessLog, Agency
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_pdf_render_gives_a_pdf_in_the_language_asked():
    english = pdf_render("404.html", {}, language="en")
    spanish = pdf_render("404.html", {}, language="es")
    assert english.startswith(b"%PDF") and spanish.startswith(b"%PDF")
    assert english != spanish  # the template's text was translated


def test_each_keep_is_a_new_version_with_its_hash_and_history():
    actor = UserFactory()
    source = AgencyFactory()
    first = document_keep(content=b"%PDF-1 first", source=source, kind="report", title="Report", actor=actor)
    second = document_keep(content=b"%PDF-1 second", source=source, kind="report", title="Report", actor=actor)
    assert (first.version, second.version) == (1, 2)
    assert second.sha256 == hashlib.sha256(b"%PDF-1 second").hexdigest()
    assert second.client is None and second.source_type == "ces.agency" and second.source_id == str(source.pk)
    assert second.history.first().history_user == actor
    assert list(documents_of(source).order_by("version")) == [first, second]
    assert first.file.open("rb").read() == b"%PDF-1 first"  # every version kept


def test_document_render_stores_the_rendered_pdf():
    actor = UserFactory()
    source = Agency.objects.first() or AgencyFactory()
    document = document_render(template_name="404.html", context={}, source=source, kind="letter", title="Letter",
                               actor=actor, language="es")
    assert document.language == "es" and document.file.open("rb").read().startswith(b"%PDF")


def test_a_download_writes_one_access_log_row():
    actor = UserFactory()
    document = document_keep(content=b"%PDF-1 x", source=AgencyFactory(), kind="report", title="Report", actor=actor)
    before = AccessLog.objects.count()
    response = document_response(document=document, user=actor, request=RequestFactory().get("/x"))
    assert b"".join(response.streaming_content) == b"%PDF-1 x"
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.order_by("-id").first()
    assert (row.user, row.action, row.object_id) == (actor, AccessLog.Action.DOWNLOAD_PDF, str(document.pk))
