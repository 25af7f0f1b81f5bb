"""The sweep's batch path for the 30/60-day timers: a batch of due rows is done set-based, in a constant
number of statements, exactly once under concurrent sweeps, and a failing row loses none of the others."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ces import roles
from ces.deadlines import RETRY_BACKOFF, deadline_kind, deadline_kind_unregister, deadline_schedule, deadlines_sweep
from ces.models import Deadline, Notification
from ces.system_user import system_user_get
from engagement.disengagement import HOLD_KIND, INACTIVE_KIND
from engagement.models import EngagementCase
from tests.factories import AgencyFactory, ClientFactory, ProgramFactory, UserFactory


def _link(case: EngagementCase) -> str:
    return reverse("engagement-case", args=[case.pk])


INACTIVE_REASON = f"{INACTIVE_KIND}: 30 days without contact or service"


@pytest.fixture
def people():
    agency = AgencyFactory(initials="COSE", hmis_participating=False)
    return {
        "agency": agency,
        "worker": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "director": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "leader": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "elsewhere": UserFactory(agency=AgencyFactory(), roles=[roles.SUPERVISOR]),
        "program": ProgramFactory(agency=agency, type="services", engagement_policy="disengagement_30_60"),
    }


def due_cases(people, count: int, *, status: str = "active", kind: str = INACTIVE_KIND) -> list[EngagementCase]:
    """`count` 30/60 cases, each with its timer due a minute ago (made directly, as the benchmark does)."""
    now = timezone.now()
    cases = []
    for _ in range(count):
        case = EngagementCase.objects.create(
            client=ClientFactory(holding_agency=people["agency"]), program=people["program"], worker=people["worker"],
            policy="disengagement_30_60", status=status, opened_on=now.date(), last_contact_at=now - timedelta(days=31),
        )
        deadline_schedule(kind=kind, subject=case, due_at=now - timedelta(minutes=1))
        cases.append(case)
    return cases


def _statements(queries) -> list[str]:
    """What production sends (the test's transaction turns the sweep's into savepoints)."""
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.django_db
def test_a_batch_flags_every_due_case_with_history_by_the_system_user_and_notices(people):
    cases = due_cases(people, 3)
    assert deadlines_sweep(now=timezone.now()).done == 3
    system = system_user_get()
    for case in cases:
        case.refresh_from_db()
        assert case.status == "due_for_engagement"
        row = case.history.latest("history_id")
        # Exactly the row django-simple-history writes on save(): every tracked column, "~", who and why.
        assert (row.history_type, row.history_user_id, row.history_change_reason) == ("~", system.pk, INACTIVE_REASON)
        for field in EngagementCase._meta.concrete_fields:
            assert getattr(row, field.attname) == getattr(case, field.attname), field.name
        # The worker and the two supervisors of the worker's agency, once each; not another agency's supervisor.
        recipients = Notification.objects.filter(link=_link(case)).values_list("recipient", flat=True)
        assert sorted(recipients) == sorted([people["worker"].pk, people["director"].pk, people["leader"].pk])
        assert Notification.objects.filter(subject=f"{case.client.label}: 30 days inactive, due for Engagement status").count() == 3
    assert not Notification.objects.filter(recipient=people["elsewhere"]).exists()


@pytest.mark.django_db
def test_a_case_no_longer_active_is_left_alone_by_the_batch(people):
    active, reached = due_cases(people, 2)
    EngagementCase.objects.filter(pk=reached.pk).update(status="engagement")  # moved on before the sweep
    assert deadlines_sweep(now=timezone.now()).done == 2  # both rows are done; only one case is flagged
    assert EngagementCase.objects.get(pk=active.pk).status == "due_for_engagement"
    assert EngagementCase.objects.get(pk=reached.pk).status == "engagement"
    assert not reached.history.filter(history_change_reason=INACTIVE_REASON).exists()
    assert not Notification.objects.filter(link=_link(reached)).exists()


@pytest.mark.django_db
def test_the_hold_timer_takes_the_batch_path_too(people):
    cases = due_cases(people, 2, status="engagement", kind=HOLD_KIND)
    assert deadlines_sweep(now=timezone.now()).done == 2
    for case in cases:
        case.refresh_from_db()
        assert case.status == "due_for_hold"
        assert case.history.latest("history_id").history_change_reason.startswith(HOLD_KIND)
    assert Notification.objects.filter(subject__contains="60 days inactive, due for Hold").count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("due", [2, 40])
def test_the_statements_per_batch_do_not_grow_with_its_rows(people, due):
    """Claim (2), the system user (1), lock the cases (1), flag them (1), history (1), supervisors (1),
    notices (1): 8 statements for a batch of 2 or of 40, and one claim more that finds the next batch empty."""
    due_cases(people, due)
    system_user_get()
    with CaptureQueriesContext(connection) as queries:
        assert deadlines_sweep(now=timezone.now(), batch_size=due).done == due
    assert len(_statements(queries)) == 8 + 1
    assert Notification.objects.count() == 3 * due


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_flag_each_case_exactly_once(people):
    cases = due_cases(people, 45)
    barrier = threading.Barrier(3)
    results, errors = [], []

    def sweep_in_own_connection():
        try:
            barrier.wait(timeout=30)
            results.append(deadlines_sweep(now=timezone.now(), batch_size=7))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_in_own_connection) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sum(r.done for r in results) == 45 and sum(r.failed for r in results) == 0
    for case in cases:
        assert case.history.filter(history_change_reason=INACTIVE_REASON).count() == 1
        assert Notification.objects.filter(link=_link(case)).count() == 3
    assert EngagementCase.objects.filter(status="due_for_engagement").count() == 45


@pytest.fixture
def failing_kind():
    @deadline_kind("tests.fails")
    def fails(deadline: Deadline) -> None:
        raise RuntimeError("handler failed")

    yield "tests.fails"
    deadline_kind_unregister("tests.fails")


@pytest.mark.django_db
def test_one_failing_row_in_a_batch_loses_none_of_the_others(people, failing_kind):
    first = due_cases(people, 3)
    poison = deadline_schedule(kind=failing_kind, subject=people["worker"], due_at=timezone.now() - timedelta(minutes=1))
    rest = due_cases(people, 3)
    now = timezone.now()
    result = deadlines_sweep(now=now, batch_size=10)
    assert (result.done, result.failed) == (6, 1)
    for case in first + rest:  # done once, one row at a time, after the batch rolled back
        assert EngagementCase.objects.get(pk=case.pk).status == "due_for_engagement"
        assert case.history.filter(history_change_reason=INACTIVE_REASON).count() == 1
        assert Notification.objects.filter(link=_link(case)).count() == 3
    poison.refresh_from_db()
    assert (poison.state, poison.failures, poison.retry_at) == ("pending", 1, now + RETRY_BACKOFF)
