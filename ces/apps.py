from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    """The shared core: agencies, programs, clients, roles, calendar, access, audit."""

    name = "ces"
    label = "ces"
    verbose_name = "Coordinated Entry core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app's deadline kinds (ces.deadlines.deadline_kind) live in <app>/timers.py.
        autodiscover_modules("timers")
