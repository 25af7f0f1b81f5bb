import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def _export_path(instance: "HmisExport", filename: str) -> str:
    # An unguessable name: the file is only ever served through the logged download view.
    return f"exports/hmis/{uuid.uuid4().hex}.zip"


class ReportRun(models.Model):
    """One report asked for as a document (a PDF for a meeting): which report, which
    period, which what-if settings. Its PDFs live in the document store (ces.documents),
    every version kept, with this row as their source."""

    kind = models.CharField(_("report"), max_length=40)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    params = models.JSONField(_("settings"), default=dict, blank=True)
    params_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start", "end", "params_key"], name="report_run_unique_settings"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}–{self.end}"


class HmisExport(models.Model):
    """One HUD HMIS CSV export (hmis-export.md): the promise that it will be made.

    The row is the outbox: a worker claims it with a conditional UPDATE
    (queued → running), writes progress and a heartbeat as it goes, and marks it
    done with the file. A dead broker or a dead worker loses nothing: the sweep's
    deadline row (reports.timers) sends it again until it is done.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    include_unconsented = models.BooleanField(
        _("include clients without HMIS consent (no names, SSN or date of birth)"), default=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=60, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=_export_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    row_counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["progress", "step", "heartbeat_at"])

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status"], name="hmis_export_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="hmis_export_period_ordered"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="hmis_export_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"HMIS export #{self.pk} {self.start}–{self.end} ({self.status})"

    @property
    def export_id(self) -> str:
        """HUD's ExportID for this export."""
        return f"CES{self.pk}"
