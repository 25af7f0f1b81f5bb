from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """Who looked at what: every view of a client's page or file, PDF download,
    SSN reveal and export (roles-privacy-audit.md, "Access log").

    Rows are append-only: the admin cannot change or delete them and a
    database trigger refuses UPDATE and DELETE.
    """

    class Action(models.TextChoices):
        VIEW_CLIENT = "view_client", _("Viewed a client's page")
        VIEW_FILE = "view_file", _("Viewed a client's file")
        DOWNLOAD_PDF = "download_pdf", _("Downloaded a PDF")
        REVEAL_SSN = "reveal_ssn", _("Revealed an SSN")
        EXPORT = "export", _("Exported data")
        API_READ = "api_read", _("Read a client through the API")
        SEARCH = "search", _("Searched clients")
        VIEW_LIST = "view_list", _("Viewed a list showing personal data")
        VIEW_AUDIT = "view_audit", _("Reviewed the audit history")
        ADMIN_VIEW = "admin_view", _("Viewed a record in the administration")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    client = models.ForeignKey(
        "ces.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="access_logs"
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client", "-at"], name="accesslog_client_idx"),
            models.Index(fields=["user", "-at"], name="accesslog_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
