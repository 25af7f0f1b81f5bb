"""The Celery app. Configuration comes from Django settings (CELERY_*);
the beat schedule is here, in code."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ces.settings.dev")

app = Celery("ces")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SWEEP_EVERY_SECONDS = 120.0  # "Celery beat, every few minutes" (engagement.md)

BEAT_SCHEDULE = {
    "sweep-deadlines-and-outbox": {"task": "ces.sweep", "schedule": SWEEP_EVERY_SECONDS},
}
app.conf.beat_schedule = BEAT_SCHEDULE
