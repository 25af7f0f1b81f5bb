"""A call agent takes calls in real Chromium: the form, shelter screening, the VI, the DV pathway."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from ces import roles
from ces.models import Client
from intake.models import DvReferral, Intake, VspCoverage
from referrals.models import ShelterReferral
from tests.browser.conftest import log_in
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, ClientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page: Page, code: str, value: str) -> None:
    page.locator(f"#q-{code} input[type=radio][value='{value}']").check()


def type_in(page: Page, code: str, value: str) -> None:
    field = page.locator(f"#id_{code}")
    field.fill(value)
    field.press("Tab")  # leaving the field saves it


def log_in_and_start_call(page: Page, live_server) -> None:
    agency = AgencyFactory(name="Connecting Point", initials="CP", kind="lead")
    UserFactory(username="call_agent", first_name="Carla", agency=agency, roles=[roles.CALL_AGENT])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("call_agent")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Start a call").click()
    expect(page.get_by_role("heading", name="Call #")).to_be_visible()


def test_nevada_call_with_shelter_screening_and_full_vi_scores_13(live_server, page: Page, screenshot_dir):
    log_in_and_start_call(page, live_server)
    answer(page, "county", "nevada")
    expect(page.locator("#section-safety")).to_be_visible()
    for code, value in [("safety_minor_without_adult", "no"), ("safety_safe_place_tonight", "no"),
                        ("safety_safe_talking", "yes"), ("safety_afraid_of_partner", "no")]:
        answer(page, code, value)
    type_in(page, "first_name", "Robert")
    type_in(page, "last_name", "Hale")
    page.locator("#q-name_data_quality input[value=full]").focus()
    page.keyboard.press("f")  # one keystroke picks "full"
    type_in(page, "dob", "1964-05-01")
    answer(page, "dob_data_quality", "full")
    expect(page.locator("#dup-panel")).to_contain_text("No likely matches")
    type_in(page, "phone_primary", "530-555-0142")
    type_in(page, "ssn", "287-65-4321")
    answer(page, "ssn_data_quality", "full")
    answer(page, "preferred_language", "en")
    page.locator("#q-voicemail_consent input[value=yes]").focus()
    page.keyboard.press("r")  # refusal is one keystroke away...
    expect(page.locator("#q-voicemail_consent input[value=refused]")).to_be_checked()
    page.keyboard.press("y")  # ...and so is yes
    answer(page, "hmis_consent", "yes")
    answer(page, "wants_shelter_tonight", "yes")

    expect(page.locator("#section-shelter_nevada")).to_be_visible()
    for code, value in [("nv_resident_30_days", "yes"), ("nv_barred_hospitality_house", "no"), ("nv_substance_issue", "no"),
                        ("nv_pets", "no"), ("nv_registered_sex_offender", "no"), ("nv_has_income", "yes"),
                        ("nv_warrant_or_violent_conviction", "no")]:
        answer(page, code, value)
    shelters = page.locator("#shelter-panel")
    expect(shelters).to_contain_text("I can make the following referrals")
    shelters.get_by_label("Hospitality House").check()

    answer(page, "continue_to_vi", "yes")
    answer(page, "vi_consent", "yes")
    expect(page.locator("#section-vi")).to_be_visible()
    answer(page, "vi_unaccompanied_youth", "no")
    type_in(page, "household_size", "3")
    type_in(page, "household_children", "2")
    page.select_option("#id_gender", "male")
    for code, value in [("household_transgender", "no"), ("household_pregnant", "no"), ("veteran", "no")]:
        answer(page, code, value)
    page.select_option("#id_sleep_location_30d", "emergency_shelter")
    page.select_option("#id_unstable_housing_length", "over_5_years")
    for code, value in [
        ("er_visits_3plus_6m", "yes"), ("police_6plus_6m", "no"), ("health_mental", "no"),
        ("health_physical_sensory", "yes"), ("disability_income", "no"), ("health_developmental", "yes"),
        ("health_substance", "no"), ("health_alcohol", "no"), ("health_hiv_aids", "no"), ("health_chronic", "yes"),
        ("household_member_health", "no"), ("attacked_since_homeless", "no"), ("self_harm", "no"),
        ("dv_experienced", "no"), ("dv_fleeing", "no"),
    ]:
        answer(page, code, value)
    # Asked once: the shelter's sex-offender and income answers are carried into the VI.
    expect(page.locator("#q-registered_sex_offender")).to_contain_text("already answered to")
    expect(page.locator("#q-has_income")).to_contain_text("already answered to")
    type_in(page, "household_income", "21000")
    answer(page, "income_period", "annual")

    score = page.locator("#score-panel")
    expect(score.locator(".score-total span")).to_have_text("13")
    expect(score).to_contain_text("Household has children under 18")
    page.screenshot(path=str(screenshot_dir / "intake-worked-example-2-form.png"), full_page=True)

    page.get_by_role("button", name="Finish intake").click()
    expect(page.get_by_role("heading", name="Vulnerability score: 13")).to_be_visible()
    expect(page.locator("table.breakdown")).to_contain_text("Self or HH Member has been hospitalized")
    expect(page.get_by_text("Shelter referral to Hospitality House")).to_be_visible()
    expect(page.get_by_text("On the By-Name List: Active, score 13.")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "intake-worked-example-2-summary.png"), full_page=True)

    intake = Intake.objects.get()
    assert intake.status == "completed" and intake.outcome == "assessed"
    assert intake.assessment.total == 13
    assert ShelterReferral.objects.get().shelter.name == "Hospitality House"
    assert Client.objects.get().voicemail_consent == "yes"


def test_dv_pathway_accepted_keeps_no_personal_data(live_server, page: Page, screenshot_dir):
    AgencyFactory(name="Stand Up Placer", initials="SUP", vsp=True)
    log_in_and_start_call(page, live_server)
    answer(page, "county", "placer")
    answer(page, "safety_minor_without_adult", "no")
    answer(page, "safety_safe_place_tonight", "no")
    answer(page, "safety_safe_talking", "no")
    expect(page.locator("#dv-banner")).to_be_visible()
    expect(page.locator("#section-personal")).to_be_hidden()
    answer(page, "dv_referral_accepted", "yes")
    page.select_option("#id_dv_referral_agency", label="Stand Up Placer")
    page.screenshot(path=str(screenshot_dir / "intake-dv-pathway.png"), full_page=True)
    page.get_by_role("button", name="Finish intake").click()
    expect(page.get_by_text("Referred to Stand Up Placer. No personal information was kept in this system.")).to_be_visible()
    assert not Client.objects.exists()
    assert DvReferral.objects.get().vsp.initials == "SUP"
    assert Intake.objects.get().draft_ciphertext == ""


def test_finishing_with_bad_answers_shows_what_to_fix_and_keeps_them(live_server, page: Page, screenshot_dir):
    log_in_and_start_call(page, live_server)
    answer(page, "county", "nevada")
    answer(page, "safety_safe_talking", "yes")
    type_in(page, "first_name", "Ana")
    type_in(page, "dob", "2099-01-01")
    type_in(page, "ssn", "666-12-3456")
    answer(page, "ssn_data_quality", "full")
    page.get_by_role("button", name="Finish intake").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("This date is in the future.")
    expect(summary).to_contain_text("not a valid Social Security number")
    expect(page.locator("#id_first_name")).to_have_value("Ana")
    expect(page.locator("#id_ssn")).to_have_value("666-12-3456")
    page.screenshot(path=str(screenshot_dir / "intake-errors.png"), full_page=True)
    assert Intake.objects.get().status == "draft"


def test_a_closed_tab_loses_nothing(live_server, page: Page):
    log_in_and_start_call(page, live_server)
    answer(page, "county", "placer")
    answer(page, "safety_safe_talking", "yes")
    type_in(page, "first_name", "Maria")
    page.wait_for_load_state("networkidle")  # the queued autosaves have been sent and answered
    url = page.url
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Call #")).to_be_visible()
    page.goto(url)
    expect(page.locator("#id_first_name")).to_have_value("Maria")
    expect(page.locator("#q-county input[value=placer]")).to_be_checked()


def shoot(page: Page, screenshot_dir, name: str) -> None:
    """The screen at 1366 px and at 390 px wide (full page), then back to the desktop width."""
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_typing_a_date_of_birth_never_breaks_the_call(live_server, page: Page, screenshot_dir):
    """Chrome's date field holds "0001-03-22" after 0, 3, 2, 2, 1 of 03221975: that draft is saved
    and marked, the STOP box waits for the whole date, and the call can be reopened and discarded.
    Once the date is whole, the STOP box shows the known person with nothing chosen; choosing her
    shows her record beside the caller's answers."""
    log_in_and_start_call(page, live_server)
    expect(page.locator("#q-county input[type=radio]").first).to_be_focused()  # the first question, not the page
    agent = Intake.objects.get().csr
    ClientFactory(first_name="Roberta", last_name="Hale", dob=date(1975, 3, 22), holding_agency=agent.agency, hmis_consent="yes")
    answer(page, "county", "nevada")
    answer(page, "safety_safe_talking", "yes")
    type_in(page, "first_name", "Robert")
    type_in(page, "last_name", "Hale")
    dob = page.locator("#id_dob")
    dob.focus()
    dob.press_sequentially("03221")
    expect(page.locator("#save-status")).to_contain_text("1 answer to check")
    expect(page.locator("#dup-panel")).to_contain_text("Type the name (and the whole date of birth)")
    intake = Intake.objects.get()
    page.goto(f"{live_server.url}/intake/{intake.pk}/")  # reopened: answers, not an error page
    expect(page.locator("#id_first_name")).to_have_value("Robert")
    expect(page.locator("#q-dob")).to_contain_text("A date of birth cannot be before 1900-01-01.")
    dob = page.locator("#id_dob")
    dob.focus()
    dob.press_sequentially("03221975")  # key by key, the whole date this time
    dup = page.locator("#dup-panel")
    expect(dup).to_contain_text("Roberta Hale")
    expect(page.locator("#errs-dob")).to_be_empty()  # the message went as soon as the date was whole
    for radio in dup.locator("input[name=_client_id]").all():
        expect(radio).not_to_be_checked()  # nothing chosen for the agent
    dup.get_by_label("Roberta Hale", exact=False).check()
    compare = page.locator("#identity-compare")
    expect(compare).to_contain_text("The record on file")
    expect(compare.locator("tr#q-_keep_name")).to_contain_text("Roberta Hale")
    expect(compare.locator("tr#q-_keep_name")).to_contain_text("Robert Hale")
    shoot(page, screenshot_dir, "intake-stop-box-compare")

    page.goto(f"{live_server.url}/intake/")  # a broken or unwanted draft is discarded from the list
    page.get_by_role("button", name=f"Discard call #{intake.pk}").click()
    expect(page.get_by_text("Draft discarded.")).to_be_visible()
    assert Intake.objects.get().status == "discarded"


def test_dv_referral_reaches_the_vsp_inbox(live_server, page: Page, screenshot_dir):
    nevada = AgencyFactory(name="Community Beyond Violence", initials="CBV", vsp=True)
    placer = AgencyFactory(name="Stand Up Placer", initials="SUP", vsp=True)
    VspCoverage.objects.create(vsp=nevada, county="nevada", hotline="530-272-3467", hours="24 hours")
    VspCoverage.objects.create(vsp=placer, county="placer", hotline="916-773-7273", hours="24 hours")
    UserFactory(username="advocate", first_name="Val", agency=nevada, roles=[roles.VSP_ADVOCATE])
    log_in_and_start_call(page, live_server)
    answer(page, "county", "nevada")
    answer(page, "safety_minor_without_adult", "no")
    answer(page, "safety_safe_place_tonight", "no")
    answer(page, "safety_safe_talking", "no")
    banner = page.locator("#dv-banner")
    expect(banner).to_be_visible()
    expect(banner).to_be_in_viewport()  # where the agent is, not at the top of the form
    expect(page.locator("#dv-announce")).to_contain_text("offer the caller an immediate referral")
    expect(banner).to_contain_text("530-272-3467")
    expect(banner).to_contain_text("1-800-799-7233")
    answer(page, "dv_referral_accepted", "yes")
    expect(page.locator("#id_dv_referral_agency option")).to_have_text(["—", "Community Beyond Violence"])
    page.select_option("#id_dv_referral_agency", label="Community Beyond Violence")
    answer(page, "dv_warm_consent", "yes")
    type_in(page, "dv_warm_first_name", "Robin")
    type_in(page, "dv_warm_callback_time", "weekdays after 6 pm")
    answer(page, "dv_warm_message_ok", "no")
    shoot(page, screenshot_dir, "intake-dv-warm-referral")
    page.get_by_role("button", name="Finish intake").click()
    expect(page.get_by_text("Referred to Community Beyond Violence.", exact=False)).to_be_visible()
    assert not Client.objects.exists()

    log_in(page, live_server, "advocate")
    page.get_by_role("link", name="Warm referrals").click()
    row = page.locator("table.inbox tbody tr").first
    expect(row).to_contain_text("Robin")
    expect(row).to_contain_text("weekdays after 6 pm")
    shoot(page, screenshot_dir, "vsp-warm-referral-inbox")
    row.get_by_label("Status").select_option("contacted")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Referral updated.")).to_be_visible()
    assert DvReferral.objects.get().status == "contacted"
