"""Real processes for the fault tests: gunicorn serving the app on the test database
(through a FaultProxy when asked), started and always stopped by the fixture."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict, *, port: int | None = None) -> str:
    host = settings_dict.get("HOST") or "127.0.0.1"
    user = settings_dict.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port or settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


def get(url: str, *, timeout: float, headers: dict | None = None) -> tuple[int, bytes]:
    """GET that gives up after `timeout` seconds (raises TimeoutError) instead of hanging."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def gunicorn(*, database: str, redis_url: str, threads: int = 4, extra_env: dict | None = None):
    """Serve the app with gunicorn on a free port; yields its base URL. Always stopped."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DJANGO_SETTINGS_MODULE": "ces.settings.test",
        "DATABASE_URL": database,
        "DATABASE_POOL": "true",
        "DATABASE_POOL_MAX_SIZE": str(threads),
        "DATABASE_CONNECT_TIMEOUT": "2",
        "DATABASE_STATEMENT_TIMEOUT_MS": "2000",
        "DATABASE_POOL_TIMEOUT": "3",
        "REDIS_URL": redis_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": str(threads),
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited: " + process.stderr.read().decode()[-3000:])
            try:
                get(f"{base}/static/css/ces.css", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        process.stderr.close()
