from django.apps import AppConfig
from django.urls import register_converter
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    """The shared core: agencies, programs, clients, roles, calendar, access, audit."""

    name = "ces"
    label = "ces"
    verbose_name = "Coordinated Entry core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ces.converters import IdConverter  # noqa: PLC0415 (needs the app registry)

        # <id:pk> in every URL: 1 to 18 ASCII digits (ces.inputs.ID_PATTERN).
        register_converter(IdConverter, "id")
        # Each app's deadline kinds (ces.deadlines.deadline_kind) live in <app>/timers.py.
        autodiscover_modules("timers")
        # Each app's panels of the client page and the dashboard (ces.panels) live in <app>/panels.py.
        autodiscover_modules("panels")
