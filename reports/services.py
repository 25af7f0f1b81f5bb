"""Every write of the reports app: report PDFs kept in the document store, HMIS export jobs
(request, run, download). Permission rules are here (through reports.selectors), so the
screens, the API, the command and the tasks all get the same answer."""

import hashlib
import json
import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ces.audit import access_log_record, history_save
from ces.deadlines import deadline_cancel, deadline_pending, deadline_schedule
from ces.documents import document_keep, document_response, pdf_render
from ces.errors import Invalid, NotFound
from ces.models import AccessLog, ClientDocument, User
from ces.tasks import enqueue_or_leave_to_sweep
from reports import charts, policy
from reports.hmis.writer import ExportSettings, export_write
from reports.models import HmisExport, ReportRun
from reports.periods import Period
from reports.selectors import exports_access_check, report_figures, reports_access_check
from reports.whatif import whatif_compare

logger = logging.getLogger(__name__)

EXPORT_KIND = "reports.hmis_export"
EXPORT_NOT_READY = _("This export is not ready yet.")
EXPORT_FAILED = _("This export failed; start a new one.")


# --- report documents ---------------------------------------------------------


def _run_for(*, kind: str, period: Period, params: dict, actor: User) -> ReportRun:
    key = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    run, _created = ReportRun.objects.get_or_create(
        kind=kind, start=period.start, end=period.end, params_key=key, defaults={"params": params, "created_by": actor}
    )
    return run


def _pdf_context(figures: dict, period: Period) -> dict:
    return {"report": figures, "period": period, "charts": [charts.svg(chart) for chart in figures["charts"]],
            "generated_at": timezone.localtime()}


@transaction.atomic
def report_pdf_make(*, name: str, period: Period, actor: User, language: str = "en") -> ClientDocument:
    """Render report `name` for `period` as a PDF (charts drawn as SVG) and keep it as the next
    version of that report's document."""
    figures = report_figures(user=actor, name=name, period=period)
    run = _run_for(kind=name, period=period, params={}, actor=actor)
    content = pdf_render("reports/pdf/report.html", _pdf_context(figures, period), language=language)
    return document_keep(content=content, source=run, kind=ClientDocument.Kind.REPORT, language=language,
                         title=f"{figures['title']} {period.start}–{period.end}", actor=actor,
                         filename=f"report-{name}-{period.start}-{period.end}")


@transaction.atomic
def whatif_pdf_make(*, proposal: dict, actor: User, language: str = "en") -> ClientDocument:
    reports_access_check(actor)
    figures = whatif_compare(**proposal)
    today = timezone.localdate()
    run = _run_for(kind="what-if", period=Period(today, today), params=figures["proposal"], actor=actor)
    content = pdf_render("reports/pdf/report.html", {**_pdf_context(figures, Period(today, today))}, language=language)
    return document_keep(content=content, source=run, kind=ClientDocument.Kind.REPORT, language=language,
                         title=f"{figures['title']} {today}", actor=actor, filename=f"what-if-{today}")


def report_download(*, document: ClientDocument, user: User, request: HttpRequest | None = None) -> FileResponse:
    """The report PDF, logged (ces.documents.document_response writes the access-log row)."""
    reports_access_check(user)
    return document_response(document=document, user=user, request=request, as_attachment=True)


def report_csv_logged(*, name: str, period: Period, user: User, request: HttpRequest | None = None) -> dict:
    """The figures for a CSV download, with its access-log row."""
    figures = report_figures(user=user, name=name, period=period)
    access_log_record(user=user, action=AccessLog.Action.EXPORT, request=request,
                      detail=f"report {name} {period.start}–{period.end} CSV")
    return figures


# --- HMIS export --------------------------------------------------------------


@transaction.atomic
def hmis_export_request(*, start, end, include_unconsented: bool, actor: User) -> HmisExport:
    """Queue an export: the row is the promise (an outbox), a deadline row lets the sweep
    send it again if the broker or the worker is down, and a task starts it at once."""
    exports_access_check(actor)
    job = history_save(HmisExport(start=start, end=end, include_unconsented=include_unconsented, requested_by=actor),
                       actor=actor, reason="HMIS export requested")
    deadline_schedule(kind=EXPORT_KIND, subject=job, due_at=timezone.now() + policy.EXPORT_RETRY_EVERY)
    transaction.on_commit(lambda: hmis_export_enqueue(job.pk))
    return job


def hmis_export_enqueue(job_id: int):
    from reports.tasks import hmis_export_run  # noqa: PLC0415 (tasks import this module)

    return enqueue_or_leave_to_sweep(hmis_export_run, job_id)


def hmis_export_resend(job: HmisExport, *, now) -> None:
    """The sweep's handler: while the export is not done, send it again and check back later."""
    if job.status in (HmisExport.Status.DONE, HmisExport.Status.FAILED):
        return
    stale = job.status == HmisExport.Status.RUNNING and (job.heartbeat_at is None or job.heartbeat_at < now - policy.EXPORT_STALE_AFTER)
    if job.status == HmisExport.Status.QUEUED or stale:
        transaction.on_commit(lambda: hmis_export_enqueue(job.pk))
    if not deadline_pending(kind=EXPORT_KIND, subject=job):
        deadline_schedule(kind=EXPORT_KIND, subject=job, due_at=now + policy.EXPORT_RETRY_EVERY)


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


def hmis_export_file_write(*, start, end, include_unconsented: bool, target, actor: User) -> dict[str, int]:
    """The management command's export: written straight to `target`, logged as an export."""
    if not actor.is_system:
        exports_access_check(actor)
    now = timezone.now()
    counts = export_write(target, ExportSettings(
        export_id=f"CMD{now:%Y%m%d%H%M%S}", start=start, end=end, include_unconsented=include_unconsented, as_of=now,
        contact_first=actor.first_name, contact_last=actor.last_name, contact_email=actor.email))
    access_log_record(user=actor, action=AccessLog.Action.EXPORT,
                      detail=f"HMIS CSV export {start}–{end} (command){' with unconsented clients' if include_unconsented else ''}")
    return counts


def hmis_export_download(*, job: HmisExport, user: User, request: HttpRequest | None = None) -> FileResponse:
    """The zip, for an HMIS admin, once ready; every download is in the access log."""
    exports_access_check(user)
    if job.status == HmisExport.Status.FAILED:
        raise Invalid(EXPORT_FAILED)
    if job.status != HmisExport.Status.DONE or not job.file:
        raise NotFound(EXPORT_NOT_READY)
    access_log_record(user=user, action=AccessLog.Action.EXPORT, request=request, obj=job,
                      detail=f"HMIS CSV export #{job.pk} {job.start}–{job.end} downloaded")
    return FileResponse(job.file.open("rb"), content_type="application/zip", as_attachment=True,
                        filename=f"hmis-csv-{policy.HMIS_COC_CODE}-{job.start}-{job.end}.zip")
