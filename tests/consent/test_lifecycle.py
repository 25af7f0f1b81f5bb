"""Issue 15: consent with a life — given, scoped, renewed, withdrawn (at once, at every door),
lapsed by the sweep with a reminder first; scripts confirmed; a copy for the client; the log of
disclosures without consent."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ces import roles
from ces.deadlines import deadlines_sweep
from ces.models import ClientDocument, ConsentRecord, Notification
from ces.services import client_create
from ces.system_user import system_user_get
from consent.models import Disclosure
from consent.services import consent_give
from intake.models import Shelter
from intake.services import intake_submit
from referrals.models import ShelterReferral
from referrals.services import shelter_referral_create, vacancy_create
from referrals.shelter_lists import _rows
from tests.factories import AgencyFactory, BnlEntryFactory, ProgramFactory, UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db
SURNAME = "Quintanilla"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def holder():
    return UserFactory(agency=AgencyFactory(hmis_participating=True), roles=[roles.CASE_WORKER, roles.CALL_AGENT])


@pytest.fixture
def person(holder):
    return client_create(holding_agency=holder.agency, actor=holder, first_name="Zebediah", last_name=SURNAME,
                         name_data_quality="full", dob=date(1981, 4, 5), dob_data_quality="full", phone_primary="+15305550142")


def give(person, holder, **kw):
    values = {"kind": ConsentRecord.Kind.HMIS_ROI, "answer": "yes", "method": ConsentRecord.Method.VERBAL_RECORDED}
    return consent_give(client=person, actor=holder, **{**values, **kw})


# --- the API contract -----------------------------------------------------------------------


def test_api_gives_hmis_consent_with_the_default_three_years_and_lists_newest_first(person, holder):
    api = api_for(holder)
    url = f"/api/v1/clients/{person.pk}/consents/"
    response = api.post(url, {"kind": "hmis", "answer": "yes", "method": "verbal", "effective_on": "2026-11-01",
                              "expires_on": None}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "hmis" and body["method"] == "verbal"
    assert body["effective_on"] == "2026-11-01" and body["expires_on"] == "2029-11-01"
    assert body["revoked_at"] is None and body["recorded_by"]
    api.post(url, {"kind": "vi", "answer": "yes", "method": "written", "typed_name": "Zebediah Quintanilla"}, format="json")
    listed = api.get(url).json()
    assert [row["kind"] for row in listed] == ["vi", "hmis"]
    assert set(listed[0]) >= {"kind", "answer", "method", "effective_on", "expires_on", "recorded_by", "recorded_at", "revoked_at"}
    person.refresh_from_db()
    assert person.hmis_consent == "yes"


@pytest.mark.parametrize("body, field", [
    ({"kind": "hmis", "answer": "yes", "method": "written"}, "typed_name"),
    ({"kind": "hmis", "answer": "yes", "method": "verbal", "effective_on": "2026-11-01", "expires_on": "2026-10-01"}, "expires_on"),
    ({"kind": "hmis", "answer": "yes", "method": "verbal", "scope": "agencies"}, "scope_agency_ids"),
    ({"kind": "roi", "answer": "yes", "method": "verbal"}, "kind"),
    ({"kind": "hmis", "answer": "maybe", "method": "verbal"}, "answer"),
    ({"kind": "hmis", "answer": "yes", "method": "verbal", "signature_image": "bm90IGFuIGltYWdl"}, "signature_image"),
])
def test_api_refuses_bad_consents_with_a_message_and_records_nothing(person, holder, body, field):
    response = api_for(holder).post(f"/api/v1/clients/{person.pk}/consents/", body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not person.consents.exists()


def test_a_vsp_client_is_never_given_hmis_sharing(holder):
    vsp = AgencyFactory(vsp=True)
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    survivor = client_create(holding_agency=vsp, actor=advocate, first_name="Ana", last_name="Doe")
    response = api_for(advocate).post(f"/api/v1/clients/{survivor.pk}/consents/",
                                      {"kind": "hmis", "answer": "yes", "method": "verbal"}, format="json")
    assert response.status_code == 400 and "answer" in response.json()["errors"]


def test_people_one_may_not_see_are_404_at_the_consent_doors(person, holder):
    stranger = UserFactory(agency=AgencyFactory(), roles=[roles.CASE_WORKER])
    api = api_for(stranger)
    assert api.get(f"/api/v1/clients/{person.pk}/consents/").status_code == 404
    assert api.post(f"/api/v1/clients/{person.pk}/consents/", {"kind": "hmis", "answer": "no", "method": "verbal"},
                    format="json").status_code == 404
    assert page_for(stranger).get(reverse("consent-page", args=[person.pk])).status_code == 404
    assert not person.consents.exists()


# --- withdrawal takes effect at once, at every door -------------------------------------------


def test_withdrawal_stops_sharing_at_once_at_every_door(person, holder):
    give(person, holder)
    entry = BnlEntryFactory(client=person)
    program = ProgramFactory(type="rrh", agency=AgencyFactory(hmis_participating=True))
    other = UserFactory(agency=program.agency, roles=[roles.PROGRAM_STAFF])
    shelter = Shelter.objects.filter(is_active=True).first()
    shelter_referral_create(client=person, shelter=shelter, actor=holder)
    api, page = api_for(other), page_for(other)

    def doors() -> dict:
        bnl = api.get("/api/v1/bnl/").content.decode()
        csv = b"".join(page.get(reverse("bnl-export")).streaming_content).decode()
        search = page.post(reverse("client-list"), {"q": SURNAME}).content.decode()
        rows = _rows(shelter, ShelterReferral.objects.filter(client=person), other)
        return {
            "api": api.get(f"/api/v1/clients/{person.pk}/").status_code,
            "screen": page.get(reverse("client-detail", args=[person.pk])).status_code,
            "consents": api.get(f"/api/v1/clients/{person.pk}/consents/").status_code,
            "bnl": SURNAME in bnl and entry.label in bnl,
            "csv": SURNAME in csv,
            "search": reverse("client-detail", args=[person.pk]) in search,
            "shelter_list": rows[0]["name"],
        }

    assert doors() == {"api": 200, "screen": 200, "consents": 200, "bnl": True, "csv": True, "search": True,
                       "shelter_list": f"Zebediah {SURNAME}"}

    record = person.consents.get(kind=ConsentRecord.Kind.HMIS_ROI)
    response = api_for(holder).post(f"/api/v1/clients/{person.pk}/consents/",
                                    {"kind": "hmis", "answer": "no", "method": "verbal"}, format="json")
    assert response.status_code == 201

    after = doors()
    assert after == {"api": 404, "screen": 404, "consents": 404, "bnl": False, "csv": False, "search": False,
                     "shelter_list": ""}
    bnl = api.get("/api/v1/bnl/").content.decode()
    assert entry.label in bnl  # the label stays
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoked_by == holder
    # Pulls: the program is told the label and whom to contact, never the person's name.
    vacancy = vacancy_create(program=program, actor=other, units=1)
    pulled = api.post(f"/api/v1/vacancies/{vacancy.pk}/pull/", {"count": 1}, format="json")
    assert pulled.status_code == 201 and SURNAME not in pulled.content.decode()
    assert pulled.json()["referrals"][0]["label"] == entry.label
    listed = api.get("/api/v1/referrals/").json()
    assert SURNAME not in str(listed)


def test_withdrawing_on_the_screen_needs_nothing_but_how_and_is_in_history(person, holder):
    record = give(person, holder)
    page = page_for(holder)
    response = page.post(reverse("consent-withdraw", args=[person.pk, record.pk]), {"method": "verbal"})
    assert response.status_code == 302
    record.refresh_from_db()
    person.refresh_from_db()
    assert record.revoked_at is not None and person.hmis_consent == "no"
    assert record.history.first().history_user == holder
    again = page.post(reverse("consent-withdraw", args=[person.pk, record.pk]), {"method": "verbal"},
                      HTTP_REFERER=reverse("consent-page", args=[person.pk]))
    assert again.status_code == 400 and "nothing to withdraw" in again.content.decode()


def test_a_scoped_consent_shares_only_with_the_agencies_named(person, holder):
    named = UserFactory(agency=AgencyFactory(hmis_participating=True), roles=[roles.CASE_WORKER])
    other = UserFactory(agency=AgencyFactory(hmis_participating=True), roles=[roles.CASE_WORKER])
    coc = UserFactory(agency=AgencyFactory(), roles=[roles.COC_STAFF])
    give(person, holder, scope=ConsentRecord.Scope.AGENCIES, scope_agency_ids=[named.agency_id])
    url = f"/api/v1/clients/{person.pk}/"
    assert api_for(named).get(url).status_code == 200
    assert api_for(other).get(url).status_code == 404
    assert api_for(coc).get(url).status_code == 200
    # Renewed for everyone: the other agency sees the person too.
    give(person, holder)
    assert api_for(other).get(url).status_code == 200


# --- expiry: a reminder, then the lapse (the sweep, as the system user) ---------------------------


def test_hmis_consent_reminds_the_holding_agency_then_lapses_in_the_sweep(person, holder):
    other = UserFactory(agency=AgencyFactory(hmis_participating=True), roles=[roles.CASE_WORKER])
    record = give(person, holder, effective_on=date(2026, 1, 10), expires_on=date(2027, 1, 10))
    url = f"/api/v1/clients/{person.pk}/"
    assert api_for(other).get(url).status_code == 200
    with time_machine.travel(datetime(2026, 12, 12, 12, tzinfo=timezone.get_current_timezone()), tick=False):
        deadlines_sweep()
    reminder = Notification.objects.get(recipient=holder)
    assert person.label in reminder.subject and "2027-01-10" in reminder.subject
    assert not Notification.objects.filter(recipient=other).exists()
    assert api_for(other).get(url).status_code == 200  # not lapsed yet
    with time_machine.travel(datetime(2027, 1, 10, 1, tzinfo=timezone.get_current_timezone()), tick=False):
        deadlines_sweep()
        assert api_for(other).get(url).status_code == 404
    record.refresh_from_db()
    person.refresh_from_db()
    assert record.expired_at is not None and person.hmis_consent == "not_collected"
    latest = person.history.first()
    assert latest.history_user == system_user_get() and latest.history_change_reason == "consent.expiry"


def test_a_renewal_before_expiry_keeps_the_person_shared(person, holder):
    other = UserFactory(agency=AgencyFactory(hmis_participating=True), roles=[roles.CASE_WORKER])
    give(person, holder, effective_on=date(2026, 1, 10), expires_on=date(2027, 1, 10))
    give(person, holder, effective_on=date(2027, 1, 5))  # renewed: three more years
    with time_machine.travel(datetime(2027, 1, 11, 9, tzinfo=timezone.get_current_timezone()), tick=False):
        deadlines_sweep()
        assert api_for(other).get(f"/api/v1/clients/{person.pk}/").status_code == 200
    person.refresh_from_db()
    assert person.hmis_consent == "yes"


# --- scripts on the screen, confirmations recorded ---------------------------------------------


def test_the_consent_page_shows_the_scripts_in_both_languages(person, holder):
    page = page_for(holder)
    english = page.get(reverse("consent-page", args=[person.pk])).content.decode()
    assert "Domestic Violence partners" in english and "not required to tell me about any specific disability" in english
    spanish = page.get(reverse("consent-page", args=[person.pk]) + "?script=es").content.decode()
    assert "violencia doméstica" in spanish and "No está obligado(a) a decirme" in spanish


def test_the_screen_asks_for_the_script_confirmations_and_records_them(person, holder):
    page = page_for(holder)
    url = reverse("consent-page", args=[person.pk])
    body = {"kind": "hmis", "answer": "yes", "method": "verbal", "note": "by phone", "next": url}
    refused = page.post(url, body)
    html = refused.content.decode()
    assert refused.status_code == 400 and "Read the consent script" in html and "Domestic Violence partner" in html
    assert "by phone" in html  # what was typed is kept
    assert not person.consents.exists()
    done = page.post(url, {**body, "script_read": "true", "dv_offer_read": "true", "script_language": "es"})
    assert done.status_code == 302
    record = person.consents.get()
    assert record.script_read and record.dv_offer_read and record.script_language == "es"
    vi = page.post(url, {"kind": "vi", "answer": "yes", "method": "verbal", "script_read": "true",
                         "disability_notice_read": "true", "next": url})
    assert vi.status_code == 302
    assert person.consents.get(kind="vi").disability_notice_read is True


def test_the_intake_records_which_scripts_were_read(holder):
    agent = call_agent()
    result = intake_submit(actor=agent, answers=worked_example_2_answers(
        hmis_consent="yes", hmis_script_read="true", dv_partner_offer_read="true", vi_script_read="true",
        disability_notice_read="true"))
    hmis = result.client.consents.get(kind="hmis_roi")
    vi = result.client.consents.get(kind="vi")
    assert hmis.script_read and hmis.dv_offer_read and hmis.expires_on is not None
    assert vi.script_read and vi.disability_notice_read
    assert result.intake.hmis_script_read is True and result.intake.disability_notice_read is True


# --- the client's copy ------------------------------------------------------------------------


def test_a_printed_copy_is_a_pdf_in_the_clients_language_and_logged(person, holder):
    person.preferred_language = "es"
    person.save()
    record = give(person, holder, method=ConsentRecord.Method.WRITTEN, typed_name="Zebediah Quintanilla")
    response = page_for(holder).post(reverse("consent-copy", args=[person.pk, record.pk]))
    assert response.status_code == 302
    document = ClientDocument.objects.get(client=person, kind="consent")
    assert document.language == "es" and document.version == 1
    download = page_for(holder).get(response["Location"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    stranger = UserFactory(agency=AgencyFactory(hmis_participating=False), roles=[roles.CASE_WORKER])
    assert page_for(stranger).post(reverse("consent-copy", args=[person.pk, record.pk])).status_code == 404


# --- disclosures without consent ----------------------------------------------------------------


def test_disclosures_are_logged_with_who_to_whom_and_why(person, holder):
    api = api_for(holder)
    url = f"/api/v1/clients/{person.pk}/disclosures/"
    response = api.post(url, {"basis": "court_order", "disclosed_to": "Placer County Superior Court",
                              "information": "Dates of service", "reason": "Subpoena", "reference": "Case 26-114"},
                        format="json")
    assert response.status_code == 201
    disclosure = Disclosure.objects.get()
    assert disclosure.disclosed_by == holder and disclosure.history.first().history_user == holder
    assert api.get(url).json()[0]["disclosed_to"] == "Placer County Superior Court"
    missing = api.post(url, {"basis": "gossip", "disclosed_to": "", "information": "x", "reason": "y"}, format="json")
    assert missing.status_code == 400 and {"basis", "disclosed_to"} <= set(missing.json()["errors"])
    future = api.post(url, {"basis": "medical_emergency", "disclosed_to": "ER", "information": "x", "reason": "y",
                            "disclosed_at": (timezone.now() + timedelta(days=2)).isoformat()}, format="json")
    assert future.status_code == 400 and "disclosed_at" in future.json()["errors"]
    program = ProgramFactory(agency=holder.agency)
    staff = UserFactory(agency=holder.agency, roles=[roles.PROGRAM_STAFF])
    assert program and api_for(staff).post(url, {"basis": "required_by_law", "disclosed_to": "x", "information": "x",
                                                 "reason": "y"}, format="json").status_code == 403
    assert Disclosure.objects.count() == 1
