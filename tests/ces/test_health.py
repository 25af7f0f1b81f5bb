import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.redis
def test_healthz_reports_database_and_redis_ok(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": {"ok": True}, "redis": {"ok": True}}}


def test_healthz_reports_a_failing_redis_as_failing(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"]["ok"] is False


def test_healthz_with_filesystem_broker_does_not_need_redis(client, settings):
    settings.CES_BROKER = "filesystem"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["redis"]["ok"] is True
