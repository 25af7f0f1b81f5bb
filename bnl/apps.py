from django.apps import AppConfig


class BnlConfig(AppConfig):
    """By-Name List (prioritised list, eligibility, privacy, DV parallel list)."""

    name = "bnl"
    default_auto_field = "django.db.models.BigAutoField"
