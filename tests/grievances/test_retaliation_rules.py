"""Non-retaliation (grievances.md): "any adverse change to a complainant's list entry or referrals within
90 days after filing is flagged to CoC staff for review" — with its boundaries: the whole day of filing
(from midnight) to the whole 90th day after it, each morning's run at 06:00, the last run at the end of
the 90th day and none after it."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from bnl.services import bnl_entry_status_set
from ces.deadlines import deadlines_sweep
from ces.models import Deadline
from grievances import services
from grievances.models import RetaliationFlag
from grievances.retaliation import watch_start, watch_window
from tests.factories import BnlEntryFactory

pytestmark = pytest.mark.django_db

FILED = date(2026, 1, 5)  # a Monday; the 90th day after it is Sunday 2026-04-05


def local(day: date, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute, second, micro))


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def sweep(moment: datetime) -> None:
    with at(moment):
        deadlines_sweep(now=moment)


def watch_due() -> list[datetime]:
    return [timezone.localtime(d) for d in Deadline.objects.filter(kind="grievances.retaliation_watch", state="pending")
            .values_list("due_at", flat=True)]


@pytest.fixture
def entry():
    with at(local(date(2026, 1, 2), 9)):
        return BnlEntryFactory(score=12, subtotal=12)


def complaint_about(entry, coc_staff, *, hour: int = 10):
    with at(local(FILED, hour)):
        return services.title_vi_complaint_file(actor=coc_staff, complainant_name="Ana Reyes", bases=["race"],
                                                incident_date=date(2026, 1, 2), description="Refused an interpreter.",
                                                client_id=entry.client_id)


def set_status(entry, status: str, moment: datetime, coc_staff) -> None:
    with at(moment):
        bnl_entry_status_set(entry=entry, status=status, actor=coc_staff, reason="test",
                             exit_reason="moved_away" if status == "exited" else "")


def test_the_window_is_the_whole_day_of_filing_to_the_whole_90th_day_after_it(entry, coc_staff):
    complaint = complaint_about(entry, coc_staff)
    start, end = watch_window(complaint)
    assert start == local(FILED)
    assert end == local(date(2026, 4, 5), 23, 59, 59, 999999)
    assert (end.date() - FILED).days == 90


def test_the_first_run_is_the_next_morning_at_six_and_each_run_schedules_the_next_morning(entry, coc_staff):
    complaint_about(entry, coc_staff)
    assert watch_due() == [local(date(2026, 1, 6), 6)]
    sweep(local(date(2026, 1, 6), 6))
    assert watch_due() == [local(date(2026, 1, 7), 6)]


def test_a_change_at_midnight_starting_the_day_of_filing_is_flagged_and_one_a_moment_before_is_not(entry, coc_staff):
    set_status(entry, "inactive", local(FILED) - timedelta(microseconds=1), coc_staff)
    set_status(entry, "active", local(FILED) - timedelta(microseconds=1), coc_staff)
    set_status(entry, "exited", local(FILED), coc_staff)
    complaint_about(entry, coc_staff)
    sweep(local(date(2026, 1, 6), 6))
    assert list(RetaliationFlag.objects.values_list("change", flat=True)) == ["list entry status active → exited"]


def test_a_change_late_on_the_90th_day_is_flagged_and_the_run_at_the_end_of_that_day_is_the_last(entry, coc_staff):
    complaint_about(entry, coc_staff)
    sweep(local(date(2026, 4, 5), 6))  # the 90th day's morning run: the next one is the end of the same day
    end = local(date(2026, 4, 5), 23, 59, 59, 999999)
    assert watch_due() == [end]
    set_status(entry, "inactive", local(date(2026, 4, 5), 23, 30), coc_staff)
    sweep(end)
    assert list(RetaliationFlag.objects.values_list("change", flat=True)) == ["list entry status active → inactive"]
    assert watch_due() == []  # the 90 days are over: no run after the last


def test_the_watch_starts_up_to_the_last_moment_of_the_90th_day_and_not_after(entry, coc_staff):
    with at(local(FILED, 10)):
        complaint = services.title_vi_complaint_file(actor=coc_staff, complainant_name="Ana Reyes", bases=["race"],
                                                     incident_date=date(2026, 1, 2), description="x")
    assert watch_due() == []  # nobody to watch yet
    complaint.client_id = entry.client_id
    end = local(date(2026, 4, 5), 23, 59, 59, 999999)
    with at(end + timedelta(microseconds=1)):
        assert watch_start(complaint) is False
    assert watch_due() == []
    with at(end):
        assert watch_start(complaint) is True
        assert watch_start(complaint) is False  # once
    assert watch_due() == [end]


def test_only_a_lower_score_and_a_move_to_inactive_or_exited_are_adverse(entry, coc_staff):
    complaint_about(entry, coc_staff)
    day = date(2026, 1, 20)
    with at(local(day, 9)):
        entry.refresh_from_db()
        entry.score = 12  # saved again unchanged: not a change
        entry.save()
        entry.score = 13  # raised: not adverse
        entry.save()
    set_status(entry, "inactive", local(day, 11), coc_staff)
    with at(local(day, 13)):
        entry.refresh_from_db()
        entry.score = 12
        entry.save()
    set_status(entry, "exited", local(day, 14), coc_staff)  # from inactive to exited: adverse again
    sweep(local(day + timedelta(days=1), 6))
    assert list(RetaliationFlag.objects.order_by("changed_at").values_list("change", flat=True)) == [
        "list entry status active → inactive", "score lowered 13 → 12", "list entry status inactive → exited"]
    assert time(6) == timezone.localtime(watch_due()[0]).time()


def test_coc_staff_are_told_with_a_link_to_the_complaint(entry, coc_staff):
    from django.urls import reverse

    from ces.models import Notification

    complaint = complaint_about(entry, coc_staff)
    set_status(entry, "inactive", local(FILED, 11), coc_staff)
    sweep(local(date(2026, 1, 6), 6))
    notice = Notification.objects.get(recipient=coc_staff, subject__startswith="Possible retaliation")
    assert notice.link == reverse("grievances-complaint", args=[complaint.pk])


def test_only_a_referral_rejected_by_the_program_is_adverse_and_a_review_of_the_rejection_is_not_another(entry, coc_staff):
    from referrals.services import referral_decide, referral_rejection_review, vacancy_create, vacancy_pull
    from tests.factories import ProgramFactory, program_staff

    complaint_about(entry, coc_staff)
    day = date(2026, 1, 12)
    referrals = []
    for outcome in ("provider_rejected", "accepted"):
        program = ProgramFactory()
        staff = program_staff(program)
        with at(local(day, 9)):
            referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
        with at(local(day, 10)):
            referral_decide(referral=referral, outcome=outcome, reason="household_size" if outcome == "provider_rejected" else "",
                            justification="Studio unit." if outcome == "provider_rejected" else "", actor=staff)
        referrals.append(referral)
        day += timedelta(days=1)
    with at(local(day, 9)):
        referral_rejection_review(referral=referrals[0], finding="justified", actor=coc_staff, note="Studio only.")
    sweep(local(day + timedelta(days=1), 6))
    assert list(RetaliationFlag.objects.values_list("record_id", flat=True)) == [referrals[0].pk]


def test_a_referral_rejected_at_midnight_starting_the_day_of_filing_is_flagged_and_one_a_moment_before_is_not(
        entry, coc_staff):
    from referrals.services import referral_decide, vacancy_create, vacancy_pull
    from tests.factories import ProgramFactory, program_staff

    rejected = {}
    for name, moment in (("before", local(FILED) - timedelta(microseconds=1)), ("midnight", local(FILED))):
        program = ProgramFactory()
        staff = program_staff(program)
        with at(moment - timedelta(hours=1)):
            referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
        with at(moment):
            referral_decide(referral=referral, outcome="provider_rejected", reason="household_size",
                            justification="Studio unit.", actor=staff)
        rejected[name] = referral
    complaint_about(entry, coc_staff)
    sweep(local(date(2026, 1, 6), 6))
    assert list(RetaliationFlag.objects.values_list("record_type", "record_id")) == [
        ("referrals.referral", rejected["midnight"].pk)]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_flag_a_change_once(coc_staff):
    """The second run's check does not see the first's flag (not committed yet): its insert waits on the
    unique index, fails when the first commits, and that change is skipped, not an error."""
    from django.db import connection, connections, transaction

    from ces.models import User
    from grievances.retaliation import flag_review, watch_run

    with at(local(date(2026, 1, 2), 9)):
        entry = BnlEntryFactory(score=12, subtotal=12)
    complaint = complaint_about(entry, coc_staff)
    set_status(entry, "inactive", local(date(2026, 1, 8), 9), coc_staff)
    set_status(entry, "exited", local(date(2026, 1, 9), 9), coc_staff)
    now = local(date(2026, 1, 9), 6)  # the first run sees the first change only, the second run both
    first_flagged = threading.Event()
    outcome: dict = {}

    def second_run():
        try:
            first_flagged.wait(timeout=30)
            outcome["second"] = watch_run(case=complaint, now=now + timedelta(days=1), actor=User.objects.get(pk=coc_staff.pk))
        except Exception as exc:  # surfaced below
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=second_run)
    thread.start()
    with transaction.atomic():
        outcome["first"] = watch_run(case=complaint, now=now, actor=coc_staff)
        first_flagged.set()
        with connection.cursor() as cursor:  # commit only once the second run waits on the flag's unique index
            for _poll in range(600):
                cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the view is read once per transaction
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.05)
    thread.join(timeout=60)
    assert "error" not in outcome, outcome.get("error")
    assert [flag.change for flag in outcome["first"]] == ["list entry status active → inactive"]
    assert [flag.change for flag in outcome["second"]] == ["list entry status inactive → exited"]  # the first skipped
    assert RetaliationFlag.objects.count() == 2
    # Outside a test's transaction, the review locks the flag in its own transaction.
    flag = flag_review(flag=outcome["first"][0], actor=coc_staff, note="Documented no-contact attempts before the complaint.")
    assert flag.reviewed_by == coc_staff
