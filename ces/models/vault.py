from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class VspDataKey(models.Model):
    """One data key of a victim service provider (ces.vault), stored only wrapped by the VSP's
    key-encryption key, which is not in the database. A rotation adds a version, re-seals every
    row under it, and destroys the old one (`wrapped_key` emptied, `retired_at` set)."""

    agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, related_name="vsp_data_keys",
                               limit_choices_to={"is_vsp": True})
    version = models.PositiveIntegerField(_("version"))
    wrapped_key = models.TextField(_("data key, wrapped by the VSP's key"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["wrapped_key"])

    class Meta:
        ordering = ["agency", "-version"]
        constraints = [models.UniqueConstraint(fields=["agency", "version"], name="vsp_data_key_version_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} v{self.version}"
