"""Who sees a person's data, through the real URLs (page and API), per persona."""

import re

import pytest
from django.urls import reverse

from ces import roles
from ces.models import AccessLog
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_a():
    return AgencyFactory(name="Agency A", initials="AAA")


@pytest.fixture
def agency_b():
    return AgencyFactory(name="Agency B", initials="BBB")


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _urls(person):
    return [reverse("client-detail", args=[person.pk]), reverse("api-client-detail", args=[person.pk])]


def test_client_of_agency_a_is_404_for_other_agency_worker_without_consent(client, agency_a, agency_b):
    person = ClientFactory(holding_agency=agency_a, hmis_consent="no")
    other_worker = UserFactory(agency=agency_b, roles=[roles.CASE_WORKER])
    for url in _urls(person):
        assert _get(client, other_worker, url).status_code == 404


def test_client_of_agency_a_is_200_for_agency_a_worker(client, agency_a):
    person = ClientFactory(holding_agency=agency_a, hmis_consent="no", first_name="Ana")
    own_worker = UserFactory(agency=agency_a, roles=[roles.CASE_WORKER])
    page = _get(client, own_worker, reverse("client-detail", args=[person.pk]))
    assert page.status_code == 200
    assert "Ana" in page.content.decode()
    api = client.get(reverse("api-client-detail", args=[person.pk]))
    assert api.status_code == 200 and api.json()["first_name"] == "Ana"


def test_consented_client_is_visible_to_other_hmis_participating_agency(client, agency_a, agency_b):
    person = ClientFactory(holding_agency=agency_a, hmis_consent="yes")
    other_worker = UserFactory(agency=agency_b, roles=[roles.CASE_WORKER])
    for url in _urls(person):
        assert _get(client, other_worker, url).status_code == 200


def test_consented_client_is_hidden_from_non_participating_agency(client, agency_a):
    non_hmis = AgencyFactory(initials="NHA", hmis_participating=False)
    person = ClientFactory(holding_agency=agency_a, hmis_consent="yes")
    worker = UserFactory(agency=non_hmis, roles=[roles.CASE_WORKER])
    for url in _urls(person):
        assert _get(client, worker, url).status_code == 404


@pytest.mark.parametrize("role", [roles.COC_STAFF, roles.HMIS_ADMIN])
def test_coc_staff_and_admin_see_consented_clients_only(client, agency_a, role):
    non_hmis = AgencyFactory(initials="CCC", hmis_participating=False)
    staff = UserFactory(agency=non_hmis, roles=[role])
    consented = ClientFactory(holding_agency=agency_a, hmis_consent="yes")
    refused = ClientFactory(holding_agency=agency_a, hmis_consent="refused")
    assert _get(client, staff, reverse("client-detail", args=[consented.pk])).status_code == 200
    assert _get(client, staff, reverse("client-detail", args=[refused.pk])).status_code == 404


def test_vsp_clients_never_leave_the_vsp_even_with_consent(client, agency_b):
    vsp = AgencyFactory(initials="VSP", vsp=True)
    person = ClientFactory(holding_agency=vsp, hmis_consent="yes")
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    for persona in (
        UserFactory(agency=agency_b, roles=[roles.CASE_WORKER]),
        UserFactory(agency=agency_b, roles=[roles.COC_STAFF]),
        UserFactory(agency=agency_b, roles=[roles.HMIS_ADMIN]),
        UserFactory(agency=agency_b, roles=[roles.PROGRAM_STAFF]),
    ):
        for url in _urls(person):
            assert _get(client, persona, url).status_code == 404, persona
    assert _get(client, advocate, reverse("client-detail", args=[person.pk])).status_code == 200


def test_missing_and_forbidden_clients_look_the_same(client, agency_a, agency_b):
    person = ClientFactory(holding_agency=agency_a)
    outsider = UserFactory(agency=agency_b, roles=[roles.CASE_WORKER])
    forbidden_url = reverse("client-detail", args=[person.pk])
    missing_url = reverse("client-detail", args=[person.pk + 10_000])
    forbidden = _get(client, outsider, forbidden_url)
    missing = client.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404

    def page_without_tokens_and_path(response, url):
        html = re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', "", response.content.decode())
        return html.replace(url, "<url>")

    assert page_without_tokens_and_path(forbidden, forbidden_url) == page_without_tokens_and_path(missing, missing_url)


def test_user_without_a_role_sees_nobody(client, agency_a):
    person = ClientFactory(holding_agency=agency_a)
    nobody = UserFactory(agency=agency_a, roles=[])
    assert _get(client, nobody, reverse("client-detail", args=[person.pk])).status_code == 404


def test_anonymous_is_sent_to_login_and_api_says_401_or_403(client, agency_a):
    person = ClientFactory(holding_agency=agency_a)
    page = client.get(reverse("client-detail", args=[person.pk]))
    assert page.status_code == 302 and reverse("login") in page["Location"]
    assert client.get(reverse("api-client-detail", args=[person.pk])).status_code in (401, 403)


def test_every_view_of_a_client_is_in_the_access_log(client, agency_a):
    person = ClientFactory(holding_agency=agency_a)
    worker = UserFactory(agency=agency_a, roles=[roles.CASE_WORKER])
    _get(client, worker, reverse("client-detail", args=[person.pk]))
    client.get(reverse("api-client-detail", args=[person.pk]), REMOTE_ADDR="10.1.2.3")
    logged = list(AccessLog.objects.filter(client=person, user=worker).values_list("action", flat=True))
    assert sorted(logged) == sorted([AccessLog.Action.VIEW_CLIENT, AccessLog.Action.API_READ])


def test_search_lists_only_visible_clients(client, agency_a, agency_b):
    mine = ClientFactory(holding_agency=agency_a, first_name="Rosa", last_name="Mendez")
    theirs = ClientFactory(holding_agency=agency_b, first_name="Rosa", last_name="Mendez", hmis_consent="no")
    worker = UserFactory(agency=agency_a, roles=[roles.CALL_AGENT])
    page = _get(client, worker, reverse("client-list") + "?q=rosa+mendez")
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.label in html and theirs.label not in html


def test_search_by_ssn_uses_the_keyed_hash(client, agency_a):
    person = ClientFactory(holding_agency=agency_a, ssn="123-45-6789")
    worker = UserFactory(agency=agency_a, roles=[roles.CALL_AGENT])
    page = _get(client, worker, reverse("client-list") + "?q=123456789")
    assert person.label in page.content.decode()


def test_bad_date_in_search_says_what_is_wrong_and_keeps_the_text(client, agency_a):
    worker = UserFactory(agency=agency_a, roles=[roles.CALL_AGENT])
    page = _get(client, worker, reverse("client-list") + "?q=Rosa&dob=31-02-1990")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter the date of birth as YYYY-MM-DD." in html
    assert 'value="Rosa"' in html
