"""A case worker reads the HMIS release in Spanish, records the consent with the ticks, prints the
client's copy and withdraws it; the other agency's worker then gets 404. Real Chromium."""

import pytest
from playwright.sync_api import Page, expect

from ces import roles
from ces.models import ConsentRecord
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_records_then_withdraws_hmis_consent(live_server, page: Page, screenshot_dir):
    agency = AgencyFactory(name="Sierra Roots", initials="SR")
    UserFactory(username="casey", first_name="Casey", agency=agency, roles=[roles.CASE_WORKER])
    UserFactory(username="otto", agency=AgencyFactory(hmis_participating=True), roles=[roles.CASE_WORKER])
    ana = ClientFactory(holding_agency=agency, first_name="Ana", last_name="Reyes", preferred_language="es")

    log_in(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{ana.pk}/")
    page.get_by_role("link", name="Consents, scripts, copies and disclosures").click()
    page.get_by_role("link", name="Español").click()
    expect(page.locator("#dv-offer")).to_contain_text("violencia doméstica")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator(".message-error").first).to_contain_text("Read the consent script to the client")
    page.get_by_label("I read the consent script to the client.").check()
    page.get_by_label("HMIS: I offered the referral to a Domestic Violence partner for anonymity.").check()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    expect(page.get_by_text("In force", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "consent-page.png"), full_page=True)
    record = ConsentRecord.objects.get(client=ana)
    assert record.script_read and record.dv_offer_read and record.script_language == "es"

    log_in(page, live_server, "otto")
    assert page.goto(f"{live_server.url}/clients/{ana.pk}/").status == 200

    log_in(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{ana.pk}/consents/")
    page.get_by_role("button", name="Withdraw this consent now").click()
    expect(page.get_by_text("Consent withdrawn.")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "consent-withdrawn.png"), full_page=True)

    log_in(page, live_server, "otto")
    assert page.goto(f"{live_server.url}/clients/{ana.pk}/").status == 404
