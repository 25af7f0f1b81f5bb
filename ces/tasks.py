"""Thin Celery tasks over the core services, and the one way to queue work.

Work that must happen is a row first (a deadline due now, an outbox row); the Celery
message only makes it happen sooner. So a request never waits on the broker:
`enqueue_or_leave_to_sweep` hands the message to this process's publisher thread and
returns. If Redis is down or hung, the publisher gives up within about a second (short
socket timeouts, no reconnect loop: CELERY_BROKER_TRANSPORT_OPTIONS), stops trying for
BROKER_RETRY_AFTER_SECONDS, and the periodic sweep does the work from the rows once a
worker runs again (docs/operations.md, "When the database or Redis fails").
"""

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from celery import shared_task

from ces.deadlines import deadlines_sweep
from ces.notifications import notifications_deliver

logger = logging.getLogger(__name__)

BROKER_RETRY_AFTER_SECONDS = 30.0
_publisher: ThreadPoolExecutor | None = None
_publisher_lock = threading.Lock()
_broker_down_until = 0.0
_backlog = 0


def _publisher_get() -> ThreadPoolExecutor:
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            _publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ces-publisher")
        return _publisher


def _publish(task, args: tuple) -> bool:
    global _broker_down_until, _backlog
    try:
        task.apply_async(args=args, retry=False)
        return True
    except Exception as exc:  # kombu raises several kinds when the broker is unreachable
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        logger.warning("Broker unreachable (%s): %s%s left to the periodic sweep", exc.__class__.__name__, task.name, args)
        return False
    finally:
        with _publisher_lock:
            _backlog -= 1


def publisher_backlog() -> int:
    """Messages handed over by this process and not yet published or given up."""
    return _backlog


def enqueue_or_leave_to_sweep(task, *args) -> Future | None:
    """Queue `task` soon, off the caller's thread; if the broker is down, the sweep does it.

    Only for work that is also a row the sweep acts on: the row, not the message, is the
    promise that it happens. Call it after commit (transaction.on_commit), so a worker
    never looks for a row that is not committed. Returns the publishing's future (True
    when queued), or None when the broker failed lately and the message was not tried.
    """
    global _backlog
    if time.monotonic() < _broker_down_until:
        logger.info("Broker failed lately: %s%s left to the periodic sweep", task.name, args)
        return None
    publisher = _publisher_get()
    with _publisher_lock:
        _backlog += 1
    return publisher.submit(_publish, task, args)


def enqueue_flush(timeout: float = 30.0) -> None:
    """Wait until every message handed over so far was published or given up (tests, shutdown)."""
    _publisher_get().submit(lambda: None).result(timeout=timeout)


def broker_failure_forget() -> None:
    """Try the broker again at once (tests; a process that knows Redis is back)."""
    global _broker_down_until
    _broker_down_until = 0.0


@shared_task(name="ces.sweep", acks_late=True, ignore_result=True)
def sweep() -> dict:
    """Beat runs this every few minutes: due deadlines, then the email outbox.

    Idempotent (each row is claimed with a conditional UPDATE), so a redelivered
    or doubled run does nothing twice.
    """
    result = deadlines_sweep()
    emailed = notifications_deliver()
    return {"done": result.done, "skipped": result.skipped, "failed": result.failed, "emailed": emailed}
