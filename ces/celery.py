"""The Celery app. Configuration comes from Django settings (CELERY_*);
the beat schedule is here, in code."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ces.settings.dev")

app = Celery("ces")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SWEEP_EVERY_SECONDS = float(os.environ.get("CES_SWEEP_EVERY_SECONDS", "120"))  # "Celery beat, every few minutes" (engagement.md)

BEAT_SCHEDULE = {
    "sweep-deadlines-and-outbox": {"task": "ces.sweep", "schedule": SWEEP_EVERY_SECONDS},
    # Each shelter's list of the last 24 hours at 07:00 local; the half-hourly
    # runs after it are no-ops unless 07:00 was missed (broker down), then they catch up.
    "shelter-daily-lists": {"task": "referrals.shelter_daily_lists", "schedule": crontab(minute="0,30")},
    "bnl-position-snapshots": {"task": "bnl.positions_snapshot", "schedule": crontab(hour=1, minute=15)},
    # The chronic flag of people who reach 12 months homeless while waiting (bnl.services.bnl_chronic_sweep).
    "bnl-chronic-sweep": {"task": "bnl.chronic_sweep", "schedule": crontab(hour=0, minute=10)},
}
app.conf.beat_schedule = BEAT_SCHEDULE


@celeryd_init.connect
def _worker_children_keep_one_connection(**_kwargs) -> None:
    """A worker's children are forked: a connection pool made before the fork would be shared
    by them. Workers drop the pool and keep one persistent connection per child (with health
    checks), whatever the web's settings say (docs/operations.md, "Connection pooling")."""
    from django.conf import settings  # noqa: PLC0415 (Django is set up once the worker starts)

    for database in settings.DATABASES.values():
        if database.get("OPTIONS", {}).pop("pool", None) is not None:
            database["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
