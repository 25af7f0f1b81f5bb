from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Deadline(models.Model):
    """A timer that lives in the database: one row per pending deadline.

    Apps schedule rows of a registered `kind` about a subject (a referral, an
    engagement case...). The periodic sweep (ces.deadlines.deadlines_sweep)
    claims due rows with a conditional UPDATE and runs the kind's handler in
    the same transaction, so each deadline's work happens exactly once, even
    with two sweeps at once or after the broker was down for a day.

    No simple-history here: state changes are conditional UPDATEs, and the
    business records a handler writes carry their own history.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=64)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    failures = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The sweep reads only pending rows: its cost follows the due rows, not the table.
            models.Index(
                fields=["due_at"],
                name="deadline_pending_due_idx",
                condition=models.Q(state="pending"),
            ),
            models.Index(fields=["subject_type", "subject_id", "kind"], name="deadline_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.subject_id} due {self.due_at:%Y-%m-%d %H:%M} ({self.state})"
