"""Scale-out on one database: two real Celery workers and one real beat (sweeping every
second) do every due timer and send every e-mail exactly once (issue 17, "Scale-out").
Every process is started here and always stopped."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from ces import roles
from ces.models import Deadline, Notification
from engagement.models import EngagementCase
from tests.factories import AgencyFactory, ClientFactory, ProgramFactory, UserFactory
from tests.faults.servers import BASE_DIR, database_url
from tests.faults.smtp import SmtpSink

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]
CASES = 60


def _start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "ces", *args], cwd=BASE_DIR, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def test_two_workers_and_one_beat_do_every_timer_and_email_exactly_once(redis_url, tmp_path):
    import redis

    agency = AgencyFactory()
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER], email="worker@example.org")
    program = ProgramFactory(agency=agency, type="services", engagement_policy="disengagement_30_60")
    now = timezone.now()
    cases = EngagementCase.objects.bulk_create(
        EngagementCase(client=ClientFactory(holding_agency=agency), program=program, worker=worker, policy="disengagement_30_60",
                       status="active", opened_on=now.date(), last_contact_at=now - timedelta(days=31))
        for _ in range(CASES)
    )
    case_type = ContentType.objects.get_for_model(EngagementCase)
    Deadline.objects.bulk_create(Deadline(kind="engagement.inactive_30", subject_type=case_type, subject_id=case.pk,
                                          due_at=now - timedelta(minutes=1)) for case in cases)
    queue = redis.Redis.from_url(redis_url)
    queue.delete("celery")
    with SmtpSink() as smtp:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DJANGO_SETTINGS_MODULE": "ces.settings.test",
            "DATABASE_URL": database_url(connection.settings_dict),
            "REDIS_URL": redis_url,
            "CES_SWEEP_EVERY_SECONDS": "1",
            "CES_TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
        }
        processes = [
            _start(["worker", "--pool", "solo", "-n", f"scale{n}@%h", "--without-gossip", "--without-mingle", "-Q", "celery"], env)
            for n in (1, 2)
        ]
        processes.append(_start(["beat", "--schedule", str(tmp_path / "beat-schedule")], env))
        try:
            due = Deadline.objects.filter(kind="engagement.inactive_30", state=Deadline.State.PENDING)
            unsent = Notification.objects.filter(emailed_at__isnull=True)
            end = time.monotonic() + 120
            while (due.exists() or unsent.exists() or not Notification.objects.exists()) and time.monotonic() < end:
                assert all(p.poll() is None for p in processes), "a worker or the beat died"
                time.sleep(0.5)
            time.sleep(2)  # a few more sweeps from both workers: they must find nothing left to do
        finally:
            for process in processes:
                _stop(process)
            queue.delete("celery")
            queue.close()
    assert not due.exists()
    assert EngagementCase.objects.filter(status="due_for_engagement").count() == CASES
    for case in cases:  # each flagged once: one history row for the change, by the system user
        assert case.history.filter(status="due_for_engagement").count() == 1
    notes = list(Notification.objects.values_list("recipient_id", "subject"))
    assert len(notes) == len(set(notes)) and len(notes) >= CASES  # no notice twice
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == len(set(ids)) == Notification.objects.filter(recipient__email__gt="").count()  # each e-mail once
