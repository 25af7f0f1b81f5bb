from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    """The audit history review: one timeline of looks and changes (roles-privacy-audit.md)."""

    name = "audit"
    verbose_name = "Audit history"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.sources import triggers_install_after_migrate  # noqa: PLC0415 (needs the app registry)

        # Every history table, including those added by later migrations, feeds the timeline.
        post_migrate.connect(triggers_install_after_migrate, sender=self)
