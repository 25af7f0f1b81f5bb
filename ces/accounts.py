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
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db.models import CharField, IntegerField, Value
from django.db.models.expressions import RawSQL

from ces.models import Notification, User


def _tables() -> dict[str, str]:
    groups = User._meta.get_field("groups").remote_field.through._meta.db_table
    own = User._meta.get_field("user_permissions").remote_field.through._meta.db_table
    return {"user": User._meta.db_table, "group": Group._meta.db_table, "user_groups": groups, "user_permissions": own,
            "permission": Permission._meta.db_table, "group_permissions": Group.permissions.through._meta.db_table,
            "content_type": ContentType._meta.db_table, "notification": Notification._meta.db_table}


# The same rules as ModelBackend's and User.roles' queries, as correlated subqueries of the user's row.
# Written as SQL once: the ORM's expressions for them cost more to build, each request, than to run.
_T = _tables()
_ROLES = RawSQL(
    f'ARRAY(SELECT g.name FROM {_T["group"]} g JOIN {_T["user_groups"]} ug ON ug.group_id = g.id '
    f'WHERE ug.user_id = {_T["user"]}.id)', [], output_field=ArrayField(CharField()))
_PERMISSIONS = RawSQL(
    f"ARRAY(SELECT ct.app_label || '.' || p.codename FROM {_T['permission']} p "
    f"JOIN {_T['content_type']} ct ON ct.id = p.content_type_id WHERE p.id IN ("
    f"SELECT up.permission_id FROM {_T['user_permissions']} up WHERE up.user_id = {_T['user']}.id UNION "
    f"SELECT gp.permission_id FROM {_T['group_permissions']} gp JOIN {_T['user_groups']} ug ON ug.group_id = gp.group_id "
    f"WHERE ug.user_id = {_T['user']}.id))", [], output_field=ArrayField(CharField()))
# The navigation's badge (ces.context_processors.navigation), as the request began.
_UNREAD = RawSQL(
    f'(SELECT count(*) FROM {_T["notification"]} n WHERE n.recipient_id = {_T["user"]}.id AND n.read_at IS NULL)', [],
    output_field=IntegerField())


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("agency")
            .annotate(role_names=_ROLES, permission_names=_PERMISSIONS, unread_notices=_UNREAD)
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        user.__dict__["roles"] = frozenset(user.role_names)
        if not user.is_superuser:
            user._perm_cache = set(user.permission_names)
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
