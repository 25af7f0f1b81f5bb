"""A case worker logs an attempt and sees the next due step; a supervisor signs a Step 1 form. Real Chromium."""

import pytest
from playwright.sync_api import Page, expect

from ces import roles
from engagement.models import EngagementCase
from engagement.services import attempt_record, engagement_open
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, ClientFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_logs_an_attempt_and_a_supervisor_signs_step_1(live_server, page: Page, screenshot_dir):
    agency = AgencyFactory(name="Community Options Supported Employment", initials="COSE")
    worker = UserFactory(username="casey", first_name="Casey", agency=agency, roles=[roles.CASE_WORKER])
    UserFactory(username="dora", first_name="Dora", agency=agency, roles=[roles.SUPERVISOR])
    assertive = ProgramFactory(agency=agency, name="Housing Navigation", type="services", engagement_policy="assertive")
    thirty_sixty = ProgramFactory(agency=agency, name="Supported Employment", type="services", engagement_policy="disengagement_30_60")
    ana = ClientFactory(holding_agency=agency, first_name="Ana", last_name="Reyes", voicemail_consent="yes")
    luis = ClientFactory(holding_agency=agency, first_name="Luis", last_name="Mora")
    engagement_open(client=ana, program=assertive, worker=worker, actor=worker)
    quiet = engagement_open(client=luis, program=thirty_sixty, worker=worker, actor=worker)
    attempt_record(case=quiet, channel="phone", outcome="no_answer", actor=worker)
    attempt_record(case=quiet, channel="email", outcome="message_sent", actor=worker)
    EngagementCase.objects.filter(pk=quiet.pk).update(status="due_for_engagement")

    log_in(page, live_server, "casey")
    page.get_by_role("link", name="Outreach", exact=True).click()
    expect(page.get_by_role("heading", name="Who to contact")).to_be_visible()
    page.get_by_role("link", name=ana.label).click()
    expect(page.locator(".next-step")).to_contain_text("First round")
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("Outcome").select_option("left_voicemail")
    page.get_by_label("Note").fill("Left a message on the main number.")
    page.get_by_role("button", name="Record attempt").click()
    page.get_by_label("Channel").select_option("text")
    page.get_by_label("Outcome").select_option("message_sent")
    page.get_by_role("button", name="Record attempt").click()
    expect(page.locator(".next-step")).to_contain_text("Second round")
    page.screenshot(path=str(screenshot_dir / "engagement-next-step.png"), full_page=True)

    page.goto(f"{live_server.url}/engagement/{quiet.pk}/")
    page.get_by_label("Comments: the efforts made, by which methods").fill("Phone and email this month, no reply.")
    page.get_by_label("Reason").select_option("unable_to_engage")
    page.get_by_role("button", name="File and sign as the worker").click()
    expect(page.get_by_text("It takes effect when the second person signs.")).to_be_visible()

    log_in(page, live_server, "dora")
    page.goto(f"{live_server.url}/engagement/{quiet.pk}/")
    page.get_by_role("button", name="Sign as Director of Services").click()
    expect(page.get_by_text("Engagement status", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "engagement-step1-signed.png"), full_page=True)
    assert EngagementCase.objects.get(pk=quiet.pk).status == "engagement"


def test_worker_records_a_service_and_marks_an_engaged_client_as_lost_contact(live_server, page: Page, screenshot_dir):
    agency = AgencyFactory(name="Community Options Supported Employment", initials="COSE")
    worker = UserFactory(username="casey", first_name="Casey", agency=agency, roles=[roles.CASE_WORKER])
    assertive = ProgramFactory(agency=agency, name="Housing Navigation", type="services", engagement_policy="assertive")
    thirty_sixty = ProgramFactory(agency=agency, name="Supported Employment", type="services", engagement_policy="disengagement_30_60")
    ana = ClientFactory(holding_agency=agency, first_name="Ana", last_name="Reyes", voicemail_consent="yes")
    luis = ClientFactory(holding_agency=agency, first_name="Luis", last_name="Mora")
    engaged = engagement_open(client=ana, program=assertive, worker=worker, actor=worker)
    attempt_record(case=engaged, channel="phone", outcome="reached", actor=worker)
    quiet = engagement_open(client=luis, program=thirty_sixty, worker=worker, actor=worker)

    log_in(page, live_server, "casey")
    # A service delivered counts like a reached contact for the 30-day clock.
    page.goto(f"{live_server.url}/engagement/{quiet.pk}/")
    page.get_by_label("Service", exact=True).select_option("employment")
    page.get_by_label("Details of the service").fill("Resume workshop at the One-Stop.")
    page.get_by_role("button", name="Record service").click()
    expect(page.get_by_text("Service recorded.")).to_be_visible()
    expect(page.get_by_text("1 service recorded")).to_be_visible()
    assert quiet.services.get().kind == "employment"

    # The engaged client stopped answering: the existing-client track starts in the same case.
    page.goto(f"{live_server.url}/engagement/{engaged.pk}/")
    page.get_by_role("button", name="Contact lost: start outreach to an existing client").click()
    expect(page.get_by_text("outreach to an existing client started")).to_be_visible()
    expect(page.locator(".next-step")).to_contain_text("First round")
    page.screenshot(path=str(screenshot_dir / "engagement-lost-contact.png"), full_page=True)
    engaged.refresh_from_db()
    assert (engaged.status, engaged.kind) == ("outreach", "lost_contact")
