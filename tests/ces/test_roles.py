import pytest
from django.contrib.auth.models import Group

from ces import roles

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_with_exactly_its_permissions_after_migrate():
    for role, expected in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(expected), role


def test_the_roles_of_the_spec_are_all_defined():
    assert set(roles.ROLE_PERMISSIONS) == {
        "call_agent",
        "case_worker",
        "supervisor",
        "coc_staff",
        "program_staff",
        "vsp_advocate",
        "nonhmis_list_holder",
        "committee",
        "hmis_admin",
    }


def test_roles_sync_is_idempotent_and_repairs_drift():
    from django.apps import apps

    group = Group.objects.get(name=roles.CASE_WORKER)
    group.permissions.clear()
    roles.roles_sync(apps)
    roles.roles_sync(apps)
    assert group.permissions.count() == len(roles.ROLE_PERMISSIONS[roles.CASE_WORKER])


def test_only_supervisors_coc_staff_and_admins_may_reveal_ssns():
    holders = {
        role for role, perms in roles.ROLE_PERMISSIONS.items() if "ces.reveal_client_ssn" in perms
    }
    assert holders == {roles.SUPERVISOR, roles.COC_STAFF, roles.HMIS_ADMIN}


def test_system_user_exists_and_cannot_log_in(django_user_model):
    system = django_user_model.objects.get(username="ces-system")
    assert system.is_system and not system.is_active and not system.has_usable_password()
