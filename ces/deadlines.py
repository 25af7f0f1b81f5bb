"""Timers that live in the database, and the sweep that runs them exactly once.

An app declares a deadline kind with a handler:

    @deadline_kind("referrals.expire")
    def referral_expire(deadline: Deadline) -> None: ...

schedules rows with `deadline_schedule(kind=..., subject=..., due_at=...)`
and cancels them with `deadline_cancel(...)`. Celery beat runs
`ces.tasks.sweep` every few minutes; `deadlines_sweep` claims each due row
with a conditional UPDATE (pending → done) and runs its handler in the same
transaction. Two sweeps at once: the second UPDATE waits for the first's
row lock, then matches 0 rows and skips. A handler that fails rolls its
claim back; the row stays pending and is retried later (with back-off).
Handlers live in `<app>/timers.py` modules, loaded at start-up.

A kind whose rows come due by the thousand (the engagement's 30/60-day timers)
also registers a batch handler, the set-based form of the same work:

    @deadline_kind_batch("engagement.inactive_30")
    def inactive_30_due_many(deadlines: list[Deadline]) -> None: ...

The sweep hands it every claimed row of that kind in a batch at once, so the
batch's statements are a constant few whatever its size (bulk UPDATE, history
rows and notifications by bulk_create). The one-row handler stays the fallback:
when anything in a batch fails, the batch is done again one row at a time.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from ces.models import Deadline

logger = logging.getLogger(__name__)

Handler = Callable[[Deadline], None]
BatchHandler = Callable[[list[Deadline]], None]
_HANDLERS: dict[str, Handler] = {}
_BATCH_HANDLERS: dict[str, BatchHandler] = {}

SWEEP_BATCH_SIZE = 100
# Below CELERY_TASK_SOFT_TIME_LIMIT (240 s): a sweep never dies of its own backlog.
SWEEP_TIME_BUDGET = timedelta(seconds=120)
RETRY_BACKOFF = timedelta(minutes=5)  # × failures so far, capped below
RETRY_BACKOFF_MAX = timedelta(hours=6)


def deadline_kind(kind: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if _HANDLERS.get(kind, handler) is not handler:
            raise ValueError(f"Deadline kind {kind!r} is already registered.")
        _HANDLERS[kind] = handler
        return handler

    return register


def deadline_kind_batch(kind: str) -> Callable[[BatchHandler], BatchHandler]:
    """Register the set-based form of a kind's handler: it gets all the claimed rows of the kind
    in one batch (each already marked done, `done_at` the sweep's now) and must do for each
    exactly what the one-row handler would. Register the one-row handler first: it is the
    fallback that does a failed batch one row at a time."""

    def register(handler: BatchHandler) -> BatchHandler:
        if kind not in _HANDLERS:
            raise ValueError(f"Deadline kind {kind!r} needs its one-row handler before a batch handler.")
        if _BATCH_HANDLERS.get(kind, handler) is not handler:
            raise ValueError(f"Deadline kind {kind!r} already has a batch handler.")
        _BATCH_HANDLERS[kind] = handler
        return handler

    return register


def deadline_kind_unregister(kind: str) -> None:
    _HANDLERS.pop(kind, None)
    _BATCH_HANDLERS.pop(kind, None)


def deadline_schedule(*, kind: str, subject: models.Model, due_at: datetime) -> Deadline:
    if kind not in _HANDLERS:
        raise ValueError(f"Unknown deadline kind {kind!r}.")
    return Deadline.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        due_at=due_at,
    )


def deadlines_build(items: list[tuple[str, models.Model, datetime]]) -> list[Deadline]:
    """The rows `deadlines_schedule` writes, unsaved: for a service that writes them in a
    statement of its own (the pull: ces.bulk_writes)."""
    for kind, _subject, _due in items:
        if kind not in _HANDLERS:
            raise ValueError(f"Unknown deadline kind {kind!r}.")
    return [Deadline(kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, due_at=due_at)
            for kind, subject, due_at in items]


def deadlines_schedule(items: list[tuple[str, models.Model, datetime]]) -> list[Deadline]:
    """Schedule many deadlines in one statement: (kind, subject, due_at) each."""
    return Deadline.objects.bulk_create(deadlines_build(items))


def deadline_pending(*, kind: str, subject: models.Model) -> bool:
    return Deadline.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, state=Deadline.State.PENDING
    ).exists()


def deadline_cancel(*, subject: models.Model, reason: str, kinds: list[str] | None = None) -> int:
    """Cancel the subject's pending deadlines (all, or those of `kinds`). Returns how many."""
    pending = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        state=Deadline.State.PENDING,
    )
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    return pending.update(state=Deadline.State.CANCELLED, cancelled_at=timezone.now(), cancel_reason=reason[:200])


def _due(now: datetime):
    return Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=now).filter(
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )


@dataclass
class SweepResult:
    done: int = 0
    skipped: int = 0
    failed: int = 0


def deadline_process(*, pk: int, now: datetime) -> bool:
    """Claim one due deadline and run its handler, all in one transaction.

    Returns False when the row was no longer due (another sweep took it, or
    it was cancelled). Raises when the handler fails; the claim is rolled back.
    """
    with transaction.atomic():
        claimed = _due(now).filter(pk=pk).update(state=Deadline.State.DONE, done_at=now)
        if not claimed:
            return False
        deadline = Deadline.objects.select_related("subject_type").get(pk=pk)
        handler = _HANDLERS.get(deadline.kind)
        if handler is None:
            raise LookupError(f"No handler registered for deadline kind {deadline.kind!r}.")
        handler(deadline)
        return True


def _claim_batch(*, now: datetime, started: datetime, exclude: set[int], batch_size: int) -> list[Deadline]:
    """Lock and mark done a batch of due rows (two statements for the whole batch). Rows
    another sweep holds are skipped, not waited for: two sweeps at once split the work."""
    batch = list(
        _due(now).filter(created_at__lt=started).exclude(pk__in=exclude)
        .order_by("due_at", "id").select_for_update(skip_locked=True)[:batch_size]
    )
    if batch:
        Deadline.objects.filter(pk__in=[d.pk for d in batch]).update(state=Deadline.State.DONE, done_at=now)
        for deadline in batch:
            deadline.state, deadline.done_at = Deadline.State.DONE, now
    return batch


def _run(deadline: Deadline) -> None:
    handler = _HANDLERS.get(deadline.kind)
    if handler is None:
        raise LookupError(f"No handler registered for deadline kind {deadline.kind!r}.")
    deadline.subject_type = ContentType.objects.get_for_id(deadline.subject_type_id)
    handler(deadline)


def _run_batch(batch: list[Deadline]) -> None:
    """The batch's rows in due order, except that the rows of a kind with a batch handler are
    all handed to it at once, where the first of them comes."""
    groups: dict[str, list[Deadline]] = {}
    for deadline in batch:
        if deadline.kind in _BATCH_HANDLERS:
            groups.setdefault(deadline.kind, []).append(deadline)
    for deadline in batch:
        many = _BATCH_HANDLERS.get(deadline.kind)
        if many is None:
            _run(deadline)
        elif deadline.kind in groups:
            many(groups.pop(deadline.kind))


def deadlines_sweep(*, now: datetime | None = None, batch_size: int = SWEEP_BATCH_SIZE,
                    time_budget: timedelta = SWEEP_TIME_BUDGET) -> SweepResult:
    """Process every deadline due at `now`, a batch per transaction.

    Fast path: a batch is claimed in bulk and its handlers run in one transaction, the rows
    of a kind with a batch handler all in one call (`deadline_kind_batch`). If any
    handler fails, that transaction is rolled back (claims included) and the batch is done
    again one row per transaction (`deadline_process`), so the failing row alone is
    retried later and every other row is done once.

    A sweep stops taking batches once `time_budget` is spent (the rest wait for the next sweep,
    minutes later), so a backlog such as the demo's first PDFs never runs into the task's time limit.
    """
    now = now or timezone.now()
    started = timezone.now()
    stop_after = time.monotonic() + time_budget.total_seconds()
    result = SweepResult()
    failed_ids: set[int] = set()
    slow_ids: list[int] = []
    while True:
        # Rows a handler schedules during this sweep wait for the next one, so a
        # handler that reschedules itself can never keep a sweep running.
        try:
            with transaction.atomic():
                batch = _claim_batch(now=now, started=started, exclude=failed_ids, batch_size=batch_size)
                _run_batch(batch)
            result.done += len(batch)
        except Exception:  # some handler failed: redo this batch row by row
            logger.info("A handler failed in a batch of the sweep; redoing that batch one row at a time")
            slow_ids = list(
                _due(now).filter(created_at__lt=started).exclude(pk__in=failed_ids)
                .order_by("due_at", "id").values_list("pk", flat=True)[:batch_size]
            )
            batch = slow_ids
            for pk in slow_ids:
                try:
                    if deadline_process(pk=pk, now=now):
                        result.done += 1
                    else:
                        result.skipped += 1
                except Exception as exc:  # a failing handler must not stop the others
                    logger.exception("Deadline %s failed", pk)
                    failed_ids.add(pk)
                    result.failed += 1
                    _deadline_record_failure(pk=pk, now=now, error=exc)
        if len(batch) < batch_size:
            return result
        if time.monotonic() > stop_after:
            return result


def _deadline_record_failure(*, pk: int, now: datetime, error: Exception) -> None:
    deadline = Deadline.objects.filter(pk=pk, state=Deadline.State.PENDING).first()
    if deadline is None:
        return
    backoff = min(RETRY_BACKOFF * (deadline.failures + 1), RETRY_BACKOFF_MAX)
    Deadline.objects.filter(pk=pk, state=Deadline.State.PENDING).update(
        failures=F("failures") + 1, retry_at=now + backoff, last_error=repr(error)[:2000]
    )
