"""The call floor (issue 12) and the VI's DV offer (issue 11, item 3), through the real screens.

The STOP box decides nothing by itself; a warm DV referral reaches the VSP's inbox; providers and
hotlines per county are data; a VSP's own intake offers no VSP; the DV banner stands where the agent
is; the live score ignores refused answers; errors come in form order; repeated questions are asked once.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ces import roles
from ces.models import AccessLog, Client, Notification
from intake.models import DvReferral, Intake, VspCoverage
from intake.services import intake_autosave, intake_draft_answers, intake_start
from tests.factories import AgencyFactory, ClientFactory, UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return call_agent()


@pytest.fixture
def logged_in(client, agent):
    client.force_login(agent)
    return client


def _draft(agent, **answers) -> Intake:
    intake = intake_start(actor=agent)
    intake_autosave(intake=intake, actor=agent, answers=answers)
    return intake


def _page(client, intake) -> str:
    return client.get(reverse("intake-detail", args=[intake.pk])).content.decode()


def _finish(client, intake, **posted):
    return client.post(reverse("intake-complete", args=[intake.pk]), posted)


def _vi_answers(**overrides) -> dict:
    answers = {k: str(v) for k, v in worked_example_2_answers().items()}
    answers.update(overrides)
    return answers


# --- item 2: the STOP box ------------------------------------------------------


def test_stop_box_preselects_nothing_and_finishing_needs_a_decision(logged_in, agent):
    ClientFactory(first_name="Robert", last_name="Hale", dob=date(1964, 5, 1), holding_agency=agent.agency)
    intake = _draft(agent, **_vi_answers(ssn="", ssn_data_quality="not_collected"))
    page = _page(logged_in, intake)
    assert 'name="_client_id"' in page
    assert 'name="_client_id" value="new" checked' not in page and " checked>\n      <span><strong>" not in page
    response = _finish(logged_in, intake)
    assert "choose the person, or confirm this is a new person" in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == "draft"
    intake_autosave(intake=intake, actor=agent, answers={"_client_id": "new"})
    response = _finish(logged_in, intake)
    intake.refresh_from_db()
    assert response.status_code == 302 and intake.status == "completed"
    assert Client.objects.count() == 2  # the agent confirmed a new person


def test_choosing_a_known_person_shows_their_record_beside_the_answers_and_overwrites_nothing_unasked(logged_in, agent):
    known = ClientFactory(first_name="Roberta", last_name="Hale", dob=date(1964, 5, 2), dob_data_quality="full",
                          holding_agency=agent.agency, hmis_consent="yes")
    intake = _draft(agent, **_vi_answers(ssn="", ssn_data_quality="not_collected", _client_id=str(known.pk)))
    page = _page(logged_in, intake)
    assert 'id="identity-compare"' in page
    assert "Roberta Hale" in page and "Robert Hale" in page  # on file beside the caller's answer
    assert 'name="_keep_name"' in page and 'name="_keep_dob"' in page
    assert 'value="file" checked' not in page and 'value="caller" checked' not in page  # nothing chosen for the agent
    assert AccessLog.objects.filter(client=known, detail__startswith="STOP box").exists()

    errors = _finish(logged_in, intake).content.decode()
    assert "Choose which name to keep" in errors and "Choose which date of birth to keep" in errors
    intake_autosave(intake=intake, actor=agent, answers={"_keep_name": "caller", "_keep_dob": "file"})
    assert "Say why the caller" in _finish(logged_in, intake).content.decode()
    intake_autosave(intake=intake, actor=agent, answers={"_identity_reason": "the caller spelled her name"})
    assert _finish(logged_in, intake).status_code == 302

    known.refresh_from_db()
    assert known.first_name == "Robert"  # the agent chose the caller's name...
    assert known.dob == date(1964, 5, 2)  # ...and kept the DOB on file
    reasons = list(known.history.values_list("history_change_reason", flat=True))
    assert any("the caller spelled her name" in (r or "") and "first_name" in (r or "") for r in reasons)
    intake.refresh_from_db()
    assert "kept on file: dob" in intake.history.first().history_change_reason


def test_keeping_everything_on_file_changes_no_identity(logged_in, agent):
    known = ClientFactory(first_name="Roberta", last_name="Hale", dob=date(1964, 5, 2), holding_agency=agent.agency,
                          hmis_consent="yes")
    intake = _draft(agent, **_vi_answers(ssn="", ssn_data_quality="not_collected", _client_id=str(known.pk),
                                         _keep_name="file", _keep_dob="file"))
    assert _finish(logged_in, intake).status_code == 302
    known.refresh_from_db()
    assert (known.first_name, known.dob) == ("Roberta", date(1964, 5, 2))


# --- item 3 and issue 11 item 3: the DV referral reaches the VSP ------------------


@pytest.fixture
def vsps():
    placer = AgencyFactory(name="Stand Up Placer", initials="SUP", vsp=True)
    nevada = AgencyFactory(name="Community Beyond Violence", initials="CBV", vsp=True)
    VspCoverage.objects.create(vsp=placer, county="placer", hotline="916-773-7273", hours="24 hours")
    VspCoverage.objects.create(vsp=nevada, county="nevada", hotline="530-272-3467", hours="24 hours")
    return {"placer": placer, "nevada": nevada}


def test_a_nevada_caller_is_offered_the_nevada_provider_and_its_hotline(logged_in, agent, vsps):
    intake = _draft(agent, county="nevada", safety_safe_talking="no", dv_referral_accepted="yes")
    page = _page(logged_in, intake)
    assert "Community Beyond Violence: <a" in page and "530-272-3467" in page and "1-800-799-7233" in page
    options = page.split('id="id_dv_referral_agency"')[1].split("</select>")[0]
    assert "Community Beyond Violence" in options and "Stand Up Placer" not in options
    intake_autosave(intake=intake, actor=agent, answers={"dv_referral_agency": str(vsps["placer"].pk)})
    assert "Choose one of the options offered" in _finish(logged_in, intake).content.decode()


def test_a_warm_referral_lands_in_the_vsp_inbox_with_only_what_the_caller_agreed_to(client, agent, vsps):
    client.force_login(agent)
    advocate = UserFactory(agency=vsps["nevada"], roles=[roles.VSP_ADVOCATE])
    other_advocate = UserFactory(agency=vsps["placer"], roles=[roles.VSP_ADVOCATE])
    intake = _draft(agent, county="nevada", safety_safe_talking="no", dv_referral_accepted="yes",
                    dv_referral_agency=str(vsps["nevada"].pk), dv_warm_consent="yes", dv_warm_first_name="Robin",
                    dv_warm_callback_phone="530-555-0199", dv_warm_callback_time="weekdays after 6 pm", dv_warm_message_ok="no",
                    first_name="Secret", last_name="Surname")
    assert _finish(client, intake).status_code == 302
    referral = DvReferral.objects.get()
    assert referral.vsp == vsps["nevada"] and referral.caller_agreed_to_share and referral.status == "new"
    assert "Robin" not in referral.shared_ciphertext  # encrypted at rest
    assert not Client.objects.exists()
    notice = Notification.objects.get(recipient=advocate)
    assert "Robin" not in notice.subject + notice.body and notice.link == reverse("dv-referral-inbox")
    assert not Notification.objects.filter(recipient=other_advocate).exists()

    client.force_login(advocate)
    inbox = client.get(reverse("dv-referral-inbox")).content.decode()
    assert "Robin" in inbox and "+15305550199" in inbox and "weekdays after 6 pm" in inbox and "do not leave a message" in inbox
    assert "Secret" not in inbox and "Surname" not in inbox  # never passed, never kept
    assert AccessLog.objects.filter(user=advocate, detail__startswith="VSP warm referral inbox").exists()
    response = client.post(reverse("dv-referral-mark", args=[referral.pk]), {"status": "contacted"})
    referral.refresh_from_db()
    assert response.status_code == 302 and referral.status == "contacted" and referral.handled_by == advocate

    client.force_login(other_advocate)
    assert "Robin" not in client.get(reverse("dv-referral-inbox")).content.decode()
    assert client.post(reverse("dv-referral-mark", args=[referral.pk]), {"status": "closed"}).status_code == 404
    client.force_login(agent)
    assert client.get(reverse("dv-referral-inbox")).status_code == 403


def test_without_the_callers_agreement_nothing_is_passed(logged_in, agent, vsps):
    intake = _draft(agent, county="nevada", safety_safe_talking="no", dv_referral_accepted="yes",
                    dv_referral_agency=str(vsps["nevada"].pk), dv_warm_consent="no", dv_warm_first_name="Robin")
    assert _finish(logged_in, intake).status_code == 302
    referral = DvReferral.objects.get()
    assert not referral.caller_agreed_to_share and referral.shared_ciphertext == ""


def test_fleeing_dv_in_the_vi_brings_the_same_offer(logged_in, agent, vsps):
    """bnl-and-referrals.md (amended): "fleeing DV" in the VI gets the Step 4 offer, shown at the VI."""
    intake = _draft(agent, **_vi_answers(dv_fleeing="no"))
    url = reverse("intake-autosave", args=[intake.pk])
    html = logged_in.post(url, {"dv_fleeing": "yes"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="dv-slot-vi"' in html and 'id="q-dv_referral_accepted"' in html
    assert "offer the caller an immediate referral" in html  # the live region says it
    page = _page(logged_in, intake)
    assert page.index('id="section-vi"') < page.index('id="dv-banner"')  # beside the question, not at the top
    # Declined: the "may be shared" notice is needed to finish, and the person is then assessed.
    intake_autosave(intake=intake, actor=agent, answers={"dv_referral_accepted": "no"})
    assert "may be shared" in _page(logged_in, intake)
    assert "Read the caller the notice" in _finish(logged_in, intake).content.decode()
    intake_autosave(intake=intake, actor=agent, answers={"dv_pii_sharing_acknowledged": "true"})
    assert _finish(logged_in, intake).status_code == 302
    intake.refresh_from_db()
    assert intake.outcome == "assessed" and intake.dv_referral_offered and intake.dv_referral_accepted == "no"


def test_fleeing_dv_accepted_in_the_vi_keeps_no_personal_data(logged_in, agent, vsps):
    intake = _draft(agent, **_vi_answers(dv_fleeing="yes", dv_referral_accepted="yes",
                                         dv_referral_agency=str(vsps["nevada"].pk)))
    assert _finish(logged_in, intake).status_code == 302
    intake.refresh_from_db()
    assert intake.outcome == "dv_referred" and intake.client is None and not Client.objects.exists()
    assert DvReferral.objects.get().vsp == vsps["nevada"]


def test_a_vsp_advocates_own_intake_offers_no_vsp_and_no_sharing_notice(client, vsps):
    advocate = UserFactory(agency=vsps["placer"], roles=[roles.VSP_ADVOCATE])
    client.force_login(advocate)
    intake = _draft(advocate, county="placer", safety_safe_talking="no", safety_afraid_of_partner="yes")
    page = _page(client, intake)
    assert 'id="q-dv_referral_accepted"' not in page and "may be shared with other agencies" not in page
    assert 'id="dv-banner"' not in page
    assert 'id="id_first_name"' in page  # the advocate goes on with the intake
    intake_autosave(intake=intake, actor=advocate, answers=_vi_answers(county="placer", safety_safe_talking="no",
                                                                       dv_fleeing="yes", wants_shelter_tonight="no"))
    page = _page(client, intake)
    assert 'id="q-dv_referral_accepted"' not in page and "may be shared with other agencies" not in page
    assert _finish(client, intake).status_code == 302
    intake.refresh_from_db()
    assert intake.outcome == "assessed" and intake.client.holding_agency == vsps["placer"]


# --- item 6: the banner where the agent is ---------------------------------------


def test_dv_banner_stands_after_the_safety_questions_and_is_announced(logged_in, agent):
    intake = _draft(agent, county="placer")
    page = _page(logged_in, intake)
    assert 'id="dv-announce"' in page and 'aria-live="assertive"' in page and 'id="dv-banner"' not in page
    html = logged_in.post(reverse("intake-autosave", args=[intake.pk]), {"safety_safe_talking": "no"},
                          HTTP_HX_REQUEST="true").content.decode()
    assert 'id="dv-announce" class="visually-hidden" aria-live="assertive" hx-swap-oob="innerHTML"' in html
    assert "offer the caller an immediate referral" in html
    page = _page(logged_in, intake)
    assert page.index('id="q-safety_afraid_of_partner"') < page.index('id="dv-banner"') < page.index('id="section-personal"')


# --- item 7: the live score and validation as the agent goes ------------------------


def test_live_score_ignores_answers_that_would_be_refused(logged_in, agent):
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    intake = _draft(agent, **_vi_answers(dob=future, household_size="2", household_children="3"))
    page = _page(logged_in, intake)
    score = page.split('id="score-panel"')[1].split("</section>")[0]
    assert "Household has children under 18" not in score
    assert "less than 25" not in score.lower()
    assert "This date is in the future." in page
    assert "Children must be fewer than the people in the household" in page


def test_errors_show_at_the_question_as_the_agent_goes_and_are_listed_in_form_order(logged_in, agent):
    intake = _draft(agent, **_vi_answers())
    url = reverse("intake-autosave", args=[intake.pk])
    html = logged_in.post(url, {"household_children": "5"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="errs-household_children"' in html and "Children must be fewer" in html
    assert 'id="q-household_children"' not in html  # only the messages: the field keeps its cursor
    html = logged_in.post(url, {"household_children": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="errs-household_children" class="field-errors" aria-live="polite" hx-swap-oob="true"></div>' in html
    intake_autosave(intake=intake, actor=agent, answers={"household_income": "abc", "dob": "2099-01-01", "household_children": "7"})
    page = _finish(logged_in, intake).content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert summary.index("#q-dob") < summary.index("#q-household_children") < summary.index("#q-household_income")


# --- item 10: ask once, carry the answer ---------------------------------------------


def test_repeated_questions_are_asked_once_and_carried(logged_in, agent):
    intake = _draft(agent, **_vi_answers(county="placer", roseville_resident="yes", wants_shelter_tonight="yes",
                                         safety_minor_without_adult="no", pl_registered_sex_offender="no",
                                         pl_has_income="yes", registered_sex_offender="yes", has_income="no",
                                         household_income="21000", income_period="annual"))
    page = _page(logged_in, intake)
    for code in ("pl_roseville", "pl_minor_unaccompanied", "vi_unaccompanied_youth", "registered_sex_offender", "has_income"):
        block = page.split(f'id="q-{code}"')[1].split('<div id="q-')[0]
        assert "already answered to" in block and 'type="radio"' not in block, code
    intake_autosave(intake=intake, actor=agent, answers={"shelter_choice": "", "_client_id": "new"})
    assert _finish(logged_in, intake).status_code == 302
    intake.refresh_from_db()
    assert intake.pl_roseville == "yes" and intake.pl_minor_unaccompanied == "no"
    assessment = intake.assessment
    assert assessment.registered_sex_offender == "no" and assessment.has_income == "yes"  # the first answers, not the stale ones
    assert assessment.vi_unaccompanied_youth == "no"


# --- item 1 and item 11: a broken draft can be discarded from the list; focus on the first question ---


def test_an_unfinished_call_can_be_discarded_from_the_list(logged_in, agent):
    intake = _draft(agent, county="nevada", dob="0001-03-22", first_name="Robert")
    home = logged_in.get(reverse("intake-home")).content.decode()
    assert f'action="{reverse("intake-discard", args=[intake.pk])}"' in home
    assert logged_in.post(reverse("intake-discard", args=[intake.pk])).status_code == 302
    intake.refresh_from_db()
    assert intake.status == "discarded" and intake_draft_answers(intake) == {}


def test_a_new_call_puts_focus_on_the_first_question(logged_in, agent):
    intake = intake_start(actor=agent)
    page = _page(logged_in, intake)
    assert 'name="county" value="nevada" autofocus' in page
    intake_autosave(intake=intake, actor=agent, answers={"county": "nevada"})
    assert 'name="safety_minor_without_adult" value="yes" autofocus' in _page(logged_in, intake)
