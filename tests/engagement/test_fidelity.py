"""Issue 11, items 9–15: engagement as seeds 002 ("Assertive Engagement Process") and 003 (the 30/60-day
protocol) say it, one test per rule, built from the seeds' words and real dates across Thanksgiving
(Thu 2026-11-26), Christmas (Fri 2026-12-25) and New Year (Fri 2027-01-01)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.deadlines import deadlines_sweep
from ces.errors import Invalid
from ces.models import ClientNote, Deadline, Notification, Program
from ces.system_user import system_user_get
from engagement.disengagement import status_form_countersign, status_form_file
from engagement.letters import letter_html
from engagement.models import EngagementCase, OutreachStep, ServiceRecord
from engagement.services import (
    ALREADY_OPEN,
    ONLY_ENGAGED_LOSE_CONTACT,
    REFERRAL_NOT_THIS_CASE,
    attempt_record,
    engagement_lost_contact,
    engagement_open,
    engagement_referral_link,
    letter_send,
    service_record,
)
from reassignment.services import case_assignment_set
from referrals.services import vacancy_create, vacancy_pull
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, program_staff

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LA)


def sweep(day: str, hour: int = 0, minute: int = 6):
    with time_machine.travel(at(day, hour, minute), tick=False):
        return deadlines_sweep(now=timezone.now())


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def office():
    agency = AgencyFactory(name="Community Options Supported Employment", initials="COSE")
    return {
        "agency": agency,
        "worker": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "director": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "assertive": ProgramFactory(agency=agency, type="services", engagement_policy="assertive"),
        "thirty_sixty": ProgramFactory(agency=agency, type="services", engagement_policy="disengagement_30_60"),
    }


def open_case(office, program: str = "assertive", on: str = "2026-11-23", **client_fields) -> EngagementCase:
    client = ClientFactory(holding_agency=office["agency"], hmis_consent="yes", voicemail_consent="yes", **client_fields)
    BnlEntryFactory(client=client)
    with time_machine.travel(at(on, 9), tick=False):
        return engagement_open(client=client, program=office[program], worker=office["worker"], actor=office["worker"])


def attempt(case, day: str, channel: str, outcome: str = "no_answer", hour: int = 10):
    with time_machine.travel(at(day, hour), tick=False):
        return attempt_record(case=case, channel=channel, outcome=outcome, actor=case.worker)


def two_rounds_then_referral_source(case, advised_on: str):
    """Steps 1–6 of "Upon Entry Into Service", the referral source advised on `advised_on`."""
    attempt(case, "2026-11-23", "phone")
    attempt(case, "2026-11-23", "text", "message_sent")
    attempt(case, "2026-11-30", "phone")  # "Wait 3-5 business days" (Thanksgiving skipped)
    attempt(case, "2026-11-30", "email", "message_sent")
    attempt(case, advised_on, "referral_source", "message_sent")


def letter_on(case, day: str, hour: int = 11):
    with time_machine.travel(at(day, hour), tick=False):
        return letter_send(case=case, channel="mail", actor=case.worker)


# --- 9. the engagement policy is the program's, set by an admin ----------------------------------------


def test_an_admin_sets_a_programs_engagement_policy_on_the_admin_screen(client):
    admin = UserFactory(roles=[roles.HMIS_ADMIN], is_staff=True)
    program = ProgramFactory(type="services", name="Supported Employment")
    client.force_login(admin)
    url = reverse("admin:ces_program_change", args=[program.pk])
    page = client.get(url).content.decode()
    assert 'name="engagement_policy"' in page and 'name="lost_contact_months"' in page
    response = client.post(url, {
        "agency": program.agency_id, "name": program.name, "type": "services", "counties": "placer,nevada", "is_active": "on",
        "min_household_size": "", "max_household_size": "",
        "engagement_policy": "disengagement_30_60", "lost_contact_months": "4",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    program.refresh_from_db()
    assert (program.engagement_policy, program.lost_contact_months) == ("disengagement_30_60", 4)
    assert program.history.first().history_user == admin


def test_an_admin_sets_a_programs_engagement_policy_through_the_api(office):
    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    program = office["assertive"]
    response = api_as(admin).patch(f"/api/v1/programs/{program.pk}/", {"engagement_policy": "disengagement_30_60"}, format="json")
    assert response.status_code == 200 and response.json()["engagement_policy"] == "disengagement_30_60"
    assert Program.objects.get(pk=program.pk).engagement_policy == "disengagement_30_60"
    refused = api_as(admin).patch(f"/api/v1/programs/{program.pk}/", {"engagement_policy": "whenever"}, format="json")
    assert refused.status_code == 400 and "engagement_policy" in refused.json()["errors"]
    assert api_as(office["worker"]).patch(f"/api/v1/programs/{program.pk}/", {"engagement_policy": "assertive"},
                                          format="json").status_code == 403
    assert Program.objects.get(pk=program.pk).engagement_policy == "disengagement_30_60"
    # A case opened from now on follows the program's 30/60 protocol.
    program.refresh_from_db()
    case = open_case(office)
    assert (case.policy, case.status) == ("disengagement_30_60", "active")


def test_the_demo_network_has_a_program_using_the_30_60_protocol():
    call_command("seed_demo", clients=0)
    assert Program.objects.filter(engagement_policy="disengagement_30_60", is_active=True).exists()
    assert Program.objects.filter(engagement_policy="assertive", is_active=True).exists()


# --- 10. an engaged client who lost contact goes on the existing-client track -----------------------------


def test_an_engaged_client_who_lost_contact_goes_on_the_existing_client_track(office):
    case = open_case(office)
    attempt(case, "2026-11-24", "phone", "reached")  # "admit client to services"
    case.refresh_from_db()
    assert case.status == "engaged"
    with time_machine.travel(at("2026-12-21"), tick=False):  # weeks later the client stops answering
        case = engagement_lost_contact(case=case, actor=office["worker"])
    case.refresh_from_db()
    assert (case.status, case.kind) == ("outreach", "lost_contact")
    # "For Existing Clients" step 1, due within 5 business days: Christmas (Fri 12-25) is skipped.
    assert OutreachStep.objects.get(case=case, number=1, done_at__isnull=True, cancelled=False).due_on == date(2026, 12, 29)
    attempt(case, "2026-12-22", "phone")
    attempt(case, "2026-12-22", "text", "message_sent")
    case.refresh_from_db()
    assert case.ceiling_on == date(2027, 3, 22)  # "a maximum of 3 months" from the first attempt
    assert OutreachStep.objects.get(case=case, number=3, done_at__isnull=True, cancelled=False).not_before == date(2026, 12, 28)
    assert ClientNote.objects.filter(client=case.client, text__startswith="Contact lost").count() == 1


def test_contact_lost_is_a_post_of_the_case_and_refused_unless_the_client_is_engaged(office):
    case = open_case(office)
    before = EngagementCase.objects.get(pk=case.pk)
    response = api_as(office["worker"]).post(f"/api/v1/engagement-cases/{case.pk}/lost-contact/", {}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["non_field_errors"] == [str(ONLY_ENGAGED_LOSE_CONTACT)]
    assert EngagementCase.objects.get(pk=case.pk).kind == before.kind == "new_referral"
    attempt(case, "2026-11-24", "in_person", "reached")
    body = api_as(office["worker"]).post(f"/api/v1/engagement-cases/{case.pk}/lost-contact/", {}, format="json").json()
    assert (body["status"], body["kind"], body["next_step"]["number"]) == ("outreach", "lost_contact", 1)


def test_opening_existing_client_outreach_for_an_engaged_client_uses_the_same_case(office):
    case = open_case(office)
    attempt(case, "2026-11-24", "phone", "reached")
    body = {"client_id": case.client_id, "program_id": office["assertive"].pk, "kind": "lost_contact"}
    response = api_as(office["worker"]).post("/api/v1/engagement-cases/", body, format="json")
    assert response.status_code == 201 and response.json()["id"] == case.pk
    assert EngagementCase.objects.filter(client=case.client).count() == 1
    assert EngagementCase.objects.get(pk=case.pk).status == "outreach"
    # A new referral while the outreach is open is still one case too many.
    again = api_as(office["worker"]).post("/api/v1/engagement-cases/", {**body, "kind": "new_referral"}, format="json")
    assert again.status_code == 400 and again.json()["errors"]["non_field_errors"] == [str(ALREADY_OPEN)]


def test_the_case_page_offers_contact_lost_only_for_an_engaged_client(client, office):
    case = open_case(office)
    client.force_login(office["worker"])
    url = reverse("engagement-case", args=[case.pk])
    action = reverse("engagement-lost-contact", args=[case.pk])
    assert action not in client.get(url).content.decode()
    refused = client.post(action, {"next": url})
    assert refused.status_code == 400 and "Only an engaged client" in refused.content.decode()
    attempt(case, "2026-11-24", "phone", "reached")
    assert action in client.get(url).content.decode()
    assert client.post(action, {"next": url}).status_code == 302
    assert EngagementCase.objects.get(pk=case.pk).kind == "lost_contact"


# --- 11. three to five business days to hear back from the referral source, who is then notified -------


@pytest.mark.parametrize("advised_on,refused_days,first_day", [
    # Wed before Thanksgiving: Fri 11-27, Mon 11-30, Tue 12-01 are the three business days to hear back.
    ("2026-11-25", ["2026-11-25", "2026-11-27", "2026-11-30", "2026-12-01"], "2026-12-02"),
    # Tue before Christmas: 12-23, 12-24 and (Christmas skipped) Mon 12-28.
    ("2026-12-22", ["2026-12-22", "2026-12-23", "2026-12-24", "2026-12-28"], "2026-12-29"),
    # Wed 12-30: 12-31, (New Year skipped) Mon 1-04, Tue 1-05.
    ("2026-12-30", ["2026-12-30", "2026-12-31", "2027-01-04", "2027-01-05"], "2027-01-06"),
])
def test_the_letter_waits_three_to_five_business_days_to_hear_back_from_the_referral_source(office, advised_on, refused_days,
                                                                                            first_day):
    case = open_case(office)
    two_rounds_then_referral_source(case, advised_on)
    for day in refused_days:
        with pytest.raises(Invalid) as refused:
            letter_on(case, day)
        assert "3–5 business days" in str(refused.value)
        assert not case.letters.exists()
    letter = letter_on(case, first_day)
    assert letter.kind == "no_contact"


def test_the_referral_source_is_told_when_the_no_contact_letter_is_sent(office):
    access_point = AgencyFactory(name="Connecting Point", initials="CP")
    ce_worker = UserFactory(agency=access_point, roles=[roles.CASE_WORKER])
    ce_supervisor = UserFactory(agency=access_point, roles=[roles.SUPERVISOR])
    coc = UserFactory(roles=[roles.COC_STAFF])
    housing = ProgramFactory(agency=office["agency"], type="rrh", engagement_policy="assertive")
    person = ClientFactory(holding_agency=access_point, hmis_consent="yes")
    case_assignment_set(client=person, worker=ce_worker, actor=ce_supervisor)
    entry = BnlEntryFactory(client=person, score=20)
    staff = program_staff(housing)
    referral = vacancy_pull(vacancy=vacancy_create(program=housing, actor=staff), actor=staff, count=1).referrals.get()
    assert referral.entry == entry
    # The worker opens the case from the referral, on the screen.
    web = __import__("django.test", fromlist=["Client"]).Client()
    web.force_login(office["worker"])
    with time_machine.travel(at("2026-11-23", 9), tick=False):
        response = web.post(reverse("engagement-open", args=[person.pk]),
                            {"program_id": housing.pk, "kind": "new_referral", "referral_id": referral.pk})
    assert response.status_code == 302
    case = EngagementCase.objects.get(client=person)
    assert case.referral == referral
    two_rounds_then_referral_source(case, "2026-12-01")
    assert not Notification.objects.filter(recipient__in=[ce_worker, coc]).exists()
    letter_on(case, "2026-12-07")  # 12-02, 12-03, 12-04 passed
    told = Notification.objects.filter(subject__contains="could not be reached")
    assert set(told.values_list("recipient", flat=True)) == {ce_worker.pk, coc.pk, staff.pk}  # CE, and the referral's program
    assert {notice.link for notice in told} == {reverse("bnl-detail", args=[entry.pk])}
    assert person.label in told.first().subject and person.first_name not in told.first().subject
    assert ClientNote.objects.filter(client=person, text__contains="referral source").exists()


def test_without_an_assigned_ce_worker_the_access_points_supervisors_are_told(office):
    access_point = AgencyFactory(initials="CP")
    ce_supervisor = UserFactory(agency=access_point, roles=[roles.SUPERVISOR])
    housing = ProgramFactory(agency=office["agency"], type="psh", engagement_policy="assertive")
    person = ClientFactory(holding_agency=access_point, hmis_consent="yes")
    BnlEntryFactory(client=person)
    staff = program_staff(housing)
    referral = vacancy_pull(vacancy=vacancy_create(program=housing, actor=staff), actor=staff, count=1).referrals.get()
    with time_machine.travel(at("2026-11-23", 9), tick=False):
        case = engagement_open(client=person, program=housing, worker=office["worker"], actor=office["worker"])
    response = api_as(office["worker"]).post(f"/api/v1/engagement-cases/{case.pk}/referral/", {"referral_id": referral.pk},
                                             format="json")
    assert response.status_code == 200 and response.json()["referral_id"] == referral.pk
    two_rounds_then_referral_source(case, "2026-12-01")
    letter_on(case, "2026-12-07")
    assert Notification.objects.filter(recipient=ce_supervisor, subject__contains="could not be reached").count() == 1


def test_a_case_is_linked_only_to_a_referral_of_its_own_client_and_program(office):
    housing = ProgramFactory(agency=office["agency"], type="rrh")
    staff = program_staff(housing)
    someone_else = BnlEntryFactory(score=25)
    referral = vacancy_pull(vacancy=vacancy_create(program=housing, actor=staff), actor=staff, count=1).referrals.get()
    assert referral.entry == someone_else
    case = open_case(office)
    with pytest.raises(Invalid) as refused:
        engagement_referral_link(case=case, referral=referral, actor=office["worker"])
    assert refused.value.errors == {"referral_id": [REFERRAL_NOT_THIS_CASE]}
    response = api_as(office["worker"]).post(f"/api/v1/engagement-cases/{case.pk}/referral/", {"referral_id": 987654321},
                                             format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["referral_id"]
    assert EngagementCase.objects.get(pk=case.pk).referral is None


# --- 12. the file closes when five business days have passed after the letter ------------------------------


@pytest.mark.parametrize("letter_day,fifth_day,closes_on", [
    ("2026-11-23", "2026-12-01", "2026-12-02"),  # 11-24, 11-25, (Thanksgiving) 11-27, 11-30, 12-01
    ("2026-12-18", "2026-12-28", "2026-12-29"),  # 12-21 … 12-24, (Christmas) 12-28
    ("2026-12-30", "2027-01-07", "2027-01-08"),  # 12-31, (New Year) 1-04 … 1-07
])
def test_the_file_closes_when_five_business_days_have_passed_after_the_letter(office, letter_day, fifth_day, closes_on):
    case = open_case(office, on="2026-08-03")
    OutreachStep.objects.filter(case=case).update(cancelled=True)
    OutreachStep.objects.create(case=case, number=OutreachStep.Number.LETTER, due_on=date.fromisoformat(letter_day))
    letter = letter_on(case, letter_day)
    sweep(fifth_day, 23, 59)  # the fifth business day itself: only four have passed in full
    assert EngagementCase.objects.get(pk=case.pk).status == "outreach"
    sweep(closes_on)
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "no_contact")
    assert timezone.localtime(case.closed_at).date().isoformat() == closes_on
    # The letter says the same: the file closes after the end of the fifth business day.
    assert letter.document.file.read(4) == b"%PDF"


def test_the_letter_names_the_fifth_business_day_and_the_file_closes_after_it(office):
    case = open_case(office, on="2026-08-03", preferred_language="en")
    OutreachStep.objects.filter(case=case).update(cancelled=True)
    OutreachStep.objects.create(case=case, number=OutreachStep.Number.LETTER, due_on=date(2026, 12, 18))
    letter = letter_on(case, "2026-12-18")
    assert letter.answer_by == date(2026, 12, 28)
    close = Deadline.objects.get(kind="engagement.close_file", state="pending")
    assert timezone.localtime(close.due_at).date() == date(2026, 12, 29)
    with time_machine.travel(at("2026-12-18", 11), tick=False):
        html = letter_html(case=case, kind="no_contact", answer_by=letter.answer_by)
    assert "by the end of Monday, December 28, 2026, your file will be closed" in html


# --- 13. Hold at 60 days of disengagement, however late the Step 1 signature ------------------------------


def _step_1_signed(office, case, *, signed_on: str):
    attempt(case, "2026-10-05", "phone")
    attempt(case, "2026-10-05", "email", "message_sent")
    form = status_form_file(case=case, step=1, status_change_date=date(2026, 10, 31), requestor="agency",
                            reason="unable_to_engage", comments="Phone and email 10/5, no reply.", actor=office["worker"])
    with time_machine.travel(at(signed_on), tick=False):
        status_form_countersign(form=form, actor=office["director"])


def test_hold_is_due_at_60_consecutive_days_of_disengagement_not_30_days_after_the_signature(office):
    case = open_case(office, "thirty_sixty", on="2026-10-01")  # last contact: the opening, Thu 10-01 09:00
    sweep("2026-10-31", 9, 1)  # "disengaged and inactive for 30 consecutive days"
    assert EngagementCase.objects.get(pk=case.pk).status == "due_for_engagement"
    _step_1_signed(office, case, signed_on="2026-11-20")  # the Director signs three weeks late
    assert EngagementCase.objects.get(pk=case.pk).status == "engagement"
    hold = Deadline.objects.get(kind="engagement.hold_due", state="pending")
    assert hold.due_at == at("2026-11-30", 9)  # day 60 of the disengagement, not the signature + 30 (12-20)
    sweep("2026-11-30", 8, 59)
    assert EngagementCase.objects.get(pk=case.pk).status == "engagement"
    sweep("2026-11-30", 9, 1)  # "Disengaged and inactive for 60 consecutive days total"
    assert EngagementCase.objects.get(pk=case.pk).status == "due_for_hold"


def test_a_step_1_signature_after_day_60_is_due_for_hold_at_the_next_sweep(office):
    case = open_case(office, "thirty_sixty", on="2026-10-01")
    sweep("2026-10-31", 9, 1)
    _step_1_signed(office, case, signed_on="2026-12-04")  # day 64
    sweep("2026-12-04", 10, 5)
    assert EngagementCase.objects.get(pk=case.pk).status == "due_for_hold"


def test_after_re_engagement_in_engagement_status_hold_comes_at_60_more_days_disengaged(office):
    case = open_case(office, "thirty_sixty", on="2026-10-01")
    sweep("2026-10-31", 9, 1)
    _step_1_signed(office, case, signed_on="2026-11-02")
    attempt(case, "2026-11-25", "phone", "reached")  # the referral process starts over, still in engagement
    assert EngagementCase.objects.get(pk=case.pk).status == "engagement"
    sweep("2027-01-23", 10, 5)  # 59 days after the contact
    assert EngagementCase.objects.get(pk=case.pk).status == "engagement"
    sweep("2027-01-24", 10, 5)  # 60 days
    assert EngagementCase.objects.get(pk=case.pk).status == "due_for_hold"


# --- 14. a service delivered resets the 30-day clock ----------------------------------------------------


def test_a_service_delivered_resets_the_30_day_clock(office):
    case = open_case(office, "thirty_sixty", on="2026-11-02")
    with time_machine.travel(at("2026-11-20", 14), tick=False):  # no contact attempt reached the client, but a service was delivered
        service_record(case=case, kind="employment", note="Job fair at the One-Stop", actor=office["worker"])
    sweep("2026-12-03", 10)  # 30 days after the opening: not inactive, a service was recorded on 11-20
    assert EngagementCase.objects.get(pk=case.pk).status == "active"
    sweep("2026-12-20", 13)
    assert EngagementCase.objects.get(pk=case.pk).status == "active"
    sweep("2026-12-20", 14, 1)  # 30 consecutive days without contact or service
    assert EngagementCase.objects.get(pk=case.pk).status == "due_for_engagement"


def test_a_service_delivered_in_hold_reopens_the_client_in_engagement(office):
    case = open_case(office, "thirty_sixty", on="2026-09-01")
    EngagementCase.objects.filter(pk=case.pk).update(status="hold")
    with time_machine.travel(at("2026-12-28", 11), tick=False):
        service_record(case=case, kind="case_management", actor=office["worker"])
    assert EngagementCase.objects.get(pk=case.pk).status == "engagement"  # "If customer was placed on Hold they would be re-opened in engagement"


def test_services_are_recorded_on_the_screen_and_the_api_and_counted(client, office):
    case = open_case(office, "thirty_sixty", on="2026-11-02")
    client.force_login(office["worker"])
    url = reverse("engagement-case", args=[case.pk])
    response = client.post(reverse("engagement-service", args=[case.pk]), {"kind": "other", "note": "", "next": url})
    assert response.status_code == 400 and "Say what the service was." in response.content.decode()
    assert not ServiceRecord.objects.exists()
    assert client.post(reverse("engagement-service", args=[case.pk]), {"kind": "transportation", "note": "Bus pass", "next": url}).status_code == 302
    body = api_as(office["worker"]).post(f"/api/v1/engagement-cases/{case.pk}/services/",
                                         {"kind": "benefits", "note": "CalFresh renewal", "at": "2026-11-10T15:00:00-08:00"},
                                         format="json").json()
    assert body["service_count"] == 2 and {s["kind"] for s in body["services"]} == {"transportation", "benefits"}
    assert "2 services recorded" in client.get(url).content.decode()
    assert api_as(office["worker"]).post(f"/api/v1/engagement-cases/{case.pk}/services/", {"kind": "massage"},
                                         format="json").status_code == 400
    outsider = UserFactory(roles=[roles.CASE_WORKER])
    assert api_as(outsider).post(f"/api/v1/engagement-cases/{case.pk}/services/", {"kind": "benefits"},
                                 format="json").status_code == 404
    assert ServiceRecord.objects.count() == 2


# --- 15. scheduled changes are the system's, with the job's name ---------------------------------------------


def test_scheduled_changes_are_written_to_history_as_the_system_user_with_the_jobs_name(office):
    system = system_user_get()
    thirty_sixty = open_case(office, "thirty_sixty", on="2026-10-01")
    sweep("2026-10-31", 9, 1)
    flagged = thirty_sixty.history.first()
    assert (flagged.status, flagged.history_user_id) == ("due_for_engagement", system.pk)
    assert flagged.history_change_reason.startswith("engagement.inactive_30")
    _step_1_signed(office, thirty_sixty, signed_on="2026-11-02")
    sweep("2026-11-30", 9, 1)
    held = thirty_sixty.history.first()
    assert (held.status, held.history_user_id) == ("due_for_hold", system.pk)
    assert held.history_change_reason.startswith("engagement.hold_due")

    assertive = open_case(office, on="2026-11-23")  # step 1 due Tue 12-01 (Thanksgiving skipped)
    sweep("2026-12-02")
    step = OutreachStep.objects.get(case=assertive, number=1)
    overdue = step.history.first()
    assert overdue.overdue_since is not None and overdue.history_user_id == system.pk
    assert overdue.history_change_reason.startswith("engagement.step_overdue")

    lost = open_case(office, on="2026-09-01")
    attempt(lost, "2026-09-02", "phone", "reached")
    with time_machine.travel(at("2026-09-03"), tick=False):
        engagement_lost_contact(case=lost, actor=office["worker"])
    attempt(lost, "2026-09-04", "phone")  # the first attempt sets the ceiling: Fri 12-04
    sweep("2026-12-04")
    letter_step = OutreachStep.objects.get(case=lost, number=7)
    assert letter_step.history.first().history_user_id == system.pk
    assert letter_step.history.first().history_change_reason.startswith("engagement.ceiling")
    assert not EngagementCase.history.filter(history_user=office["worker"], history_change_reason__startswith="engagement.").exists()


def test_the_no_contact_closure_is_the_system_users_with_the_jobs_name(office):
    case = open_case(office, on="2026-08-03")
    OutreachStep.objects.filter(case=case).update(cancelled=True)
    OutreachStep.objects.create(case=case, number=OutreachStep.Number.LETTER, due_on=date(2026, 11, 23))
    letter_on(case, "2026-11-23")
    sweep("2026-12-02")
    closed = case.history.first()
    assert (closed.status, closed.history_user.username) == ("closed", settings.CES_SYSTEM_USERNAME)
    assert closed.history_change_reason.startswith("engagement.close_file")
    entry = BnlEntry.objects.get(client=case.client)
    assert entry.status == "inactive" and entry.history.first().history_user.username == settings.CES_SYSTEM_USERNAME
