from django.apps import AppConfig


class EngagementConfig(AppConfig):
    """Engagement (contact attempts, assertive and 30/60 policies, letters, file closure)."""

    name = "engagement"
    default_auto_field = "django.db.models.BigAutoField"
