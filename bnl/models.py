from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BnlEntry(models.Model):
    """A person's place on the By-Name List (bnl-and-referrals.md).

    Created by the intake when the VI section is completed; a new assessment
    of someone already listed updates the entry (history keeps the old values).
    The BNL issue extends this model (order, eligibility, DV entries, pulls).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ON_REFERRAL = "on_referral", _("On referral")
        INACTIVE = "inactive", _("Inactive")
        HOUSED = "housed", _("Housed")
        EXITED = "exited", _("Exited")

    OPEN_STATUSES = (Status.ACTIVE, Status.ON_REFERRAL, Status.INACTIVE)

    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, related_name="bnl_entries")
    assessment = models.ForeignKey("intake.Assessment", on_delete=models.PROTECT, related_name="bnl_entries")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    score = models.PositiveSmallIntegerField(_("vulnerability score"))
    length_of_time_homeless_days = models.PositiveIntegerField(default=0)
    county = models.CharField(max_length=12)
    chronic = models.BooleanField(default=False)
    veteran = models.BooleanField(default=False)
    youth = models.BooleanField(default=False)
    family = models.BooleanField(default=False)
    dv = models.BooleanField(default=False)
    placed_on_list_at = models.DateTimeField(_("first placed on the list"))
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-score", "-length_of_time_homeless_days", "placed_on_list_at", "id"]
        constraints = [
            # "A person has at most one active entry" (active, on referral or inactive).
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(status__in=["active", "on_referral", "inactive"]),
                name="bnl_one_open_entry_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"BNL #{self.pk} score {self.score} ({self.status})"
