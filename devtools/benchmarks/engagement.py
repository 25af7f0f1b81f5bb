"""Benchmark of the engagement sweep (issue: engagement): its time follows the due rows, not the open cases.

The 30-day timers take the sweep's batch path (ces.deadlines.deadline_kind_batch): each batch of 100 due rows is
one claim and one call of engagement.timers.inactive_30_due_many, which flags, writes history and notifies the
whole batch in a constant few statements."""

import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from ces.deadlines import deadlines_sweep
from ces.models import Deadline, Program, User
from devtools.benchmarks.bulk import foreign_keys_deferred, insert_select
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
    case_type = ContentType.objects.get_for_model(EngagementCase)
    params = {"program": program.pk, "worker": worker.pk, "now": now, "open": open_cases, "due": due, "case_type": case_type.pk,
              "today": timezone.localdate()}
    # One transaction, the two tables' foreign keys validated once after the load (bulk.foreign_keys_deferred).
    with transaction.atomic(), foreign_keys_deferred("engagement_engagementcase", "ces_deadline"):
        insert_select(EngagementCase, {
            "client_id": "c.id", "program_id": "%(program)s", "worker_id": "%(worker)s", "policy": "'disengagement_30_60'",
            "status": "'active'", "opened_on": "%(today)s", "last_contact_at": "%(now)s::timestamptz - interval '20 days'",
        }, "(SELECT id FROM ces_client ORDER BY id LIMIT %(open)s) c", params)
        insert_select(Deadline, {
            "kind": "'engagement.inactive_30'", "subject_type_id": "%(case_type)s", "subject_id": "e.id",
            "due_at": "CASE WHEN e.n <= %(due)s THEN %(now)s::timestamptz - interval '5 minutes' "
                      "ELSE %(now)s::timestamptz + interval '10 days' END",
        }, "(SELECT id, row_number() OVER (ORDER BY id) AS n FROM engagement_engagementcase) e", params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ces_deadline")
        cursor.execute("ANALYZE engagement_engagementcase")
    reverse("engagement-case", args=[1])  # the URLconf loads once per worker process, not once per sweep
    begin = time.perf_counter()
    result = deadlines_sweep(now=now)
    elapsed = time.perf_counter() - begin
    assert result.done == due, result
    return {"open": open_cases, "due": due, "seconds": round(elapsed, 2), "per_due_ms": round(elapsed / due * 1000, 2)}
