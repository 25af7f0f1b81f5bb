"""A hung database against the real gunicorn, PostgreSQL and Redis (issue 17, "Faults").

The database is reached through a FaultProxy that can be made to hang (connections accepted,
nothing answered, like a stopped or overloaded server) and then come back as a restarted
server (every old connection dropped). The HTTP client's own timeout is the bound: a request
that hangs fails the test with a TimeoutError, it is not a measurement.
"""

import json
import threading

import psycopg
import pytest
from django.db import connection
from knox.models import AuthToken

from tests.factories import UserFactory
from tests.faults.proxy import FaultProxy
from tests.faults.servers import database_url, get, gunicorn

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def proxied_db():
    with FaultProxy(connection.settings_dict.get("HOST") or "127.0.0.1", int(connection.settings_dict.get("PORT") or 5432)) as proxy:
        yield proxy


def _token() -> str:
    _token_row, key = AuthToken.objects.create(user=UserFactory())
    return key


def test_a_hung_database_makes_healthz_503_in_time_static_files_still_served_and_the_app_recovers(proxied_db, redis_url):
    key = _token()
    auth = {"Authorization": f"Token {key}"}
    with gunicorn(database=database_url(connection.settings_dict, port=proxied_db.port), redis_url=redis_url) as base:
        assert get(f"{base}/healthz", timeout=3)[0] == 200
        assert get(f"{base}/api/v1/agencies/", timeout=5, headers=auth)[0] == 200  # the pool holds connections now

        proxied_db.freeze()
        status, body = get(f"{base}/healthz", timeout=3)  # a hang would raise TimeoutError
        assert status == 503
        checks = json.loads(body)["checks"]
        assert checks["database"]["ok"] is False and checks["redis"] == {"ok": True}
        for _ in range(3):  # static files never touch the database
            status, body = get(f"{base}/static/css/ces.css", timeout=3)
            assert status == 200 and body
        # A request that needs the database while it hangs is answered once the pool gives
        # up or the database comes back, never left hanging for ever.
        waiting: dict = {}
        thread = threading.Thread(target=lambda: waiting.update(result=get(f"{base}/api/v1/agencies/", timeout=20, headers=auth)))
        thread.start()

        proxied_db.thaw(drop=True)  # the database restarts: every pooled connection is now broken
        thread.join(timeout=25)
        assert waiting["result"][0] in (200, 503)
        # Recovered without restarting gunicorn: the health checks replace broken connections.
        assert get(f"{base}/healthz", timeout=3)[0] == 200
        for _ in range(6):
            assert get(f"{base}/api/v1/agencies/", timeout=5, headers=auth)[0] == 200


def test_a_statement_stuck_on_a_lock_is_cancelled_by_the_statement_timeout_and_answers_503(redis_url):
    key = _token()
    auth = {"Authorization": f"Token {key}"}
    settings_dict = connection.settings_dict
    with gunicorn(database=database_url(settings_dict), redis_url=redis_url) as base:
        assert get(f"{base}/api/v1/agencies/", timeout=5, headers=auth)[0] == 200
        with psycopg.connect(dbname=settings_dict["NAME"], host=settings_dict.get("HOST") or "127.0.0.1",
                             user=settings_dict.get("USER") or "postgres", port=settings_dict.get("PORT") or 5432) as blocker:
            blocker.execute("LOCK TABLE knox_authtoken IN ACCESS EXCLUSIVE MODE")  # every token check now waits
            status, body = get(f"{base}/api/v1/agencies/", timeout=8, headers=auth)  # statement timeout: 2 s
            assert status == 503
            assert "not answering" in json.loads(body)["errors"]["non_field_errors"][0]
            blocker.rollback()
        assert get(f"{base}/api/v1/agencies/", timeout=5, headers=auth)[0] == 200  # and the same connections work again


def test_every_connection_has_connect_and_statement_timeouts_and_health_checks():
    from django.conf import settings

    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT > 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT_MS}ms".replace("30000ms", "30s")
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] != "0"
