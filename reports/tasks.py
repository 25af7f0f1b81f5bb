"""Thin Celery tasks over the reports' services."""

from celery import shared_task

from reports.worker import hmis_export_run as export_run

# An export of a large CoC takes minutes: its own limits, above the default four.
EXPORT_SOFT_TIME_LIMIT = 3600
EXPORT_TIME_LIMIT = 3900


@shared_task(name="reports.hmis_export_run", acks_late=True, ignore_result=True,
             soft_time_limit=EXPORT_SOFT_TIME_LIMIT, time_limit=EXPORT_TIME_LIMIT)
def hmis_export_run(job_id: int) -> bool:
    """Run a queued HMIS export. Idempotent: the service claims the row, so a doubled message does nothing."""
    return export_run(job_id=job_id)
