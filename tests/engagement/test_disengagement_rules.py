"""The 30/60-day disengagement protocol (engagement/disengagement.py), each rule stated from seed 003's words and
the spec (engagement.md, "Policy disengagement_30_60"), with its boundaries. The services are called directly
(the sweep that calls the scheduled ones is tested in test_disengagement.py and test_fidelity.py).

Seed 003: "disengaged and inactive for 30 consecutive days" → Engagement status (Step 1 form: requestor, reason
from the list, comments listing "multiple efforts using multiple methods", the worker's and the DOS's
signatures); "still disengaged and inactive while in the engagement stage for 30 additional days" → Hold with a
team consensus ("Step 2 – Disengaged and inactive for 60 consecutive days total", the Team Leader's signature);
"If customer was placed on Hold they would be re-opened in engagement"; "If customer is in engagement and
re-engages then customer would be still considered engagement". The spec: at least two attempts on two
different channels before Step 1; the weekly report lists everyone without contact for 14+ days.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from ces import roles
from ces.errors import NON_FIELD, Forbidden, Invalid, NotFound
from ces.models import Deadline, Notification
from engagement.disengagement import (
    ALREADY_SIGNED,
    COMMENTS_REQUIRED,
    CONSENSUS_DATE_REQUIRED,
    NOT_DUE,
    REASON_UNKNOWN,
    REQUESTOR_UNKNOWN,
    SECOND_SIGNER_DIFFERENT,
    SECOND_SIGNER_ROLE,
    STEP_UNKNOWN,
    TWO_CHANNELS_NEEDED,
    hold_flag,
    inactivity_flag,
    reengage,
    status_form_countersign,
    status_form_file,
)
from engagement.models import ContactAttempt, EngagementCase, Letter
from engagement.selectors import case_page, weekly_report
from tests.factories import AgencyFactory, ClientFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
LA = timezone.get_fixed_timezone(-8 * 60)
Status = EngagementCase.Status
ALL_STATUSES = [status for status, _label in Status.choices]


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=hour, minute=minute))  # the CoC's time zone


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


def make_case(people, *, status=Status.ACTIVE, last_contact="2026-10-01", worker="worker") -> EngagementCase:
    client = ClientFactory(holding_agency=people["agency"], voicemail_consent="yes")
    return EngagementCase.objects.create(
        client=client, program=people["program"], worker=people[worker], policy="disengagement_30_60",
        status=status, opened_on=date(2026, 9, 1), last_contact_at=at(last_contact) if last_contact else None)


def pending(case, kind=None):
    rows = Deadline.objects.filter(subject_id=case.pk, subject_type__model="engagementcase", state="pending")
    return [(row.kind, timezone.localtime(row.due_at)) for row in (rows.filter(kind=kind) if kind else rows)]


def attempts(case, *channels):
    for channel in channels:
        ContactAttempt.objects.create(case=case, at=at("2026-10-02"), by=case.worker, channel=channel, outcome="no_answer")


def file_form(people, case, *, step=1, actor=None, **overrides):
    values = {"status_change_date": date(2026, 11, 2), "requestor": "agency", "reason": "unable_to_engage",
              "comments": "Phone 10/2 and email 10/2, no reply.", "team_consensus_date": None}
    values.update(overrides)
    return status_form_file(case=case, step=step, actor=actor or people["worker"], **values)


# --- the clocks: 30 days, then 60 days in all ---------------------------------------------------------------


def test_the_30_day_clock_runs_from_the_last_contact_calendar_days_at_the_same_time_across_the_change_of_clocks(people):
    case = make_case(people, last_contact="2026-10-20")  # 10:00 daylight time; the clocks go back on 11-01
    reengage(case, actor=people["worker"])
    assert pending(case) == [("engagement.inactive_30", at("2026-11-19"))]  # 30 days later, 10:00 standard time
    assert at("2026-11-19").utcoffset() != at("2026-10-20").utcoffset()


def test_without_any_contact_the_clock_runs_from_now(people):
    case = make_case(people, last_contact=None)
    with time_machine.travel(at("2026-12-01", 15, 30), tick=False):
        reengage(case, actor=people["worker"])
    assert pending(case) == [("engagement.inactive_30", at("2026-12-31", 15, 30))]


def test_hold_is_due_60_days_after_the_disengagement_began_whenever_step_1_is_signed(people):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT, last_contact="2026-10-01")
    attempts(case, "phone", "email")
    form = file_form(people, case)
    with time_machine.travel(at("2026-11-20", 16), tick=False):  # day 50
        status_form_countersign(form=form, actor=people["director"])
    assert pending(case) == [("engagement.hold_due", at("2026-11-30"))]  # day 60 of the disengagement, 10:00


def test_a_new_clock_cancels_the_pending_ones(people):
    case = make_case(people, last_contact="2026-10-01")
    reengage(case, actor=people["worker"])
    case.last_contact_at = at("2026-10-05", 9)
    reengage(case, actor=people["worker"])
    assert pending(case) == [("engagement.inactive_30", at("2026-11-04", 9))]
    case.status = Status.ENGAGEMENT
    reengage(case, actor=people["worker"])
    assert pending(case) == [("engagement.hold_due", at("2026-12-04", 9))]
    case.last_contact_at = at("2026-10-06", 9)
    reengage(case, actor=people["worker"])
    assert pending(case) == [("engagement.hold_due", at("2026-12-05", 9))]


# --- the scheduled flags ---------------------------------------------------------------------------------------------


def test_30_days_inactive_an_active_client_is_due_for_engagement_and_the_worker_and_supervisors_are_told(people):
    case = make_case(people)
    assert inactivity_flag(case_id=case.pk, now=at("2026-10-31"), actor=people["director"]) is True
    case.refresh_from_db()
    assert case.status == Status.DUE_FOR_ENGAGEMENT
    told = Notification.objects.filter(subject__contains="30 days inactive")
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        people[who].username for who in ("worker", "director", "leader"))
    flagged = case.history.first()  # the audit says what changed, who and why: a change ("~") to the new status
    assert flagged.history_change_reason.startswith("engagement.inactive_30")
    assert (flagged.history_type, flagged.status, flagged.history_user) == ("~", Status.DUE_FOR_ENGAGEMENT, people["director"])


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != Status.ACTIVE])
def test_the_30_day_flag_leaves_any_other_status_alone(people, status):
    case = make_case(people, status=status)
    assert inactivity_flag(case_id=case.pk, now=at("2026-10-31"), actor=people["director"]) is False
    assert EngagementCase.objects.get(pk=case.pk).status == status
    assert not Notification.objects.exists()


def test_60_days_disengaged_a_client_in_engagement_is_due_for_hold_and_the_worker_and_supervisors_are_told(people):
    case = make_case(people, status=Status.ENGAGEMENT)
    assert hold_flag(case_id=case.pk, now=at("2026-11-30"), actor=people["director"]) is True
    case.refresh_from_db()
    assert case.status == Status.DUE_FOR_HOLD
    flagged = case.history.first()
    assert (flagged.history_type, flagged.status, flagged.history_user) == ("~", Status.DUE_FOR_HOLD, people["director"])
    assert flagged.history_change_reason.startswith("engagement.hold_due")
    told = Notification.objects.filter(subject__contains="60 days inactive")
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        people[who].username for who in ("worker", "director", "leader"))


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != Status.ENGAGEMENT])
def test_the_hold_flag_leaves_any_other_status_alone(people, status):
    case = make_case(people, status=status)
    assert hold_flag(case_id=case.pk, now=at("2026-11-30"), actor=people["director"]) is False
    assert EngagementCase.objects.get(pk=case.pk).status == status


def test_a_supervisor_who_is_the_worker_is_told_once(people):
    case = make_case(people, worker="director")
    inactivity_flag(case_id=case.pk, now=at("2026-10-31"), actor=people["leader"])
    assert Notification.objects.filter(recipient=people["director"]).count() == 1
    assert Notification.objects.filter(recipient=people["leader"]).count() == 1


# --- re-engagement -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "after", "clock"), [
    (Status.HOLD, Status.ENGAGEMENT, ("engagement.hold_due", "2026-12-04")),  # "re-opened in engagement"
    (Status.ENGAGEMENT, Status.ENGAGEMENT, ("engagement.hold_due", "2026-12-04")),  # "still considered engagement"
    (Status.DUE_FOR_HOLD, Status.ENGAGEMENT, ("engagement.hold_due", "2026-12-04")),
    (Status.DUE_FOR_ENGAGEMENT, Status.ACTIVE, ("engagement.inactive_30", "2026-11-04")),
    (Status.ACTIVE, Status.ACTIVE, ("engagement.inactive_30", "2026-11-04")),
])
def test_contact_or_service_re_engages(people, status, after, clock):
    case = make_case(people, status=status, last_contact="2026-10-05")
    reengage(case, actor=people["worker"])
    case.refresh_from_db()
    assert case.status == after
    assert pending(case) == [(clock[0], at(clock[1]))]


# --- the Step 1 and Step 2 forms --------------------------------------------------------------------------------------


def test_step_1_is_filed_when_due_with_two_channels_and_takes_effect_at_the_second_sign_off(people):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, "phone", "email")
    with time_machine.travel(at("2026-11-03", 11), tick=False):
        form = file_form(people, case, status_change_date=None, comments="  Phone and email 10/2.  ")
    assert (form.step, form.status_change_date, form.comments, form.worker_signed_by) == (
        1, date(2026, 11, 3), "Phone and email 10/2.", people["worker"])
    assert form.worker_signed_at == at("2026-11-03", 11)
    assert EngagementCase.objects.get(pk=case.pk).status == Status.DUE_FOR_ENGAGEMENT
    with time_machine.travel(at("2026-11-04", 12), tick=False):
        signed = status_form_countersign(form=form, actor=people["director"])
    assert (signed.second_signed_by, signed.second_signed_at) == (people["director"], at("2026-11-04", 12))
    assert EngagementCase.objects.get(pk=case.pk).status == Status.ENGAGEMENT
    assert not case.letters.exists()


@pytest.mark.parametrize("channels", [("phone",), ("phone", "phone"), ()])
def test_step_1_needs_two_attempts_on_two_different_channels(people, channels):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, *channels)
    with pytest.raises(Invalid) as raised:
        file_form(people, case)
    assert raised.value.errors == {NON_FIELD: [TWO_CHANNELS_NEEDED]}


def test_step_2_needs_the_team_consensus_and_takes_effect_at_the_team_leaders_sign_off_with_the_hold_letter(people):
    case = make_case(people, status=Status.DUE_FOR_HOLD)
    attempts(case, "phone")  # the two channels are Step 1's condition
    with pytest.raises(Invalid) as raised:
        file_form(people, case, step=2)
    assert raised.value.errors == {"team_consensus_date": [CONSENSUS_DATE_REQUIRED]}
    form = file_form(people, case, step=2, team_consensus_date=date(2026, 11, 30))
    assert form.team_consensus_date == date(2026, 11, 30)
    status_form_countersign(form=form, actor=people["leader"])
    assert EngagementCase.objects.get(pk=case.pk).status == Status.HOLD
    letter = Letter.objects.get(case=case)
    assert (letter.kind, letter.sent_channel) == ("hold", "mail")
    assert pending(case) == []


@pytest.mark.parametrize(("status", "step"), [
    (Status.ACTIVE, 1), (Status.ENGAGEMENT, 1), (Status.DUE_FOR_HOLD, 1), (Status.HOLD, 1),
    (Status.DUE_FOR_ENGAGEMENT, 2), (Status.ENGAGEMENT, 2), (Status.HOLD, 2),
])
def test_a_form_is_filed_only_when_the_case_is_due_for_it(people, status, step):
    case = make_case(people, status=status)
    attempts(case, "phone", "text")
    with pytest.raises(Invalid) as raised:
        file_form(people, case, step=step, team_consensus_date=date(2026, 11, 30))
    assert list(raised.value.errors) == [NON_FIELD]
    assert str(raised.value.errors[NON_FIELD][0]).startswith(str(NOT_DUE).split("{")[0])


def test_more_than_two_channels_are_more_than_enough(people):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, "phone", "email", "text")
    assert file_form(people, case).step == 1


@pytest.mark.parametrize("step", [0, 3])
def test_there_are_two_forms(people, step):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, "phone")  # the two channels are Step 1's condition, not an unknown step's
    with pytest.raises(Invalid) as raised:
        file_form(people, case, step=step)
    assert raised.value.errors == {"step": [STEP_UNKNOWN]}


def test_every_field_is_checked_before_anything_is_saved(people):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, "phone", "text")
    with pytest.raises(Invalid) as raised:
        file_form(people, case, requestor="team", reason="bored", comments="   ")
    assert raised.value.errors == {"requestor": [REQUESTOR_UNKNOWN], "reason": [REASON_UNKNOWN], "comments": [COMMENTS_REQUIRED]}
    with pytest.raises(Invalid) as raised:
        file_form(people, case, comments=None)
    assert raised.value.errors == {"comments": [COMMENTS_REQUIRED]}
    assert not case.forms.exists()


@pytest.mark.parametrize("reason", ["other", "customer_choice", "extended_stay_state_hospital", "unable_to_engage", "moved",
                                    "case_closure", "transfer_to_different_program"])
@pytest.mark.parametrize("requestor", ["agency", "customer"])
def test_the_seeds_reasons_and_requestors_are_accepted(people, reason, requestor):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, "phone", "text")
    assert file_form(people, case, reason=reason, requestor=requestor).reason == reason


def test_a_worker_of_another_agency_cannot_file(people):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, "phone", "text")
    with pytest.raises(NotFound):
        file_form(people, case, actor=UserFactory(roles=[roles.CASE_WORKER]))


# --- the second sign-off ------------------------------------------------------------------------------------------


@pytest.fixture
def filed(people):
    case = make_case(people, status=Status.DUE_FOR_ENGAGEMENT)
    attempts(case, "phone", "text")
    return file_form(people, case, actor=people["director"])  # filed by a supervisor


def test_the_second_sign_off_is_another_person_than_the_one_who_filed(people, filed):
    with pytest.raises(Forbidden) as raised:
        status_form_countersign(form=filed, actor=people["director"])
    assert raised.value.errors == {NON_FIELD: [SECOND_SIGNER_DIFFERENT]}


def test_the_second_sign_off_is_a_supervisors(people, filed):
    with pytest.raises(Forbidden) as raised:
        status_form_countersign(form=filed, actor=people["worker"])
    assert raised.value.errors == {NON_FIELD: [SECOND_SIGNER_ROLE]}


def test_a_supervisor_of_another_agency_does_not_see_the_form(people, filed):
    with pytest.raises(NotFound):
        status_form_countersign(form=filed, actor=UserFactory(roles=[roles.SUPERVISOR]))


def test_a_form_is_signed_once(people, filed):
    status_form_countersign(form=filed, actor=people["leader"])
    with pytest.raises(Invalid) as raised:
        status_form_countersign(form=filed, actor=people["worker"])
    assert raised.value.errors == {NON_FIELD: [ALREADY_SIGNED]}


def test_the_second_signer_is_titled_director_of_services_at_step_1_and_team_leader_at_step_2(people, filed):
    case = filed.case
    status_form_countersign(form=filed, actor=people["leader"])
    EngagementCase.objects.filter(pk=case.pk).update(status=Status.DUE_FOR_HOLD)
    file_form(people, case, step=2, team_consensus_date=date(2026, 11, 30))
    titles = {form.step: str(form.signer_title) for form in case_page(user=people["leader"], case=case)["forms"]}
    assert titles == {1: "Director of Services", 2: "Team Leader"}


# --- the weekly staff meeting ------------------------------------------------------------------------------------


def test_the_weekly_report_lists_whoever_had_no_contact_for_14_days_or_more(people):
    quiet = make_case(people, last_contact="2026-11-16")
    recent = make_case(people, last_contact="2026-11-16")
    EngagementCase.objects.filter(pk=recent.pk).update(last_contact_at=at("2026-11-16", 10, 2))
    with time_machine.travel(at("2026-11-30", 10, 1), tick=False):  # 14 days and a minute after the quiet one's contact
        listed = {case.pk for case in weekly_report(people["director"])}
    assert listed == {quiet.pk}
    with time_machine.travel(at("2026-11-29", 10, 1), tick=False):  # 13 days
        assert weekly_report(people["director"]) == []


# --- all or nothing ------------------------------------------------------------------------------------------------


def test_each_scheduled_job_and_form_writes_in_its_own_transaction(people):
    """All or nothing: each service's writes are in a transaction of its own (a savepoint inside the caller's, here
    the test's), so a failure half-way leaves nothing written. (A test with transaction=True would say the same, but
    its flush would empty the role groups for the mutation runs that reuse the database.) The flags are written
    set-based (the sweep's batch path: no post_save), so the writes are watched as statements."""
    case = make_case(people)
    attempts(case, "phone", "email")
    outside = len(connection.savepoint_ids)
    depths: list[int] = []

    def watch(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and ("engagement_engagementcase" in sql
                                                                       or "engagement_statusform" in sql):
            depths.append(len(connection.savepoint_ids))
        return execute(sql, params, many, context)

    def writes(call):
        depths.clear()
        with connection.execute_wrapper(watch):
            call()
        return list(depths)

    steps = [
        writes(lambda: inactivity_flag(case_id=case.pk, now=at("2026-10-31"), actor=people["director"])),
    ]
    form = None

    def filed():
        nonlocal form
        form = file_form(people, case)

    steps.append(writes(filed))
    steps.append(writes(lambda: status_form_countersign(form=form, actor=people["director"])))
    steps.append(writes(lambda: hold_flag(case_id=case.pk, now=at("2026-11-30"), actor=people["director"])))
    # the flag, the form filed, the form and the case at the sign-off, the hold flag: each writes, each in its own
    assert all(steps) and {depth for step in steps for depth in step} == {outside + 1}, steps
