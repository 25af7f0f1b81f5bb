from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ces.sealed import VspSealed


class Disclosure(VspSealed):
    """A release of a person's information without their consent (Appendix C: court order,
    medical emergency; or a law that requires it): who released what, to whom, why."""

    class Basis(models.TextChoices):
        COURT_ORDER = "court_order", _("Court order")
        MEDICAL_EMERGENCY = "medical_emergency", _("Medical emergency")
        REQUIRED_BY_LAW = "required_by_law", _("Required by law")

    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, related_name="disclosures")
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    disclosed_at = models.DateTimeField(_("disclosed at"))
    disclosed_to = models.CharField(_("disclosed to"), max_length=300)
    information = models.TextField(_("what was disclosed"))
    reason = models.TextField(_("why"))
    reference = models.CharField(_("reference (order number, case)"), max_length=200, blank=True)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    SEALED_FIELDS = ("disclosed_to", "information", "reason", "reference")

    history = HistoricalRecords()

    def sealing_agency_id(self) -> int | None:
        return self.client.sealing_agency_id()

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        indexes = [models.Index(fields=["client", "-disclosed_at"], name="disclosure_client_idx")]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} → {self.disclosed_to[:40]}"
