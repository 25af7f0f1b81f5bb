"""The BNL screens through real URLs."""

import csv
import io

import pytest
from django.urls import reverse

from bnl.models import BnlEntry
from bnl.services import NOT_LIST_MANAGER
from ces import roles
from ces.models import AccessLog
from intake.services import intake_submit
from tests.factories import AgencyFactory, BnlEntryFactory, ProgramFactory, UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db


def test_csv_export_is_in_list_order_hides_what_it_must_and_is_logged(client):
    holder = AgencyFactory(initials="HLD")
    mine = UserFactory(agency=holder, roles=[roles.CASE_WORKER])
    BnlEntryFactory(score=5, client__holding_agency=holder, client__first_name="Mine")
    BnlEntryFactory(score=9, client__hmis_consent="no", client__first_name="Secret")
    client.force_login(mine)
    response = client.get(reverse("bnl-export"), {"status": "active"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["score"] for row in rows] == ["9", "5"]
    assert rows[0]["first_name"] == "" and rows[1]["first_name"] == "Mine"
    assert AccessLog.objects.filter(user=mine, action="export").count() == 1


def test_entry_detail_shows_breakdown_history_positions_and_why_not_eligible(client):
    agent = call_agent()
    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    ProgramFactory(name="Vets RRH", type="rrh", requires_veteran=True)
    worker = UserFactory(agency=agent.agency, roles=[roles.CASE_WORKER])
    client.force_login(worker)
    html = client.get(reverse("bnl-detail", args=[result.bnl_entry.pk])).content.decode()
    assert "Household has children under 18" in html  # the score breakdown
    assert "Vets RRH" in html and "Veteran" in html and "✘" in html  # why not eligible, rule by rule
    assert "placed on the list by intake" in html  # history with its reason
    assert "Where this person stood" in html and "1 / 1" in html


def test_case_management_and_status_forms(client):
    agent = call_agent()
    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    entry = result.bnl_entry
    worker = UserFactory(agency=agent.agency, roles=[roles.CASE_WORKER])
    client.force_login(worker)
    url = reverse("bnl-case-management", args=[entry.pk])
    client.post(url, {"item": 3, "points": 1, "justification": ""})
    entry.refresh_from_db()
    assert entry.score == 13
    client.post(url, {"item": 3, "points": 1, "justification": "Cannot manage medication alone"})
    entry.refresh_from_db()
    assert entry.score == 14
    refused = client.post(reverse("bnl-status", args=[entry.pk]), {"status": "inactive"}, follow=True)
    assert str(NOT_LIST_MANAGER) in refused.content.decode()  # a case worker does not manage the list
    assert BnlEntry.objects.get(pk=entry.pk).status == "active"
    coc = UserFactory(roles=[roles.COC_STAFF])
    client.force_login(coc)
    client.post(reverse("bnl-status", args=[entry.pk]), {"status": "exited", "exit_reason": "moved_away"})
    entry.refresh_from_db()
    assert (entry.status, entry.status_reason) == ("exited", "moved_away")


def test_another_vsps_list_entry_is_404_on_the_screen(client):
    vsp = AgencyFactory(vsp=True)
    entry = BnlEntryFactory(client__holding_agency=vsp, list_owner=vsp)
    client.force_login(UserFactory(agency=AgencyFactory(vsp=True), roles=[roles.VSP_ADVOCATE]))
    assert client.get(reverse("bnl-detail", args=[entry.pk])).status_code == 404
    client.force_login(UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE]))
    assert client.get(reverse("bnl-detail", args=[entry.pk])).status_code == 200


def test_list_page_filters_and_pages(client):
    for i in range(60):
        BnlEntryFactory(score=i % 28, veteran=i % 2 == 0)
    client.force_login(UserFactory(roles=[roles.COC_STAFF]))
    first = client.get(reverse("bnl-list"), {"veteran": "true"}).content.decode()
    assert "30 people" in first
    assert client.get(reverse("bnl-list"), {"page": 2}).status_code == 200
    assert "Choose one of" in client.get(reverse("bnl-list"), {"status": "lost"}).content.decode()


def test_bnl_api_query_count_does_not_grow_with_the_list():
    from rest_framework.test import APIClient

    program = ProgramFactory(type="psh")
    api = APIClient()
    api.force_authenticate(UserFactory(roles=[roles.PROGRAM_STAFF]))
    for i in range(10):
        BnlEntryFactory(score=i)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.get("/api/v1/bnl/", {"program": program.pk})  # warm the user's permission and role caches
    with CaptureQueriesContext(connection) as small:
        api.get("/api/v1/bnl/", {"program": program.pk})
    for i in range(90):
        BnlEntryFactory(score=i % 27)
    with CaptureQueriesContext(connection) as large:
        api.get("/api/v1/bnl/", {"program": program.pk})
    assert len(small) == len(large)
