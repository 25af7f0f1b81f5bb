"""Thin Celery tasks over the core services."""

from celery import shared_task

from ces.deadlines import deadlines_sweep
from ces.notifications import notifications_deliver


@shared_task(name="ces.sweep", acks_late=True, ignore_result=True)
def sweep() -> dict:
    """Beat runs this every few minutes: due deadlines, then the email outbox.

    Idempotent (each row is claimed with a conditional UPDATE), so a redelivered
    or doubled run does nothing twice.
    """
    result = deadlines_sweep()
    emailed = notifications_deliver()
    return {"done": result.done, "skipped": result.skipped, "failed": result.failed, "emailed": emailed}
