"""Issue 10 ("Thin edges") for referrals: each action's declared input at both doors (the screen
and the API), bad input refused with a message and nothing saved; and issue 9's reads: a screen or
answer that names a person leaves one access-log row.

Screens answer a refused form the way ces.web.screen_action does (back to the page with the
message, 302); a NUL byte never reaches a view (ces.middleware: 400).
"""

from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.models import AccessLog, Notification
from intake.models import Shelter
from referrals.models import Pull, Referral, ShelterReferral, Vacancy
from referrals.selectors import contact_instruction
from referrals.services import (
    WALK_IN_ARRIVED,
    shelter_referral_create,
    shelter_walk_in_record,
    vacancy_create,
    vacancy_pull,
)
from referrals.shelter_lists import shelter_daily_lists_make
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, program_staff

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
BAD_NUMBERS = ["²", str(10**30), "abc", "", "1.5", "-1"]
LA = timezone.get_fixed_timezone(-8 * 60)


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def counts() -> tuple:
    return (Vacancy.objects.count(), Pull.objects.count(), Referral.objects.count(),
            list(Referral.objects.order_by("pk").values_list("status", flat=True)),
            list(BnlEntry.objects.order_by("pk").values_list("status", flat=True)),
            list(ShelterReferral.objects.order_by("pk").values_list("status", "denied_reason")), ShelterReferral.objects.count())


@pytest.fixture
def program():
    program = ProgramFactory(type="rrh")
    return program, program_staff(program)


# --- vacancies --------------------------------------------------------------------------------


@pytest.mark.parametrize("units", [0, 501])
def test_vacancy_units_out_of_range_answer_a_message_on_the_screen_and_400_on_the_api(program, units):
    program, staff = program
    screen = page_for(staff).post(reverse("vacancy-new", args=[program.pk]),
                                  {"units": units, "note": "Unit 4B", "next": reverse("program-detail", args=[program.pk])},
                                  follow=True)
    html = screen.content.decode()
    assert screen.status_code == 400 and not screen.redirect_chain  # the program page again, with the message
    assert ("Enter a number of at least 1." if units == 0 else "Enter a number of at most 500.") in html
    assert 'value="Unit 4B"' in html  # the note typed is still in the form
    response = api_for(staff).post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": units}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"units"}
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize("units", BAD_NUMBERS + [10**30, True])
def test_vacancy_refuses_bad_units_at_both_doors(program, units):
    program, staff = program
    response = api_for(staff).post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": units}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"units"}
    screen = page_for(staff).post(reverse("vacancy-new", args=[program.pk]), {"units": str(units)}, follow=True)
    assert screen.status_code == 400  # the page again, with the message
    assert not Vacancy.objects.exists()


def test_vacancy_refuses_a_nul_byte_at_both_doors(program):
    program, staff = program
    assert api_for(staff).post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": 1, "note": NUL},
                               format="json").status_code == 400
    assert page_for(staff).post(reverse("vacancy-new", args=[program.pk]), {"units": 1, "note": NUL}).status_code == 400
    assert not Vacancy.objects.exists()


# --- pulls and decisions ------------------------------------------------------------------------


@pytest.mark.parametrize("count", BAD_NUMBERS + [0, 6, 10**30, True])
def test_pull_refuses_bad_counts_at_both_doors_and_refers_nobody(program, count):
    program, staff = program
    BnlEntryFactory()
    vacancy = vacancy_create(program=program, actor=staff)
    before = counts()
    response = api_for(staff).post(f"/api/v1/vacancies/{vacancy.pk}/pull/", {"count": count}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"count"}
    screen = page_for(staff).post(reverse("vacancy-pull", args=[vacancy.pk]), {"count": str(count)}, follow=True)
    assert screen.status_code == 400  # the page again, with the message
    assert page_for(staff).post(reverse("vacancy-pull", args=[vacancy.pk]), {"count": NUL}).status_code == 400
    assert counts() == before


@pytest.fixture
def pending(program):
    program, staff = program
    BnlEntryFactory()
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    return pull.referrals.get(), staff


@pytest.mark.parametrize(("body", "field"), [
    ({"outcome": "²"}, "outcome"),
    ({"outcome": ""}, "outcome"),
    ({"outcome": "expired"}, "outcome"),
    ({"outcome": "pending"}, "outcome"),
    ({"outcome": 10**30}, "outcome"),
    ({"outcome": "provider_rejected", "reason": "abc", "justification": "x"}, "reason"),
    ({"outcome": "provider_rejected", "reason": "safety_concern", "justification": ""}, "justification"),
    ({"outcome": "provider_rejected", "reason": "safety_concern", "justification": "x" * 2001}, "justification"),
])
def test_decision_refuses_bad_input_at_both_doors_and_changes_nothing(pending, body, field):
    referral, staff = pending
    before = counts()
    response = api_for(staff).post(f"/api/v1/referrals/{referral.pk}/decision/", body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {field}
    screen = page_for(staff).post(reverse("referral-decision", args=[referral.pk]), {k: str(v) for k, v in body.items()},
                                  follow=True)
    assert screen.status_code == 400  # the page again, with the message
    assert counts() == before


def test_decision_refuses_a_nul_byte_at_both_doors(pending):
    referral, staff = pending
    before = counts()
    body = {"outcome": "provider_rejected", "reason": "safety_concern", "justification": NUL}
    assert api_for(staff).post(f"/api/v1/referrals/{referral.pk}/decision/", body, format="json").status_code == 400
    assert page_for(staff).post(reverse("referral-decision", args=[referral.pk]), body).status_code == 400
    assert counts() == before


def test_the_program_screen_offers_the_outcomes_the_workflow_allows(pending):
    referral, staff = pending
    url = reverse("program-detail", args=[referral.program_id])
    assert 'value="accepted"' in page_for(staff).get(url).content.decode()
    api_for(staff).post(f"/api/v1/referrals/{referral.pk}/decision/", {"outcome": "accepted"}, format="json")
    html = page_for(staff).get(url).content.decode()
    assert 'value="accepted"' not in html and 'value="enrolled"' in html


def test_referral_reads_leave_one_access_log_row_when_they_name_someone(pending):
    referral, staff = pending  # the factory's client consented: program staff see the name
    page_for(staff).get(reverse("program-detail", args=[referral.program_id]))
    api_for(staff).get("/api/v1/referrals/")
    api_for(staff).post(f"/api/v1/referrals/{referral.pk}/decision/", {"outcome": "accepted"}, format="json")
    logs = list(AccessLog.objects.filter(user=staff).order_by("pk").values_list("action", "client_id"))
    client_id = referral.entry.client_id
    assert logs == [("view_list", None), ("view_list", None), ("api_read", client_id)]
    assert str(client_id) in AccessLog.objects.filter(user=staff).order_by("pk").first().detail


def test_referral_reads_of_labels_only_leave_no_row():
    program = ProgramFactory(type="rrh", agency=AgencyFactory(hmis_participating=False))
    staff = program_staff(program)
    BnlEntryFactory(client__hmis_consent="no")
    vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    page_for(staff).get(reverse("program-detail", args=[program.pk]))
    api_for(staff).get("/api/v1/referrals/")
    assert not AccessLog.objects.filter(user=staff).exists()


# --- emergency shelters --------------------------------------------------------------------------


@pytest.fixture
def shelter():
    shelter = Shelter.objects.get(name="Hospitality House")
    shelter.program = ProgramFactory(type="es", counties=["nevada"])
    shelter.save()
    staff = UserFactory(agency=shelter.program.agency, roles=[roles.PROGRAM_STAFF])
    referral = shelter_referral_create(client=ClientFactory(hmis_consent="yes", first_name="Ana"), shelter=shelter,
                                       actor=UserFactory(roles=[roles.CALL_AGENT]))
    return shelter, staff, referral


@pytest.mark.parametrize(("body", "field"), [
    ({"status": "²"}, "status"),
    ({"status": ""}, "status"),
    ({"status": "pending"}, "status"),
    ({"status": 10**30}, "status"),
    ({"status": "denied", "reason": ""}, "reason"),
    ({"status": "denied", "reason": "x" * 301}, "reason"),
])
def test_shelter_status_refuses_bad_input_at_both_doors(shelter, body, field):
    shelter, staff, referral = shelter
    before = counts()
    response = api_for(staff).post(f"/api/v1/shelter-referrals/{referral.pk}/status/", body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {field}
    screen = page_for(staff).post(reverse("shelter-referral-status", args=[referral.pk]),
                                  {k: str(v) for k, v in body.items()}, follow=True)
    assert screen.status_code == 400  # the page again, with the message
    assert page_for(staff).post(reverse("shelter-referral-status", args=[referral.pk]),
                                {"status": "denied", "reason": NUL}).status_code == 400
    assert counts() == before


@pytest.mark.parametrize(("body", "field"), [({"name": ""}, "name"), ({"name": "x" * 201}, "name"),
                                             ({"name": "Sam", "note": "x" * 2001}, "note")])
def test_walk_in_refuses_bad_input_at_both_doors(shelter, body, field):
    shelter, staff, referral = shelter
    before = counts()
    response = api_for(staff).post(f"/api/v1/shelters/{shelter.pk}/walk-ins/", body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {field}
    screen = page_for(staff).post(reverse("shelter-walk-in", args=[shelter.pk]), body, follow=True)
    assert screen.status_code == 400  # the page again, with the message
    assert page_for(staff).post(reverse("shelter-walk-in", args=[shelter.pk]), {"name": NUL}).status_code == 400
    assert counts() == before


def test_walk_in_through_the_api_arrives_and_cannot_then_be_denied(shelter):
    shelter, staff, referral = shelter
    response = api_for(staff).post(f"/api/v1/shelters/{shelter.pk}/walk-ins/", {"name": "Sam"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "arrived"
    walk_in = ShelterReferral.objects.get(pk=response.json()["id"])
    denied = api_for(staff).post(f"/api/v1/shelter-referrals/{walk_in.pk}/status/", {"status": "denied", "reason": "full"},
                                 format="json")
    assert denied.status_code == 400 and denied.json()["errors"] == {"non_field_errors": [str(WALK_IN_ARRIVED)]}
    walk_in.refresh_from_db()
    assert walk_in.status == "arrived"
    outsider = UserFactory(roles=[roles.PROGRAM_STAFF])
    assert api_for(outsider).post(f"/api/v1/shelters/{shelter.pk}/walk-ins/", {"name": "Sam"}, format="json").status_code == 404


def test_the_shelter_screen_leaves_one_access_log_row_and_offers_no_status_for_a_walk_in(shelter):
    shelter, staff, referral = shelter
    shelter_walk_in_record(shelter=shelter, name="Sam", actor=staff)
    html = page_for(staff).get(reverse("shelter-detail", args=[shelter.pk])).content.decode()
    assert "Ana" in html and html.count('name="status"') == 1  # the walk-in has no status form
    log = AccessLog.objects.get(user=staff)
    assert log.action == "view_list" and str(referral.client_id) in log.detail


# --- translated notices and messages ----------------------------------------------------------


def test_the_daily_list_notice_is_in_the_recipients_language_and_links_with_reverse(shelter):
    shelter, staff, referral = shelter
    staff.preferred_language = "es"
    staff.save()
    with time_machine.travel(datetime(2026, 11, 22, 7, 0, tzinfo=LA), tick=False):
        ShelterReferral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timezone.timedelta(hours=2))
        shelter_daily_lists_make()
    note = Notification.objects.get(recipient=staff)
    assert note.subject == "Hospitality House: 1 personas remitidas en las últimas 24 horas"
    assert note.link == reverse("shelter-detail", args=[shelter.pk])


def test_who_to_contact_is_said_in_the_readers_language():
    vsp = AgencyFactory(vsp=True, name="Stand Up Placer", initials="SUP", phone="")
    entry = BnlEntryFactory(client=None, vsp=vsp, vsp_client_number="77")
    with translation.override("es"):
        text = contact_instruction(user=UserFactory(roles=[roles.PROGRAM_STAFF]), entry=entry)
    assert text.startswith("Comuníquese con Stand Up Placer acerca de SUP-77")


def test_service_refusals_are_in_the_readers_language(program):
    program, staff = program
    response = api_for(staff).post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": 1}, format="json",
                                   HTTP_ACCEPT_LANGUAGE="es")
    vacancy_id = response.json()["id"]
    Vacancy.objects.filter(pk=vacancy_id).update(status="filled")
    response = api_for(staff).post(f"/api/v1/vacancies/{vacancy_id}/pull/", {"count": 1}, format="json",
                                   HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["Esta vacante ya no está abierta."]
