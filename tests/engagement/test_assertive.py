"""Policy `assertive` on a frozen clock across Thanksgiving 2026 and weekends."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from bnl.models import BnlEntry
from ces import roles
from ces.deadlines import deadlines_sweep
from ces.errors import Invalid
from ces.models import ClientDocument, ClientNote, Deadline, Notification
from engagement.models import EngagementCase, OutreachStep
from engagement.services import VOICEMAIL_NOT_CONSENTED, attempt_record, engagement_open, letter_send
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
LA = timezone.get_fixed_timezone(-8 * 60)


def at(day: str, hour: int = 10):
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=LA)


@pytest.fixture
def setup():
    agency = AgencyFactory(initials="CP")
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    supervisor = UserFactory(agency=agency, roles=[roles.SUPERVISOR])
    program = ProgramFactory(agency=agency, type="services", engagement_policy="assertive")
    return {"agency": agency, "worker": worker, "supervisor": supervisor, "program": program}


def open_case(setup, *, alternate=False, consent="yes", on="2026-11-23"):
    client = ClientFactory(holding_agency=setup["agency"], voicemail_consent=consent, preferred_language="es",
                           alt_contact_name="Tía Rosa" if alternate else "", mailing_address="PO Box 1, Auburn CA")
    BnlEntryFactory(client=client)
    with time_machine.travel(at(on, 9), tick=False):
        case = engagement_open(client=client, program=setup["program"], worker=setup["worker"], actor=setup["supervisor"])
    return case


def due(case, number):
    return OutreachStep.objects.get(case=case, number=number, cancelled=False).due_on.isoformat()


def attempt(case, day, channel, outcome="no_answer", hour=10, user=None):
    with time_machine.travel(at(day, hour), tick=False):
        return attempt_record(case=case, channel=channel, outcome=outcome, actor=user or case.worker)


def sweep(day, hour=0, minute=6):
    with time_machine.travel(at(day, hour).replace(minute=minute), tick=False):
        return deadlines_sweep(now=timezone.now())


def test_full_new_referral_timeline_across_thanksgiving(setup):
    case = open_case(setup)  # T0 Monday 2026-11-23
    assert due(case, 1) == "2026-12-01"  # 5 business days, skipping Thanksgiving (Thu 11-26) and the weekend
    attempt(case, "2026-11-24", "phone")
    attempt(case, "2026-11-24", "text", "message_sent")
    step3 = OutreachStep.objects.get(case=case, number=3)
    assert (step3.not_before.isoformat(), step3.due_on.isoformat()) == ("2026-11-30", "2026-12-02")  # wait 3–5 business days
    attempt(case, "2026-12-01", "voicemail", "left_voicemail")
    attempt(case, "2026-12-01", "email", "message_sent")
    assert due(case, 6) == "2026-12-08"  # no alternate contact: the referral source is next
    sweep("2026-12-08", 23, 0)
    assert not Notification.objects.filter(subject__startswith="Overdue").exists()
    sweep("2026-12-09")  # the morning after its due date: overdue, worker and supervisor reminded
    assert Notification.objects.filter(subject__startswith="Overdue", recipient=setup["worker"]).count() == 1
    assert Notification.objects.filter(subject__startswith="Overdue", recipient=setup["supervisor"]).count() == 1
    assert OutreachStep.objects.get(case=case, number=6).overdue_since is not None
    attempt(case, "2026-12-09", "referral_source", "message_sent")
    assert due(case, 7) == "2026-12-16"
    # "Allow 3-5 business days to hear back": 12-10, 12-11 and 12-14 pass before the letter.
    assert OutreachStep.objects.get(case=case, number=7).not_before == date(2026, 12, 15)
    with time_machine.travel(at("2026-12-15", 11), tick=False):
        letter = letter_send(case=case, channel="mail", actor=setup["worker"])
    assert letter.language == "es" and letter.document.file.read(4) == b"%PDF"
    assert ClientDocument.objects.filter(client=case.client, kind="letter").count() == 1
    close = Deadline.objects.get(kind="engagement.close_file", state="pending")
    assert timezone.localtime(close.due_at).date() == date(2026, 12, 23)  # once 5 business days have passed (12-16 … 12-22)
    sweep("2026-12-22", 23, 59)
    assert EngagementCase.objects.get(pk=case.pk).status == "outreach"
    sweep("2026-12-23")  # the fifth business day is over
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "no_contact")
    assert BnlEntry.objects.get(client=case.client).status == "inactive"
    assert ClientNote.objects.filter(client=case.client, topic="CE event", text__contains="no_contact").count() == 1


def test_alternate_contact_step_when_the_client_gave_one(setup):
    case = open_case(setup, alternate=True)
    attempt(case, "2026-11-24", "phone")
    attempt(case, "2026-11-24", "email", "message_sent")
    attempt(case, "2026-11-30", "phone")
    attempt(case, "2026-11-30", "alternate_phone")
    assert due(case, 5) == "2026-12-07"
    attempt(case, "2026-12-02", "alternate_contact", "message_sent")
    assert due(case, 6) == "2026-12-09"


def test_second_round_attempts_too_early_do_not_count(setup):
    case = open_case(setup)
    attempt(case, "2026-11-24", "phone")
    attempt(case, "2026-11-24", "text", "message_sent")
    attempt(case, "2026-11-25", "phone")  # before the 3-business-day wait
    attempt(case, "2026-11-25", "email", "message_sent")
    assert OutreachStep.objects.get(case=case, number=3).done_at is None


@pytest.mark.parametrize("reached_at_step", [1, 3, 6, 7])
def test_reached_at_any_step_ends_the_outreach(setup, reached_at_step):
    case = open_case(setup)
    script = [("2026-11-24", "phone"), ("2026-11-24", "text"), ("2026-12-01", "phone"), ("2026-12-01", "email"),
              ("2026-12-03", "referral_source")]
    progress = {1: 0, 3: 2, 6: 4, 7: 5}[reached_at_step]
    for day, channel in script[:progress]:
        attempt(case, day, channel, "message_sent" if channel != "phone" else "no_answer")
    assert OutreachStep.objects.get(case=case, done_at__isnull=True, cancelled=False).number == reached_at_step
    attempt(case, "2026-12-04", "phone", "reached")
    case.refresh_from_db()
    assert case.status == "engaged"
    assert not Deadline.objects.filter(state="pending").exists()
    sweep("2027-01-31")
    case.refresh_from_db()
    assert case.status == "engaged" and not case.letters.exists()
    assert BnlEntry.objects.get(client=case.client).status == "active"


def test_voicemail_needs_consent(setup):
    case = open_case(setup, consent="no")
    with pytest.raises(Invalid) as raised:
        attempt(case, "2026-11-24", "voicemail", "left_voicemail")
    assert raised.value.errors == {"outcome": [VOICEMAIL_NOT_CONSENTED]}


def test_contact_after_the_letter_stops_the_closure(setup):
    case = open_case(setup)
    for day, channel in [("2026-11-24", "phone"), ("2026-11-24", "text"), ("2026-12-01", "phone"), ("2026-12-01", "email"),
                         ("2026-12-03", "referral_source")]:
        attempt(case, day, channel)
    with time_machine.travel(at("2026-12-09"), tick=False):  # 12-04, 12-07, 12-08 to hear back from the referral source
        letter_send(case=case, channel="email", actor=setup["worker"])
    attempt(case, "2026-12-10", "phone", "reached")
    sweep("2026-12-17")
    case.refresh_from_db()
    assert case.status == "engaged"


def test_existing_client_reaches_the_three_month_ceiling(setup):
    client = ClientFactory(holding_agency=setup["agency"], voicemail_consent="yes")
    BnlEntryFactory(client=client)
    with time_machine.travel(at("2026-09-01"), tick=False):
        case = engagement_open(client=client, program=setup["program"], worker=setup["worker"], actor=setup["supervisor"],
                               kind="lost_contact")
    attempt(case, "2026-09-02", "phone")
    attempt(case, "2026-09-02", "text", "message_sent")
    case.refresh_from_db()
    assert case.ceiling_on.isoformat() == "2026-12-02"  # 3 calendar months from the first attempt
    attempt(case, "2026-09-08", "phone")
    attempt(case, "2026-09-08", "email", "message_sent")
    assert due(case, 9) == "2026-09-22"  # a round at least every 10 business days
    for month_day in ["2026-09-21", "2026-10-05", "2026-10-19", "2026-11-02", "2026-11-16"]:
        attempt(case, month_day, "phone")
        attempt(case, month_day, "text", "message_sent")
    sweep("2026-12-02")  # the ceiling: the letter is due
    assert OutreachStep.objects.get(case=case, number=7, cancelled=False).due_on.isoformat() == "2026-12-02"
    with time_machine.travel(at("2026-12-02", 11), tick=False):
        letter_send(case=case, channel="mail", actor=setup["worker"])
    sweep("2026-12-09")  # the fifth business day after 12-02 has not passed yet
    assert EngagementCase.objects.get(pk=case.pk).status == "outreach"
    sweep("2026-12-10")  # it has (12-03, 12-04, 12-07, 12-08, 12-09)
    case.refresh_from_db()
    assert case.status == "closed"
