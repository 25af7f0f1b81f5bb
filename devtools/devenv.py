"""The README's two commands: `python -m devtools.devenv run` and `python -m devtools.devenv test`.

Finds the services the way a newcomer's machine has them:

Database: DATABASE_URL if set; else a PostgreSQL on 127.0.0.1:5432 if one
answers (the `ces` database is created if missing); else an embedded
cluster under var/postgres started from the installed PostgreSQL binaries
(initdb/pg_ctl, run as the `postgres` user when we are root) on a unix
socket. No PostgreSQL binaries at all: stop and name the package.
`run` migrates as that (owner) role, then runs `db_roles` and starts the
processes as the app's role `ces_app` (MIGRATION_DATABASE_URL + DATABASE_URL
name the two explicitly); tests run as the owner.

Broker: REDIS_URL if set; else Redis on 127.0.0.1:6379 if it answers; else
(run only) Celery's filesystem transport under var/ (one machine only).
For tests, with CI=true a missing Redis or Chromium fails the run; outside
CI the tests that need them are skipped with a reason.

Only the standard library and psycopg/redis (installed by `make`) are used.
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import redis

from devtools.demo.network import DEFAULT_PASSWORD, USERS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CES_VAR_DIR", BASE_DIR / "var"))
DB_NAME = "ces"
TCP_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
TCP_REDIS_URL = "redis://127.0.0.1:6379/0"
TEST_REDIS_URL = "redis://127.0.0.1:6379/1"
# The role the app runs as (ces/management/commands/db_roles.py). A fixed password is fine on a
# developer's machine; docker-compose and production take it from the environment.
APP_ROLE = "ces_app"
DEV_APP_PASSWORD = "ces-app-dev-only"
CHROMIUM = "/usr/bin/chromium"
NO_POSTGRES = (
    "No PostgreSQL found: nothing answers on 127.0.0.1:5432, DATABASE_URL is not set, and no "
    "PostgreSQL server binaries are installed. Install them (Debian/Ubuntu: "
    "`sudo apt-get install postgresql`) or set DATABASE_URL, then run this again."
)


def say(message: str) -> None:
    print(f"[ces] {message}", flush=True)


# --- PostgreSQL ---------------------------------------------------------


def _connect(conninfo: str, dbname: str = "postgres"):
    return psycopg.connect(conninfo, dbname=dbname, connect_timeout=3, autocommit=True)


def _ensure_database(conninfo: str) -> None:
    with _connect(conninfo) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            say(f"created database {DB_NAME}")


def _tcp_postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            pass
        _ensure_database("host=127.0.0.1 port=5432 user=postgres")
        return True
    except Exception as exc:  # refused, or answers but not to us
        say(f"no usable PostgreSQL on 127.0.0.1:5432 ({exc.__class__.__name__})")
        return False


def _postgres_bindir() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def _as_postgres(args: list[str]) -> list[str]:
    """Run a server binary as `postgres` when we are root (initdb/pg_ctl refuse root)."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


def _embedded_database() -> str:
    bindir = _postgres_bindir()
    if bindir is None:
        raise SystemExit(NO_POSTGRES)
    root = VAR_DIR / "postgres"
    data, run_dir = root / "data", root / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise SystemExit("Running as root needs a `postgres` system user to own the embedded cluster.") from None
        shutil.chown(root, "postgres")
        shutil.chown(run_dir, "postgres")
    if not (data / "PG_VERSION").exists():
        say(f"creating an embedded PostgreSQL cluster in {data}")
        subprocess.run(
            _as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    status = subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "status"]), capture_output=True)
    if status.returncode != 0:
        say("starting the embedded PostgreSQL (unix socket only)")
        options = f"-c listen_addresses='' -c unix_socket_directories='{run_dir}'"
        subprocess.run(
            _as_postgres(
                [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options, "-w", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    _ensure_database(f"host={run_dir} user=postgres")
    return f"postgresql://postgres@/{DB_NAME}?host={run_dir}"


def resolve_database() -> str:
    if url := os.environ.get("DATABASE_URL"):
        say("database: DATABASE_URL")
        return url
    if os.environ.get("CES_EMBEDDED_DB") != "1" and _tcp_postgres_answers():
        say("database: PostgreSQL on 127.0.0.1:5432")
        return TCP_DATABASE_URL
    url = _embedded_database()
    say(f"database: embedded cluster under {VAR_DIR / 'postgres'}")
    return url


def as_role(url: str, user: str, password: str) -> str:
    """`url` with another user and password (the same server, database and options)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user)}:{quote(password, safe='')}@{host}"))


# --- Redis --------------------------------------------------------------


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except Exception:
        return False


# --- commands -----------------------------------------------------------


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["CES_VAR_DIR"] = str(VAR_DIR)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, check=True, cwd=BASE_DIR)


def run() -> None:
    env = _base_env()
    env.setdefault("DJANGO_SETTINGS_MODULE", "ces.settings.dev")
    # Migrations run as the owner; everything else as the app's role, which may not alter or
    # erase audit rows (docs/operations.md). With MIGRATION_DATABASE_URL set, that is the owner
    # and DATABASE_URL the app (as in docker-compose); otherwise the database found is the
    # owner's and the app logs in to it as ces_app.
    if migration_url := env.get("MIGRATION_DATABASE_URL"):
        owner_url, app_url = migration_url, env.get("DATABASE_URL") or as_role(migration_url, APP_ROLE, DEV_APP_PASSWORD)
    else:
        owner_url = resolve_database()
        app_url = as_role(owner_url, APP_ROLE, DEV_APP_PASSWORD)
    if os.environ.get("REDIS_URL"):
        say("broker: REDIS_URL")
    elif os.environ.get("CES_BROKER") != "filesystem" and redis_answers(TCP_REDIS_URL):
        env["REDIS_URL"] = TCP_REDIS_URL
        say("broker: Redis on 127.0.0.1:6379")
    else:
        env["CES_BROKER"] = "filesystem"
        for folder in ("broker", "processed"):
            (VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
        say("broker: no Redis answers; Celery uses the filesystem transport under var/celery (one machine only)")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Migrations may run longer than a request's statement timeout (docs/operations.md).
    owner_env = {**env, "DATABASE_URL": owner_url, "APP_DATABASE_URL": app_url, "DATABASE_STATEMENT_TIMEOUT_MS": "0"}
    _manage(owner_env, "migrate", "--no-input")
    _manage(owner_env, "db_roles")
    say(f"database roles: migrations as the owner, the app as {urlsplit(app_url).username}")
    env["DATABASE_URL"] = app_url
    _manage(env, "seed_demo", *(["--password", env["CES_DEMO_PASSWORD"]] if env.get("CES_DEMO_PASSWORD") else []))
    port = env.setdefault("CES_PORT", "8000")
    say("")
    say(f"The Coordinated Entry System is starting at http://127.0.0.1:{port}/")
    say(f"Demo logins: {', '.join(user[0] for user in USERS)}")
    say(f"Password: {env.get('CES_DEMO_PASSWORD', DEFAULT_PASSWORD)}")
    say("Stop with Ctrl-C.")
    say("")
    honcho = str(Path(sys.executable).parent / "honcho")
    os.execvpe(honcho, [honcho, "start", "-f", str(BASE_DIR / "Procfile"), "-d", str(BASE_DIR)], env)


def test(pytest_args: list[str]) -> None:
    env = _base_env()
    env["DJANGO_SETTINGS_MODULE"] = "ces.settings.test"
    in_ci = env.get("CI", "").lower() == "true"
    env["DATABASE_URL"] = resolve_database()
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = TEST_REDIS_URL
    redis_ok = redis_answers(env["REDIS_URL"])
    chromium_ok = Path(env.get("CES_CHROMIUM", CHROMIUM)).exists()
    if in_ci and not redis_ok:
        raise SystemExit(f"CI=true and Redis does not answer at {env['REDIS_URL']}: failing the run.")
    if in_ci and not chromium_ok:
        raise SystemExit(f"CI=true and no Chromium at {CHROMIUM}: failing the run (apt-get install chromium).")
    env["CES_REDIS_AVAILABLE"] = "1" if redis_ok else "0"
    env["CES_CHROMIUM_AVAILABLE"] = "1" if chromium_ok else "0"
    env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # pytest-playwright runs an event loop beside live_server
    say(f"redis: {'ok' if redis_ok else 'unreachable: tests that need it are skipped'}")
    say(f"chromium: {'ok' if chromium_ok else 'missing: browser tests are skipped'}")
    result = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], env=env, cwd=BASE_DIR)
    raise SystemExit(result.returncode)


def bench(args: list[str]) -> None:
    """Benchmarks on their own database (ces_bench), never the demo or test data."""
    env = _base_env()
    env["DJANGO_SETTINGS_MODULE"] = "ces.settings.test"
    url = resolve_database()
    base, _sep, query = url.partition("?")
    # `ces` → `ces_bench`; a DATABASE_URL naming `ces_x` → `ces_x_bench` (one per checkout).
    name = base.rsplit("/", 1)[1] or DB_NAME
    bench_name = name if name.endswith("bench") else f"{name}_bench"
    bench_url = base.rsplit("/", 1)[0] + f"/{bench_name}" + (f"?{query}" if query else "")
    conninfo = "host=127.0.0.1 port=5432 user=postgres" if "127.0.0.1" in url else f"host={query.partition('=')[2]} user=postgres"
    with _connect(conninfo) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name]).fetchone():
            conn.execute(f'CREATE DATABASE "{bench_name}"')
    env["DATABASE_URL"] = bench_url
    # Bulk loads, index builds and whole-table measurements: no statement timeout.
    env["DATABASE_STATEMENT_TIMEOUT_MS"] = "0"
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = TEST_REDIS_URL
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "bench", *args)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"run", "test", "bench", "database-url"}:
        raise SystemExit("usage: python -m devtools.devenv run | test [pytest args] | bench [args] | database-url")
    if argv[0] == "run":
        run()
    elif argv[0] == "test":
        test(argv[1:])
    elif argv[0] == "bench":
        bench(argv[1:])
    else:
        print(resolve_database())


if __name__ == "__main__":
    main(sys.argv[1:])
