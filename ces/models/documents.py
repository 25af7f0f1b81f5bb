from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def _document_path(instance: "ClientDocument", filename: str) -> str:
    if instance.client_id:
        return f"client-files/{instance.client_id}/{instance.kind}/{filename}"
    return f"documents/{instance.source_type or 'other'}/{instance.kind}/{filename}"


class ClientDocument(models.Model):
    """A document of the one document store (ces.documents): assessment PDFs, letters,
    reports. Every version is kept. Most are on a client's record (`client`); letters
    to a complainant or reports have none, and belong to their source record.

    Downloads go through views that check access and call ces.documents.document_response (logged).
    """

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Vulnerability assessment")
        LETTER = "letter", _("Letter")
        CONSENT = "consent", _("Consent copy")
        REPORT = "report", _("Report")
        LIST = "list", _("List")
        OTHER = "other", _("Other")

    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, related_name="documents", null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path)
    version = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=5, default="en")
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "kind", "version"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
