from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Vacancies, pulls and referrals (housing and emergency shelter)."""

    name = "referrals"
    default_auto_field = "django.db.models.BigAutoField"
