from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """Consent with a life (scope, expiry, withdrawal), the consent scripts, the client's copy,
    and the log of disclosures made without consent."""

    name = "consent"
    default_auto_field = "django.db.models.BigAutoField"
