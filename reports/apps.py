from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Evaluation reports, the policy what-if and the HUD HMIS CSV export."""

    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"
