"""The named system user that scheduled jobs act as (history says "ces-system")."""

from django.conf import settings

from ces.models import User


def system_user_get() -> User:
    """The system user; created (inactive, no usable password) if a flush removed it."""
    user = User.objects.filter(username=settings.CES_SYSTEM_USERNAME).first()
    if user is None:
        user = User(
            username=settings.CES_SYSTEM_USERNAME,
            is_system=True,
            is_active=False,
            first_name="CES",
            last_name="scheduled jobs",
        )
        user.set_unusable_password()
        user.save()
    return user
