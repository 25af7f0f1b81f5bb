"""API tokens (issue 9, item 4): django-rest-knox — stored hashed, the key shown once, an expiry,
revoked when the password changes; a bad token is 401 with WWW-Authenticate."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from ces import roles
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-2026"


@pytest.fixture
def pat():
    return UserFactory(username="pat", roles=[roles.PROGRAM_STAFF])


def _token(username="pat", password=DEFAULT_PASSWORD) -> dict:
    response = APIClient().post(reverse("api-token"), {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _agencies_with(key: str):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(reverse("api-agency-list"))


def test_token_is_stored_only_as_a_hash_and_shown_once(pat):
    key = _token()["token"]
    assert _agencies_with(key).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{AuthToken._meta.db_table}"')  # table name from the ORM
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert key not in stored
    second = _token()["token"]
    assert second != key and _agencies_with(key).status_code == _agencies_with(second).status_code == 200


def test_token_expires_after_the_configured_days(pat, settings):
    assert settings.REST_KNOX["TOKEN_TTL"] == timedelta(days=30)
    answer = _token()
    expiry = timezone.datetime.fromisoformat(answer["expiry"])
    assert timedelta(days=29, hours=23) < expiry - timezone.now() <= timedelta(days=30)
    with time_machine.travel(timezone.now() + timedelta(days=29), tick=False):
        assert _agencies_with(answer["token"]).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        expired = _agencies_with(answer["token"])
        assert expired.status_code == 401
    assert not AuthToken.objects.filter(user=pat).exists()


def test_a_bad_token_is_401_with_www_authenticate_in_the_error_shape():
    for header in ("Token not-a-real-token", "Token ", "Token a b"):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get(reverse("api-agency-list"))
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == "Token"
        assert set(response.json()["errors"]) == {"non_field_errors"}
    anonymous = APIClient().get(reverse("api-agency-list"))
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"


def test_changing_the_password_in_the_admin_revokes_every_token(client, pat):
    keys = [_token()["token"], _token()["token"]]
    admin = UserFactory(agency=AgencyFactory(initials="ADM"), roles=[roles.HMIS_ADMIN], is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[pat.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content
    pat.refresh_from_db()
    assert pat.check_password(NEW_PASSWORD)
    for key in keys:
        assert _agencies_with(key).status_code == 401
    assert not AuthToken.objects.filter(user=pat).exists()
    assert _agencies_with(_token(password=NEW_PASSWORD)["token"]).status_code == 200


def test_a_password_set_any_other_way_ends_older_tokens_too(pat):
    old = _token()["token"]
    pat.set_password(NEW_PASSWORD)  # as `manage.py changepassword` or a reset does
    pat.save()
    assert _agencies_with(old).status_code == 401
    assert _agencies_with(_token(password=NEW_PASSWORD)["token"]).status_code == 200


def test_a_deactivated_person_cannot_use_a_token(pat):
    key = _token()["token"]
    pat.is_active = False
    pat.save()
    assert _agencies_with(key).status_code == 401


def test_token_request_with_wrong_types_is_400_keyed_by_field():
    response = APIClient().post(reverse("api-token"), {"username": ["pat"], "password": {"x": 1}}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}
    assert not AuthToken.objects.exists()
