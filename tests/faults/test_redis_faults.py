"""Redis down or hung, against the real Redis and a real worker (issue 17, "Faults").

A request never waits on the broker: the work is a row (a deadline due now, an outbox row)
committed with the request, and the Celery message is handed to the process's publisher
thread after commit. With Redis hung, the intake is answered while the publisher is still
stuck (its backlog shows it), and once Redis is back a worker does everything, once.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from kombu import pools as kombu_pools
from rest_framework.test import APIClient

from ces import tasks
from ces.celery import app
from ces.models import ClientDocument, Deadline
from intake.pdf import PDF_KIND
from tests.factories import call_agent, worked_example_2_answers
from tests.faults.proxy import FaultProxy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def _forget_broker_connections() -> None:
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()
    tasks.broker_failure_forget()


@pytest.fixture
def hung_redis(settings):
    host, port = "127.0.0.1", 6379
    with FaultProxy(host, port) as proxy:
        previous = app.conf.broker_url
        db = settings.REDIS_URL.rsplit("/", 1)[1]
        app.conf.broker_url = settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{proxy.port}/{db}"
        _forget_broker_connections()
        try:
            yield proxy
        finally:
            proxy.thaw(drop=True)
            tasks.enqueue_flush()
            app.conf.broker_url = settings.CELERY_BROKER_URL = previous
            _forget_broker_connections()


def _wait_for(predicate, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_an_intake_with_redis_hung_is_answered_without_waiting_and_done_once_redis_is_back(hung_redis, redis_url):
    api = APIClient()
    api.force_authenticate(call_agent())
    hung_redis.freeze()
    response = api.post("/api/v1/intakes/", {"client_id": None, "answers": worked_example_2_answers()}, format="json")
    assert response.status_code == 201, response.content
    # Answered while the message is still stuck on its way to the hung broker: the request did not wait for it.
    assert tasks.publisher_backlog() >= 1
    assessment_id = response.json()["assessment"]["id"]
    pdf_rows = Deadline.objects.filter(kind=PDF_KIND, subject_id=assessment_id)
    assert pdf_rows.get().state == Deadline.State.PENDING  # the row is the promise
    assert not ClientDocument.objects.filter(source_type="intake.assessment", source_id=str(assessment_id)).exists()

    hung_redis.thaw(drop=True)  # Redis comes back (restarted: the stuck connection is dropped)
    tasks.enqueue_flush()
    assert tasks.publisher_backlog() == 0
    _forget_broker_connections()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        tasks.sweep.delay()  # beat's next sweep
        assert _wait_for(lambda: pdf_rows.get().state == Deadline.State.DONE)
        tasks.sweep.delay()  # a second sweep (or a late message) does nothing twice
        time.sleep(1)
    documents = ClientDocument.objects.filter(source_type="intake.assessment", source_id=str(assessment_id))
    assert documents.count() == 1


def test_with_redis_refusing_connections_the_request_thread_never_touches_the_broker(settings):
    previous = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _forget_broker_connections()
    try:
        future = tasks.enqueue_or_leave_to_sweep(tasks.sweep)
        assert future is not None and future.result(timeout=10) is False  # given up, off the caller's thread
        # Then the broker is not tried again for a while: the sweep does the work from the rows.
        assert tasks.enqueue_or_leave_to_sweep(tasks.sweep) is None
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL = previous
        _forget_broker_connections()


def test_the_publisher_queues_for_real_when_redis_answers(settings, redis_url):
    import redis

    previous = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL = redis_url
    _forget_broker_connections()
    client = redis.Redis.from_url(redis_url)
    client.delete("celery")
    try:
        future = tasks.enqueue_or_leave_to_sweep(tasks.sweep)
        assert future.result(timeout=10) is True
        assert client.llen("celery") == 1
    finally:
        client.delete("celery")
        client.close()
        app.conf.broker_url = settings.CELERY_BROKER_URL = previous
        _forget_broker_connections()
