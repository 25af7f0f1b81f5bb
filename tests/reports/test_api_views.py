"""Who may see the reports (API 403, screens 404), the same figures on every door, PDFs and CSVs logged."""

import pytest
from django.test import Client as PageClient
from rest_framework.test import APIClient

from ces import roles
from ces.models import AccessLog, ClientDocument
from reports.catalogue import REPORT_NAMES
from reports.csv_output import safe_cell
from reports.periods import quarter
from reports.queries.scores import score_distribution
from tests.factories import UserFactory
from tests.reports.helpers import assessed, person

ALLOWED = (roles.COMMITTEE, roles.COC_STAFF, roles.HMIS_ADMIN)
REFUSED = (roles.CALL_AGENT, roles.CASE_WORKER, roles.PROGRAM_STAFF, roles.VSP_ADVOCATE, roles.SUPERVISOR)
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user):
    client = PageClient()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALLOWED)
def test_committee_coc_staff_and_hmis_admin_read_every_report_through_the_api(role):
    user = UserFactory(roles=[role])
    for name in REPORT_NAMES:
        response = api(user).get(f"/api/v1/reports/{name}/", Q1)
        assert response.status_code == 200, (name, response.content[:300])
        assert response.json()["report"] == name and response.json()["period"] == Q1


@pytest.mark.django_db
@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_get_403_from_the_api_and_404_from_the_screens(role):
    user = UserFactory(roles=[role])
    assert api(user).get("/api/v1/reports/referrals/", Q1).status_code == 403
    assert api(user).get("/api/v1/reports/what-if/").status_code == 403
    for path in ("/reports/", "/reports/referrals/", "/reports/referrals/pdf/", "/reports/referrals/csv/", "/reports/what-if/"):
        assert page(user).get(path).status_code == 404, path
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_the_api_answers_the_same_figures_as_the_report_on_screen():
    assessed(client=person(), total=7, on="2026-02-01", county="placer")
    committee = UserFactory(roles=[roles.COMMITTEE])
    body = api(committee).get("/api/v1/reports/score-distribution/", Q1).json()
    assert body == score_distribution(quarter(2026, 1))
    screen = page(committee).get("/reports/score-distribution/", Q1)
    assert screen.status_code == 200 and screen.context["report"] == body


@pytest.mark.django_db
def test_bad_dates_answer_400_keyed_by_field_and_an_unknown_report_404():
    committee = UserFactory(roles=[roles.COMMITTEE])
    response = api(committee).get("/api/v1/reports/referrals/", {"start": "2026-03-01", "end": "2026-02-01"})
    assert response.status_code == 400 and "start" in response.json()["errors"]
    response = api(committee).get("/api/v1/reports/referrals/", {"start": "2026-13-01"})
    assert response.status_code == 400 and "start" in response.json()["errors"]
    response = api(committee).get("/api/v1/reports/referrals/", {"start": "1990-01-01", "end": "2026-01-01"})
    assert response.status_code == 400 and "end" in response.json()["errors"]
    assert api(committee).get("/api/v1/reports/nothing/", Q1).status_code == 404
    assert page(committee).get("/reports/nothing/").status_code == 404
    screen = page(committee).get("/reports/referrals/", {"start": "2026-03-01", "end": "2026-02-01"})
    assert screen.status_code == 200 and "start" in screen.context["errors"]


@pytest.mark.django_db
def test_a_report_pdf_is_kept_in_the_document_store_and_every_download_is_logged():
    committee = UserFactory(roles=[roles.COMMITTEE])
    assessed(client=person(), total=7, on="2026-02-01")
    response = page(committee).get("/reports/score-distribution/pdf/", Q1)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    page(committee).get("/reports/score-distribution/pdf/", Q1)
    documents = ClientDocument.objects.filter(kind="report", source_type="reports.reportrun").order_by("version")
    assert [d.version for d in documents] == [1, 2] and documents[0].client is None and len(documents[0].sha256) == 64
    assert AccessLog.objects.filter(user=committee, action="download_pdf").count() == 2


@pytest.mark.django_db
def test_the_report_csv_is_logged_and_neutralises_formula_cells():
    committee = UserFactory(roles=[roles.COC_STAFF])
    response = page(committee).get("/reports/referrals/csv/", Q1)
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and body.startswith("Referrals made and rejected,2026-01-01,2026-03-31")
    assert AccessLog.objects.filter(user=committee, action="export", detail__contains="referrals").count() == 1
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("+1") == "'+1" and safe_cell("@x") == "'@x"
    assert safe_cell("\tx") == "'\tx" and safe_cell(-3) == -3 and safe_cell("Ana") == "Ana"


@pytest.mark.django_db
def test_the_whatif_screen_and_pdf_show_the_proposal_and_keep_the_pdf():
    committee = UserFactory(roles=[roles.COMMITTEE])
    query = {"tie_breaker_1": "placed_on_list_at", "tie_breaker_2": "homeless_since", "chronic_first": "on"}
    response = page(committee).get("/reports/what-if/", query)
    assert response.status_code == 200 and response.context["result"]["proposal"]["chronic_first"] is True
    refused = page(committee).get("/reports/what-if/", {"tie_breaker_1": "placed_on_list_at", "tie_breaker_2": "placed_on_list_at"})
    assert "tie_breakers" in refused.context["errors"] and refused.context["result"] is None
    pdf = page(committee).get("/reports/what-if/pdf/", query)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(user=committee, action="download_pdf").count() == 1
    api_body = api(committee).get("/api/v1/reports/what-if/", {"indicator": "age"}).json()
    assert api_body["errors"]["points"]


@pytest.mark.django_db
def test_the_committees_dashboard_shows_report_figures_and_others_do_not():
    committee = UserFactory(roles=[roles.COMMITTEE])
    assessed(client=person(), total=7, on="2026-02-01")
    response = page(committee).get("/")
    assert b"Evaluation reports" in response.content and b"/reports/what-if/" in response.content
    agent = UserFactory(roles=[roles.CALL_AGENT])
    assert b"/reports/" not in page(agent).get("/").content
