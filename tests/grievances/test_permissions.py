"""Who sees complainants' data: CoC staff and the O&M Committee only. Everyone else gets 403 on the
lists (api.md), 404 on the records (same as missing), and cannot file or act. Every view is logged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ces import roles
from ces.models import AccessLog
from grievances import services
from grievances.models import CommitteeMeeting, Grievance, TitleViComplaint
from grievances.selectors import NOT_FOR_YOUR_ROLE
from tests.factories import AgencyFactory, UserFactory
from tests.grievances.conftest import api_for

pytestmark = pytest.mark.django_db

OTHER_ROLES = [roles.CALL_AGENT, roles.CASE_WORKER, roles.SUPERVISOR, roles.PROGRAM_STAFF, roles.VSP_ADVOCATE,
               roles.NONHMIS_LIST_HOLDER, roles.HMIS_ADMIN]


@pytest.fixture
def cases(committee):
    agency = AgencyFactory()
    complaint = services.title_vi_complaint_file(actor=committee, complainant_name="Ana Reyes", bases=["sex"],
                                                 incident_date=timezone.localdate() - timedelta(days=3), description="x")
    grievance = services.grievance_file(actor=committee, complainant_name="Luis Mora", agency_id=agency.pk,
                                        denial_date=timezone.localdate() - timedelta(days=3), tried_with_program=True,
                                        description="Refused.")
    meeting = services.meeting_create(actor=committee, date=timezone.localdate() + timedelta(days=7))
    return {"complaint": complaint, "grievance": grievance, "meeting": meeting, "agency": agency}


@pytest.mark.parametrize("role", [roles.COC_STAFF, roles.COMMITTEE])
def test_coc_staff_and_the_committee_see_and_work_complaints_and_grievances(role, cases):
    user = UserFactory(roles=[role])
    api = api_for(user)
    listed = api.get("/api/v1/title-vi-complaints/")
    assert listed.status_code == 200 and [c["complainant_name"] for c in listed.json()] == ["Ana Reyes"]
    assert api.get("/api/v1/grievances/").json()[0]["complainant_name"] == "Luis Mora"
    assert api.get(f"/api/v1/title-vi-complaints/{cases['complaint'].pk}/").status_code == 200
    assert api.get("/api/v1/committee-meetings/").status_code == 200
    accepted = api.post(f"/api/v1/title-vi-complaints/{cases['complaint'].pk}/accept/", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "investigating"
    filed = api.post("/api/v1/title-vi-complaints/", {"complainant_name": "Jo", "received_on": str(timezone.localdate())},
                     format="json")
    assert filed.status_code == 201 and filed.json()["status"] == "incomplete"
    assert TitleViComplaint.objects.get(pk=filed.json()["id"]).filed_by == user


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_gets_403_on_the_lists_and_404_on_the_records(role, cases):
    user = UserFactory(roles=[role], agency=cases["agency"])  # even staff of the agency complained about
    api = api_for(user)
    for url in ("/api/v1/title-vi-complaints/", "/api/v1/grievances/", "/api/v1/committee-meetings/"):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"errors": {"non_field_errors": [str(NOT_FOR_YOUR_ROLE)]}}
    complaint, grievance = cases["complaint"], cases["grievance"]
    letter = complaint.letters.first() or grievance.letters.first()
    for url in (f"/api/v1/title-vi-complaints/{complaint.pk}/", f"/api/v1/grievances/{grievance.pk}/",
                f"/api/v1/committee-meetings/{cases['meeting'].pk}/"):
        assert api.get(url).status_code == 404, url
    assert api.get(f"/api/v1/title-vi-complaints/{complaint.pk + 1000}/").status_code == 404  # the same as missing
    assert api.post(f"/api/v1/title-vi-complaints/{complaint.pk}/accept/", {}, format="json").status_code == 404
    assert api.post(f"/api/v1/grievances/{grievance.pk}/vote/", {"for": 3, "against": 0, "decision": "ok"},
                    format="json").status_code == 404
    assert api.post("/api/v1/title-vi-complaints/", {"complainant_name": "X"}, format="json").status_code == 403
    assert api.post("/api/v1/grievances/", {"complainant_name": "X"}, format="json").status_code == 403
    assert api.post("/api/v1/committee-meetings/", {"date": "2027-01-01"}, format="json").status_code == 403
    if letter is not None:
        assert api.get(f"/api/v1/grievance-letters/{letter.pk}/").status_code == 404
    assert TitleViComplaint.objects.count() == 1 and Grievance.objects.count() == 1 and CommitteeMeeting.objects.count() == 1
    assert TitleViComplaint.objects.get().status == "received"


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_the_screens(role, cases, client):
    client.force_login(UserFactory(roles=[role]))
    assert client.get("/grievances/").status_code == 403
    assert client.get("/grievances/meetings/").status_code == 403
    assert client.get("/grievances/title-vi/new/").status_code == 403
    assert client.get(f"/grievances/title-vi/{cases['complaint'].pk}/").status_code == 404
    assert client.get(f"/grievances/ce/{cases['grievance'].pk}/").status_code == 404
    assert client.get(f"/grievances/meetings/{cases['meeting'].pk}/").status_code == 404
    assert client.post(f"/grievances/title-vi/{cases['complaint'].pk}/accept/", {}).status_code == 404


def test_without_an_account_only_the_public_page_answers(cases, client):
    assert api_for(None).get("/api/v1/title-vi-complaints/").status_code in (401, 403)
    assert client.get("/grievances/").status_code == 302  # to the login page
    assert client.get(f"/grievances/title-vi/{cases['complaint'].pk}/").status_code == 302
    assert client.get("/complaints/").status_code == 200


def test_every_look_at_complainants_data_is_in_the_access_log(committee, cases, client):
    api = api_for(committee)
    api.get("/api/v1/title-vi-complaints/")
    api.get(f"/api/v1/grievances/{cases['grievance'].pk}/")
    client.force_login(committee)
    client.get("/grievances/")
    client.get(f"/grievances/title-vi/{cases['complaint'].pk}/")
    client.get(f"/grievances/meetings/{cases['meeting'].pk}/")
    rows = list(AccessLog.objects.filter(user=committee).order_by("id").values_list("action", "object_type", "object_id"))
    assert rows == [
        ("view_list", "", ""),
        ("api_read", "grievances.grievance", str(cases["grievance"].pk)),
        ("view_list", "", ""),
        ("view_file", "grievances.titlevicomplaint", str(cases["complaint"].pk)),
        ("view_list", "grievances.committeemeeting", str(cases["meeting"].pk)),
    ]


def test_only_coc_staff_review_retaliation_flags_and_the_committee_cannot(committee, coc_staff):
    assert coc_staff.has_perm("grievances.change_retaliationflag")
    assert not committee.has_perm("grievances.change_retaliationflag")
    assert committee.has_perm("grievances.view_retaliationflag")


def test_the_hmis_admin_edits_the_outside_agencies_but_sees_no_complaint(outside_agencies):
    admin_user = UserFactory(roles=[roles.HMIS_ADMIN], is_staff=True)
    assert admin_user.has_perm("grievances.change_outsideagency")
    assert not admin_user.has_perm("grievances.view_titlevicomplaint")


def test_every_change_is_in_the_history_with_who_did_it(committee, cases):
    complaint = cases["complaint"]
    services.complaint_accept(complaint=complaint, actor=committee)
    history = list(TitleViComplaint.history.filter(id=complaint.pk).order_by("history_date").values_list(
        "status", "history_user__username", "history_change_reason"))
    assert history[-1] == ("investigating", committee.username, "jurisdiction accepted: investigation opened")
    assert all(user == committee.username for _status, user, _reason in history)
