from functools import cache

from ces import roles


def _unread(user) -> int:
    # Read with the session's user (ces.accounts.AccountBackend); otherwise counted here.
    unread = getattr(user, "unread_notices", None)
    return unread if unread is not None else user.notifications.filter(read_at__isnull=True).count()


def navigation(request) -> dict:
    """What the navigation bar needs: the user's role labels and unread notices.

    Each is read when a template first shows it, once per request: a partial (an HTMX answer,
    several render_to_string calls of one request) that shows no navigation reads nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_navigation"):
        request._navigation = {
            "nav_roles": cache(lambda: [roles.ROLE_LABELS[code] for code in sorted(user.roles) if code in roles.ROLE_LABELS]),
            "nav_is_admin": cache(lambda: user.is_staff and user.has_role(*roles.ADMIN_SITE_ROLES)),
            "nav_unread": cache(lambda: _unread(user)),
        }
    return request._navigation
