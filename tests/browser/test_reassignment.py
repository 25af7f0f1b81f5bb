"""A standard reassignment from request to step 5, by the four people involved, in real Chromium."""

import pytest
from playwright.sync_api import Page, expect

from ces import roles
from reassignment.models import CaseAssignment
from reassignment.services import case_assignment_set
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_standard_reassignment_walked_by_four_users(live_server, page: Page, screenshot_dir):
    agency = AgencyFactory(name="Connecting Point", initials="CP")
    current = UserFactory(username="casey", first_name="Casey", agency=agency, roles=[roles.CASE_WORKER])
    receiving = UserFactory(username="robin", first_name="Robin", agency=agency, roles=[roles.CASE_WORKER])
    UserFactory(username="corey", first_name="Corey", roles=[roles.COC_STAFF])
    UserFactory(username="noel", first_name="Noel", roles=[roles.NONHMIS_LIST_HOLDER])
    lom = UserFactory(username="sam", agency=agency, roles=[roles.SUPERVISOR])
    person = ClientFactory(holding_agency=agency, hmis_consent="no", first_name="Maria", last_name="Lopez")
    case_assignment_set(client=person, worker=current, actor=lom, reason="first assignment")

    # 1. The current worker asks, with a permissible reason.
    log_in(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{person.pk}/")
    page.get_by_text("Request a reassignment").click()
    page.get_by_label("Reason").select_option("client_request")
    page.get_by_label("The client's situation").select_option("stays_in_area")
    page.get_by_label("Proposed worker").select_option(str(receiving.pk))
    page.get_by_label("Explanation").fill("Maria asked for a worker who can meet her in Auburn.")
    page.get_by_role("button", name="Send to CoC staff").click()
    expect(page.get_by_text("Waiting for CoC staff")).to_be_visible()
    url = page.url

    # 2. CoC staff approve, in writing.
    log_in(page, live_server, "corey")
    page.goto(url)
    page.get_by_label("Written decision").fill("Approved: the client's choice, same agency.")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved: steps in progress")).to_be_visible()

    # 3. Step 1: the receiving worker agrees, in their own account.
    log_in(page, live_server, "robin")
    page.goto(url)
    page.get_by_role("button", name="I agree to take this client").click()
    expect(page.get_by_text("Next: step 2")).to_be_visible()

    # 4. Steps 2 and 3: the current worker.
    log_in(page, live_server, "casey")
    page.goto(url)
    page.get_by_label("Note for the CE enrollment").fill("Explained why; Maria agreed on the phone.")
    page.get_by_role("button", name="The client consented").click()
    page.get_by_role("button", name="Step 3 done").click()

    # 5. Step 4: the new worker introduces themself.
    log_in(page, live_server, "robin")
    page.goto(url)
    page.get_by_role("button", name="Step 4 done").click()
    expect(page.get_by_text("the non-HMIS list holder records this step")).to_be_visible()
    assert CaseAssignment.objects.get(client=person).worker == current  # not yet: only step 5 changes it

    # 6. Step 5: the non-HMIS list holder updates the system.
    log_in(page, live_server, "noel")
    page.goto(url)
    page.get_by_role("button", name="Step 5 done").click()
    expect(page.get_by_text("Completed: assignment changed")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "reassignment-completed.png"), full_page=True)
    assert CaseAssignment.objects.get(client=person).worker == receiving

    log_in(page, live_server, "robin")
    page.goto(f"{live_server.url}/clients/{person.pk}/")
    expect(page.get_by_text("CE enrollment notes")).to_be_visible()
    expect(page.locator(".notes")).to_contain_text("Reassignment step 5")
    page.screenshot(path=str(screenshot_dir / "reassignment-client-notes.png"), full_page=True)


def test_worker_safety_transfer_walked_by_the_lom_and_both_workers(live_server, page: Page, screenshot_dir):
    agency = AgencyFactory(name="Connecting Point", initials="CP")
    current = UserFactory(username="casey", first_name="Casey", agency=agency, roles=[roles.CASE_WORKER])
    new = UserFactory(username="robin", first_name="Robin", agency=agency, roles=[roles.CASE_WORKER])
    lom = UserFactory(username="sam", first_name="Sam", agency=agency, roles=[roles.SUPERVISOR])
    person = ClientFactory(holding_agency=agency, hmis_consent="yes", first_name="Jon", last_name="Reed")
    case_assignment_set(client=person, worker=current, actor=lom)

    # A refused request keeps what was typed: the client's situation "transient or frequently relocates" (the
    # policy's own words, chosen from the list) is answered with the policy's words.
    log_in(page, live_server, "casey")
    page.goto(f"{live_server.url}/clients/{person.pk}/")
    page.get_by_text("Request a reassignment").click()
    page.get_by_label("Reason").select_option("client_request")
    page.get_by_label("The client's situation").select_option(label="The client is transient or frequently relocates")
    page.get_by_label("Proposed worker").select_option(str(new.pk))
    page.get_by_label("Explanation").fill("He asked for a worker nearer to Truckee.")
    page.get_by_role("button", name="Send to CoC staff").click()
    expect(page.get_by_text("maintaining continuity of care is essential")).to_be_visible()
    expect(page.get_by_label("Explanation")).to_have_value("He asked for a worker nearer to Truckee.")
    expect(page.get_by_label("The client's situation")).to_have_value("transient")

    # The LOM records the WORKER ALERT and plan, and moves the case within the office.
    log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/clients/{person.pk}/")
    page.get_by_text("Worker safety (local office manager)").click()
    page.get_by_label("Transfer to (same office)").select_option(str(new.pk))
    page.get_by_label("Why (hostility directed at the worker)").fill("Threats against Casey on the phone.")
    page.get_by_label("Court dates or other obligations that stand").fill("Court 2026-12-09")
    page.get_by_role("button", name="Start the safety transfer").click()
    page.get_by_role("button", name="Complete the transfer now").click()
    expect(page.get_by_text("WORKER ALERT label and a worker safety intervention plan").first).to_be_visible()
    page.goto(f"{live_server.url}/clients/{person.pk}/")
    page.get_by_text("Worker safety (local office manager)").click()
    page.get_by_label("Worker safety intervention plan").fill("Meet only at the office, with a second staff member.")
    page.get_by_role("button", name="Set WORKER ALERT with this plan").click()
    expect(page.get_by_text("WORKER ALERT and safety plan recorded.")).to_be_visible()
    page.get_by_role("link", name="Open reassignment", exact=False).click()
    page.get_by_role("button", name="Complete the transfer now").click()
    expect(page.get_by_text("Safety transfer done: follow-up open")).to_be_visible()
    assert CaseAssignment.objects.get(client=person).worker == new
    url = page.url

    # The new worker acknowledges (no way to decline); the previous worker hands off; the LOM assesses.
    log_in(page, live_server, "robin")
    page.goto(url)
    expect(page.get_by_text("Meet only at the office")).to_be_visible()
    page.get_by_role("button", name="I have read the reason and the safety plan").click()
    log_in(page, live_server, "casey")
    page.goto(url)
    page.get_by_label("Hand-off note (everything the new worker needs)").fill("Court on 12/9; prefers texts.")
    page.get_by_role("button", name="Hand off").click()
    log_in(page, live_server, "sam")
    page.goto(url)
    page.get_by_label("Your assessment of the new worker's skills and ability for this case").fill("Robin de-escalates well.")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Completed: assignment changed")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "reassignment-safety-completed.png"), full_page=True)
