"""Thin Celery tasks over the core services."""

import logging

from celery import shared_task

from ces.deadlines import deadlines_sweep
from ces.notifications import notifications_deliver

logger = logging.getLogger(__name__)


def enqueue_or_leave_to_sweep(task, *args) -> bool:
    """Queue `task` now; if the broker is down, say so and let the sweep do it.

    Only for work that is also a deadline row: the row, not the message, is
    the promise that it happens.
    """
    try:
        task.apply_async(args=args, retry=False)
        return True
    except Exception:  # kombu raises several kinds when the broker is unreachable
        logger.warning("Broker unreachable: %s%s left to the periodic sweep", task.name, args)
        return False


@shared_task(name="ces.sweep", acks_late=True, ignore_result=True)
def sweep() -> dict:
    """Beat runs this every few minutes: due deadlines, then the email outbox.

    Idempotent (each row is claimed with a conditional UPDATE), so a redelivered
    or doubled run does nothing twice.
    """
    result = deadlines_sweep()
    emailed = notifications_deliver()
    return {"done": result.done, "skipped": result.skipped, "failed": result.failed, "emailed": emailed}
