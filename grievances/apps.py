from django.apps import AppConfig


class GrievancesConfig(AppConfig):
    """Grievances, Title VI complaints and appeals."""

    name = "grievances"
    default_auto_field = "django.db.models.BigAutoField"
