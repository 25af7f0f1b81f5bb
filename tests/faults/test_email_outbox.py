"""E-mail leaves from the outbox after commit, exactly once, retried on failure; through a
real SMTP conversation with Django's smtp backend (issue 17, "Faults")."""

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from ces.models import Notification
from ces.notifications import EMAIL_CLAIM_STALE_AFTER, EMAIL_RETRY_BACKOFF, notification_send, notifications_deliver
from tests.factories import UserFactory
from tests.faults.smtp import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", sink.port, False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


def test_nothing_is_sent_for_a_rolled_back_transaction_and_a_committed_one_is_sent_once(smtp):
    user = UserFactory(email="worker@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_send(recipient=user, subject="never committed")
        raise RuntimeError("the request failed after writing the notice")
    notification_send(recipient=user, subject="Referral awaiting response")
    assert notifications_deliver() == 1
    assert notifications_deliver() == 0
    assert [m["Subject"] for m in smtp.messages] == ["[CES] Referral awaiting response"]
    note = Notification.objects.get()
    assert note.emailed_at is not None and note.email_claimed_at is None
    assert smtp.messages[0]["Message-ID"] == f"<ces-notification-{note.pk}@localhost>"


def test_a_refused_message_is_retried_after_the_back_off_and_then_sent_once(smtp):
    user = UserFactory(email="worker@example.org")
    note = notification_send(recipient=user, subject="Vacancy filled")
    smtp.refuse = 1
    now = timezone.now()
    assert notifications_deliver(now=now) == 0
    note.refresh_from_db()
    assert note.email_failures == 1 and note.emailed_at is None and note.email_claimed_at is None
    assert notifications_deliver(now=now + EMAIL_RETRY_BACKOFF / 2) == 0  # still backing off
    assert smtp.messages == []
    assert notifications_deliver(now=now + EMAIL_RETRY_BACKOFF) == 1
    assert notifications_deliver(now=now + EMAIL_RETRY_BACKOFF * 3) == 0
    assert len(smtp.messages) == 1


def test_a_dead_mail_server_loses_nothing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 1, False
    note = notification_send(recipient=UserFactory(email="a@example.org"), subject="Held")
    assert notifications_deliver() == 0
    note.refresh_from_db()
    assert note.email_failures == 1 and note.emailed_at is None and note.email_claimed_at is None


def test_a_claim_left_by_a_sender_that_died_is_sent_again_later_with_the_same_message_id(smtp):
    note = notification_send(recipient=UserFactory(email="a@example.org"), subject="Claimed then lost")
    then = timezone.now()
    Notification.objects.filter(pk=note.pk).update(email_claimed_at=then)  # a sender claimed it, then died
    assert notifications_deliver(now=then + timedelta(minutes=1)) == 0  # another sender leaves it alone
    assert notifications_deliver(now=then + EMAIL_CLAIM_STALE_AFTER + timedelta(seconds=1)) == 1
    assert smtp.messages[0]["Message-ID"] == f"<ces-notification-{note.pk}@localhost>"


def test_two_senders_at_once_send_each_message_exactly_once(smtp):
    users = [UserFactory(email=f"user{i}@example.org") for i in range(5)]
    for i in range(60):
        notification_send(recipient=users[i % 5], subject=f"notice {i}")
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def sender():
        try:
            barrier.wait()
            counts.append(notifications_deliver(batch_size=7))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 60
    subjects = sorted(m["Subject"] for m in smtp.messages)
    assert subjects == sorted(f"[CES] notice {i}" for i in range(60))  # none missing, none twice
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
