"""The audit timeline (roles-privacy-audit.md "Audit history", api.md "Audit history")."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.sources import history_models
from ces import roles
from ces.audit import access_log_record
from ces.models import AccessLog
from ces.services import client_update
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def admin():
    return UserFactory(username="lead_admin", roles=[roles.HMIS_ADMIN], is_staff=True)


@pytest.fixture
def api(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client


def test_every_history_table_and_the_access_log_feed_the_timeline():
    with connection.cursor() as cursor:
        cursor.execute("SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = 'audit_event'")
        fed = {row[0] for row in cursor.fetchall()}
    assert "ces_accesslog" in fed
    assert {m._meta.db_table for m in history_models()} <= fed


def test_a_change_and_a_look_are_one_event_each_with_the_person_and_the_reason(admin):
    worker = UserFactory(username="maria_w")
    person = ClientFactory(first_name="Maria", hmis_consent="yes")
    before = AuditEvent.objects.count()
    client_update(client=person, actor=worker, reason="phone corrected", first_name="María")
    access_log_record(user=worker, action=AccessLog.Action.VIEW_CLIENT, client=person, obj=person)
    change, look = AuditEvent.objects.order_by("id")[before:]
    assert (change.kind, change.action, change.model, change.client_id, change.user_id, change.reason) == (
        "change", "changed", "ces.client", person.pk, worker.pk, "phone corrected")
    assert (look.kind, look.action, look.client_id, look.user_id) == ("access", "view_client", person.pk, worker.pk)


def test_a_referral_is_tied_to_the_person_through_its_list_entry():
    from referrals.services import vacancy_create, vacancy_pull
    from tests.factories import BnlEntryFactory, ProgramFactory, program_staff

    entry = BnlEntryFactory()
    program = ProgramFactory(type="psh")
    staff = program_staff(program)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    referral = pull.referrals.get()
    event = AuditEvent.objects.filter(model="referrals.referral", object_id=str(referral.pk)).get()
    assert (event.client_id, event.user_id) == (entry.client_id, staff.pk)  # bulk-created rows are indexed too


def test_the_api_answers_the_contract_with_field_differences(api, admin):
    worker = UserFactory(username="w1")
    person = ClientFactory(first_name="Ana", last_name="Ruiz", hmis_consent="yes")
    client_update(client=person, actor=worker, reason="typo", last_name="Ruíz")
    response = api.get("/api/v1/audit/", {"client": person.label, "kind": "change"})
    assert response.status_code == 200
    body = response.json()
    row = body["results"][0]
    assert set(row) == {"at", "kind", "user", "action", "model", "object_id", "object_label", "client_label", "changes",
                        "reason", "ip"}
    assert (row["user"], row["action"], row["model"], row["client_label"], row["reason"]) == (
        "w1", "changed", "ces.client", person.label, "typo")
    assert {"field": "last_name", "old": "Ruiz", "new": "Ruíz"} in row["changes"]
    assert row["at"].endswith(("-08:00", "-07:00"))
    assert body["count"] == len(body["results"]) and body["next"] is None


def test_filters_combine(api):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    person = ClientFactory(hmis_consent="yes")
    other = ClientFactory(hmis_consent="yes")
    access_log_record(user=alice, action=AccessLog.Action.VIEW_CLIENT, client=person, obj=person)
    access_log_record(user=bob, action=AccessLog.Action.VIEW_CLIENT, client=person, obj=person)
    access_log_record(user=alice, action=AccessLog.Action.VIEW_CLIENT, client=other, obj=other)
    rows = api.get("/api/v1/audit/", {"client": str(person.pk), "user": "alice", "kind": "access"}).json()["results"]
    assert [(r["user"], r["client_label"]) for r in rows] == [("alice", person.label)]
    assert api.get("/api/v1/audit/", {"client": "ZZ-000001"}).json()["count"] == 0
    assert api.get("/api/v1/audit/", {"model": "ces.client", "kind": "access"}).json()["count"] >= 3


def test_since_and_until_are_whole_days_in_pacific_time(api):
    worker = UserFactory()
    person = ClientFactory(hmis_consent="yes")
    # 23:30 Pacific on Nov 20 is 07:30 UTC on Nov 21: it belongs to Nov 20 for a reviewer in CA-515.
    with time_machine.travel(datetime(2026, 11, 20, 23, 30, tzinfo=PACIFIC), tick=False):
        access_log_record(user=worker, action=AccessLog.Action.VIEW_CLIENT, client=person, obj=person)
    on_20 = api.get("/api/v1/audit/", {"client": person.pk, "since": "2026-11-20", "until": "2026-11-20"}).json()
    on_21 = api.get("/api/v1/audit/", {"client": person.pk, "since": "2026-11-21", "until": "2026-11-21"}).json()
    assert on_20["count"] == 1 and on_21["count"] == 0
    assert on_20["results"][0]["at"].startswith("2026-11-20T23:30")


def test_bad_filters_are_400_keyed_by_field(api):
    for params, field in (({"since": "2026-13-01"}, "since"), ({"kind": "peek"}, "kind"), ({"page": "²"}, "page"),
                          ({"since": "2026-11-02", "until": "2026-11-01"}, "until"), ({"q": "a\x00b"}, None)):
        response = api.get("/api/v1/audit/", params)
        assert response.status_code == 400, params
        if field:
            assert field in response.json()["errors"]


def test_only_the_hmis_admin_reviews_the_audit():
    for role in (roles.COC_STAFF, roles.SUPERVISOR, roles.COMMITTEE, roles.CALL_AGENT):
        client = APIClient()
        client.force_authenticate(UserFactory(roles=[role]))
        assert client.get("/api/v1/audit/").status_code == 403
    assert APIClient().get("/api/v1/audit/").status_code == 401


def test_every_look_and_export_is_itself_logged(admin, client):
    client.force_login(admin)
    before = AccessLog.objects.filter(user=admin).count()
    assert client.get(reverse("audit-timeline"), {"q": "maria"}).status_code == 200
    response = client.get(reverse("audit-export"))
    b"".join(response.streaming_content)
    logged = list(AccessLog.objects.filter(user=admin).order_by("id")[before:])
    assert [row.action for row in logged] == ["view_audit", "export"]
    assert "maria" not in logged[0].detail  # free-text search terms are not written to the log


def test_a_vsp_record_is_a_label_with_redacted_values_for_a_non_vsp_admin(api):
    vsp = AgencyFactory(vsp=True)
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    survivor = ClientFactory(holding_agency=vsp, first_name="Violeta", last_name="Secreta")
    client_update(client=survivor, actor=advocate, reason="moved to Violeta's sister's house", first_name="Vi")
    response = api.get("/api/v1/audit/", {"client": survivor.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Violeta" not in text and "Secreta" not in text and "sister" not in text
    row = next(r for r in response.json()["results"] if r["action"] == "changed")
    assert row["client_label"] == survivor.label
    # The VSP's values are sealed under its own key (ces.sealed): the CoC's admin sees that it
    # changed, never what — not even as a redacted field name.
    assert not [change for change in row["changes"] if change["field"] in ("first_name", "last_name")]
    # The VSP's own admin sees its own records in full.
    own_admin = APIClient()
    own_admin.force_authenticate(UserFactory(agency=vsp, roles=[roles.HMIS_ADMIN]))
    own = own_admin.get("/api/v1/audit/", {"client": survivor.pk}).json()
    assert any({"field": "first_name", "old": "Violeta", "new": "Vi"} in r["changes"] for r in own["results"])


def test_the_csv_has_the_same_rows_as_the_screen(admin, client):
    worker = UserFactory(username="csvw")
    person = ClientFactory(hmis_consent="yes", first_name="=HYPERLINK(1)")
    client_update(client=person, actor=worker, reason="+cmd", last_name="New")
    client.force_login(admin)
    response = client.get(reverse("audit-export"), {"client": person.pk})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("at,kind,user,action")
    assert any("'+cmd" in line for line in lines)  # formula cells neutralised
    assert not any(",=" in line or ",+" in line for line in lines[1:])
    page = client.get(reverse("audit-timeline"), {"client": person.pk})
    assert person.label in page.content.decode()


def test_nobody_can_edit_or_delete_audit_events():
    worker = UserFactory()
    person = ClientFactory()
    access_log_record(user=worker, action=AccessLog.Action.VIEW_CLIENT, client=person)
    event = AuditEvent.objects.order_by("-id").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, reason=event.reason).exists()


def test_retention_report_lists_people_past_seven_years(admin, client):
    agency = AgencyFactory(name="Old Agency")
    with time_machine.travel(datetime(2018, 1, 5, 12, tzinfo=PACIFIC), tick=False):
        old = ClientFactory(holding_agency=agency)
        client_update(client=old, actor=UserFactory(), reason="last touched in 2018", first_name="Old")
    recent = ClientFactory(holding_agency=agency)
    client_update(client=recent, actor=UserFactory(), reason="recent", first_name="New")
    client.force_login(admin)
    page = client.get(reverse("audit-retention")).content.decode()
    assert "Old Agency" in page and "Jan. 5, 2018" in page  # dates in words (DATE_FORMAT)


