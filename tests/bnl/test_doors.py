"""Issue 10 ("Thin edges") for the list: every action has one declared input, the service is the
only gate (the screen and the API get the same answer), and bad input never answers 500 and
saves nothing.

Screens answer a refused form the way ces.web.screen_action does: back to the page, with the
message (302); a NUL byte never reaches the view (ces.middleware: 400). The API answers 400
with messages keyed by field.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bnl.models import BnlEntry, CaseManagementPoint
from bnl.services import (
    NOT_A_CASE_MANAGER,
    NOT_LIST_MANAGER,
    NOT_YOUR_VSP_LIST,
    VSP_NUMBER_REQUIRED,
    bnl_case_management_set,
    bnl_entry_status_set,
    bnl_place_deidentified_on_coc_list,
)
from ces import roles
from ces.errors import Forbidden, Invalid
from tests.factories import AgencyFactory, BnlEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
BAD_NUMBERS = {"superscript two": "²", "thirty-one digits": str(10**30), "letters": "abc", "empty": ""}


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def state(entry: BnlEntry) -> tuple:
    entry.refresh_from_db()
    return (entry.status, entry.status_reason, entry.score, CaseManagementPoint.objects.count(),
            BnlEntry.objects.count(), entry.history.count())


@pytest.fixture
def own_entry():
    holder = AgencyFactory()
    worker = UserFactory(agency=holder, roles=[roles.CASE_WORKER])
    return BnlEntryFactory(client__holding_agency=holder, score=10, subtotal=10), worker


# --- the list's filter: the screen, the CSV and the API take the same one --------------------


@pytest.mark.parametrize(("name", "value"), [
    ("program", "²"), ("program", str(10**30)), ("program", "abc"), ("program", "999999"),
    ("page", "²"), ("page", str(10**30)), ("page", "abc"), ("page", "0"),
    ("status", "lost"), ("county", "mars"), ("chronic", "maybe"), ("list", "everyone"),
])
def test_a_bad_filter_is_400_at_every_door_keyed_by_the_parameter(name, value):
    BnlEntryFactory()
    coc = UserFactory(roles=[roles.COC_STAFF])
    response = api_for(coc).get("/api/v1/bnl/", {name: value})
    assert response.status_code == 400 and set(response.json()["errors"]) == {name}
    page = page_for(coc)
    screen = page.get(reverse("bnl-list"), {name: value})
    assert screen.status_code == 400 and "error-summary" in screen.content.decode()
    assert page.get(reverse("bnl-export"), {name: value}).status_code == 400


def test_empty_filters_mean_no_filter_at_every_door():
    entry = BnlEntryFactory()
    coc = UserFactory(roles=[roles.COC_STAFF])
    empty = {"program": "", "status": "", "county": "", "chronic": "", "list": "", "page": ""}
    assert [r["id"] for r in api_for(coc).get("/api/v1/bnl/", empty).json()["results"]] == [entry.pk]
    assert page_for(coc).get(reverse("bnl-list"), empty).status_code == 200


def test_a_nul_byte_in_the_filter_is_400_at_every_door():
    coc = UserFactory(roles=[roles.COC_STAFF])
    assert api_for(coc).get("/api/v1/bnl/", {"county": NUL}).status_code == 400
    assert page_for(coc).get(reverse("bnl-list"), {"county": NUL}).status_code == 400
    assert page_for(coc).get(reverse("bnl-export"), {"county": NUL}).status_code == 400


def test_the_api_pages_with_a_bounded_page_size():
    for score in range(5):
        BnlEntryFactory(score=score)
    api = api_for(UserFactory(roles=[roles.COC_STAFF]))
    body = api.get("/api/v1/bnl/", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 5 and [r["rank"] for r in body["results"]] == [3, 4]
    assert body["next"] and body["previous"]
    assert api.get("/api/v1/bnl/", {"page_size": 201}).status_code == 400
    assert api.get("/api/v1/bnl/", {"page": 99}).status_code == 404  # past the last page


# --- case-management points -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["item", "points"])
@pytest.mark.parametrize("value", list(BAD_NUMBERS.values()) + [10**30, 7, -1, True], ids=list(BAD_NUMBERS) + ["huge", "7", "-1", "true"])
def test_case_management_refuses_bad_numbers_at_both_doors_and_saves_nothing(own_entry, field, value):
    entry, worker = own_entry
    before = state(entry)
    body = {"item": 1, "points": 1, "justification": "Observed at outreach", field: value}
    response = api_for(worker).post(f"/api/v1/bnl/{entry.pk}/case-management-points/", body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {field}
    screen = page_for(worker).post(reverse("bnl-case-management", args=[entry.pk]), {**body, field: str(value)}, follow=True)
    assert screen.status_code == 400  # the page again, with the message
    assert state(entry) == before


def test_case_management_refuses_a_nul_byte_at_both_doors(own_entry):
    entry, worker = own_entry
    before = state(entry)
    body = {"item": 1, "points": 1, "justification": NUL}
    assert api_for(worker).post(f"/api/v1/bnl/{entry.pk}/case-management-points/", body, format="json").status_code == 400
    assert page_for(worker).post(reverse("bnl-case-management", args=[entry.pk]), body).status_code == 400
    assert state(entry) == before


def test_the_screen_shows_the_refusal_and_keeps_what_was_typed(own_entry):
    entry, worker = own_entry
    page = page_for(worker)
    detail = reverse("bnl-detail", args=[entry.pk])
    response = page.post(reverse("bnl-case-management", args=[entry.pk]),
                         {"item": "²", "points": 1, "justification": "Seen limping", "next": detail}, follow=True)
    assert response.status_code == 400 and not response.redirect_chain  # the entry page again
    html = response.content.decode()
    assert "Enter a whole number" in html
    assert "Seen limping" not in html  # kept for item "²", which is no item of the page
    response = page.post(reverse("bnl-case-management", args=[entry.pk]),
                         {"item": 2, "points": 1, "justification": "x" * 2001, "next": detail}, follow=True)
    assert "x" * 2001 in response.content.decode()  # what was typed is back in item 2's box


def test_case_management_is_refused_by_the_service_to_who_may_not_see_the_person():
    entry = BnlEntryFactory(client__hmis_consent="no")
    outsider = UserFactory(roles=[roles.CASE_WORKER])
    with pytest.raises(Forbidden) as raised:
        bnl_case_management_set(entry=entry, item=1, points=1, justification="x", actor=outsider)
    assert raised.value.errors == {"non_field_errors": [NOT_A_CASE_MANAGER]}
    response = api_for(outsider).post(f"/api/v1/bnl/{entry.pk}/case-management-points/",
                                      {"item": 1, "points": 1, "justification": "x"}, format="json")
    assert response.status_code == 403 and response.json()["errors"]["non_field_errors"] == [str(NOT_A_CASE_MANAGER)]
    screen = page_for(outsider).post(reverse("bnl-case-management", args=[entry.pk]),
                                     {"item": 1, "points": 1, "justification": "x"}, follow=True)
    assert str(NOT_A_CASE_MANAGER) in screen.content.decode()
    assert not CaseManagementPoint.objects.exists()


# --- status corrections (CoC staff) -----------------------------------------------------------


def test_status_is_set_by_coc_staff_only_and_the_service_says_so():
    entry = BnlEntryFactory()
    worker = UserFactory(agency=entry.client.holding_agency, roles=[roles.CASE_WORKER])
    before = state(entry)
    with pytest.raises(Forbidden):
        bnl_entry_status_set(entry=entry, status="exited", exit_reason="moved_away", actor=worker)
    response = api_for(worker).post(f"/api/v1/bnl/{entry.pk}/status/", {"status": "exited", "exit_reason": "moved_away"},
                                    format="json")
    assert response.status_code == 403 and response.json()["errors"]["non_field_errors"] == [str(NOT_LIST_MANAGER)]
    assert state(entry) == before
    coc = UserFactory(roles=[roles.COC_STAFF])
    response = api_for(coc).post(f"/api/v1/bnl/{entry.pk}/status/", {"status": "exited", "exit_reason": "moved_away"},
                                 format="json")
    assert response.status_code == 200 and response.json()["status"] == "exited"


@pytest.mark.parametrize(("body", "field"), [
    ({"status": "on_referral"}, "status"),
    ({"status": "²"}, "status"),
    ({"status": ""}, "status"),
    ({"status": 10**30}, "status"),
    ({"status": "exited"}, "exit_reason"),
    ({"status": "exited", "exit_reason": "bored"}, "exit_reason"),
    ({"status": "exited", "exit_reason": "other"}, "reason"),
    ({"status": "inactive", "reason": "x" * 251}, "reason"),
])
def test_status_refuses_bad_input_at_both_doors_and_saves_nothing(body, field):
    entry = BnlEntryFactory()
    coc = UserFactory(roles=[roles.COC_STAFF])
    before = state(entry)
    response = api_for(coc).post(f"/api/v1/bnl/{entry.pk}/status/", body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {field}
    screen = page_for(coc).post(reverse("bnl-status", args=[entry.pk]), {k: str(v) for k, v in body.items()}, follow=True)
    assert screen.status_code == 400  # the page again, with the message
    assert state(entry) == before


def test_status_refuses_a_nul_byte_at_both_doors():
    entry = BnlEntryFactory()
    coc = UserFactory(roles=[roles.COC_STAFF])
    before = state(entry)
    body = {"status": "inactive", "reason": NUL}
    assert api_for(coc).post(f"/api/v1/bnl/{entry.pk}/status/", body, format="json").status_code == 400
    assert page_for(coc).post(reverse("bnl-status", args=[entry.pk]), body).status_code == 400
    assert state(entry) == before


def test_an_entry_on_referral_keeps_its_status_until_the_program_decides():
    entry = BnlEntryFactory(status="on_referral")
    with pytest.raises(Invalid):
        bnl_entry_status_set(entry=entry, status="active", actor=UserFactory(roles=[roles.COC_STAFF]))
    assert BnlEntry.objects.get(pk=entry.pk).status == "on_referral"


def test_an_exit_for_another_reason_is_explained():
    entry = BnlEntryFactory()
    bnl_entry_status_set(entry=entry, status="exited", exit_reason="other", reason="Entered long-term care",
                         actor=UserFactory(roles=[roles.COC_STAFF]))
    entry.refresh_from_db()
    assert entry.status_reason == "other: Entered long-term care"


# --- a VSP places its own entry on the CoC list ----------------------------------------------


@pytest.fixture
def vsp_entry():
    vsp = AgencyFactory(vsp=True, initials="SUP")
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    return BnlEntryFactory(client__holding_agency=vsp, list_owner=vsp), advocate


@pytest.mark.parametrize("number", ["²", "José", "Jane Doe", str(10**30), "", "-12", 4471.5])
def test_the_vsp_number_is_letters_digits_and_dashes_at_both_doors(vsp_entry, number):
    source, advocate = vsp_entry
    before = state(source)
    response = api_for(advocate).post(f"/api/v1/bnl/{source.pk}/place-on-coc-list/", {"vsp_client_number": number},
                                      format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"vsp_client_number"}
    screen = page_for(advocate).post(reverse("bnl-place-on-coc", args=[source.pk]), {"vsp_client_number": str(number)},
                                     follow=True)
    assert screen.status_code in (400, 403)
    assert state(source) == before
    with pytest.raises(Invalid) as raised:
        bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="²", actor=advocate)
    assert raised.value.errors == {"vsp_client_number": [VSP_NUMBER_REQUIRED]}


def test_the_vsp_number_refuses_a_nul_byte_at_both_doors(vsp_entry):
    source, advocate = vsp_entry
    before = state(source)
    assert api_for(advocate).post(f"/api/v1/bnl/{source.pk}/place-on-coc-list/", {"vsp_client_number": NUL},
                                  format="json").status_code == 400
    assert page_for(advocate).post(reverse("bnl-place-on-coc", args=[source.pk]), {"vsp_client_number": NUL}).status_code == 400
    assert state(source) == before


def test_placing_on_the_coc_list_answers_the_copy_without_personal_data(vsp_entry):
    source, advocate = vsp_entry
    response = api_for(advocate).post(f"/api/v1/bnl/{source.pk}/place-on-coc-list/", {"vsp_client_number": "A-4471"},
                                      format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["label"] == "SUP-A-4471" and "client" not in body and body["contact_vsp"]["agency_id"] == source.list_owner_id
    again = api_for(advocate).post(f"/api/v1/bnl/{source.pk}/place-on-coc-list/", {"vsp_client_number": "A-4472"},
                                   format="json")
    assert again.status_code == 400 and BnlEntry.objects.filter(source_entry=source).count() == 1


def test_only_that_vsps_advocates_place_its_entries():
    vsp = AgencyFactory(vsp=True)
    source = BnlEntryFactory(client__holding_agency=vsp, list_owner=vsp)
    case_worker_at_the_vsp = UserFactory(agency=vsp, roles=[roles.CASE_WORKER])
    with pytest.raises(Forbidden) as raised:
        bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="1", actor=case_worker_at_the_vsp)
    assert raised.value.errors == {"non_field_errors": [NOT_YOUR_VSP_LIST]}
    other_advocate = UserFactory(agency=AgencyFactory(vsp=True), roles=[roles.VSP_ADVOCATE])
    response = api_for(other_advocate).post(f"/api/v1/bnl/{source.pk}/place-on-coc-list/", {"vsp_client_number": "1"},
                                            format="json")
    assert response.status_code == 404  # another VSP's list does not exist for them
    assert not BnlEntry.objects.filter(source_entry=source).exists()


def test_refusals_are_in_the_readers_language(own_entry):
    entry, worker = own_entry
    response = api_for(worker).post(f"/api/v1/bnl/{entry.pk}/case-management-points/",
                                    {"item": 1, "points": 1, "justification": " "}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["errors"] == {"justification": [
        "Escriba por qué se agrega este punto: los puntos de gestión de casos necesitan una justificación."]}


def test_a_refused_status_form_comes_back_with_what_was_typed():
    entry = BnlEntryFactory()
    page = page_for(UserFactory(roles=[roles.COC_STAFF]))
    detail = reverse("bnl-detail", args=[entry.pk])
    response = page.post(reverse("bnl-status", args=[entry.pk]),
                         {"status": "exited", "exit_reason": "other", "reason": "", "next": detail}, follow=True)
    html = response.content.decode()
    assert response.status_code == 400 and not response.redirect_chain  # the entry page again
    assert "Explain the reason for leaving the list." in html
    assert '<option value="other" selected>' in html and '<option value="exited" selected>' in html
    assert BnlEntry.objects.get(pk=entry.pk).status == "active"
