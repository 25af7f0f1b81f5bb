"""docker-compose cannot run on this machine, so its shape is checked here."""

from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


def test_compose_defines_the_production_services_each_with_its_own_command():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "ces.settings.production"
        for secret in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY"):
            assert env[secret].startswith("${") and ":?" in env[secret], f"{name}.{secret} must be required"
        assert services[name]["build"]["context"] == "."
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert (BASE_DIR / "Dockerfile").exists()


def test_procfile_starts_web_worker_and_beat():
    lines = dict(line.split(":", 1) for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.strip())
    assert set(lines) == {"web", "worker", "beat"}
    assert "gunicorn" in lines["web"] and "worker" in lines["worker"] and "beat" in lines["beat"]


def test_compose_migrates_as_the_owner_and_runs_everything_as_the_app_role():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://ces_app:${APP_DATABASE_PASSWORD:?")
    assert services["web"]["environment"]["MIGRATION_DATABASE_URL"].startswith("postgres://ces:")
    assert "MIGRATION_DATABASE_URL" not in services["worker"]["environment"]
    start = " ".join(services["web"]["command"])
    migrate, grant, serve = start.index("manage.py migrate"), start.index("manage.py db_roles"), start.index("exec gunicorn")
    assert migrate < grant < serve
    assert 'DATABASE_URL="$$MIGRATION_DATABASE_URL" python manage.py migrate' in start
