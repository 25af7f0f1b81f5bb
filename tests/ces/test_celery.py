"""Celery: JSON, time limits, the beat schedule in code, and the sweep on a real worker."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from ces.celery import BEAT_SCHEDULE, app
from ces.deadlines import deadline_kind, deadline_kind_unregister, deadline_schedule
from ces.models import Deadline, Notification
from ces.notifications import notification_send
from ces.tasks import sweep
from tests.factories import UserFactory


def test_celery_is_configured_for_json_time_limits_and_the_sweep_schedule():
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert BEAT_SCHEDULE["sweep-deadlines-and-outbox"]["task"] == "ces.sweep"
    assert app.conf.beat_schedule == BEAT_SCHEDULE
    assert sweep.acks_late is True


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_sweep_runs_on_a_real_worker_through_redis(redis_url):
    @deadline_kind("tests.worker")
    def notify(deadline: Deadline) -> None:
        notification_send(recipient=deadline.subject, subject="from the worker")

    user = UserFactory()
    deadline_schedule(kind="tests.worker", subject=user, due_at=timezone.now() - timedelta(minutes=1))
    previous = app.conf.broker_url
    app.conf.broker_url = redis_url
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            sweep.delay()
            deadline = Deadline.objects.get()
            for _ in range(100):
                deadline.refresh_from_db()
                if deadline.state == Deadline.State.DONE:
                    break
                time.sleep(0.1)
        assert deadline.state == Deadline.State.DONE
        assert Notification.objects.filter(recipient=user, subject="from the worker").count() == 1
    finally:
        app.conf.broker_url = previous
        deadline_kind_unregister("tests.worker")
