from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One row of the audit timeline: a look (an AccessLog row) or a change (a history row).

    Rows are written only by database triggers on ces_accesslog and on every
    django-simple-history table (audit.sources installs them after each
    migrate), in the same transaction as the row they index, so the timeline
    can never miss or invent an event. Like the access log it is append-only:
    a trigger refuses UPDATE and DELETE.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access")
        CHANGE = "change", _("Change")

    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+",
                             db_constraint=False)
    action = models.CharField(_("action"), max_length=30)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    client = models.ForeignKey("ces.Client", on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False)
    history_table = models.CharField(max_length=100, blank=True)
    history_id = models.BigIntegerField(null=True)
    access_log_id = models.BigIntegerField(null=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True)
    search = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="auditevent_at_idx"),
            models.Index(fields=["client", "-at", "-id"], name="auditevent_client_idx"),
            models.Index(fields=["user", "-at", "-id"], name="auditevent_user_idx"),
            models.Index(fields=["model", "-at", "-id"], name="auditevent_model_idx"),
            # The version before a change: the same record's previous event (field differences).
            models.Index(fields=["history_table", "object_id", "-at", "-history_id"], name="auditevent_versions_idx",
                         condition=models.Q(kind="change")),
            GinIndex(OpClass(models.F("search"), name="gin_trgm_ops"), name="auditevent_search_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.model} #{self.object_id}"
