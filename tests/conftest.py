"""Shared fixtures. Tests run against the real PostgreSQL (and Redis where marked).

`make test` (python -m devtools.devenv test) resolves the services first; with
CI=true a missing Redis or Chromium fails the run, otherwise tests marked
`redis` / `browser` are skipped with the reason.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _redis_available() -> bool:
    from devtools.devenv import redis_answers

    return redis_answers(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"))


# Tests that touch what the whole PostgreSQL cluster shares (roles), or start servers and time
# them: one xdist worker runs them one after another (`--dist loadgroup`).
ONE_AT_A_TIME = ("tests/faults/", "tests/ces/test_db_roles.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(part in item.nodeid for part in ONE_AT_A_TIME):
            item.add_marker(pytest.mark.xdist_group("one_at_a_time"))
    needs_redis = [item for item in items if "redis" in item.keywords]
    needs_browser = [item for item in items if "browser" in item.keywords]
    if needs_redis and not _redis_available():
        if IN_CI:
            raise pytest.UsageError("CI=true but Redis does not answer: the Redis tests cannot be skipped in CI.")
        for item in needs_redis:
            item.add_marker(pytest.mark.skip(reason="no Redis answers (start redis-server, or set REDIS_URL)"))
    if needs_browser and not Path(CHROMIUM).exists():
        if IN_CI:
            raise pytest.UsageError(f"CI=true but there is no Chromium at {CHROMIUM}.")
        for item in needs_browser:
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"))


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language, whatever the previous test on this worker activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _core_data_seed() -> None:
    import importlib

    from django.apps import apps

    from ces.roles import roles_sync
    from ces.system_user import system_user_get

    roles_sync(apps)
    system_user_get()
    # The intake's policy data (2017 poverty table, default shelters and rules) comes from a migration too.
    importlib.import_module("intake.migrations.0002_policy_data").seed(apps, None)


@pytest.fixture(scope="session")
def _core_data_after_the_last_flush(django_db_setup, django_db_blocker):
    """A database kept for the next run (--reuse-db, as `make mutate` runs each mutant)
    must not start without the core data: after a session whose transactional tests
    flushed it, put it back (before django_db_setup's own end)."""
    yield
    with django_db_blocker.unblock():
        _core_data_seed()


@pytest.fixture(autouse=True)
def _core_data_survives_flushes(request):
    """Transactional tests flush every table, migration data included; put the
    role groups, the system user and the intake's policy data back, and forget
    cached content-type ids (and again at the session's end)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("_core_data_after_the_last_flush")
        request.getfixturevalue("transactional_db")
        _core_data_seed()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
