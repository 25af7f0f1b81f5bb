"""Notices to staff: a dashboard inbox, and email delivered by the sweep (an outbox)."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import Promise

from ces.models import Notification, User

logger = logging.getLogger(__name__)

EMAIL_BATCH_SIZE = 100
EMAIL_MAX_FAILURES = 10
EMAIL_RETRY_BACKOFF = timedelta(minutes=5)  # × failures so far
EMAIL_CLAIM_STALE_AFTER = timedelta(minutes=15)  # a sender that died after claiming


def notification_send(*, recipient: User, subject: str | Promise, body: str | Promise = "", link: str = "") -> Notification:
    """A notice in the recipient's language: pass lazy translations (format_lazy for values)."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject, body = str(subject), str(body)
    return Notification.objects.create(recipient=recipient, subject=subject[:200], body=body, link=link[:300])


def notifications_send_many(items: Iterable[tuple[User, str | Promise, str]]) -> list[Notification]:
    """`notification_send` for many notices in one INSERT: (recipient, subject, link) each, the
    subject in each recipient's language (the sweep's batch handlers)."""
    rows = []
    for recipient, subject, link in items:
        with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
            text = str(subject)
        rows.append(Notification(recipient=recipient, subject=text[:200], body="", link=link[:300]))
    return Notification.objects.bulk_create(rows)


def notification_mark_read(*, notification: Notification, actor: User) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionError("Only the recipient can mark a notification read.")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def _message_id(pk: int) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "ces.localhost"
    return f"<ces-notification-{pk}@{domain}>"


def _deliverable(now: datetime):
    return (
        Notification.objects.filter(emailed_at__isnull=True, email_failures__lt=EMAIL_MAX_FAILURES, recipient__is_active=True)
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_CLAIM_STALE_AFTER))
        .filter(Q(email_retry_at__isnull=True) | Q(email_retry_at__lte=now))
        .exclude(recipient__email="")
    )


def _claim(now: datetime, batch_size: int) -> list[int]:
    """Claim a batch in one committed transaction: rows another sender holds are skipped."""
    with transaction.atomic():
        ids = list(
            _deliverable(now).order_by("created_at", "id").select_for_update(of=("self",), skip_locked=True)
            .values_list("pk", flat=True)[:batch_size]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(email_claimed_at=now)
    return ids


def notifications_deliver(*, now: datetime | None = None, batch_size: int = EMAIL_BATCH_SIZE) -> int:
    """Email every notification not emailed yet, from the outbox, after commit. Returns how many were sent.

    Exactly once: a row is claimed in a committed transaction before the mail server is
    called, and confirmed (`emailed_at`) by one UPDATE right after it accepted the message,
    so no rollback can undo a sent email and no other sweep sends a claimed one. A failed
    send frees the claim and is retried after a back-off (EMAIL_RETRY_BACKOFF × failures),
    up to EMAIL_MAX_FAILURES times. Only a sender that dies between the mail server's
    acceptance and the confirming UPDATE leaves a claim unconfirmed; it is sent again after
    EMAIL_CLAIM_STALE_AFTER with the same Message-ID, which mail systems treat as one message.
    Run it outside a transaction (the sweep does), so the claim is committed before sending.
    """
    now = now or timezone.now()
    sent = 0
    mail = None
    try:
        while True:
            ids = _claim(now, batch_size)
            if not ids:
                return sent
            if mail is None:  # one connection to the mail server for the whole run, opened only when there is mail
                mail = get_connection(fail_silently=False)
                try:
                    mail.open()
                except Exception as exc:  # each send below tries again, fails and frees its claim
                    logger.warning("The mail server is not answering (%s)", exc.__class__.__name__)
            notes = Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("created_at", "id")
            for note in notes:
                message = EmailMessage(
                    subject=f"[CES] {note.subject}",
                    body=f"{note.body}\n\n{note.link}".strip(),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[note.recipient.email],
                    headers={"Message-ID": _message_id(note.pk)},
                    connection=mail,
                )
                try:
                    message.send()
                except Exception as exc:
                    logger.warning("Emailing notification %s failed (%s); it will be retried", note.pk, exc.__class__.__name__)
                    Notification.objects.filter(pk=note.pk).update(
                        email_claimed_at=None,
                        email_failures=F("email_failures") + 1,
                        email_retry_at=now + EMAIL_RETRY_BACKOFF * (note.email_failures + 1),
                    )
                    continue
                Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now(), email_claimed_at=None)
                sent += 1
            if len(ids) < batch_size:
                return sent
    finally:
        if mail is not None:
            mail.close()
