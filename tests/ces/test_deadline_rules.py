"""The sweep's rules one at a time (issue 18): which rows are due, exactly-once claims, batches and their
edges, the batch path and its fallback, the back-off and its cap, the time budget. Fast tests (no
threads, no transaction=True): `make mutate` runs them first for ces/deadlines.py."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

import ces.deadlines as deadlines
from ces.deadlines import (
    RETRY_BACKOFF,
    RETRY_BACKOFF_MAX,
    SWEEP_BATCH_SIZE,
    SWEEP_TIME_BUDGET,
    SweepResult,
    deadline_cancel,
    deadline_kind,
    deadline_kind_batch,
    deadline_kind_unregister,
    deadline_pending,
    deadline_process,
    deadline_schedule,
    deadlines_schedule,
    deadlines_sweep,
)
from ces.models import Deadline
from tests.factories import UserFactory

KIND, BATCHED, FAILS = "tests.rules", "tests.rules_batched", "tests.rules_fails"


@pytest.fixture
def ran():
    """Three kinds: one-row only, one with a batch handler, one that fails. `ran` lists what each call saw:
    ("one", pk) for a one-row call, ("many", [pks]) for a batch call."""
    calls: list[tuple] = []

    @deadline_kind(KIND)
    def one(deadline: Deadline) -> None:
        assert deadline.subject_type == ContentType.objects.get_for_model(deadline.subject)  # the handler may use it
        calls.append(("one", deadline.pk))

    @deadline_kind(BATCHED)
    def one_of_batched(deadline: Deadline) -> None:
        calls.append(("one", deadline.pk))

    @deadline_kind_batch(BATCHED)
    def many(rows: list[Deadline]) -> None:
        assert all(row.state == Deadline.State.DONE and row.done_at is not None for row in rows)
        calls.append(("many", [row.pk for row in rows]))

    @deadline_kind(FAILS)
    def fails(deadline: Deadline) -> None:
        raise RuntimeError("x" * 3000)

    yield calls
    for kind in (KIND, BATCHED, FAILS):
        deadline_kind_unregister(kind)


def rows(kind: str, count: int, *, due_at, subject=None) -> list[Deadline]:
    subject = subject or UserFactory()
    return [deadline_schedule(kind=kind, subject=subject, due_at=due_at) for _ in range(count)]


def states(*deadline_rows: Deadline) -> list[str]:
    return [Deadline.objects.get(pk=row.pk).state for row in deadline_rows]


# --- registration ---

def test_a_kind_is_registered_once_the_same_handler_may_be_registered_again(ran):
    handler = deadlines._HANDLERS[KIND]
    assert deadline_kind(KIND)(handler) is handler
    with pytest.raises(ValueError, match="already registered"):
        deadline_kind(KIND)(lambda deadline: None)


def test_a_batch_handler_needs_the_one_row_handler_first_and_is_registered_once(ran):
    many = deadlines._BATCH_HANDLERS[BATCHED]
    assert deadline_kind_batch(BATCHED)(many) is many
    with pytest.raises(ValueError, match="already has a batch handler"):
        deadline_kind_batch(BATCHED)(lambda rows: None)
    with pytest.raises(ValueError, match="needs its one-row handler"):
        deadline_kind_batch("tests.rules_nobody")(lambda rows: None)
    assert "tests.rules_nobody" not in deadlines._BATCH_HANDLERS


@pytest.mark.django_db
def test_unregistering_forgets_both_handlers(ran):
    deadline_kind_unregister(BATCHED)
    assert BATCHED not in deadlines._HANDLERS and BATCHED not in deadlines._BATCH_HANDLERS
    with pytest.raises(ValueError, match="Unknown deadline kind"):
        deadline_schedule(kind=BATCHED, subject=UserFactory(), due_at=timezone.now())
    deadline_kind_unregister(BATCHED)  # twice: nothing to forget, no error


# --- scheduling, pending, cancelling ---

@pytest.mark.django_db
def test_schedule_writes_the_kind_subject_and_due_time(ran):
    user, due = UserFactory(), timezone.now() + timedelta(days=3)
    row = Deadline.objects.get(pk=deadline_schedule(kind=KIND, subject=user, due_at=due).pk)
    assert (row.kind, row.subject, row.due_at, row.state, row.failures) == (KIND, user, due, "pending", 0)


@pytest.mark.django_db
def test_schedule_many_writes_each_row_and_refuses_an_unknown_kind(ran):
    user, other, due = UserFactory(), UserFactory(), timezone.now()
    made = deadlines_schedule([(KIND, user, due), (BATCHED, other, due + timedelta(hours=1))])
    assert [(row.kind, row.subject, row.due_at) for row in Deadline.objects.filter(pk__in=[m.pk for m in made])] == [
        (KIND, user, due), (BATCHED, other, due + timedelta(hours=1))]
    with pytest.raises(ValueError, match="Unknown deadline kind"):
        deadlines_schedule([(KIND, user, due), ("tests.rules_nobody", user, due)])
    assert Deadline.objects.count() == 2  # nothing of the refused call was written


@pytest.mark.django_db
def test_pending_is_true_only_for_a_pending_row_of_that_kind_and_subject(ran):
    user, other = UserFactory(), UserFactory()
    (row,) = rows(KIND, 1, due_at=timezone.now(), subject=user)
    assert deadline_pending(kind=KIND, subject=user)
    assert not deadline_pending(kind=BATCHED, subject=user)
    assert not deadline_pending(kind=KIND, subject=other)
    Deadline.objects.filter(pk=row.pk).update(state=Deadline.State.DONE)
    assert not deadline_pending(kind=KIND, subject=user)


@pytest.mark.django_db
def test_cancel_takes_the_subjects_pending_rows_of_the_kinds_given(ran):
    user, other, now = UserFactory(), UserFactory(), timezone.now()
    (a,), (b,), (c,), (done,) = (rows(KIND, 1, due_at=now, subject=user), rows(BATCHED, 1, due_at=now, subject=user),
                                 rows(KIND, 1, due_at=now, subject=other), rows(KIND, 1, due_at=now, subject=user))
    Deadline.objects.filter(pk=done.pk).update(state=Deadline.State.DONE)
    assert deadline_cancel(subject=user, reason="r" * 250, kinds=[BATCHED]) == 1
    assert states(a, b, c, done) == ["pending", "cancelled", "pending", "done"]
    cancelled = Deadline.objects.get(pk=b.pk)
    assert cancelled.cancel_reason == "r" * 200 and cancelled.cancelled_at is not None
    assert deadline_cancel(subject=user, reason="contact") == 1  # all kinds: a; never a done row
    assert states(a, b, c, done) == ["cancelled", "cancelled", "pending", "done"]


# --- which rows are due ---

@pytest.mark.django_db
def test_a_row_is_due_at_its_due_time_not_before(ran):
    now = timezone.now()
    (on_time,), (later,) = rows(KIND, 1, due_at=now), rows(KIND, 1, due_at=now + timedelta(microseconds=1))
    assert deadlines_sweep(now=now).done == 1
    assert states(on_time, later) == ["done", "pending"]


@pytest.mark.django_db
def test_a_row_backing_off_is_due_again_at_its_retry_time_not_before(ran):
    now = timezone.now()
    (waiting,), (ready,) = rows(KIND, 1, due_at=now - timedelta(hours=1)), rows(KIND, 1, due_at=now - timedelta(hours=1))
    Deadline.objects.filter(pk=waiting.pk).update(retry_at=now + timedelta(microseconds=1))
    Deadline.objects.filter(pk=ready.pk).update(retry_at=now)
    assert deadlines_sweep(now=now).done == 1
    assert states(waiting, ready) == ["pending", "done"]


@pytest.mark.django_db
def test_the_sweep_uses_the_current_time_when_none_is_given(ran):
    (past,), (future,) = rows(KIND, 1, due_at=timezone.now() - timedelta(seconds=1)), rows(
        KIND, 1, due_at=timezone.now() + timedelta(hours=1))
    assert deadlines_sweep().done == 1
    assert states(past, future) == ["done", "pending"]


# --- one row: deadline_process ---

@pytest.mark.django_db
def test_process_claims_a_due_row_once(ran):
    now = timezone.now()
    (row,) = rows(KIND, 1, due_at=now)
    assert deadline_process(pk=row.pk, now=now) is True
    assert deadline_process(pk=row.pk, now=now) is False
    assert ran == [("one", row.pk)]
    done = Deadline.objects.get(pk=row.pk)
    assert (done.state, done.done_at) == ("done", now)


@pytest.mark.django_db
def test_process_leaves_a_row_not_due_yet(ran):
    now = timezone.now()
    (row,) = rows(KIND, 1, due_at=now + timedelta(seconds=1))
    assert deadline_process(pk=row.pk, now=now) is False
    assert ran == [] and states(row) == ["pending"]


@pytest.mark.django_db
def test_a_row_of_a_kind_nobody_handles_fails_and_rolls_back_its_claim(ran):
    now = timezone.now()
    (row,) = rows(KIND, 1, due_at=now)
    Deadline.objects.filter(pk=row.pk).update(kind="tests.rules_gone")
    with pytest.raises(LookupError, match="tests.rules_gone"):
        deadline_process(pk=row.pk, now=now)
    assert states(row) == ["pending"]
    result = deadlines_sweep(now=now)  # the batch fails on it; alone it fails again and backs off
    assert (result.done, result.failed) == (0, 1)
    assert "tests.rules_gone" in Deadline.objects.get(pk=row.pk).last_error


# --- batches ---

@pytest.mark.django_db
def test_rows_are_taken_in_due_order_in_batches_of_batch_size(ran):
    now, user = timezone.now(), UserFactory()
    made = [deadline_schedule(kind=BATCHED, subject=user, due_at=now - timedelta(minutes=m)) for m in (1, 5, 3, 4, 2)]
    by_due = [row.pk for row in sorted(made, key=lambda row: row.due_at)]
    assert deadlines_sweep(now=now, batch_size=2).done == 5
    assert ran == [("many", by_due[0:2]), ("many", by_due[2:4]), ("many", by_due[4:5])]


@pytest.mark.django_db
def test_a_full_last_batch_is_followed_by_an_empty_one_and_the_sweep_ends(ran):
    now = timezone.now()
    rows(BATCHED, 4, due_at=now)
    assert deadlines_sweep(now=now, batch_size=2) == SweepResult(done=4, skipped=0, failed=0)
    assert [len(pks) for _name, pks in ran] == [2, 2]


@pytest.mark.django_db
def test_the_default_batch_is_a_hundred_rows():
    assert SWEEP_BATCH_SIZE == 100  # docs/architecture.md "Timers"; the statements per batch are asserted per 100
    calls: list[int] = []

    @deadline_kind("tests.rules_hundred")
    def one(deadline: Deadline) -> None:
        raise AssertionError("the batch handler takes these")

    @deadline_kind_batch("tests.rules_hundred")
    def many(batch: list[Deadline]) -> None:
        calls.append(len(batch))

    try:
        now, user = timezone.now(), UserFactory()
        Deadline.objects.bulk_create(Deadline(kind="tests.rules_hundred", subject=user, due_at=now) for _ in range(101))
        assert deadlines_sweep(now=now).done == 101
        assert calls == [100, 1]
    finally:
        deadline_kind_unregister("tests.rules_hundred")


@pytest.mark.django_db
def test_a_batch_runs_one_row_kinds_in_due_order_and_each_batched_kind_once_where_its_first_row_comes(ran):
    now, user = timezone.now(), UserFactory()
    kinds = [KIND, BATCHED, KIND, BATCHED, KIND]
    made = [deadline_schedule(kind=kind, subject=user, due_at=now - timedelta(minutes=10 - i)) for i, kind in enumerate(kinds)]
    assert deadlines_sweep(now=now).done == 5
    assert ran == [("one", made[0].pk), ("many", [made[1].pk, made[3].pk]), ("one", made[2].pk), ("one", made[4].pk)]


@pytest.mark.django_db
def test_a_row_scheduled_during_the_sweep_waits_for_the_next(ran):
    now = timezone.now()
    (row,) = rows(KIND, 1, due_at=now - timedelta(minutes=1))
    Deadline.objects.filter(pk=row.pk).update(created_at=timezone.now() + timedelta(seconds=5))  # "after the sweep began"
    assert deadlines_sweep(now=now).done == 0
    assert states(row) == ["pending"]


# --- failures: the batch falls back to one row at a time ---

@pytest.mark.django_db
def test_a_failed_batch_is_done_again_one_row_at_a_time_with_one_row_handlers(ran):
    now, user = timezone.now(), UserFactory()
    first, = rows(BATCHED, 1, due_at=now - timedelta(minutes=3), subject=user)
    poison, = rows(FAILS, 1, due_at=now - timedelta(minutes=2), subject=user)
    last, = rows(BATCHED, 1, due_at=now - timedelta(minutes=1), subject=user)
    result = deadlines_sweep(now=now)
    assert (result.done, result.skipped, result.failed) == (2, 0, 1)
    assert ran == [("many", [first.pk, last.pk]), ("one", first.pk), ("one", last.pk)]
    assert states(first, poison, last) == ["done", "pending", "done"]


@pytest.mark.django_db
def test_a_row_another_row_cancelled_in_the_fallback_counts_as_skipped(ran):
    now, user, target = timezone.now(), UserFactory(), UserFactory()

    @deadline_kind("tests.rules_cancels")
    def cancels(deadline: Deadline) -> None:
        deadline_cancel(subject=target, reason="done elsewhere")

    try:
        deadline_schedule(kind="tests.rules_cancels", subject=user, due_at=now - timedelta(minutes=3))
        (cancelled,) = rows(KIND, 1, due_at=now - timedelta(minutes=2), subject=target)
        rows(FAILS, 1, due_at=now - timedelta(minutes=1), subject=user)
        assert deadlines_sweep(now=now) == SweepResult(done=1, skipped=1, failed=1)
        assert states(cancelled) == ["cancelled"]
    finally:
        deadline_kind_unregister("tests.rules_cancels")


@pytest.mark.django_db
def test_a_failed_fallback_batch_still_takes_the_next_batch(ran):
    now = timezone.now()
    rows(FAILS, 2, due_at=now - timedelta(minutes=2))
    rows(KIND, 3, due_at=now - timedelta(minutes=1))
    result = deadlines_sweep(now=now, batch_size=2)
    assert (result.done, result.failed) == (3, 2)


@pytest.mark.django_db
def test_a_failure_backs_off_five_minutes_per_failure_so_far(ran):
    now = timezone.now()
    (row,) = rows(FAILS, 1, due_at=now - timedelta(minutes=1))
    assert RETRY_BACKOFF == timedelta(minutes=5)
    assert deadlines_sweep(now=now).failed == 1
    first = Deadline.objects.get(pk=row.pk)
    assert (first.failures, first.retry_at) == (1, now + timedelta(minutes=5))
    assert first.last_error == repr(RuntimeError("x" * 3000))[:2000]
    later = now + timedelta(minutes=5)
    assert deadlines_sweep(now=later).failed == 1
    second = Deadline.objects.get(pk=row.pk)
    assert (second.failures, second.retry_at, second.state) == (2, later + timedelta(minutes=10), "pending")


@pytest.mark.django_db
@pytest.mark.parametrize(("failures", "wait"), [(70, timedelta(minutes=355)), (71, timedelta(hours=6)), (72, timedelta(hours=6)),
                                                (500, timedelta(hours=6))])
def test_the_back_off_is_capped_at_six_hours(ran, failures, wait):
    assert RETRY_BACKOFF_MAX == timedelta(hours=6)
    now = timezone.now()
    (row,) = rows(FAILS, 1, due_at=now - timedelta(minutes=1))
    Deadline.objects.filter(pk=row.pk).update(failures=failures)
    deadlines_sweep(now=now)
    after = Deadline.objects.get(pk=row.pk)
    assert (after.failures, after.retry_at) == (failures + 1, now + wait)


@pytest.mark.django_db
def test_a_failure_is_not_recorded_on_a_row_no_longer_pending(ran):
    now = timezone.now()
    (row,) = rows(KIND, 1, due_at=now)
    Deadline.objects.filter(pk=row.pk).update(state=Deadline.State.CANCELLED)
    deadlines._deadline_record_failure(pk=row.pk, now=now, error=RuntimeError("late"))
    after = Deadline.objects.get(pk=row.pk)
    assert (after.failures, after.retry_at, after.last_error) == (0, None, "")


# --- the time budget ---

class Clock:
    """A monotonic clock each batch moves on by `step` seconds (as if each batch took that long)."""

    def __init__(self, step: float):
        self.now, self.step = 1000.0, step

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def slow_batches(monkeypatch):
    def install(step: float) -> list[int]:
        clock = Clock(step)
        monkeypatch.setattr(deadlines, "time", SimpleNamespace(monotonic=clock.monotonic))
        calls: list[int] = []

        @deadline_kind("tests.rules_slow")
        def one(deadline: Deadline) -> None:
            calls.append(deadline.pk)
            clock.now += clock.step

        return calls

    yield install
    deadline_kind_unregister("tests.rules_slow")


def test_the_budget_is_two_minutes_below_the_tasks_soft_time_limit():
    assert SWEEP_TIME_BUDGET == timedelta(seconds=120)
    assert SWEEP_TIME_BUDGET.total_seconds() < settings.CELERY_TASK_SOFT_TIME_LIMIT


@pytest.mark.django_db
@pytest.mark.parametrize(("seconds_per_batch", "batches"), [(60, 3), (120, 2), (120.5, 1)])
def test_the_sweep_takes_no_new_batch_once_its_budget_is_spent(slow_batches, seconds_per_batch, batches):
    """Batches of one row: the sweep goes on while the time spent is at most the budget (120 s)."""
    calls = slow_batches(seconds_per_batch)
    now = timezone.now()
    rows("tests.rules_slow", 4, due_at=now - timedelta(minutes=1))
    assert deadlines_sweep(now=now, batch_size=1).done == batches
    assert len(calls) == batches
