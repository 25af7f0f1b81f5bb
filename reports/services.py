"""Every write of the reports app: report PDFs kept in the document store, HMIS export jobs
(request, run, download). Permission rules are here (through reports.selectors), so the
screens, the API, the command and the tasks all get the same answer."""

import hashlib
import json
import logging

from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ces.audit import access_log_record, history_save
from ces.deadlines import deadline_pending, deadline_schedule
from ces.documents import document_keep, document_response, pdf_render
from ces.errors import Invalid, NotFound
from ces.models import AccessLog, ClientDocument, User
from ces.tasks import enqueue_or_leave_to_sweep
from reports import charts, policy
from reports.hmis.writer import ExportSettings, export_write
from reports.models import HmisExport, ReportRun
from reports.periods import Period
from reports.policy import EXPORT_KIND
from reports.selectors import exports_access_check, report_figures, reports_access_check
from reports.tasks import hmis_export_run
from reports.whatif import whatif_compare

logger = logging.getLogger(__name__)

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
