"""Program staff fill a unit from the By-Name List in real Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from bnl.models import BnlEntry
from ces import roles
from referrals.models import Referral
from tests.browser.conftest import log_in
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_staff_record_a_vacancy_pull_five_and_enroll_one(live_server, page: Page, screenshot_dir):
    agency = AgencyFactory(name="AMI Housing", initials="AMIH")
    ProgramFactory(agency=agency, name="Brunswick Commons PSH", type="psh", requires_chronic=True)
    UserFactory(username="program_staff", first_name="Pat", agency=agency, roles=[roles.PROGRAM_STAFF])
    holder = AgencyFactory(name="Connecting Point", initials="CP")
    consented = [BnlEntryFactory(score=22 - i, chronic=True, client=ClientFactory(holding_agency=holder, hmis_consent="yes",
                                                                                    first_name=f"Person{i}")) for i in range(4)]
    private = BnlEntryFactory(score=17, chronic=True, client=ClientFactory(holding_agency=holder, hmis_consent="no", first_name="Hidden"))
    waiting = BnlEntryFactory(score=16, chronic=True)
    BnlEntryFactory(score=25, chronic=False)  # not eligible: never pulled

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("program_staff")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Programs", exact=True).click()
    expect(page.get_by_role("heading", name="Brunswick Commons PSH")).to_be_visible()
    page.get_by_label("Note").fill("Unit 4B, ground floor")
    page.get_by_role("button", name="Record vacancy").click()
    expect(page.get_by_text("Vacancy recorded.")).to_be_visible()
    page.get_by_role("button", name="Pull from the list").click()
    expect(page.get_by_text("5 people referred from the top of the list.")).to_be_visible()

    rows = page.locator("table.referrals tbody tr")
    expect(rows).to_have_count(5)
    expected = [e.client.label for e in consented] + [private.client.label]
    assert [rows.nth(i).get_attribute("data-label") for i in range(5)] == expected
    expect(rows.nth(0)).to_contain_text("Person0")
    expect(rows.nth(4)).not_to_contain_text("Hidden")  # no consent: label only, and who to contact
    expect(rows.nth(4)).to_contain_text("Contact Connecting Point")
    page.screenshot(path=str(screenshot_dir / "program-pulled-five.png"), full_page=True)

    # A chronic-dedicated program: the self-reported chronic status is documented before enrolment.
    second = rows.nth(1)
    second.get_by_label("Outcome").select_option("enrolled")
    second.get_by_role("button", name=re.compile(r"^Save the decision")).click()
    expect(page.get_by_text("check every document of chronic homelessness")).to_be_visible()
    second = page.locator("table.referrals tbody tr").nth(1)
    boxes = second.locator("form.chronic-docs input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.screenshot(path=str(screenshot_dir / "program-chronic-checklist.png"), full_page=True)
    second.get_by_role("button", name="Save checklist").click()
    expect(page.get_by_text(f"Documentation checklist saved for {consented[1].client.label}.")).to_be_visible()
    second = page.locator("table.referrals tbody tr").nth(1)
    second.get_by_label("Outcome").select_option("enrolled")
    second.get_by_role("button", name=re.compile(r"^Save the decision")).click()
    expect(page.get_by_text(f"Decision recorded for {consented[1].client.label}.")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "program-enrolled-one.png"), full_page=True)

    statuses = dict(BnlEntry.objects.values_list("pk", "status"))
    assert statuses[consented[1].pk] == "housed"
    assert [statuses[e.pk] for e in (consented[0], consented[2], consented[3], private)] == ["active"] * 4
    assert statuses[waiting.pk] == "active"
    assert Referral.objects.filter(status="not_selected").count() == 4

    page.get_by_role("link", name="By-Name List").click()
    expect(page.get_by_role("heading", name="By-Name List")).to_be_visible()
    expect(page.locator("table.bnl-table")).to_contain_text(consented[0].client.label)
    page.screenshot(path=str(screenshot_dir / "bnl-list-after.png"), full_page=True)


def test_a_rejection_shows_the_appeal_route_and_coc_staff_review_it(live_server, page: Page, screenshot_dir):
    agency = AgencyFactory(name="AMI Housing", initials="AMIH")
    ProgramFactory(agency=agency, name="Placer RRH", type="rrh")
    UserFactory(username="program_staff", agency=agency, roles=[roles.PROGRAM_STAFF])
    UserFactory(username="coc_staff", roles=[roles.COC_STAFF])
    entry = BnlEntryFactory(score=18)

    log_in(page, live_server, "program_staff")
    page.get_by_role("link", name="Programs", exact=True).click()
    page.get_by_role("button", name="Record vacancy").click()
    page.get_by_role("button", name="Pull from the list").click()
    row = page.locator("table.referrals tbody tr").nth(0)
    row.get_by_label("Outcome").select_option("provider_rejected")
    row.get_by_label("Rejection reason").select_option("household_size")
    row.get_by_label("Justification").fill("Two-bedroom unit; household of six.")
    row.get_by_role("button", name=re.compile(r"^Save the decision")).click()
    expect(page.get_by_text("How to appeal this rejection")).to_be_visible()
    # Program staff read who files the grievance; the form itself is the CoC staff's.
    expect(page.get_by_text("The CoC's staff file it with the person")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "program-rejection-appeal.png"), full_page=True)

    log_in(page, live_server, "coc_staff")
    page.get_by_role("link", name="Rejections", exact=True).click()
    expect(page.locator("table.referrals")).to_contain_text(entry.label)
    page.get_by_label("Finding").select_option("justified")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text(f"Review of the rejection of {entry.label} saved.")).to_be_visible()
    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.referrals")).to_contain_text("Justified")
    page.screenshot(path=str(screenshot_dir / "coc-rejections-review.png"), full_page=True)
