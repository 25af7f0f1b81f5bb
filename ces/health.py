"""GET /healthz: is the database answering, is the broker answering. JSON, 200 or 503.

It answers within HEALTH_BUDGET_SECONDS whatever the services do: both checks run at once,
each on its own fresh connection with a short connect timeout (the database's also with a
short statement timeout), so a hung database or Redis makes it 503, never a hung probe.
The database check never takes a connection from the pool, so an exhausted or stuck pool
cannot hide a healthy server and a healthy pool cannot hide a server that no longer answers.
"""

from concurrent.futures import ThreadPoolExecutor, wait

import psycopg
import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEALTH_BUDGET_SECONDS = 2.5
DATABASE_CONNECT_TIMEOUT = 2  # libpq's smallest useful value
DATABASE_STATEMENT_TIMEOUT_MS = 1500
REDIS_TIMEOUT = 1.0
_checks = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def _check_database() -> dict:
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    params["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    params["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
    try:
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute("SELECT 1").fetchone()
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def _check_redis() -> dict:
    if settings.CES_BROKER == "filesystem":
        return {"ok": True, "detail": "not used: Celery runs on the filesystem transport"}
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def health_checks() -> dict:
    """Both checks at once; one that has not answered within the budget is failing ("Timeout")."""
    futures = {"database": _checks.submit(_check_database), "redis": _checks.submit(_check_redis)}
    wait(futures.values(), timeout=HEALTH_BUDGET_SECONDS)
    return {name: future.result() if future.done() else {"ok": False, "error": "Timeout"} for name, future in futures.items()}


@never_cache
@require_GET
def healthz(request):
    checks = health_checks()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503)
