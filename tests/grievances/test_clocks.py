"""Every clock of Appendix D and E on a frozen calendar, through the API (api.md)."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from ces.deadlines import deadlines_sweep
from ces.models import Deadline, Notification
from grievances.completeness import NOT_TRIED_WITH_PROGRAM
from grievances.models import Grievance, TitleViComplaint
from grievances.services import ADMINISTRATIVE_TOO_EARLY, APPEAL_LATE
from tests.factories import AgencyFactory
from tests.grievances.conftest import api_for

pytestmark = pytest.mark.django_db

LA = timezone.get_fixed_timezone(-8 * 60)


def at(day: str, hour: int = 10, minute: int = 0):
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LA), tick=False)


def complaint_body(**overrides) -> dict:
    body = {"complainant_name": "Ana Reyes", "language": "en", "bases": ["race", "disability"],
            "incident_date": "2026-03-02", "received_on": "2026-03-10",
            "description": "The call agent refused to finish my assessment when I asked for an interpreter.",
            "address": "12 Pine St, Grass Valley, CA 95945"}
    return {**body, **overrides}


def file_complaint(user, **overrides) -> dict:
    response = api_for(user).post("/api/v1/title-vi-complaints/", complaint_body(**overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def accepted(user, *, received_on: str, accept_on: str) -> dict:
    with at(received_on):
        complaint = file_complaint(user, incident_date=received_on, received_on=received_on)
    with at(accept_on):
        response = api_for(user).post(f"/api/v1/title-vi-complaints/{complaint['id']}/accept/", {}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def closed(user, *, outcome: str = "no_violation", letter_on: str = "2026-04-01") -> dict:
    complaint = accepted(user, received_on="2026-03-10", accept_on="2026-03-12")
    with at(letter_on):
        response = api_for(user).post(f"/api/v1/title-vi-complaints/{complaint['id']}/close/", {"outcome": outcome}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


# --- 180 days --------------------------------------------------------------------------------


def test_a_complaint_received_180_days_after_the_incident_is_in_time(committee):
    with at("2026-06-30"):
        body = file_complaint(committee, incident_date="2026-01-01", received_on="2026-06-30")  # exactly 180 days
    assert body["status"] == "received"
    assert body["letters"] == [] and body["deadlines"] == {}
    assert TitleViComplaint.objects.get(pk=body["id"]).status == "received"


def test_a_complaint_received_181_days_after_the_incident_is_recorded_and_closed_untimely_with_a_letter(committee):
    with at("2026-07-01"):
        body = file_complaint(committee, incident_date="2026-01-01", received_on="2026-07-01", language="es")
    assert body["status"] == "closed_untimely"
    assert [(letter["kind"], letter["language"]) for letter in body["letters"]] == [("untimely", "es")]
    assert body["letters"][0]["url"].endswith(f"/api/v1/grievance-letters/{body['letters'][0]['id']}/")
    complaint = TitleViComplaint.objects.get(pk=body["id"])
    assert complaint.description  # recorded, not investigated
    assert not Deadline.objects.filter(subject_id=complaint.pk, kind__startswith="grievances.investigation").exists()


def test_a_grievance_received_180_days_after_the_denial_is_investigated_and_181_is_untimely(committee):
    agency = AgencyFactory()
    base = {"complainant_name": "Luis Mora", "language": "en", "agency_id": agency.pk, "referral_id": None,
            "tried_with_program": True, "program_answer": "They said the unit was too small.",
            "description": "I was refused the unit although my household fits it."}
    with at("2026-07-01"):
        timely = api_for(committee).post("/api/v1/grievances/", {**base, "denial_date": "2026-01-01",
                                                                  "received_on": "2026-06-30"}, format="json").json()
        late = api_for(committee).post("/api/v1/grievances/", {**base, "denial_date": "2026-01-01",
                                                                "received_on": "2026-07-01"}, format="json").json()
    assert timely["status"] == "received" and timely["deadlines"]["committee_response"]
    assert late["status"] == "closed_untimely" and late["deadlines"] == {}
    assert [letter["kind"] for letter in late["letters"]] == ["untimely"]


# --- 30 days to investigate ----------------------------------------------------------------------


def test_accepting_jurisdiction_makes_the_acknowledgment_letter_and_the_investigation_is_due_30_days_later(committee):
    body = accepted(committee, received_on="2026-03-10", accept_on="2026-03-12")
    assert body["status"] == "investigating"
    assert body["deadlines"] == {"investigation": "2026-04-11"}
    assert [(letter["kind"], letter["date"]) for letter in body["letters"]] == [("acknowledgment", "2026-03-12")]
    kinds = dict(Deadline.objects.filter(subject_id=body["id"], state="pending").values_list("kind", "due_at"))
    assert timezone.localtime(kinds["grievances.investigation_overdue"]).date() == date(2026, 4, 12)


def test_the_investigation_clock_reminds_the_investigator_before_and_everyone_after_it(committee, coc_staff):
    body = accepted(committee, received_on="2026-03-10", accept_on="2026-03-12")
    reminders = sorted(timezone.localtime(d.due_at).date() for d in Deadline.objects.filter(kind="grievances.investigation_reminder"))
    assert reminders == [date(2026, 4, 4), date(2026, 4, 9)]  # 7 and 2 days before
    with at("2026-04-04", 9):
        deadlines_sweep()
    assert Notification.objects.filter(recipient=committee, subject__contains="is due 2026-04-11").count() == 1
    assert not Notification.objects.filter(recipient=coc_staff, subject__contains="is due").exists()
    with at("2026-04-12", 1):
        deadlines_sweep()
    assert Notification.objects.filter(recipient=coc_staff, subject__contains="overdue").count() == 1
    assert TitleViComplaint.objects.get(pk=body["id"]).status == "investigating"


def test_closing_the_case_cancels_the_investigation_reminders(committee):
    body = closed(committee)
    assert not Deadline.objects.filter(subject_id=body["id"], kind__startswith="grievances.investigation", state="pending").exists()
    with at("2026-04-12", 1):
        deadlines_sweep()
    assert not Notification.objects.filter(subject__contains="overdue").exists()


# --- 15 business days to answer a request for information ------------------------------------------


def test_information_is_due_15_business_days_after_the_letter_across_christmas_and_new_year(committee):
    complaint = accepted(committee, received_on="2026-12-09", accept_on="2026-12-10")
    with at("2026-12-18"):  # a Friday; Christmas (Fri 25) and New Year's Day (Fri 1) are skipped
        response = api_for(committee).post(f"/api/v1/title-vi-complaints/{complaint['id']}/request-info/",
                                           {"requested": "A copy of the shelter's written denial."}, format="json")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "awaiting_information"
    assert body["deadlines"]["information"] == "2027-01-12"
    assert [letter["kind"] for letter in body["letters"]] == ["acknowledgment", "information_request"]


def test_without_an_answer_the_job_flags_the_case_and_staff_confirm_the_administrative_closure(committee, coc_staff):
    complaint = accepted(committee, received_on="2026-12-09", accept_on="2026-12-10")
    api = api_for(committee)
    with at("2026-12-18"):
        api.post(f"/api/v1/title-vi-complaints/{complaint['id']}/request-info/", {"requested": "Dates."}, format="json")
    with at("2027-01-12", 23, 50):  # the last day to answer: not yet
        deadlines_sweep()
        refused = api.post(f"/api/v1/title-vi-complaints/{complaint['id']}/close/", {"outcome": "administrative"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["outcome"] == [ADMINISTRATIVE_TOO_EARLY.format(due="2027-01-12")]
    assert TitleViComplaint.objects.get(pk=complaint["id"]).information_overdue_at is None
    with at("2027-01-13", 0, 10):
        deadlines_sweep()
    flagged = TitleViComplaint.objects.get(pk=complaint["id"])
    assert flagged.status == "awaiting_information" and flagged.information_overdue_at is not None  # flagged, not closed
    assert flagged.history.first().history_user.username == "ces-system"
    assert Notification.objects.filter(recipient=coc_staff, subject__contains="no answer").count() == 1
    with at("2027-01-13", 9):
        response = api.post(f"/api/v1/title-vi-complaints/{complaint['id']}/close/", {"outcome": "administrative"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed_administrative"
    assert response.json()["letters"][-1]["kind"] == "administrative_closure"


def test_an_answer_before_the_due_date_stops_the_information_clock(committee):
    complaint = accepted(committee, received_on="2026-12-09", accept_on="2026-12-10")
    api = api_for(committee)
    with at("2026-12-18"):
        api.post(f"/api/v1/title-vi-complaints/{complaint['id']}/request-info/", {"requested": "Dates."}, format="json")
    with at("2027-01-05"):
        body = api.post(f"/api/v1/title-vi-complaints/{complaint['id']}/info-received/", {}, format="json").json()
    assert body["status"] == "investigating"
    with at("2027-01-14"):
        deadlines_sweep()
    assert TitleViComplaint.objects.get(pk=complaint["id"]).information_overdue_at is None


# --- 30 days to appeal -------------------------------------------------------------------------------


def test_an_appeal_received_on_the_30th_day_after_the_letter_is_accepted(committee):
    body = closed(committee, letter_on="2026-04-01")
    assert body["deadlines"]["appeal"] == "2026-05-01"
    with at("2026-05-02"):
        response = api_for(committee).post(f"/api/v1/title-vi-complaints/{body['id']}/appeal/",
                                           {"received_on": "2026-05-01", "grounds": "Witnesses were not heard."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "appealed"


def test_an_appeal_received_on_the_31st_day_is_refused_as_late_and_changes_nothing(committee):
    body = closed(committee, outcome="finding", letter_on="2026-04-01")
    with at("2026-05-02"):
        response = api_for(committee).post(f"/api/v1/title-vi-complaints/{body['id']}/appeal/",
                                           {"received_on": "2026-05-02"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"received_on": [APPEAL_LATE.format(days=30, letter="2026-04-01", last="2026-05-01")]}
    complaint = TitleViComplaint.objects.get(pk=body["id"])
    assert complaint.status == "closed_finding" and complaint.appeal_received_on is None


def test_an_appeal_without_a_date_is_received_today(committee):
    body = closed(committee, letter_on="2026-04-01")
    with at("2026-05-01"):
        assert api_for(committee).post(f"/api/v1/title-vi-complaints/{body['id']}/appeal/", {}, format="json").status_code == 200
    with at("2026-05-02"):
        other = closed(committee, letter_on="2026-04-01")
    with at("2026-05-02"):
        assert api_for(committee).post(f"/api/v1/title-vi-complaints/{other['id']}/appeal/", {}, format="json").status_code == 400


# --- CE grievances: 15 business days and the next meeting ---------------------------------------------


def grievance_body(agency, **overrides) -> dict:
    body = {"complainant_name": "Luis Mora", "language": "es", "agency_id": agency.pk, "referral_id": None,
            "denial_date": "2026-12-07", "received_on": "2026-12-14", "tried_with_program": True,
            "program_answer": "El programa mantuvo su decisión.", "description": "Me negaron la vivienda sin explicación."}
    return {**body, **overrides}


def test_the_committee_responds_within_15_business_days_of_receipt_across_the_holidays(committee):
    agency = AgencyFactory()
    with at("2026-12-15"):
        response = api_for(committee).post("/api/v1/grievances/", grievance_body(agency), format="json")
    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "received" and body["deadlines"] == {"committee_response": "2027-01-06"}
    assert body["meeting_id"] is None


def test_a_grievance_goes_on_the_next_meeting_on_or_after_its_receipt(committee):
    agency = AgencyFactory()
    api = api_for(committee)
    with at("2026-12-15"):
        early = api.post("/api/v1/committee-meetings/", {"date": "2026-12-10"}, format="json").json()
        same_day = api.post("/api/v1/committee-meetings/", {"date": "2026-12-14"}, format="json").json()
        api.post("/api/v1/committee-meetings/", {"date": "2027-01-14"}, format="json")
        body = api.post("/api/v1/grievances/", grievance_body(agency), format="json").json()
    assert body["meeting_id"] == same_day["id"] != early["id"]
    agendas = {m["date"]: [item["grievance_id"] for item in m["agenda"]] for m in api.get("/api/v1/committee-meetings/").json()}
    assert agendas == {"2026-12-10": [], "2026-12-14": [body["id"]], "2027-01-14": []}


def test_a_meeting_scheduled_later_takes_the_waiting_grievances_on_its_agenda(committee):
    agency = AgencyFactory()
    api = api_for(committee)
    with at("2026-12-15"):
        waiting = api.post("/api/v1/grievances/", grievance_body(agency), format="json").json()
        untimely = api.post("/api/v1/grievances/", grievance_body(agency, denial_date="2026-01-01"), format="json").json()
        meeting = api.post("/api/v1/committee-meetings/", {"date": "2027-01-14"}, format="json").json()
    assert [item["grievance_id"] for item in meeting["agenda"]] == [waiting["id"]]
    assert api.get(f"/api/v1/grievances/{waiting['id']}/").json()["meeting_id"] == meeting["id"]
    assert api.get(f"/api/v1/grievances/{untimely['id']}/").json()["meeting_id"] is None


def test_the_committee_is_reminded_before_its_response_is_due_and_the_response_stops_the_clock(committee):
    agency = AgencyFactory()
    with at("2026-12-15"):
        body = api_for(committee).post("/api/v1/grievances/", grievance_body(agency), format="json").json()
    reminders = sorted(timezone.localtime(d.due_at).date() for d in Deadline.objects.filter(kind="grievances.committee_reminder"))
    assert reminders == [date(2026, 12, 29), date(2027, 1, 5)]  # 5 and 1 business days before 2027-01-06
    with at("2026-12-29", 9):
        deadlines_sweep()
    assert Notification.objects.filter(recipient=committee, subject__contains="due 2027-01-06").count() == 1
    with at("2026-12-30"):
        response = api_for(committee).post(f"/api/v1/grievances/{body['id']}/respond/", {"note": "Recibimos su queja."},
                                           format="json")
    assert response.status_code == 200 and [letter["kind"] for letter in response.json()["letters"]] == ["response"]
    with at("2027-01-07", 9):
        deadlines_sweep()
    assert not Notification.objects.filter(subject__contains="overdue").exists()


def test_a_grievance_without_first_trying_with_the_program_waits_incomplete_with_a_letter(committee):
    agency = AgencyFactory()
    with at("2026-12-15"):
        body = api_for(committee).post("/api/v1/grievances/", grievance_body(agency, tried_with_program=False),
                                       format="json").json()
    assert body["status"] == "incomplete" and body["deadlines"] == {}
    assert {"field": "tried_with_program", "message": str(NOT_TRIED_WITH_PROGRAM)} in body["missing"]
    assert [(letter["kind"], letter["language"]) for letter in body["letters"]] == [("incomplete", "es")]
    with at("2026-12-21"):
        amended = api_for(committee).post(f"/api/v1/grievances/{body['id']}/amend/",
                                          {"tried_with_program": True, "program_answer": "No cambiaron la decisión.",
                                           "reason": "The person called the program first."}, format="json").json()
    assert amended["status"] == "received" and amended["missing"] == []
    assert amended["deadlines"] == {"committee_response": "2027-01-13"}  # 15 business days from completion (Dec 21)
    assert Grievance.objects.get(pk=body["id"]).history.first().history_user == committee


def test_cases_entered_with_dates_ahead_of_today_keep_their_order_of_events(committee):
    """A form dated ahead (a test calendar, a mistyped year): actions without a date are dated
    no earlier than the case's last event, so every clock still counts from the right day."""
    agency = AgencyFactory()
    api = api_for(committee)
    with at("2026-11-23"):
        grievance = api.post("/api/v1/grievances/", grievance_body(agency, denial_date="2026-12-10",
                                                                   received_on="2026-12-18"), format="json").json()
        assert grievance["deadlines"] == {"committee_response": "2027-01-12"}
        voted = api.post(f"/api/v1/grievances/{grievance['id']}/vote/", {"for": 4, "against": 1, "abstain": 0,
                                                                        "decision": "Upheld."}, format="json").json()
        assert voted["status"] == "decided" and voted["vote"]["on"] == "2026-12-18"
        appealed = api.post(f"/api/v1/grievances/{grievance['id']}/appeal/", {"to": "HUD", "on": "2027-01-20"},
                            format="json").json()
        assert (appealed["status"], appealed["appeal_on"]) == ("appealed", "2027-01-20")
        complaint = file_complaint(committee, incident_date="2026-12-01", received_on="2026-12-10")
        accepted = api.post(f"/api/v1/title-vi-complaints/{complaint['id']}/accept/", {}, format="json").json()
        assert accepted["deadlines"] == {"investigation": "2027-01-09"}
        asked = api.post(f"/api/v1/title-vi-complaints/{complaint['id']}/request-info/", {}, format="json").json()
        assert asked["deadlines"]["information"] == "2027-01-04"  # 15 business days from December 10


def test_a_committee_response_not_given_in_15_business_days_is_reported_overdue_to_coc_staff_and_the_committee(committee):
    """Appendix E: a member of the committee responds within 15 business days; past that, the
    CoC's staff and the committee are told it is overdue (and the reminder wording is not reused)."""
    agency = AgencyFactory()
    with at("2026-12-15"):
        body = api_for(committee).post("/api/v1/grievances/", grievance_body(agency), format="json").json()
    with at("2027-01-06", 16):
        deadlines_sweep()
    assert not Notification.objects.filter(subject__contains="overdue").exists()  # due today: not yet overdue
    with at("2027-01-08", 9):
        deadlines_sweep()
    overdue = Notification.objects.filter(subject__contains=f"{body['reference']}: the committee's response is overdue")
    assert list(overdue.values_list("recipient", flat=True)) == [committee.pk]
    assert "was due 2027-01-06" in overdue.get().subject
