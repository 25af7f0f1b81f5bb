"""Policy `disengagement_30_60`, exactly-once sweeps, and nothing lost with Redis down."""

import threading
from datetime import date, datetime

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from ces import roles
from ces.deadlines import deadlines_sweep
from ces.errors import Forbidden, Invalid
from ces.models import ClientNote, Notification
from engagement.disengagement import (
    SECOND_SIGNER_DIFFERENT,
    SECOND_SIGNER_ROLE,
    TWO_CHANNELS_NEEDED,
    status_form_countersign,
    status_form_file,
)
from engagement.models import EngagementCase, Letter
from engagement.services import attempt_record, engagement_open, letter_send
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory

LA = timezone.get_fixed_timezone(-8 * 60)


def at(day: str, hour: int = 10):
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=LA)


@pytest.fixture
def people():
    agency = AgencyFactory(initials="COSE", hmis_participating=False)
    return {
        "agency": agency,
        "worker": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "director": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "leader": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "program": ProgramFactory(agency=agency, type="services", engagement_policy="disengagement_30_60"),
    }


def open_case(people, on="2026-09-01"):
    client = ClientFactory(holding_agency=people["agency"], voicemail_consent="yes")
    with time_machine.travel(at(on), tick=False):
        return engagement_open(client=client, program=people["program"], worker=people["worker"], actor=people["director"])


def attempt(case, day, channel, outcome="no_answer"):
    with time_machine.travel(at(day), tick=False):
        return attempt_record(case=case, channel=channel, outcome=outcome, actor=case.worker)


def sweep(day, hour=10):
    with time_machine.travel(at(day, hour), tick=False):
        return deadlines_sweep(now=timezone.now())


@pytest.mark.django_db
def test_30_60_flow_end_to_end_with_two_sign_offs(people):
    case = open_case(people)
    sweep("2026-09-30")
    assert EngagementCase.objects.get(pk=case.pk).status == "active"
    sweep("2026-10-01")  # 30 consecutive days without contact or service
    case.refresh_from_db()
    assert case.status == "due_for_engagement"
    assert Notification.objects.filter(recipient=people["worker"], subject__contains="30 days inactive").exists()

    attempt(case, "2026-10-02", "phone")
    with pytest.raises(Invalid) as raised:
        status_form_file(case=case, step=1, status_change_date=date(2026, 10, 2), requestor="agency", reason="unable_to_engage",
                         comments="Called twice", actor=people["worker"])
    assert TWO_CHANNELS_NEEDED in raised.value.errors["non_field_errors"]
    attempt(case, "2026-10-02", "email", "message_sent")
    form = status_form_file(case=case, step=1, status_change_date=date(2026, 10, 2), requestor="agency", reason="unable_to_engage",
                            comments="Phone 9/3 and 10/2, email 10/2, no reply.", actor=people["worker"])
    assert EngagementCase.objects.get(pk=case.pk).status == "due_for_engagement"  # not until the second sign-off
    with pytest.raises(Forbidden) as raised:
        status_form_countersign(form=form, actor=people["worker"])
    assert raised.value.errors == {"non_field_errors": [SECOND_SIGNER_DIFFERENT]}
    with pytest.raises(Forbidden) as raised:
        status_form_countersign(form=form, actor=UserFactory(roles=[roles.CASE_WORKER]))
    assert raised.value.errors == {"non_field_errors": [SECOND_SIGNER_ROLE]}
    with time_machine.travel(at("2026-10-03"), tick=False):
        status_form_countersign(form=form, actor=people["director"])
    assert EngagementCase.objects.get(pk=case.pk).status == "engagement"

    sweep("2026-11-02")  # 30 more days
    case.refresh_from_db()
    assert case.status == "due_for_hold"
    with pytest.raises(Invalid) as raised:
        status_form_file(case=case, step=2, status_change_date=date(2026, 11, 2), requestor="agency", reason="unable_to_engage",
                         comments="Discussed with IDDT team", actor=people["worker"])
    assert "team_consensus_date" in raised.value.errors
    form2 = status_form_file(case=case, step=2, status_change_date=date(2026, 11, 2), requestor="agency", reason="unable_to_engage",
                             comments="Discussed with IDDT team", team_consensus_date=date(2026, 10, 30), actor=people["worker"])
    status_form_countersign(form=form2, actor=people["leader"])
    case.refresh_from_db()
    assert case.status == "hold"
    hold_letter = Letter.objects.get(case=case, kind="hold")
    assert hold_letter.document.file.read(4) == b"%PDF"


@pytest.mark.django_db
def test_reengagement_from_hold_and_from_engagement(people):
    case = open_case(people)
    EngagementCase.objects.filter(pk=case.pk).update(status="hold")
    case.refresh_from_db()
    attempt(case, "2026-12-01", "phone", "reached")
    case.refresh_from_db()
    assert case.status == "engagement"  # from hold: reopened in engagement
    attempt(case, "2026-12-05", "in_person", "reached")
    case.refresh_from_db()
    assert case.status == "engagement"  # stays in engagement; the process starts over, no new referral
    assert EngagementCase.objects.filter(client=case.client).count() == 1
    sweep("2027-01-05")  # 30 days after the last contact: still in Engagement status
    assert EngagementCase.objects.get(pk=case.pk).status == "engagement"
    sweep("2027-02-03")  # "Disengaged and inactive for 60 consecutive days total"
    case.refresh_from_db()
    assert case.status == "due_for_hold"


@pytest.mark.django_db
def test_contact_resets_the_30_day_clock(people):
    case = open_case(people)
    attempt(case, "2026-09-20", "phone", "reached")
    sweep("2026-10-01")
    assert EngagementCase.objects.get(pk=case.pk).status == "active"
    sweep("2026-10-21")
    assert EngagementCase.objects.get(pk=case.pk).status == "due_for_engagement"


def _assertive_case_with_letter_sent():
    agency = AgencyFactory()
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    program = ProgramFactory(agency=agency, type="services", engagement_policy="assertive")
    cases = []
    for _ in range(3):
        client = ClientFactory(holding_agency=agency)
        BnlEntryFactory(client=client)
        with time_machine.travel(at("2026-11-02"), tick=False):
            case = engagement_open(client=client, program=program, worker=worker, actor=worker)
        for day, channel in [("2026-11-03", "phone"), ("2026-11-03", "text"), ("2026-11-09", "phone"), ("2026-11-09", "email"),
                             ("2026-11-12", "referral_source")]:
            attempt(case, day, channel)
        with time_machine.travel(at("2026-11-18"), tick=False):  # 11-13, 11-16, 11-17 to hear back from the referral source
            letter_send(case=case, channel="mail", actor=worker)
        cases.append(case)
    return cases


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_close_each_file_exactly_once():
    cases = _assertive_case_with_letter_sent()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=30)
            with time_machine.travel(at("2026-11-27", 9), tick=False):  # 11-19 … 11-25 (Thanksgiving skipped) have passed
                deadlines_sweep(now=timezone.now())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    for case in cases:
        case.refresh_from_db()
        assert case.status == "closed"
        assert case.history.filter(status="closed").count() == 1
        assert case.letters.count() == 1
        assert ClientNote.objects.filter(client=case.client, topic="CE event").count() == 1


@pytest.mark.django_db
def test_nothing_is_lost_while_redis_is_unreachable(settings):
    from ces.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # a dead port
    try:
        cases = _assertive_case_with_letter_sent()  # attempts, letters: all recorded without the broker
        agency = AgencyFactory()
        worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
        program = ProgramFactory(agency=agency, type="services", engagement_policy="disengagement_30_60")
        quiet = ClientFactory(holding_agency=agency)
        with time_machine.travel(at("2026-09-01"), tick=False):
            slow = engagement_open(client=quiet, program=program, worker=worker, actor=worker)
    finally:
        app.conf.broker_url = previous
    # A day (or weeks) later the sweep runs and catches up on every overdue step.
    sweep("2026-12-01")
    for case in cases:
        case.refresh_from_db()
        assert case.status == "closed"
    slow.refresh_from_db()
    assert slow.status == "due_for_engagement"
