from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to a user: shown on their dashboard, and emailed by the sweep.

    An outbox row: `emailed_at` is set when delivery succeeded, so a dead
    broker or mail server delays the email but never loses it. The sender
    claims a row (`email_claimed_at`, committed) before it talks to the mail
    server and confirms it after; a failed send frees the claim and waits
    `email_retry_at` (ces/notifications.py).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_failures = models.PositiveIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"], name="notification_unsent_idx", condition=models.Q(emailed_at=None)
            ),
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.subject
