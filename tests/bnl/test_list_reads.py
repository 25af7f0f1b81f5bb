"""The list's screen and API read a page as plain columns (bnl.selectors.bnl_list_rows) and write
each row out by hand (bnl.outputs.bnl_list_row_data): the answer must be exactly what the
serializer gives for the same entries read whole, for every kind of reader; and a page costs a
fixed number of statements (issue 17, "Statewide scale": figures in docs/benchmarks.md)."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from bnl.outputs import BnlEntryOutput, bnl_list_row_data
from bnl.selectors import bnl_entries_for, bnl_entries_ranked, bnl_list_rows, bnl_list_values, housing_programs
from bnl.services import bnl_place_deidentified_on_coc_list
from ces import roles
from ces.accounts import AccountBackend
from ces.models import AccessLog
from ces.vault import vault_request
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _as_json(value) -> list:
    return json.loads(JSONRenderer().render(value))


def _both(user, **filters) -> tuple[list, list]:
    """The page as the serializer answers it (entries read whole) and as the list reads it."""
    request = RequestFactory().get("/api/v1/bnl/")
    request.user = user
    programs = housing_programs()
    with vault_request(request):
        whole = bnl_entries_ranked(bnl_entries_for(user=user, **filters), offset=0, programs=programs)
        expected = [BnlEntryOutput(entry, context={"user": user}).data for entry in whole]
        rows = bnl_list_rows(bnl_list_values(bnl_entries_for(user=user, **filters)), offset=0, programs=programs)
        plain = [bnl_list_row_data(row) for row in rows]
    return _as_json(expected), _as_json(plain)


@pytest.fixture
def mixed_list():
    """Entries every reader sees differently: held by the reader's agency, shared by consent, not
    shared, a worker alert, a VSP's own entry (sealed) and its de-identified copy on the CoC list."""
    agency = AgencyFactory()
    vsp = AgencyFactory(vsp=True, initials="SUP", name="Stand Up Placer")
    ProgramFactory(name="Veterans PSH", type="psh", requires_veteran=True)
    ProgramFactory(name="Nevada RRH", counties=["nevada"], max_household_size=2)
    ProgramFactory(name="DV RRH", agency=vsp)
    own = BnlEntryFactory(score=20, client__holding_agency=agency, client__middle_name="María",
                          client__phone_primary="+15305550142", veteran=True, chronic=True)
    BnlEntryFactory(score=18, client__hmis_consent="no", client__worker_alert=True, household_size=3)
    BnlEntryFactory(score=16, client__dob=None, county="placer", family=True, youth=True)
    sealed = BnlEntryFactory(score=17, client__holding_agency=vsp, client__first_name="Rosa", list_owner=vsp,
                             dv=True, dv_survivor=True)
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    bnl_place_deidentified_on_coc_list(source=sealed, vsp_client_number="4471", actor=advocate)
    return {"agency": agency, "own": own, "advocate": advocate}


@pytest.mark.parametrize("persona", ["holding_worker", "coc_staff", "program_staff_elsewhere", "vsp_advocate"])
def test_a_page_read_as_columns_answers_exactly_what_the_serializer_answers(mixed_list, persona):
    users = {
        "holding_worker": lambda: UserFactory(agency=mixed_list["agency"], roles=[roles.CASE_WORKER]),
        "coc_staff": lambda: UserFactory(roles=[roles.COC_STAFF]),
        "program_staff_elsewhere": lambda: UserFactory(agency=AgencyFactory(hmis_participating=False),
                                                      roles=[roles.PROGRAM_STAFF]),
        "vsp_advocate": lambda: mixed_list["advocate"],
    }
    user = users[persona]()
    expected, plain = _both(user)
    assert plain == expected and [list(row) for row in plain] == [list(row) for row in expected]
    assert len(plain) == 4
    if persona == "vsp_advocate":
        expected, plain = _both(user, vsp_list=True)
        assert plain == expected and plain[0]["client"]["first_name"] == "Rosa"  # the seal opened
    if persona == "holding_worker":
        mine = next(row for row in plain if row["id"] == mixed_list["own"].pk)
        assert mine["client"]["middle_name"] == "María" and mine["client"]["phone_primary"]


def test_the_list_screen_shows_what_the_serializer_shows(mixed_list):
    user = UserFactory(agency=mixed_list["agency"], roles=[roles.CASE_WORKER])
    page = Client()
    page.force_login(user)
    html = page.get(reverse("bnl-list")).content.decode()
    own = mixed_list["own"]
    assert f'href="{reverse("bnl-detail", args=[own.pk])}"' in html and own.client.full_name in html
    assert "likely chronic (self-reported)" in html and "WORKER ALERT" in html and "via Stand Up Placer" in html
    assert "Rosa" not in html  # the VSP's own list is not the CoC list
    page.post(reverse("set_language"), {"language": "es"})
    assert "probablemente crónico" in page.get(reverse("bnl-list")).content.decode().lower()


# --- statements a request sends --------------------------------------------------------------
#
# Production (no transaction around the request) sends the page's 7 (15 before issue 17): the
# session, the user with their agency, roles, permissions and unread notices (one statement,
# ces.accounts), the housing programs, the count, the page, the access-log row, the session's
# renewal (one statement, ces.sessions). A test runs inside a transaction, where the renewal is
# Django's own savepoint, UPDATE and release: 9 here. The API (5 before): programs, count, page,
# access-log row.
LIST_PAGE_STATEMENTS = 9
LIST_API_STATEMENTS = 4


def _holder_with_entries(count: int):
    agency = AgencyFactory()
    for i in range(count):
        BnlEntryFactory(score=i % 27, client=ClientFactory(holding_agency=agency, hmis_consent="yes"))
    ProgramFactory(type="psh")
    return UserFactory(agency=agency, roles=[roles.CASE_WORKER])


def test_the_list_screen_sends_a_fixed_number_of_statements():
    user = _holder_with_entries(5)
    page = Client()
    page.force_login(user)
    page.get(reverse("bnl-list"))  # the process's caches (content types)
    with CaptureQueriesContext(connection) as small:
        assert page.get(reverse("bnl-list")).status_code == 200
    for i in range(60):
        BnlEntryFactory(score=i % 27, client=ClientFactory(holding_agency=user.agency, hmis_consent="yes"))
    with CaptureQueriesContext(connection) as large:
        assert page.get(reverse("bnl-list"), {"page": 2}).status_code == 200
    assert len(small) == len(large) == LIST_PAGE_STATEMENTS, [q["sql"][:80] for q in large]
    assert AccessLog.objects.filter(user=user, action=AccessLog.Action.VIEW_LIST).count() == 3


def test_the_navigation_counts_unread_notices_with_the_user_read():
    from ces.notifications import notification_mark_read, notification_send

    user = UserFactory(roles=[roles.CASE_WORKER])
    page = Client()
    page.force_login(user)
    assert "unread notice" not in page.get(reverse("bnl-list")).content.decode()
    first = notification_send(recipient=user, subject="one")
    notification_send(recipient=user, subject="two")
    notification_send(recipient=UserFactory(), subject="someone else's")
    assert "2 unread notices" in page.get(reverse("bnl-list")).content.decode()
    notification_mark_read(notification=first, actor=user)
    assert "1 unread notice" in page.get(reverse("bnl-list")).content.decode()


def test_the_list_api_sends_a_fixed_number_of_statements():
    user = _holder_with_entries(5)
    api = APIClient()
    api.force_authenticate(user)
    program = ProgramFactory(type="rrh")
    api.get("/api/v1/bnl/", {"program": program.pk})  # the user's permission and role caches
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/bnl/", {"program": program.pk}).status_code == 200
    for i in range(60):
        BnlEntryFactory(score=i % 27, client=ClientFactory(holding_agency=user.agency, hmis_consent="yes"))
    with CaptureQueriesContext(connection) as large:
        body = api.get("/api/v1/bnl/", {"program": program.pk, "page_size": 200}).json()
    assert body["count"] == 65 and len(body["results"]) == 65
    assert len(small) == len(large) == LIST_API_STATEMENTS, [q["sql"][:80] for q in large]


# --- the account backend ---------------------------------------------------------------------


def test_the_account_backend_gives_django_s_permissions_and_the_roles_in_one_statement():
    user = UserFactory(roles=[roles.CASE_WORKER, roles.SUPERVISOR])
    user.user_permissions.add(Permission.objects.get(codename="manage_bnl"))
    expected = ModelBackend().get_all_permissions(UserFactory._meta.model.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:  # a session's user: with agency, roles and permissions
        fresh = AccountBackend().get_user(user.pk)
        permissions = AccountBackend().get_all_permissions(fresh)
        assert fresh.roles == {roles.CASE_WORKER, roles.SUPERVISOR}
        assert fresh.agency.pk == user.agency_id
    assert len(queries) == 1 and permissions == expected and "bnl.manage_bnl" in permissions
    other = UserFactory._meta.model.objects.get(pk=user.pk)  # a user read otherwise (an API token)
    with CaptureQueriesContext(connection) as queries:
        assert AccountBackend().get_all_permissions(other) == expected and other.roles == fresh.roles
    assert len(queries) == 1
    nobody = AccountBackend().get_user(UserFactory(roles=[]).pk)
    assert AccountBackend().get_all_permissions(nobody) == set() and nobody.roles == frozenset()
    inactive = UserFactory(roles=[roles.CASE_WORKER], is_active=False)
    assert AccountBackend().get_all_permissions(inactive) == set() and AccountBackend().get_user(inactive.pk) is None
    admin = UserFactory(roles=[], is_superuser=True)
    assert AccountBackend().get_all_permissions(AccountBackend().get_user(admin.pk)) == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}


# --- the session's renewal (ces.sessions) ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_session_is_renewed_by_one_statement_and_a_vanished_one_is_not_recreated():
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.models import Session

    from ces.sessions import SessionStore

    page = Client()
    page.force_login(UserFactory(roles=[roles.CASE_WORKER]))
    session = Session.objects.get()
    soon = timezone.now() + timedelta(minutes=5)  # as if the last request were 25 minutes ago
    Session.objects.filter(pk=session.pk).update(expire_date=soon)
    with CaptureQueriesContext(connection) as queries:
        assert page.get(reverse("bnl-list")).status_code == 200
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and "synchronous_commit TO OFF" in writes[0]
    assert not [q for q in queries if q["sql"] in ("BEGIN", "COMMIT")]
    assert Session.objects.get().expire_date > soon + timedelta(minutes=20)  # renewed: 30 idle minutes again
    store = SessionStore(session.session_key)
    store["x"] = 1
    Session.objects.all().delete()
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()
