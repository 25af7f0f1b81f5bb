"""Who the signed-in user is and what they may do, read in as few statements as a request allows.

Django's ModelBackend reads a session's user (one statement), then on the first permission check
the user's own and their groups' permissions (two), and `User.roles` reads the group names (one
more); the agency most screens show is another, and the navigation's count of unread notices
another. AccountBackend reads a session's user with their agency, roles, permissions and unread
notices in one statement (authorization_load does the same in one for a
user read otherwise, e.g. by an API token), with ModelBackend's answers: an active user's own and
groups' permissions (every permission for a superuser), none for an inactive one, read once a request.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from ces.models import Notification, User


def _permission_names(**where):
    return Permission.objects.filter(**where).order_by().values(
        qualified=Concat("content_type__app_label", Value("."), "codename", output_field=CharField()))


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("agency")
            .annotate(
                role_names=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).order_by().values("name")),
                own_permission_names=ArraySubquery(_permission_names(user=OuterRef("pk"))),
                group_permission_names=ArraySubquery(_permission_names(group__user=OuterRef("pk"))),
                # The navigation's badge (ces.context_processors.navigation), as the request began.
                unread_notices=Coalesce(Subquery(
                    Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True).order_by()
                    .values("recipient").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        user.__dict__["roles"] = frozenset(user.role_names)
        if not user.is_superuser:
            user._perm_cache = {*user.own_permission_names, *user.group_permission_names}
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                user_obj._perm_cache = super().get_all_permissions(user_obj)
            else:
                user_obj._perm_cache = authorization_load(user_obj)
        return user_obj._perm_cache


def authorization_load(user: User) -> set[str]:
    """The user's permissions ("app_label.codename"), from their groups and their own, in one
    statement; the same statement gives their roles (group names), kept as `user.roles` unless
    the request read those already."""
    by_groups = Group.objects.filter(user=user).values_list(
        "name", "permissions__content_type__app_label", "permissions__codename")
    own = Permission.objects.filter(user=user).values_list(
        Value(None, output_field=CharField()), "content_type__app_label", "codename")
    roles, permissions = set(), set()
    for role, app_label, codename in by_groups.union(own, all=True):
        if role is not None:
            roles.add(role)
        if codename is not None:
            permissions.add(f"{app_label}.{codename}")
    user.__dict__.setdefault("roles", frozenset(roles))
    return permissions
