from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CaseAssignment(models.Model):
    """The one worker assigned to a client, until the client is enrolled in a housing project
    (`ended_at`: then the assignment is kept as a record and the worker's caseload no longer counts it)."""

    client = models.OneToOneField("ces.Client", on_delete=models.PROTECT, related_name="assignment")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload")
    since = models.DateTimeField(_("assigned since"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("ended (enrolled in a housing project)"), null=True, blank=True)
    ended_because = models.CharField(_("why the assignment ended"), max_length=300, blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.client_id} → {self.worker}"


class ReassignmentRequest(models.Model):
    """A change of assigned worker: the standard CoC-approved track or the worker-safety track."""

    class Track(models.TextChoices):
        STANDARD = "standard", _("Standard (CoC approval)")
        SAFETY = "safety", _("Worker safety transfer")

    class Reason(models.TextChoices):
        SAME_AGENCY_TRANSFER = "same_agency_transfer", _("Transfer to another worker within the same agency")
        CLIENT_REQUEST = "client_request", _("The client asks for a different agency and/or worker")
        THREATENING_BEHAVIOR = "threatening_behavior", _("The client was violent or threatening toward the current worker")
        WORKER_SAFETY = "worker_safety", _("Hostility directed at the worker personally (safety transfer)")

    class Situation(models.TextChoices):
        """The client's situation, stated by the worker from this list (the policy's non-permissible reason among them)."""

        STAYS_IN_AREA = "stays_in_area", _("The client stays in the same area")
        MOVED_AND_SETTLED = "moved_and_settled", _("The client moved to another area and settled there")
        TRANSIENT = "transient", _("The client is transient or frequently relocates")
        OTHER = "other", _("Something else (say what in the explanation)")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for CoC staff")
        DENIED = "denied", _("Denied by CoC staff")
        APPROVED = "approved", _("Approved: steps in progress")
        RECEIVING_DECLINED = "receiving_declined", _("The receiving worker declined: propose another worker")
        CLIENT_DECLINED = "client_declined", _("Stopped: the client did not consent")
        COMPLETED = "completed", _("Completed: assignment changed")
        SAFETY_PENDING = "safety_pending", _("Safety transfer: waiting for the WORKER ALERT and plan")
        SAFETY_TRANSFERRED = "safety_transferred", _("Safety transfer done: follow-up open")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.REQUESTED, Status.APPROVED, Status.RECEIVING_DECLINED, Status.SAFETY_PENDING, Status.SAFETY_TRANSFERRED)

    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, related_name="reassignments")
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    explanation = models.TextField(_("explanation"))
    client_situation = models.CharField(_("the client's situation, as the worker stated it"), max_length=20, blank=True,
                                        choices=Situation.choices)
    current_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    decision = models.TextField(_("CoC staff decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Safety track
    caseload_bypassed = models.BooleanField(_("caseload limit bypassed"), default=False)
    acknowledged_at = models.DateTimeField(_("new worker acknowledged the safety information"), null=True, blank=True)
    handoff_note = models.TextField(_("previous worker's hand-off note"), blank=True)
    handoff_at = models.DateTimeField(null=True, blank=True)
    lom_assessment = models.TextField(_("LOM's assessment of the new worker for this case"), blank=True)
    lom_assessed_at = models.DateTimeField(null=True, blank=True)
    court_obligations = models.TextField(_("court dates and other obligations that stand"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(status__in=["requested", "approved", "receiving_declined", "safety_pending", "safety_transferred"]),
                name="one_open_reassignment_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"Reassignment #{self.pk} ({self.get_status_display()})"


class ReassignmentStep(models.Model):
    """One of the five documented steps of a standard reassignment, by the person it belongs to."""

    class Number(models.IntegerChoices):
        CONSULTATION = 1, _("Consultation: the receiving worker agrees")
        CONSENT = 2, _("Client notification and consent")
        CONTACT_INFORMATION = 3, _("Contact information given to the client")
        INTRODUCTION = 4, _("New worker's introduction")
        SYSTEM_UPDATE = 5, _("System update")

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        AGREED = "agreed", _("Agreed")
        DECLINED = "declined", _("Declined")
        CONSENTED = "consented", _("Client consented")
        REFUSED = "refused", _("Client did not consent")

    request = models.ForeignKey(ReassignmentRequest, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(choices=Number.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    proposed_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                        help_text=_("The proposed worker at the time of the step."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "number", "recorded_at"]

    def __str__(self) -> str:
        return f"Step {self.number} of reassignment #{self.request_id}: {self.outcome}"
