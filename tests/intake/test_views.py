"""The intake screens through real URLs: drafts, autosave, completion, amendment, downloads."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ces import roles
from ces.models import AccessLog, Client
from intake.models import Intake
from intake.services import intake_draft_answers, intake_start, intake_submit
from intake.tasks import assessment_pdf_render
from tests.factories import UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return call_agent()


@pytest.fixture
def logged_in(client, agent):
    client.force_login(agent)
    return client


def test_starting_a_call_creates_an_encrypted_draft(logged_in, agent):
    response = logged_in.post(reverse("intake-new"), {"call_language": "es"})
    intake = Intake.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("intake-detail", args=[intake.pk])
    assert intake.csr == agent and intake.status == "draft" and intake.call_language == "es"
    page = logged_in.get(response["Location"]).content.decode()
    assert "Condado de residencia" in page  # questions in the call's language


def test_autosave_keeps_answers_encrypted_and_swaps_only_changed_blocks(logged_in, agent):
    intake = intake_start(actor=agent)
    url = reverse("intake-autosave", args=[intake.pk])
    response = logged_in.post(url, {"county": "nevada"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="section-safety"' in html and 'id="section-personal"' in html  # appeared
    assert 'id="section-location"' not in html  # unchanged: not re-rendered under the agent's cursor
    response = logged_in.post(url, {"first_name": "Ana", "ssn": "287654321"}, HTTP_HX_REQUEST="true")
    assert 'id="dup-panel"' in response.content.decode()
    intake.refresh_from_db()
    assert intake_draft_answers(intake)["first_name"] == "Ana"
    with connection.cursor() as cursor:
        cursor.execute("SELECT draft_ciphertext FROM intake_intake WHERE id = %s", [intake.pk])
        (stored,) = cursor.fetchone()
    assert "Ana" not in stored and "287654321" not in stored


def test_invalid_text_is_kept_as_typed_in_the_draft(logged_in, agent):
    intake = intake_start(actor=agent)
    logged_in.post(reverse("intake-autosave", args=[intake.pk]), {"county": "nevada", "dob": "31/02/19"}, HTTP_HX_REQUEST="true")
    intake.refresh_from_db()
    assert intake_draft_answers(intake)["dob"] == "31/02/19"


def test_form_works_without_javascript(logged_in, agent):
    intake = intake_start(actor=agent)
    url = reverse("intake-detail", args=[intake.pk])
    logged_in.post(url, {"county": "outside_coc", "action": "save"})
    page = logged_in.get(url).content.decode()
    assert 'value="outside_coc" checked' in page
    response = logged_in.post(url, {"county": "outside_coc", "first_name": "Lee", "action": "complete"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == "completed" and intake.outcome == "outside_coc"


def test_completion_errors_are_shown_by_question_and_nothing_is_saved(logged_in, agent):
    intake = intake_start(actor=agent)
    response = logged_in.post(reverse("intake-complete", args=[intake.pk]), {"county": "nevada", "dob": "2999-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This date is in the future." in html and 'href="#q-dob"' in html
    assert 'value="2999-01-01"' in html
    intake.refresh_from_db()
    assert intake.status == "draft" and not Client.objects.exists()


def test_another_agent_cannot_touch_my_draft(client, agent):
    """A draft holds what the caller said, unchecked: only the agent taking the call sees it (404 for others)."""
    intake = intake_start(actor=agent)
    colleague = UserFactory(agency=agent.agency, roles=[roles.CALL_AGENT])
    client.force_login(colleague)
    assert client.post(reverse("intake-autosave", args=[intake.pk]), {"county": "nevada"}).status_code == 404
    assert client.get(reverse("intake-detail", args=[intake.pk])).status_code == 404
    assert client.post(reverse("intake-discard", args=[intake.pk])).status_code == 404
    intake.refresh_from_db()
    assert intake.status == "draft" and "county" not in intake_draft_answers(intake)
    outsider = call_agent()
    client.force_login(outsider)
    assert client.get(reverse("intake-detail", args=[intake.pk])).status_code == 404


def test_dashboard_lists_drafts_and_flags_the_stale_ones(logged_in, agent):
    fresh = intake_start(actor=agent)
    old = intake_start(actor=agent)
    Intake.objects.filter(pk=old.pk).update(draft_saved_at=timezone.now() - timedelta(hours=73))
    html = logged_in.get(reverse("dashboard")).content.decode()
    assert f"Call #{fresh.pk}" in html and f"Call #{old.pk}" in html
    assert html.count("older than 72 hours") == 1


def test_completed_intake_is_read_only_and_amended_with_a_reason(logged_in, agent):
    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    intake = result.intake
    refused = logged_in.post(reverse("intake-autosave", args=[intake.pk]), {"county": "placer"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 302 and refused["HX-Redirect"]  # back to the page, with the reason shown
    intake.refresh_from_db()
    assert intake.county == "nevada" and intake.draft_ciphertext == ""
    amend = reverse("intake-amend", args=[intake.pk])
    page = logged_in.get(amend)
    assert page.status_code == 200 and "Reason for the amendment" in page.content.decode()
    posted = {"reason": "", "health_mental": "yes"}
    assert "Say why the intake is being amended." in logged_in.post(amend, posted).content.decode()
    response = logged_in.post(amend, {**posted, "reason": "Caller corrected the mental health answer"})
    assert response.status_code == 302
    assessment = intake.assessment
    assessment.refresh_from_db()
    assert assessment.total == 14 and assessment.health_mental == "yes"
    latest = assessment.history.first()
    assert latest.history_change_reason == "amended: Caller corrected the mental health answer"
    assert assessment.history.last().total == 13  # the history keeps the previous answer
    assert result.bnl_entry.__class__.objects.get(pk=result.bnl_entry.pk).score == 14


def test_path_changing_answers_cannot_be_amended(agent):
    from ces.errors import Invalid
    from intake.services import intake_amend

    intake = intake_submit(actor=agent, answers=worked_example_2_answers()).intake
    with pytest.raises(Invalid) as raised:
        intake_amend(intake=intake, actor=agent, changes={"county": "placer"}, reason="moved")
    assert "county" in raised.value.errors


def test_pdf_download_is_access_checked_and_logged(client, agent):
    result = intake_submit(actor=agent, answers=worked_example_2_answers(hmis_consent="no"))
    assessment_pdf_render(result.assessment.pk)
    document = result.client.documents.get()
    url = reverse("client-document", args=[result.client.pk, document.pk])
    client.force_login(agent)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"%PDF"
    assert AccessLog.objects.filter(user=agent, action="download_pdf", client=result.client).count() == 1
    client.force_login(call_agent())  # another agency, no consent
    assert client.get(url).status_code == 404


def test_case_management_points_rerender_keeps_every_pdf_version(agent):
    from intake.pdf import assessment_pdf_store

    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    assessment_pdf_render(result.assessment.pk)
    assessment_pdf_store(assessment=result.assessment, actor=agent)
    assert list(result.client.documents.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_intake_submission_runs_a_constant_number_of_queries(agent):
    intake_submit(actor=agent, answers=worked_example_2_answers(ssn="287654329"))  # warm caches (content types)
    counts = []
    for n in range(3):
        answers = worked_example_2_answers(ssn=f"28765432{n}", first_name=f"Robert{n}")
        with CaptureQueriesContext(connection) as queries:
            intake_submit(actor=agent, answers=answers)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] < 80


@pytest.mark.parametrize(
    ("answers", "code", "message"),
    [
        ({"gender": "robot"}, "gender", None),
        ({"dob": "2999-01-01"}, "dob", "This date is in the future."),
        ({"dob": "1899-12-31"}, "dob", "A date of birth cannot be before 1900-01-01."),
        ({"household_size": "3", "household_children": "3"}, "household_children",
         "Children must be fewer than the people in the household (the caller counts as one)."),
        ({"household_income": "-5"}, "household_income", "Income cannot be negative."),
        ({"household_income": "10000000"}, "household_income", "That income is too large: check the amount (less than 10,000,000)."),
        ({"income_period": ""}, "income_period", "Say whether the income is monthly or annual."),
        ({"ssn": "900-12-3456"}, "ssn", None),
        ({"collected_at": "2099-01-01T10:00"}, "collected_at", "The call cannot have happened in the future: check the date and time."),
    ],
)
def test_bad_input_on_the_form_is_explained_and_kept(logged_in, agent, answers, code, message):
    intake = intake_start(actor=agent)
    posted = {**worked_example_2_answers(), **answers}
    response = logged_in.post(reverse("intake-complete", args=[intake.pk]), posted)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#q-{code}"' in html and 'id="err-' + code + '"' in html
    if message:
        assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    for typed_code, value in answers.items():
        if value and typed_code != "gender":  # a select cannot show an answer it does not offer
            assert f'value="{value}"' in html
    intake.refresh_from_db()
    assert intake.status == "draft" and not Client.objects.exists()


def test_unknown_answers_never_reach_the_draft_from_the_form(logged_in, agent):
    intake = intake_start(actor=agent)
    logged_in.post(reverse("intake-autosave", args=[intake.pk]), {"county": "nevada", "favourite_colour": "blue"})
    intake.refresh_from_db()
    assert "favourite_colour" not in intake_draft_answers(intake)


def test_youth_flag_shows_on_the_clients_page(logged_in, agent):
    result = intake_submit(actor=agent, answers=worked_example_2_answers(safety_minor_without_adult="yes"))
    html = logged_in.get(reverse("client-detail", args=[result.client.pk])).content.decode()
    assert "URGENT: minor without an adult" in html


def test_admin_edits_shelter_rules_without_a_deploy(client):
    from intake.models import Shelter

    admin = UserFactory(roles=[roles.HMIS_ADMIN], is_staff=True)
    client.force_login(admin)
    shelter = Shelter.objects.get(name="Hospitality House")
    page = client.get(reverse("admin:intake_shelter_change", args=[shelter.pk]))
    assert page.status_code == 200 and "30 day residency requirement" in page.content.decode()
