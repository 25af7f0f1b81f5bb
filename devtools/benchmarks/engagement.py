"""Benchmark of the engagement sweep (issue: engagement): its time follows the due rows, not the open cases.

The 30-day timers take the sweep's batch path (ces.deadlines.deadline_kind_batch): each batch of 100 due rows is
one claim and one call of engagement.timers.inactive_30_due_many, which flags, writes history and notifies the
whole batch in a constant few statements."""

import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from ces.deadlines import deadlines_sweep
from ces.models import Client, Deadline, Program, User
from devtools.benchmarks.copy import copy_create
from engagement.models import EngagementCase


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE engagement_engagementcase, engagement_historicalengagementcase, engagement_contactattempt, "
                       "engagement_historicalcontactattempt, engagement_outreachstep, engagement_historicaloutreachstep, "
                       "engagement_letter, engagement_historicalletter, engagement_statusform, engagement_historicalstatusform CASCADE")
    Deadline.objects.filter(kind__startswith="engagement.").delete()
    # Isolate the measurement: other benchmarks leave due rows (PDF renders, referral timers) in this database.
    Deadline.objects.filter(state=Deadline.State.PENDING).update(state=Deadline.State.CANCELLED, cancel_reason="benchmark isolation")


def sweep_with(open_cases: int, due: int) -> dict:
    """`open_cases` 30/60 cases each with a pending 30-day timer, `due` of them due now: time one sweep."""
    _reset()
    program = Program.objects.get(name="Supported Employment Services")
    program.engagement_policy = "disengagement_30_60"
    program.save(update_fields=["engagement_policy"])
    worker = User.objects.get(username="case_worker")
    now = timezone.now()
    client_ids = list(Client.objects.values_list("pk", flat=True)[:open_cases])
    case_type = ContentType.objects.get_for_model(EngagementCase)
    for start in range(0, len(client_ids), 50_000):
        chunk = client_ids[start:start + 50_000]
        with transaction.atomic():
            cases = copy_create(EngagementCase, [
                EngagementCase(client_id=pk, program=program, worker=worker, policy="disengagement_30_60", status="active",
                               opened_on=now.date(), last_contact_at=now - timedelta(days=20)) for pk in chunk
            ])
            copy_create(Deadline, [
                Deadline(kind="engagement.inactive_30", subject_type=case_type, subject_id=case.pk,
                         due_at=now - timedelta(minutes=5) if start + i < due else now + timedelta(days=10))
                for i, case in enumerate(cases)
            ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ces_deadline")
        cursor.execute("ANALYZE engagement_engagementcase")
    reverse("engagement-case", args=[1])  # the URLconf loads once per worker process, not once per sweep
    begin = time.perf_counter()
    result = deadlines_sweep(now=now)
    elapsed = time.perf_counter() - begin
    assert result.done == due, result
    return {"open": open_cases, "due": due, "seconds": round(elapsed, 2), "per_due_ms": round(elapsed / due * 1000, 2)}
