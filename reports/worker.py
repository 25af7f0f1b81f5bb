"""The worker's side of the HMIS export: claim the queued job, write the zip, keep it.

Called by the Celery task (reports.tasks) and, in tests, directly. The request side
(queue, resend, download) is reports.services, which hands work over through the task.
"""

import hashlib
import logging
import tempfile

from django.core.files import File
from django.db.models import F, Q
from django.utils import timezone

from ces.audit import history_save
from ces.deadlines import deadline_cancel
from reports import policy
from reports.hmis.writer import ExportSettings, export_write
from reports.models import HmisExport
from reports.policy import EXPORT_KIND

logger = logging.getLogger(__name__)


def _claim(job_id: int, now) -> bool:
    claimable = Q(status=HmisExport.Status.QUEUED) | Q(
        status=HmisExport.Status.RUNNING, heartbeat_at__lt=now - policy.EXPORT_STALE_AFTER)
    return bool(HmisExport.objects.filter(claimable, pk=job_id).update(
        status=HmisExport.Status.RUNNING, started_at=now, heartbeat_at=now, progress=0, step="",
        attempts=F("attempts") + 1, error=""))


def hmis_export_run(*, job_id: int, now=None) -> bool:
    """Claim the export (a conditional UPDATE: two workers never both run it), write the zip
    with progress as it goes, keep the file. Returns False when there was nothing to claim."""
    now = now or timezone.now()
    if not _claim(job_id, now):
        return False
    job = HmisExport.objects.select_related("requested_by").get(pk=job_id)

    def progress(name: str, done: int, total: int) -> None:
        HmisExport.objects.filter(pk=job_id, status=HmisExport.Status.RUNNING).update(
            progress=min(99, round(100 * done / total)), step=name[:60], heartbeat_at=timezone.now())

    settings = ExportSettings(
        export_id=job.export_id, start=job.start, end=job.end, include_unconsented=job.include_unconsented, as_of=now,
        contact_first=job.requested_by.first_name, contact_last=job.requested_by.last_name,
        contact_email=job.requested_by.email,
    )
    try:
        with tempfile.TemporaryFile() as target:
            counts = export_write(target, settings, progress)
            target.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: target.read(1 << 20), b""):
                digest.update(block)
            target.seek(0)
            job.file.save(f"hmis-{job.export_id}.zip", File(target), save=False)
    except Exception as error:
        logger.exception("HMIS export %s failed", job_id)
        _finish(job, status=HmisExport.Status.FAILED if job.attempts >= policy.EXPORT_MAX_ATTEMPTS else HmisExport.Status.QUEUED,
                error=repr(error)[:2000])
        raise
    job.sha256 = digest.hexdigest()
    job.row_counts = counts
    _finish(job, status=HmisExport.Status.DONE, error="")
    return True


def _finish(job: HmisExport, *, status: str, error: str) -> None:
    job.refresh_from_db(fields=["attempts"])
    job.status = status
    job.error = error
    job.progress = 100 if status == HmisExport.Status.DONE else 0
    job.finished_at = timezone.now() if status != HmisExport.Status.QUEUED else None
    history_save(job, actor=job.requested_by, reason=f"HMIS export {status}", validate=False)
    if status in (HmisExport.Status.DONE, HmisExport.Status.FAILED):
        deadline_cancel(subject=job, reason=f"export {status}", kinds=[EXPORT_KIND])
