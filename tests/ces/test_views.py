import pytest
from django.urls import reverse
from django.utils.html import escape

from ces import roles
from devtools.demo.network import USERS
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [row[0] for row in USERS])
def test_every_role_logs_in_and_sees_a_dashboard(client, role):
    UserFactory(username=f"demo-{role}", roles=[role])
    response = client.post(reverse("login"), {"username": f"demo-{role}", "password": DEFAULT_PASSWORD}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome" in html and escape(str(roles.ROLE_LABELS[role])) in html


def test_admin_dashboard_links_to_configuration(client):
    admin = UserFactory(roles=[roles.HMIS_ADMIN], is_staff=True)
    client.force_login(admin)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("admin:ces_closureday_changelist") in html
    assert client.get(reverse("admin:ces_closureday_changelist")).status_code == 200
    assert client.get(reverse("admin:ces_accesslog_changelist")).status_code == 200


def test_wrong_password_keeps_username_and_says_so(client):
    UserFactory(username="carla")
    response = client.post(reverse("login"), {"username": "carla", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="carla"' in html and "enter a correct username and password" in html.lower()


def test_spanish_switch_translates_the_shell(client):
    client.force_login(UserFactory(roles=[roles.CALL_AGENT]))
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Bienvenido" in html or "Bienvenida" in html


def test_sessions_expire_after_idle_time_and_browser_close(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
