from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ShelterReferral(models.Model):
    """An emergency-shelter referral made at intake (never ranked by score).

    The referrals issue extends it (arrived / no-show / denied, walk-ins, the daily list).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Referred")
        ARRIVED = "arrived", _("Arrived")
        NO_SHOW = "no_show", _("No show")
        DENIED = "denied", _("Denied")

    intake = models.ForeignKey("intake.Intake", on_delete=models.PROTECT, null=True, blank=True, related_name="shelter_referrals")
    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, related_name="shelter_referrals")
    shelter = models.ForeignKey("intake.Shelter", on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.shelter} ← client {self.client_id} ({self.status})"
