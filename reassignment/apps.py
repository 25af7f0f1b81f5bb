from django.apps import AppConfig


class ReassignmentConfig(AppConfig):
    """Reassignment of clients between workers (standard and worker-safety tracks)."""

    name = "reassignment"
    default_auto_field = "django.db.models.BigAutoField"
