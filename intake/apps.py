from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Intake and vulnerability assessment (call agents' form, VAT scoring, duplicate check, shelter screening)."""

    name = "intake"
    default_auto_field = "django.db.models.BigAutoField"
