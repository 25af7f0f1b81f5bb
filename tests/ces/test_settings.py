"""Production settings: no defaults for secrets, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ces.settings.production",
    "SECRET_KEY": "k3$Jf9!vQz@Lp0#wR7^tYb2&Xn5*Hm8(Sd4)Gc6_Ve1+Ua3=Ki9~Oq7",
    "FIELD_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1rZXktZm9yLWNoZWNrLWRlcGxveSE=",
    "ALLOWED_HOSTS": "ces.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args, env_overrides: dict, drop: tuple[str, ...] = ()):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(env_overrides)
    if "DATABASE_URL" not in drop:
        env.setdefault("DATABASE_URL", os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ces"))
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALLOWED_HOSTS", "REDIS_URL", "DATABASE_URL"])
def test_production_settings_have_no_default_for_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env_overrides=env, drop=(missing,))
    assert result.returncode != 0
    assert missing in result.stderr


def test_time_zone_and_languages():
    from django.conf import settings

    assert settings.TIME_ZONE == "America/Los_Angeles"
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es"]
