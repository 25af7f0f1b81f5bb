"""The public page /complaints/: the same form without an account, in English and Spanish, with
abuse protection (rate limit, sizes, attachment types by content), nothing stored when refused."""

import html
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ces.models import ClientDocument, Notification
from grievances import completeness, policy
from grievances.inputs import LOOKS_LIKE_CODE
from grievances.models import Attachment, Letter, PublicAttempt, TitleViComplaint
from grievances.services import INCIDENT_AFTER_RECEIPT, NOT_ACCEPTED_HERE
from grievances.uploads import FILE_TOO_LARGE, FILE_WRONG_TYPE, TOO_MANY_SUBMISSIONS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
URL = "/complaints/"


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def form(**overrides) -> dict:
    data = {
        "complainant_name": "Ana Reyes", "address": "12 Pine St, Grass Valley, CA 95945", "phone_cell": "(530) 555-0101",
        "email": "ana@example.org", "language": "en", "on_own_behalf": "yes", "bases": ["race", "national_origin"],
        "incident_date": days_ago(10), "people_involved": "The intake worker on duty",
        "description": "I was told I could not be assessed without a Social Security number.",
        "signature_name": "Ana Reyes", "confirmation": "yes", "next": URL,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def nothing_stored() -> bool:
    return not (TitleViComplaint.objects.exists() or Attachment.objects.exists() or Letter.objects.exists()
                or ClientDocument.objects.filter(source_type__startswith="grievances.").exists())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def in_spanish(client):
    client.cookies["django_language"] = "es"
    return client


def test_the_page_is_open_without_an_account_in_english_and_spanish(client, outside_agencies):
    english = client.get(URL)
    assert english.status_code == 200
    assert b"File a discrimination complaint" in english.content
    assert b"Office of Fair Housing and Equal Opportunity" in english.content
    assert b"Civil Rights Department" in english.content
    for code, _label in policy.BASES:  # every protected basis the P&P names
        assert f'value="{code}"'.encode() in english.content
    spanish = in_spanish(client).get(URL)
    assert "Presentar una queja por discriminación".encode() in spanish.content
    assert "Procedencia nacional".encode() in spanish.content or "Origen nacional".encode() in spanish.content


def test_a_complete_complaint_is_recorded_with_its_attachment_and_a_reference(client, committee):
    upload = SimpleUploadedFile("denial.pdf", PDF, content_type="application/pdf")
    response = client.post(URL, {**form(), "attachments": [upload], "received_on": "2020-01-01", "channel": "mail"}, follow=True)
    complaint = TitleViComplaint.objects.get()
    assert response.redirect_chain[-1][0] == "/complaints/received/"
    assert complaint.reference.encode() in response.content
    assert complaint.status == "received" and complaint.channel == "public_web"
    assert complaint.received_on.isoformat() != "2020-01-01"  # staff-only fields are ignored here
    assert complaint.bases == ["race", "national_origin"] and complaint.signed_on == complaint.received_on
    assert complaint.history.first().history_user.username == "ces-system"
    attachment = Attachment.objects.get()
    assert (attachment.complaint, attachment.content_type, attachment.original_name) == (complaint, "application/pdf", "denial.pdf")
    assert attachment.file.open("rb").read() == PDF
    assert Notification.objects.filter(recipient=committee, subject__contains=complaint.reference).exists()
    assert client.get("/complaints/received/").status_code == 302  # the reference is shown once


@pytest.mark.parametrize("language", ["en", "es"])
def test_missing_answers_are_refused_with_clear_messages_and_nothing_is_stored(client, language):
    if language == "es":
        in_spanish(client)
    data = form(complainant_name="", bases=None, incident_date="", description="", address="", phone_cell="", email="",
                signature_name="", confirmation=None)
    response = client.post(URL, data, follow=True)
    assert response.status_code == 400 and not response.redirect_chain  # the form again, with the messages
    with translation.override(language):
        expected = [completeness.NAME_MISSING, completeness.BASES_MISSING, completeness.INCIDENT_DATE_MISSING,
                    completeness.DESCRIPTION_MISSING, completeness.CONTACT_MISSING, completeness.SIGNATURE_MISSING,
                    completeness.CONFIRMATION_MISSING]
        shown = " ".join(messages_of(response))
        for message in expected:
            assert str(message) in shown
    if language == "es":
        assert "Escriba el nombre de la persona que presenta la queja." in shown
    assert nothing_stored()
    kept = client.post(URL, form(description=""), follow=True)
    assert b"12 Pine St, Grass Valley" in kept.content  # what was typed is kept for the next try


def test_a_third_party_complaint_needs_the_permission_of_the_aggrieved_party(client):
    data = form(on_own_behalf="no", third_party_name="Jo Reyes", third_party_relationship="sister",
                third_party_reason="She does not write English.", third_party_permission="no")
    response = client.post(URL, data, follow=True)
    assert str(completeness.THIRD_PARTY_PERMISSION_MISSING) in " ".join(messages_of(response))
    assert nothing_stored()
    client.post(URL, {**data, "third_party_permission": "yes"})
    complaint = TitleViComplaint.objects.get()
    assert not complaint.on_own_behalf and complaint.third_party_permission is True and complaint.status == "received"


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_oversized_attachment_is_refused_and_nothing_is_stored(client, language):
    if language == "es":
        in_spanish(client)
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * policy.ATTACHMENT_MAX_BYTES, content_type="application/pdf")
    response = client.post(URL, {**form(), "attachments": [big]}, follow=True)
    with translation.override(language):
        assert str(FILE_TOO_LARGE).format(name="scan.pdf", mb=5) in " ".join(messages_of(response))
    assert nothing_stored()


@pytest.mark.parametrize("content", [b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script></html>", b"GIF89a..."])
def test_an_attachment_that_is_not_a_pdf_png_or_jpeg_by_content_is_refused(client, content):
    fake = SimpleUploadedFile("letter.pdf", content, content_type="application/pdf")  # the name and type lie
    response = client.post(URL, {**form(), "attachments": [fake]}, follow=True)
    assert str(FILE_WRONG_TYPE).format(name="letter.pdf") in " ".join(messages_of(response))
    assert nothing_stored()


def test_the_attachment_type_comes_from_its_content_not_its_name(client):
    photo = SimpleUploadedFile("photo.pdf", PNG, content_type="application/pdf")
    client.post(URL, {**form(), "attachments": [photo]})
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")


def test_more_than_three_attachments_are_refused(client):
    files = [SimpleUploadedFile(f"p{i}.pdf", PDF, content_type="application/pdf") for i in range(4)]
    response = client.post(URL, {**form(), "attachments": files}, follow=True)
    assert "Attach at most 3 files." in " ".join(messages_of(response))
    assert nothing_stored()


@pytest.mark.parametrize("field", ["description", "complainant_name", "people_involved", "address"])
@pytest.mark.parametrize("script", ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "click javascript:alert(1)"])
def test_script_in_any_text_is_refused_and_nothing_is_stored(client, field, script):
    response = client.post(URL, form(**{field: f"Something happened {script}"}), follow=True)
    shown = " ".join(messages_of(response))
    assert str(LOOKS_LIKE_CODE) in shown
    assert nothing_stored()
    assert b"<script>alert" not in response.content  # never echoed back as markup
    assert html.escape(str(LOOKS_LIKE_CODE)).encode() in response.content


def test_a_filled_hidden_field_marks_a_robot_and_is_refused(client):
    response = client.post(URL, form(leave_blank="http://spam.example"), follow=True)
    assert str(NOT_ACCEPTED_HERE) in messages_of(response)
    assert nothing_stored()


def test_too_many_submissions_from_one_address_are_refused_with_nothing_stored(client):
    for _attempt in range(policy.PUBLIC_ATTEMPTS_PER_HOUR):
        client.post(URL, form(description=""), REMOTE_ADDR="203.0.113.9")
    response = client.post(URL, form(), REMOTE_ADDR="203.0.113.9", follow=True)
    assert str(TOO_MANY_SUBMISSIONS) in messages_of(response)
    assert nothing_stored()
    assert PublicAttempt.objects.count() == policy.PUBLIC_ATTEMPTS_PER_HOUR  # the refused one is not even counted
    assert not PublicAttempt.objects.filter(address_hash__contains="203.0.113.9").exists()  # a keyed hash, not the address
    client.post(URL, form(), REMOTE_ADDR="198.51.100.4")  # another address is not affected
    assert TitleViComplaint.objects.count() == 1


def test_an_incident_more_than_180_days_ago_is_recorded_closed_untimely_and_the_page_says_so(client):
    response = client.post(URL, form(incident_date=days_ago(200), language="es"), follow=True)
    complaint = TitleViComplaint.objects.get()
    assert complaint.status == "closed_untimely"
    assert list(complaint.letters.values_list("kind", "language")) == [("untimely", "es")]
    assert b"cannot investigate it" in response.content


def test_an_incident_in_the_future_or_a_bad_email_is_refused(client):
    response = client.post(URL, form(email="not-an-address"), follow=True)
    assert "Email: Write an email address such as name@example.org." in messages_of(response)
    response = client.post(URL, form(incident_date="2099-01-01"), follow=True)
    assert str(INCIDENT_AFTER_RECEIPT) in " ".join(messages_of(response))
    assert nothing_stored()
