from ces import roles


def navigation(request) -> dict:
    """What the navigation bar needs: the user's role labels and unread notices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_roles": [roles.ROLE_LABELS[code] for code in sorted(user.roles) if code in roles.ROLE_LABELS],
        "nav_is_admin": user.is_staff and user.has_role(*roles.ADMIN_SITE_ROLES),
        # Read with the session's user (ces.accounts.AccountBackend); otherwise counted here.
        "nav_unread": unread if (unread := getattr(user, "unread_notices", None)) is not None
        else user.notifications.filter(read_at__isnull=True).count(),
    }
