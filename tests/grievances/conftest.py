"""Fixtures for the complaint and grievance tests: the two roles that work them, an API client."""

import importlib

import pytest
from rest_framework.test import APIClient

from ces import roles
from tests.factories import AgencyFactory, UserFactory


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def hrcs():
    return AgencyFactory(name="Homeless Resource Council of the Sierras (test)", initials="HRT", kind="coc")


@pytest.fixture
def committee(hrcs):
    return UserFactory(username="morgan", first_name="Morgan", last_name="Reyes", agency=hrcs, roles=[roles.COMMITTEE])


@pytest.fixture
def coc_staff(hrcs):
    return UserFactory(username="corey", first_name="Corey", last_name="Lane", agency=hrcs, roles=[roles.COC_STAFF])


@pytest.fixture
def outside_agencies(django_db_blocker):
    """The default outside agencies (a migration ships them; transactional tests flush them)."""
    from django.apps import apps

    importlib.import_module("grievances.migrations.0002_outside_agencies_and_roles").outside_agencies_seed(apps, None)
