"""The named system user that scheduled jobs act as (history says "ces-system")."""

from django.conf import settings

from ces.models import User


def system_user_get() -> User:
    user, _created = User.objects.get_or_create(
        username=settings.CES_SYSTEM_USERNAME,
        defaults={"is_system": True, "is_active": False, "first_name": "CES", "last_name": "scheduled jobs"},
    )
    return user
