"""The web shell in a real Chromium (Debian's package), driven by Playwright."""

import pytest
from playwright.sync_api import expect

from ces import roles
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_call_agent_logs_in_sees_dashboard_and_switches_to_spanish(live_server, page, screenshot_dir):
    agency = AgencyFactory(name="Connecting Point", initials="CP", kind="lead")
    UserFactory(username="call_agent", first_name="Carla", agency=agency, roles=[roles.CALL_AGENT])

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill("call_agent")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_label("Password").press("Enter")  # keyboard only

    expect(page.get_by_role("heading", name="Welcome, Carla")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("heading", name="Find a person")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "dashboard-call-agent-en.png"), full_page=True)

    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Bienvenido(a), Carla")).to_be_visible()
    expect(page.get_by_role("heading", name="Buscar a una persona")).to_be_visible()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "dashboard-call-agent-es.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Welcome, Carla")).to_be_visible()


def test_skip_link_is_the_first_tab_stop_and_jumps_to_main(live_server, page):
    UserFactory(username="worker", roles=[roles.CASE_WORKER])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("worker")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Test")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
