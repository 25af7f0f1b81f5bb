"""The committee's screens: what is due this week, the forms of Sections I–V and Appendix E, each
action through its screen with the same rules as the API, and what was typed kept when refused."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ces import roles
from devtools.demo.grievances import DEMO_MARK, demo_complaints_seed
from grievances import services
from grievances.completeness import BASES_MISSING
from grievances.models import Attachment, CommitteeMeeting, Grievance, TitleViComplaint
from grievances.services import NO_VOTES
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

LA = timezone.get_fixed_timezone(-8 * 60)


def at(day: str, hour: int = 10):
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LA), tick=False)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_committee_screen_shows_what_is_due_this_week_and_what_is_overdue(committee, client):
    agency = AgencyFactory()
    with at("2026-03-02"):
        late = services.title_vi_complaint_file(actor=committee, complainant_name="Ana Reyes", bases=["race"],
                                                incident_date=timezone.localdate(), description="x")
        services.complaint_accept(complaint=late, actor=committee)  # due 2026-04-01
    with at("2026-03-05"):
        soon = services.title_vi_complaint_file(actor=committee, complainant_name="Beth Ode", bases=["age"],
                                                incident_date=timezone.localdate(), description="x")
        services.complaint_accept(complaint=soon, actor=committee)  # due 2026-04-04
        later = services.title_vi_complaint_file(actor=committee, complainant_name="Cal Finch", bases=["sex"],
                                                 incident_date=timezone.localdate(), description="x")
    with at("2026-03-20"):
        services.complaint_accept(complaint=later, actor=committee)  # due 2026-04-19: not this week
    with at("2026-03-18"):
        grievance = services.grievance_file(actor=committee, complainant_name="Dee Moss", agency_id=agency.pk,
                                            denial_date=timezone.localdate(), tried_with_program=True, description="x")
    client.force_login(committee)
    with at("2026-04-02"):
        page = client.get("/grievances/")
    assert page.status_code == 200
    due = [(row["case"].reference, row["due"].isoformat(), row["overdue"]) for row in page.context["due"]]
    assert due == [(late.reference, "2026-04-01", True), (soon.reference, "2026-04-04", False),
                   (grievance.reference, grievance.committee_response_due.isoformat(), False)]
    assert grievance.committee_response_due.isoformat() == "2026-04-08"
    assert b"overdue" in page.content and later.reference.encode() in page.content  # listed as open, not as due


def test_staff_record_a_mailed_complaint_written_with_help_and_its_attachment(committee, client):
    client.force_login(committee)
    assert client.get("/grievances/title-vi/new/").status_code == 200
    scan = SimpleUploadedFile("form.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    response = client.post("/grievances/title-vi/new/", {
        "received_on": str(timezone.localdate()), "channel": "mail", "assisted": "yes", "complainant_name": "Rosa Delgado",
        "language": "es", "interpreter": "sign language", "on_own_behalf": "yes", "bases": ["disability", "national_origin"],
        "incident_date": str(timezone.localdate() - timedelta(days=4)), "description": "No me dejaron entrar con mi perro de servicio.",
        "accommodation_request": "Service animal.", "attachments": [scan],
    })
    complaint = TitleViComplaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/grievances/title-vi/{complaint.pk}/"
    assert (complaint.channel, complaint.assisted_by, complaint.filed_by, complaint.interpreter) == (
        "mail", committee, committee, "sign language")
    assert complaint.bases == ["national_origin", "disability"] and complaint.status == "received"
    assert Attachment.objects.get().complaint == complaint
    page = client.get(f"/grievances/title-vi/{complaint.pk}/")
    assert "Rosa Delgado".encode() in page.content and b"Jurisdiction review: we will investigate" in page.content


def test_an_incomplete_paper_form_is_recorded_with_what_is_missing_and_completed_later(committee, client):
    client.force_login(committee)
    client.post("/grievances/title-vi/new/", {"complainant_name": "Linh Tran", "channel": "phone", "on_own_behalf": "yes",
                                              "description": "Treated unfairly at intake."})
    complaint = TitleViComplaint.objects.get()
    page = client.get(f"/grievances/title-vi/{complaint.pk}/")
    assert complaint.status == "incomplete" and str(BASES_MISSING).encode() in page.content
    assert list(complaint.letters.values_list("kind", flat=True)) == ["incomplete"]
    response = client.post(f"/grievances/title-vi/{complaint.pk}/amend/", {
        **page.context["prefill"], "bases": ["religion"], "incident_date": str(timezone.localdate() - timedelta(days=2)),
        "reason": "She called back with the details."}, follow=True)
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.bases == ["religion"]
    assert "Saved." in messages_of(response)
    assert complaint.history.first().history_change_reason == "She called back with the details.: received"
    assert complaint.history.count() == 2  # recorded incomplete, then completed: no other rows


def test_a_refused_action_on_the_screen_says_why_and_keeps_what_was_typed(committee, client):
    agency = AgencyFactory()
    grievance = services.grievance_file(actor=committee, complainant_name="Dee Moss", agency_id=agency.pk,
                                        denial_date=timezone.localdate(), tried_with_program=True, description="x")
    client.force_login(committee)
    url = f"/grievances/ce/{grievance.pk}/"
    response = client.post(f"{url}vote/", {"for": "0", "against": "0", "abstain": "0", "decision": "We could not agree.",
                                           "next": url}, follow=True)
    assert str(NO_VOTES) in messages_of(response)
    assert b"We could not agree." in response.content  # kept in the vote form
    assert Grievance.objects.get().status == "received"
    response = client.post(f"{url}vote/", {"for": "4", "against": "1", "abstain": "0", "outcome": "not_upheld",
                                           "decision": "The program followed its criteria.", "next": url}, follow=True)
    grievance.refresh_from_db()
    assert (grievance.status, grievance.votes_for, grievance.votes_against, grievance.outcome) == ("decided", 4, 1, "not_upheld")
    assert b"Decision on your grievance" not in response.content and b"Committee decision" in response.content
    response = client.post(f"{url}appeal/", {"to": "HUD CoC Program, San Francisco field office", "next": url}, follow=True)
    grievance.refresh_from_db()
    assert grievance.status == "appealed" and grievance.appeal_on == timezone.localdate()


def test_meetings_screen_schedules_a_meeting_and_shows_its_agenda(committee, client):
    agency = AgencyFactory()
    grievance = services.grievance_file(actor=committee, complainant_name="Dee Moss", agency_id=agency.pk,
                                        denial_date=timezone.localdate(), tried_with_program=True, description="x")
    client.force_login(committee)
    response = client.post("/grievances/meetings/new/", {"date": str(timezone.localdate() + timedelta(days=3)),
                                                         "location": "Auburn"}, follow=True)
    meeting = CommitteeMeeting.objects.get()
    assert response.redirect_chain[-1][0] == f"/grievances/meetings/{meeting.pk}/"
    assert grievance.reference.encode() in response.content
    assert Grievance.objects.get().meeting == meeting
    again = client.post("/grievances/meetings/new/", {"date": str(meeting.date), "next": "/grievances/meetings/"}, follow=True)
    assert "There is already a committee meeting on that date." in " ".join(messages_of(again))


def test_a_rejected_referral_can_be_taken_to_a_grievance_form_prefilled(committee, client):
    client.force_login(committee)
    page = client.get("/grievances/ce/new/?referral=42")
    assert page.status_code == 200 and b'name="referral_id" value="42"' in page.content
    assert client.get("/grievances/ce/new/?referral=%C2%B2").status_code == 200  # junk is ignored, not a 500


def test_the_demo_gives_the_committee_real_work_on_first_login_and_runs_once(client):
    committee = UserFactory(username="committee", first_name="Morgan", roles=[roles.COMMITTEE])
    UserFactory(username="coc_staff", roles=[roles.COC_STAFF])
    AgencyFactory(initials="AMIH", name="AMI Housing")
    assert demo_complaints_seed() == 10
    assert demo_complaints_seed() == 0  # a second run adds nothing
    statuses = set(TitleViComplaint.objects.values_list("status", flat=True))
    assert statuses == {"received", "investigating", "awaiting_information", "closed_finding", "closed_untimely", "incomplete"}
    assert set(Grievance.objects.values_list("status", flat=True)) == {"received", "decided"}
    client.force_login(committee)
    page = client.get("/grievances/")
    due = page.context["due"]
    assert len(due) >= 3 and all(row["case"].complainant_name.endswith(DEMO_MARK) for row in due)
    assert page.context["flagged_information"].count() == 1
    dashboard = client.get("/")
    assert b"New discrimination complaint" in dashboard.content  # notices waiting on the dashboard
    assert b'href="/grievances/"' in dashboard.content  # the navigation link


def test_the_rejected_referrals_page_can_include_how_to_appeal(committee):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from referrals.services import referral_decide, vacancy_create, vacancy_pull
    from tests.factories import BnlEntryFactory, ProgramFactory, program_staff

    program = ProgramFactory()
    staff = program_staff(program)
    BnlEntryFactory()
    referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
    referral = referral_decide(referral=referral, outcome="provider_rejected", reason="household_size", justification="Studio.",
                               actor=staff)

    def rendered(user) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string("grievances/_referral_appeal.html", {"referral": referral}, request=request)

    for_staff = rendered(staff)
    assert f"first with {program.agency.name}" in for_staff and "/complaints/" in for_staff
    assert "?referral=" not in for_staff  # program staff cannot file a grievance
    assert f'href="/grievances/ce/new/?referral={referral.pk}"' in rendered(committee)
