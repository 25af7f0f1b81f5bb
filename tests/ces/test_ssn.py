"""SSNs are encrypted at rest: no column anywhere holds the plaintext."""

import pytest
from django.db import connection
from django.urls import reverse

from ces import roles
from ces.models import AccessLog, Client
from ces.selectors import client_find_by_ssn
from ces.services import client_create
from ces.ssn import ssn_is_valid
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

SSN = "287-65-4321"
DIGITS = "287654321"


def _all_text_of_table(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')  # table names come from the ORM, not from input
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_no_column_of_the_database_contains_the_plaintext_ssn():
    agency = AgencyFactory()
    actor = UserFactory(agency=agency, roles=[roles.CALL_AGENT])
    client_create(holding_agency=agency, actor=actor, first_name="Ana", ssn=SSN, ssn_data_quality="full")
    for table in (Client._meta.db_table, Client.history.model._meta.db_table):
        dump = _all_text_of_table(table)
        assert DIGITS not in dump and SSN not in dump and "287-65" not in dump
        assert "4321" in dump  # the last 4 are kept for display


def test_lookup_by_ssn_still_finds_the_client():
    agency = AgencyFactory()
    actor = UserFactory(agency=agency, roles=[roles.CALL_AGENT])
    person = client_create(holding_agency=agency, actor=actor, ssn=SSN)
    assert list(client_find_by_ssn("287 65 4321")) == [person]
    assert person.reveal_ssn() == DIGITS


def test_reveal_needs_the_permission_and_is_logged(client):
    agency = AgencyFactory()
    call_agent = UserFactory(agency=agency, roles=[roles.CALL_AGENT])
    supervisor = UserFactory(agency=agency, roles=[roles.SUPERVISOR])
    person = client_create(holding_agency=agency, actor=call_agent, ssn=SSN)
    url = reverse("client-reveal-ssn", args=[person.pk])
    client.force_login(call_agent)
    assert client.post(url).status_code == 403
    client.force_login(supervisor)
    response = client.post(url)
    assert response.status_code == 200 and "287-65-4321" in response.content.decode()
    assert AccessLog.objects.filter(user=supervisor, client=person, action=AccessLog.Action.REVEAL_SSN).count() == 1


def test_access_log_rows_cannot_be_changed_or_deleted():
    from django.db import DatabaseError, transaction

    agency = AgencyFactory()
    user = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    row = AccessLog.objects.create(user=user, action=AccessLog.Action.SEARCH)
    for attempt in (
        lambda: AccessLog.objects.filter(pk=row.pk).update(detail="tampered"),
        lambda: AccessLog.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()


@pytest.mark.parametrize(
    ("ssn", "valid"),
    [
        ("123456789", True),
        ("000456789", False),
        ("666456789", False),
        ("900456789", False),
        ("999456789", False),
        ("123006789", False),
        ("123450000", False),
        ("12345678", False),
    ],
)
def test_hud_ssn_validity_rules(ssn, valid):
    assert ssn_is_valid(ssn) is valid
