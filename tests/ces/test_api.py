import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from ces.lockout import LOCKED_OUT
from ces.models import Program
from ces.services import BAD_CREDENTIALS
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_token_for_good_credentials_then_token_authenticates(api):
    user = UserFactory(username="pat", roles=[roles.PROGRAM_STAFF])
    response = api.post(reverse("api-token"), {"username": "pat", "password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api-agency-list")).status_code == 200
    (stored,) = user.auth_token_set.all()
    assert token.startswith(stored.token_key) and token not in stored.digest  # only a hash is kept


def test_bad_credentials_answer_400_in_the_error_shape(api):
    UserFactory(username="pat")
    response = api.post(reverse("api-token"), {"username": "pat", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"non_field_errors": [str(BAD_CREDENTIALS)]}}


def test_missing_fields_are_keyed_by_field(api):
    response = api.post(reverse("api-token"), {"username": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


def test_repeated_failures_lock_the_token_endpoint_like_the_login_page(api, settings, client):
    UserFactory(username="pat")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(reverse("api-token"), {"username": "pat", "password": "wrong"}, format="json")
    locked = api.post(reverse("api-token"), {"username": "pat", "password": DEFAULT_PASSWORD}, format="json")
    assert locked.status_code == 429
    assert locked.json() == {"errors": {"non_field_errors": [LOCKED_OUT]}}
    page = client.post(reverse("login"), {"username": "pat", "password": DEFAULT_PASSWORD})
    assert page.status_code in (403, 429)


def test_programs_list_has_the_spec_shape(api):
    program = ProgramFactory(type="psh", counties=["nevada"], requires_chronic=True)
    api.force_authenticate(UserFactory(roles=[roles.PROGRAM_STAFF]))
    body = api.get(reverse("api-program-list")).json()
    assert isinstance(body, list)
    (row,) = [r for r in body if r["id"] == program.pk]
    assert {"id", "name", "type", "agency_id", "counties", "criteria"} <= set(row)
    assert row["agency_id"] == program.agency_id and row["counties"] == ["nevada"]
    assert row["criteria"]["requires_chronic"] is True
    assert set(row["criteria"]) == set(Program.CRITERIA_FIELDS)


def test_agencies_list(api):
    agency = AgencyFactory(initials="ZZA", name="Zed Agency")
    api.force_authenticate(UserFactory(roles=[roles.CALL_AGENT]))
    body = api.get(reverse("api-agency-list")).json()
    assert {"id": agency.pk, "name": "Zed Agency", "initials": "ZZA"}.items() <= next(
        a for a in body if a["id"] == agency.pk
    ).items()


def test_admin_creates_and_edits_a_program_with_history(api):
    agency = AgencyFactory()
    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    api.force_authenticate(admin)
    created = api.post(
        reverse("api-program-list"),
        {"name": "New RRH", "type": "rrh", "agency_id": agency.pk, "counties": ["placer"],
         "criteria": {"requires_veteran": True}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    program = Program.objects.get(pk=created.json()["id"])
    assert program.requires_veteran
    patched = api.patch(
        reverse("api-program-detail", args=[program.pk]), {"criteria": {"max_household_size": 4}}, format="json"
    )
    assert patched.status_code == 200
    program.refresh_from_db()
    assert program.max_household_size == 4 and program.requires_veteran
    assert program.history.count() == 2 and program.history.first().history_user == admin


def test_invalid_program_is_400_keyed_by_field_and_saves_nothing(api):
    vsp = AgencyFactory(vsp=True)
    api.force_authenticate(UserFactory(roles=[roles.HMIS_ADMIN]))
    response = api.post(
        reverse("api-program-list"),
        {"name": "DV TH", "type": "th", "agency_id": vsp.pk, "counties": ["mars"],
         "criteria": {"min_household_size": 5, "max_household_size": 2}},
        format="json",
    )
    assert response.status_code == 400
    assert "counties" in response.json()["errors"]
    response = api.post(
        reverse("api-program-list"),
        {"name": "DV TH", "type": "th", "agency_id": vsp.pk, "counties": ["placer"], "criteria": {}},
        format="json",
    )
    assert response.status_code == 400
    assert "requires_dv" in response.json()["errors"]
    assert not Program.objects.filter(name="DV TH").exists()


def test_non_admin_cannot_create_programs(api):
    api.force_authenticate(UserFactory(roles=[roles.COC_STAFF]))
    response = api.post(reverse("api-program-list"), {"name": "x"}, format="json")
    assert response.status_code == 403


def test_api_root_schema_and_docs_are_served(client):
    client.force_login(UserFactory(roles=[roles.CALL_AGENT]))
    root = client.get(reverse("api-root"))
    assert root.status_code == 200 and "programs" in root.json()
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/v1/programs/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()
