"""Notices to staff: a dashboard inbox, and email delivered by the sweep (an outbox)."""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise

from ces.models import Notification, User

logger = logging.getLogger(__name__)

EMAIL_BATCH_SIZE = 100
EMAIL_MAX_FAILURES = 10


def notification_send(*, recipient: User, subject: str | Promise, body: str | Promise = "", link: str = "") -> Notification:
    """A notice in the recipient's language: pass lazy translations (format_lazy for values)."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject, body = str(subject), str(body)
    return Notification.objects.create(recipient=recipient, subject=subject[:200], body=body, link=link[:300])


def notification_mark_read(*, notification: Notification, actor: User) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionError("Only the recipient can mark a notification read.")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_deliver(*, now: datetime | None = None, batch_size: int = EMAIL_BATCH_SIZE) -> int:
    """Email every notification not emailed yet; each exactly once. Returns how many were sent."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True, email_failures__lt=EMAIL_MAX_FAILURES, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    sent = 0
    for pk in pending:
        try:
            with transaction.atomic():
                if not Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(emailed_at=now):
                    continue  # another sweep sent it
                note = Notification.objects.select_related("recipient").get(pk=pk)
                send_mail(
                    subject=f"[CES] {note.subject}",
                    message=f"{note.body}\n\n{note.link}".strip(),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[note.recipient.email],
                )
                sent += 1
        except Exception:
            logger.exception("Emailing notification %s failed", pk)
            Notification.objects.filter(pk=pk).update(email_failures=F("email_failures") + 1)
    return sent
