"""HTTP load at a constant request rate against a real gunicorn on 127.0.0.1 (issue 17).

A small open-loop generator (the wrk2 way): request i is due at start + i / rate whatever
happened before, several client threads with keep-alive connections send them, and each
latency is measured from the moment the request was due, so a slow server is not hidden by
the client waiting for it (no coordinated omission). Gunicorn serves the bench database with
the production shape: DATABASE_POOL=true, GUNICORN_WORKERS × GUNICORN_THREADS.
"""

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client as PageClient
from knox.models import AuthToken

from ces.models import Program, User
from devtools.demo.synthetic import synthetic_answers

BASE_DIR = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(*, workers: int = 2, threads: int = 4):
    port = _free_port()
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "DATABASE_POOL": "true", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
           "GUNICORN_THREADS": str(threads)}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
                               cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000, 1)


def constant_rate(port: int, *, rate: float, seconds: float, request, clients: int = 16) -> dict:
    """Send `rate` requests a second for `seconds`; `request(i)` gives (method, path, body, headers)."""
    total = int(rate * seconds)
    start = time.monotonic() + 0.5
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors: list[int] = []  # HTTP status of each failure (0: no answer)

    def client_thread():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= total:
                break
            due = start + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            method, path, body, headers = request(i)
            status = 0
            for _attempt in range(2):  # a keep-alive connection the server closed while idle: open a new one, once
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            finished = time.monotonic()
            with lock:
                if 0 < status < 400:
                    latencies.append(finished - due)
                else:
                    errors.append(status)
        conn.close()

    threads = [threading.Thread(target=client_thread) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return {"rate": rate, "seconds": seconds, "requests": total, "errors": len(errors),
            "error_statuses": {str(code): errors.count(code) for code in sorted(set(errors))},
            "throughput": round(len(latencies) / elapsed, 1), "p50_ms": _pct(latencies, 0.5) if latencies else None,
            "p95_ms": _pct(latencies, 0.95) if latencies else None, "p99_ms": _pct(latencies, 0.99) if latencies else None,
            "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else None}


def bench_http(*, list_rate: float = 4, intake_rate: float = 2, seconds: float = 20) -> dict:
    coc = User.objects.get(username="coc_staff")
    agent = User.objects.get(username="call_agent")
    program = Program.objects.get(name="Placer Rapid Re-Housing")
    page = PageClient()
    page.force_login(coc)
    cookie = f"{settings.SESSION_COOKIE_NAME}={page.cookies[settings.SESSION_COOKIE_NAME].value}"
    _row, key = AuthToken.objects.create(user=agent)

    def list_page(_i):
        return "GET", f"/bnl/?program={program.pk}", None, {"Cookie": cookie}

    def intake(i):
        answers = synthetic_answers(20_000_000 + i)
        answers.pop("ssn", None)
        answers["ssn_data_quality"] = "refused"
        body = json.dumps({"client_id": None, "answers": answers})
        return "POST", "/api/v1/intakes/", body, {"Authorization": f"Token {key}", "Content-Type": "application/json"}

    with gunicorn() as port:
        constant_rate(port, rate=5, seconds=2, request=list_page, clients=4)  # warm every worker
        return {"list_page": constant_rate(port, rate=list_rate, seconds=seconds, request=list_page),
                "intake_api": constant_rate(port, rate=intake_rate, seconds=seconds, request=intake)}
