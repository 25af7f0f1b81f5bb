"""Timers in the database: each due deadline's work is done exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ces.deadlines import (
    RETRY_BACKOFF,
    deadline_cancel,
    deadline_kind,
    deadline_kind_batch,
    deadline_kind_unregister,
    deadline_schedule,
    deadlines_sweep,
)
from ces.models import Deadline, Notification
from ces.notifications import notification_send, notifications_deliver
from tests.factories import UserFactory

KIND = "tests.notify_owner"


@pytest.fixture
def notify_kind():
    """A real handler: it writes a Notification row for the subject user."""

    @deadline_kind(KIND)
    def notify_owner(deadline: Deadline) -> None:
        notification_send(recipient=deadline.subject, subject=f"Deadline {deadline.pk} reached")

    yield KIND
    deadline_kind_unregister(KIND)


@pytest.fixture
def failing_kind():
    @deadline_kind("tests.fails")
    def fails(deadline: Deadline) -> None:
        notification_send(recipient=deadline.subject, subject="half-done work that must roll back")
        raise RuntimeError("handler failed")

    yield "tests.fails"
    deadline_kind_unregister("tests.fails")


@pytest.mark.django_db
def test_due_deadline_runs_once_and_future_one_waits(notify_kind):
    user = UserFactory()
    now = timezone.now()
    due = deadline_schedule(kind=notify_kind, subject=user, due_at=now - timedelta(minutes=1))
    later = deadline_schedule(kind=notify_kind, subject=user, due_at=now + timedelta(days=1))
    first = deadlines_sweep(now=now)
    second = deadlines_sweep(now=now)
    assert (first.done, second.done) == (1, 0)
    assert Notification.objects.filter(recipient=user).count() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.state == Deadline.State.DONE and later.state == Deadline.State.PENDING


@pytest.mark.django_db
def test_cancelled_deadline_never_runs(notify_kind):
    user = UserFactory()
    deadline_schedule(kind=notify_kind, subject=user, due_at=timezone.now() - timedelta(minutes=1))
    assert deadline_cancel(subject=user, reason="client reached") == 1
    assert deadlines_sweep().done == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_failing_handler_rolls_back_and_is_retried_later(failing_kind):
    user = UserFactory()
    now = timezone.now()
    deadline = deadline_schedule(kind=failing_kind, subject=user, due_at=now - timedelta(minutes=1))
    result = deadlines_sweep(now=now)
    assert result.failed == 1
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.PENDING and deadline.failures == 1
    assert "handler failed" in deadline.last_error
    assert not Notification.objects.exists()  # the half-done work rolled back
    assert deadlines_sweep(now=now).failed == 0  # backing off: not retried at once
    assert deadlines_sweep(now=now + timedelta(minutes=6)).failed == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_do_each_deadline_exactly_once(notify_kind):
    users = [UserFactory() for _ in range(3)]
    now = timezone.now()
    for i in range(60):
        deadline_schedule(kind=notify_kind, subject=users[i % 3], due_at=now - timedelta(seconds=i))
    barrier = threading.Barrier(4)
    results, errors = [], []

    def sweep_in_own_connection():
        try:
            barrier.wait()
            results.append(deadlines_sweep(now=now, batch_size=7))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_in_own_connection) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(r.done for r in results) == 60
    assert Notification.objects.count() == 60
    assert Deadline.objects.filter(state=Deadline.State.DONE).count() == 60


def _statements(queries) -> list[str]:
    """The statements a production run sends (the test's own transaction turns the sweep's
    transactions into savepoints, which production does not send)."""
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.django_db
def test_sweep_query_count_does_not_grow_with_pending_future_rows(notify_kind):
    user = UserFactory()
    now = timezone.now()
    Deadline.objects.bulk_create(
        Deadline(kind=notify_kind, subject=user, due_at=now + timedelta(days=1 + i)) for i in range(500)
    )
    with CaptureQueriesContext(connection) as queries:
        assert deadlines_sweep(now=now).done == 0
    assert len(_statements(queries)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("due", [10, 150])
def test_the_sweep_claims_in_bulk_two_statements_per_batch_whatever_the_due_rows(due):
    """Bulk claims: a batch of due rows is locked and marked done by two statements; only the
    handlers' own work grows with the rows (here a handler that needs no query)."""
    done: list[int] = []

    @deadline_kind("tests.count")
    def count(deadline: Deadline) -> None:
        done.append(deadline.pk)

    try:
        user = UserFactory()
        now = timezone.now()
        Deadline.objects.bulk_create(Deadline(kind="tests.count", subject=user, due_at=now - timedelta(minutes=1)) for _ in range(due))
        with CaptureQueriesContext(connection) as queries:
            assert deadlines_sweep(now=now, batch_size=100).done == due
        batches = -(-due // 100) + (1 if due % 100 == 0 else 0)
        assert len(_statements(queries)) == 2 * batches + (0 if due % 100 else 1)
        assert sorted(done) == sorted(Deadline.objects.filter(state="done").values_list("pk", flat=True))
    finally:
        deadline_kind_unregister("tests.count")


@pytest.mark.django_db
def test_unknown_kind_cannot_be_scheduled():
    with pytest.raises(ValueError):
        deadline_schedule(kind="nobody.handles.this", subject=UserFactory(), due_at=timezone.now())


@pytest.mark.django_db
def test_notifications_are_emailed_once(mailoutbox):
    user = UserFactory(email="worker@example.org")
    notification_send(recipient=user, subject="Referral awaiting response", body="Please respond.")
    assert notifications_deliver() == 1
    assert notifications_deliver() == 0
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["worker@example.org"]


def test_partial_index_backs_the_sweep(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'deadline_pending_due_idx'")
        (definition,) = cursor.fetchone()
    assert "WHERE" in definition and "pending" in definition


@pytest.mark.django_db
def test_a_handler_that_reschedules_itself_cannot_keep_the_sweep_running():
    user = UserFactory()

    @deadline_kind("tests.again")
    def again(deadline: Deadline) -> None:
        deadline_schedule(kind="tests.again", subject=deadline.subject, due_at=deadline.due_at)

    try:
        deadline_schedule(kind="tests.again", subject=user, due_at=timezone.now() - timedelta(minutes=1))
        assert deadlines_sweep().done == 1
        assert deadlines_sweep().done == 1  # the rescheduled row runs on the next sweep, once
    finally:
        deadline_kind_unregister("tests.again")


@pytest.mark.django_db
def test_a_sweep_past_its_time_budget_leaves_the_rest_to_the_next_sweep(notify_kind):
    user = UserFactory()
    now = timezone.now()
    for minutes in (3, 2, 1):
        deadline_schedule(kind=notify_kind, subject=user, due_at=now - timedelta(minutes=minutes))
    # A sweep always does at least one batch, then stops once its budget is spent.
    assert deadlines_sweep(now=now, time_budget=timedelta(0), batch_size=1).done == 1
    assert deadlines_sweep(now=now).done == 2


@pytest.mark.django_db
def test_bulk_intakes_leave_their_pdfs_to_the_sweep_so_users_go_first(django_capture_on_commit_callbacks):
    """seed_demo's callers: no task queued ahead of the users' own; the PDF row waits a little for the sweep."""
    from intake.pdf import PDF_KIND, assessment_pdf_schedule, assessment_pdfs_in_background
    from tests.factories import ClientFactory

    client = ClientFactory()
    with django_capture_on_commit_callbacks() as queued, assessment_pdfs_in_background():
        assessment_pdf_schedule(assessment=client)  # any model: the row's subject
    assert queued == []
    row = Deadline.objects.get(kind=PDF_KIND)
    assert row.due_at > timezone.now()
    with django_capture_on_commit_callbacks() as queued:
        assessment_pdf_schedule(assessment=UserFactory())
    assert len(queued) == 1


@pytest.fixture
def batch_kind():
    """A kind with a batch handler: one INSERT of notices for all its rows in a batch; a row whose subject
    is named "poison" fails, in the batch and alone."""
    calls: list[list[int]] = []

    def check(deadline: Deadline) -> None:
        if deadline.subject.username == "poison":
            raise RuntimeError("poison row")

    @deadline_kind("tests.batched")
    def one(deadline: Deadline) -> None:
        notification_send(recipient=deadline.subject, subject=f"Deadline {deadline.pk} reached")
        check(deadline)

    @deadline_kind_batch("tests.batched")
    def many(deadlines: list[Deadline]) -> None:
        calls.append([d.pk for d in deadlines])
        Notification.objects.bulk_create(Notification(recipient_id=d.subject_id, subject=f"Deadline {d.pk} reached")
                                         for d in deadlines)
        for deadline in deadlines:
            check(deadline)

    yield calls
    deadline_kind_unregister("tests.batched")


@pytest.mark.django_db
def test_a_batch_handler_gets_all_its_kinds_rows_of_a_batch_at_once(batch_kind, notify_kind):
    user = UserFactory()
    now = timezone.now()
    rows = [deadline_schedule(kind=kind, subject=user, due_at=now - timedelta(minutes=10 - i))
            for i, kind in enumerate(["tests.batched", notify_kind, "tests.batched", "tests.batched", notify_kind])]
    result = deadlines_sweep(now=now, batch_size=4)
    assert (result.done, result.failed) == (5, 0)
    # Batches of 4 then 1: the batched kind's rows of each batch in one call, in due order.
    assert batch_kind == [[rows[0].pk, rows[2].pk, rows[3].pk]]
    assert Notification.objects.count() == 5
    assert set(Deadline.objects.values_list("state", flat=True)) == {"done"}


@pytest.mark.django_db
def test_a_failing_row_in_a_batch_fails_alone_and_the_others_are_done_once(batch_kind):
    users = [UserFactory() for _ in range(4)] + [UserFactory(username="poison")]
    now = timezone.now()
    rows = [deadline_schedule(kind="tests.batched", subject=user, due_at=now - timedelta(minutes=1)) for user in users]
    result = deadlines_sweep(now=now)
    assert (result.done, result.failed, result.skipped) == (4, 1, 0)
    assert len(batch_kind) == 1  # the batch was tried once, rolled back, then done one row at a time
    assert Notification.objects.count() == 4 and not Notification.objects.filter(recipient=users[-1]).exists()
    poison = Deadline.objects.get(pk=rows[-1].pk)
    assert (poison.state, poison.failures, poison.retry_at) == ("pending", 1, now + RETRY_BACKOFF)
    assert "poison row" in poison.last_error
    assert Deadline.objects.filter(state="done").count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_run_each_batched_row_exactly_once(batch_kind):
    users = [UserFactory() for _ in range(3)]
    now = timezone.now()
    for i in range(50):
        deadline_schedule(kind="tests.batched", subject=users[i % 3], due_at=now - timedelta(seconds=i))
    barrier = threading.Barrier(3)
    results, errors = [], []

    def sweep_in_own_connection():
        try:
            barrier.wait(timeout=30)
            results.append(deadlines_sweep(now=now, batch_size=6))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_in_own_connection) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(r.done for r in results) == 50
    assert sorted(pk for call in batch_kind for pk in call) == sorted(Deadline.objects.values_list("pk", flat=True))
    assert Notification.objects.count() == 50


@pytest.mark.django_db
def test_a_batch_handler_needs_its_one_row_handler_and_only_one_batch_handler(batch_kind):
    with pytest.raises(ValueError):
        deadline_kind_batch("tests.nobody")(lambda deadlines: None)
    with pytest.raises(ValueError):
        deadline_kind_batch("tests.batched")(lambda deadlines: None)


@pytest.mark.django_db(transaction=True)
def test_a_row_another_sweep_holds_is_skipped_not_waited_for(notify_kind):
    """SKIP LOCKED: the row another transaction holds is left to it; the others are done at once."""
    user = UserFactory()
    now = timezone.now()
    held, *others = [deadline_schedule(kind=notify_kind, subject=user, due_at=now - timedelta(minutes=3 - i)) for i in range(3)]
    locked, release = threading.Event(), threading.Event()

    def hold_the_first_row():
        try:
            with transaction.atomic():
                Deadline.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_first_row)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting instead of skipping fails here, not in 30 s
        result = deadlines_sweep(now=now)
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert (result.done, result.skipped, result.failed) == (2, 0, 0)
    assert [Deadline.objects.get(pk=row.pk).state for row in (held, *others)] == ["pending", "done", "done"]
    assert Deadline.objects.get(pk=held.pk).failures == 0
