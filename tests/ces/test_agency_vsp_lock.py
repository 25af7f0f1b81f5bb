"""One flag must not expose every DV record (issue 9, item 5): an agency's VSP status cannot change
while it holds clients or list entries — not through the API, the admin or raw SQL — and no
client moves into or out of a victim service provider."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from ces import roles
from ces.errors import Invalid
from ces.models import Agency
from ces.services import AGENCY_VSP_LOCKED, agency_save
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vsp():
    return AgencyFactory(name="Safe Harbor", initials="SHV", vsp=True)


@pytest.fixture
def admin_user():
    return UserFactory(agency=AgencyFactory(initials="ADM", kind=Agency.Kind.LEAD), roles=[roles.HMIS_ADMIN], is_staff=True)


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def _holdings(vsp):
    """The three ways an agency holds people."""
    return {
        "a client": lambda: ClientFactory(holding_agency=vsp, hmis_consent="yes"),
        "its own list": lambda: BnlEntryFactory(client=ClientFactory(holding_agency=vsp), list_owner=vsp),
        "a de-identified entry": lambda: BnlEntryFactory(client=None, vsp=vsp, vsp_client_number="V-17"),
    }


@pytest.mark.parametrize("holding", ["a client", "its own list", "a de-identified entry"])
def test_api_cannot_unset_is_vsp_while_the_vsp_holds_people(api, vsp, holding):
    _holdings(vsp)[holding]()
    versions = vsp.history.count()
    response = api.patch(reverse("api-agency-detail", args=[vsp.pk]), {"is_vsp": False}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"is_vsp": [str(AGENCY_VSP_LOCKED)]}}
    vsp.refresh_from_db()
    assert vsp.is_vsp and vsp.history.count() == versions


def test_an_agency_holding_people_cannot_become_a_vsp_either(api):
    agency = AgencyFactory(initials="HSG")
    ClientFactory(holding_agency=agency)
    response = api.patch(reverse("api-agency-detail", args=[agency.pk]),
                         {"is_vsp": True, "hmis_participating": False}, format="json")
    assert response.status_code == 400 and "is_vsp" in response.json()["errors"]
    agency.refresh_from_db()
    assert not agency.is_vsp and agency.hmis_participating


def test_an_agency_holding_nobody_may_change_is_vsp_and_other_fields_stay_editable(api, vsp):
    response = api.patch(reverse("api-agency-detail", args=[vsp.pk]), {"is_vsp": False}, format="json")
    assert response.status_code == 200 and response.json()["is_vsp"] is False
    ClientFactory(holding_agency=vsp)
    renamed = api.patch(reverse("api-agency-detail", args=[vsp.pk]), {"name": "Harbor House", "is_vsp": False}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Harbor House"


def test_the_service_refuses_with_the_field_named(vsp, admin_user):
    ClientFactory(holding_agency=vsp)
    with pytest.raises(Invalid) as refused:
        agency_save(agency=vsp, actor=admin_user, is_vsp=False)
    assert refused.value.errors == {"is_vsp": [AGENCY_VSP_LOCKED]}


def test_admin_form_refuses_it_with_the_message(client, vsp, admin_user):
    ClientFactory(holding_agency=vsp)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:ces_agency_change", args=[vsp.pk]),
        {"name": vsp.name, "initials": vsp.initials, "kind": vsp.kind, "hmis_participating": "", "is_active": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert str(AGENCY_VSP_LOCKED) in response.content.decode()
    vsp.refresh_from_db()
    assert vsp.is_vsp


def test_raw_sql_cannot_unset_is_vsp_while_the_vsp_holds_people(vsp):
    ClientFactory(holding_agency=vsp)
    with pytest.raises(DatabaseError, match="is_vsp cannot change"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ces_agency SET is_vsp = false WHERE id = %s", [vsp.pk])
    vsp.refresh_from_db()
    assert vsp.is_vsp


def test_raw_sql_cannot_move_a_client_out_of_or_into_a_vsp(vsp):
    elsewhere = AgencyFactory(initials="ELS")
    survivor = ClientFactory(holding_agency=vsp)
    stranger = ClientFactory(holding_agency=elsewhere)
    for person, target in ((survivor, elsewhere), (stranger, vsp)):
        with pytest.raises(DatabaseError, match="never moves"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE ces_client SET holding_agency_id = %s WHERE id = %s", [target.pk, person.pk])
    survivor.refresh_from_db()
    stranger.refresh_from_db()
    assert survivor.holding_agency_id == vsp.pk and stranger.holding_agency_id == elsewhere.pk
