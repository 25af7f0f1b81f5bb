"""The By-Name List: order, eligibility, privacy per persona, DV parallel process, case-management points."""

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from bnl.eligibility import eligibility_explain, eligible_q, is_eligible
from bnl.models import BnlEntry, PositionSnapshot
from bnl.policy import BNL_ORDER, bnl_ordered
from bnl.selectors import bnl_rank_of
from bnl.services import (
    JUSTIFICATION_REQUIRED,
    bnl_entry_status_set,
    bnl_place_deidentified_on_coc_list,
    position_record,
)
from bnl.tasks import positions_snapshot
from ces import roles
from ces.errors import Forbidden, Invalid
from intake.services import intake_submit
from intake.tasks import assessment_pdf_render
from tests.factories import (
    AgencyFactory,
    BnlEntryFactory,
    ProgramFactory,
    UserFactory,
    call_agent,
    worked_example_2_answers,
)

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_order_is_score_then_time_homeless_then_first_placed_then_id():
    a = BnlEntryFactory(score=12, length_of_time_homeless_days=10, placed_on_list_at=T0)
    b = BnlEntryFactory(score=15, length_of_time_homeless_days=5, placed_on_list_at=T0)
    c = BnlEntryFactory(score=12, length_of_time_homeless_days=400, placed_on_list_at=T0 + timedelta(days=3))
    d = BnlEntryFactory(score=12, length_of_time_homeless_days=10, placed_on_list_at=T0 - timedelta(days=1))
    e = BnlEntryFactory(score=12, length_of_time_homeless_days=10, placed_on_list_at=T0)  # ties a: id decides
    assert list(bnl_ordered(BnlEntry.objects.all())) == [b, c, d, a, e]


def test_api_lists_in_order_with_rank_and_the_spec_shape():
    agency = AgencyFactory()
    viewer = UserFactory(agency=agency, roles=[roles.PROGRAM_STAFF])
    low = BnlEntryFactory(score=3)
    high = BnlEntryFactory(score=20, client__holding_agency=agency, client__first_name="Ana")
    body = api_for(viewer).get("/api/v1/bnl/", {"status": "active"}).json()
    assert body["count"] == 2 and body["previous"] is None
    first, second = body["results"]
    assert (first["id"], first["rank"], second["id"], second["rank"]) == (high.pk, 1, low.pk, 2)
    assert set(first) >= {"id", "rank", "score", "status", "label", "client", "flags", "placed_on_list_at", "eligible_program_ids"}
    assert set(first["flags"]) == {"chronic", "veteran", "youth", "family", "dv"}
    assert first["client"]["first_name"] == "Ana"


def test_eligibility_filter_in_the_database_matches_the_explanation():
    program = ProgramFactory(counties=["nevada"], requires_chronic=True, requires_family=True, min_household_size=2,
                             max_household_size=4, excludes_sex_offenders=True)
    entries = [
        BnlEntryFactory(county=county, chronic=chronic, family=family, household_size=size, sex_offender=rso)
        for county in ("nevada", "placer") for chronic in (True, False) for family in (True, False)
        for size in (1, 3, None) for rso in (True, False)
    ]
    in_db = set(BnlEntry.objects.filter(eligible_q(program)).values_list("pk", flat=True))
    assert in_db == {entry.pk for entry in entries if is_eligible(program, entry)}
    assert len(in_db) == 1


def test_why_not_eligible_explains_rule_by_rule():
    program = ProgramFactory(counties=["placer"], requires_veteran=True, max_household_size=2)
    entry = BnlEntryFactory(county="nevada", veteran=False, household_size=2)
    explained = {r.rule: r.passed for r in eligibility_explain(program, entry)}
    assert explained == {"Serves the person's county": False, "Veteran": False, "Household of at most 2": True}


def test_program_filter_shows_only_eligible_entries_and_each_entry_lists_its_programs():
    veterans = ProgramFactory(type="rrh", requires_veteran=True)
    everyone = ProgramFactory(type="psh")
    vet = BnlEntryFactory(veteran=True)
    civilian = BnlEntryFactory(veteran=False)
    api = api_for(UserFactory(roles=[roles.COC_STAFF]))
    body = api.get("/api/v1/bnl/", {"program": veterans.pk}).json()
    assert [r["id"] for r in body["results"]] == [vet.pk]
    rows = {r["id"]: r for r in api.get("/api/v1/bnl/").json()["results"]}
    assert set(rows[vet.pk]["eligible_program_ids"]) == {veterans.pk, everyone.pk}
    assert rows[civilian.pk]["eligible_program_ids"] == [everyone.pk]


def test_bad_filters_are_400_keyed_by_parameter():
    api = api_for(UserFactory(roles=[roles.COC_STAFF]))
    errors = api.get("/api/v1/bnl/", {"program": "999999", "status": "lost", "chronic": "maybe", "county": "mars"}).json()["errors"]
    assert set(errors) == {"program", "status", "chronic", "county"}


@pytest.mark.parametrize(
    ("persona", "sees_name"),
    [
        ("holding_worker", True),
        ("participating_program_staff", True),
        ("non_participating_staff", False),
        ("coc_staff", True),
        ("vsp_advocate", False),
    ],
)
def test_personal_data_on_the_list_per_persona(persona, sees_name):
    holder = AgencyFactory(initials="HLD")
    consented = BnlEntryFactory(client__holding_agency=holder, client__hmis_consent="yes", client__first_name="Rosa")
    refused = BnlEntryFactory(client__holding_agency=holder, client__hmis_consent="refused", client__first_name="Lena")
    users = {
        "holding_worker": UserFactory(agency=holder, roles=[roles.CASE_WORKER]),
        "participating_program_staff": UserFactory(roles=[roles.PROGRAM_STAFF]),
        "non_participating_staff": UserFactory(agency=AgencyFactory(hmis_participating=False), roles=[roles.PROGRAM_STAFF]),
        "coc_staff": UserFactory(agency=AgencyFactory(hmis_participating=False), roles=[roles.COC_STAFF]),
        "vsp_advocate": UserFactory(agency=AgencyFactory(vsp=True), roles=[roles.VSP_ADVOCATE]),
    }
    rows = {r["id"]: r for r in api_for(users[persona]).get("/api/v1/bnl/").json()["results"]}
    assert ("client" in rows[consented.pk]) is sees_name
    assert ("client" in rows[refused.pk]) is (persona == "holding_worker")
    assert rows[refused.pk]["label"] == f"HLD-{refused.client_id:06d}"
    page = Client()
    page.force_login(users[persona])
    html = page.get(reverse("bnl-list")).content.decode()
    assert ("Rosa" in html) is sees_name and ("Lena" in html) is (persona == "holding_worker")


def test_users_without_bnl_access_get_403_and_404():
    nobody = UserFactory(roles=[])
    entry = BnlEntryFactory()
    assert api_for(nobody).get("/api/v1/bnl/").status_code == 403
    page = Client()
    page.force_login(nobody)
    assert page.get(reverse("bnl-detail", args=[entry.pk])).status_code == 404


def test_vsp_list_is_visible_only_to_that_vsp_and_its_deidentified_copy_carries_no_personal_data():
    vsp = AgencyFactory(vsp=True, initials="SUP", name="Stand Up Placer", phone="530-555-0199")
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    own = BnlEntryFactory(client__holding_agency=vsp, list_owner=vsp, score=18, dv=True, dv_survivor=True)
    other_vsp = UserFactory(agency=AgencyFactory(vsp=True), roles=[roles.VSP_ADVOCATE])
    coc = UserFactory(roles=[roles.COC_STAFF])
    assert [r["id"] for r in api_for(advocate).get("/api/v1/bnl/", {"list": "vsp"}).json()["results"]] == [own.pk]
    assert api_for(other_vsp).get("/api/v1/bnl/", {"list": "vsp"}).json()["results"] == []
    assert own.pk not in [r["id"] for r in api_for(coc).get("/api/v1/bnl/").json()["results"]]
    assert api_for(coc).get(f"/api/v1/bnl/{own.pk}/").status_code == 404

    copy = bnl_place_deidentified_on_coc_list(source=own, vsp_client_number="4471", actor=advocate)
    row = next(r for r in api_for(coc).get("/api/v1/bnl/").json()["results"] if r["id"] == copy.pk)
    assert row["label"] == "SUP-4471" and row["score"] == 18 and row["flags"]["dv"] is True
    assert "client" not in row and row["contact_vsp"]["name"] == "Stand Up Placer"
    assert copy.client_id is None and copy.assessment_id is None
    for historical in copy.history.all():
        assert historical.client_id is None


def test_only_the_vsp_places_its_own_entries():
    vsp = AgencyFactory(vsp=True)
    own = BnlEntryFactory(client__holding_agency=vsp, list_owner=vsp)
    with pytest.raises(Forbidden):
        bnl_place_deidentified_on_coc_list(source=own, vsp_client_number="1", actor=UserFactory(roles=[roles.COC_STAFF]))
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    with pytest.raises(Invalid) as raised:
        bnl_place_deidentified_on_coc_list(source=own, vsp_client_number="Jane Doe", actor=advocate)
    assert "vsp_client_number" in raised.value.errors


def test_case_management_points_change_score_order_and_pdf_at_once():
    agent = call_agent()
    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    assessment_pdf_render(result.assessment.pk)
    entry = result.bnl_entry
    rival = BnlEntryFactory(score=14)
    worker = UserFactory(agency=agent.agency, roles=[roles.CASE_WORKER])
    api = api_for(worker)
    response = api.post(f"/api/v1/bnl/{entry.pk}/case-management-points/", {"item": 1, "points": 1, "justification": ""}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"justification": [JUSTIFICATION_REQUIRED]}
    for item in (1, 2):
        response = api.post(f"/api/v1/bnl/{entry.pk}/case-management-points/",
                            {"item": item, "points": 1, "justification": "Observed frailty at outreach"}, format="json")
        assert response.status_code == 200
    assert response.json()["score"] == 15
    assert list(bnl_ordered(BnlEntry.objects.all()))[0].pk == entry.pk  # now above the 14
    result.assessment.refresh_from_db()
    assert (result.assessment.case_management, result.assessment.total) == (2, 15)
    assessment_pdf_render(result.assessment.pk)
    assert result.client.documents.count() == 2  # re-rendered, every version kept
    removed = api.post(f"/api/v1/bnl/{entry.pk}/case-management-points/", {"item": 2, "points": 0}, format="json")
    assert removed.json()["score"] == 14
    assert rival.pk  # still on the list


def test_case_management_needs_access_to_the_person():
    entry = BnlEntryFactory(client__hmis_consent="no")
    outsider = UserFactory(roles=[roles.CASE_WORKER])
    response = api_for(outsider).post(f"/api/v1/bnl/{entry.pk}/case-management-points/",
                                      {"item": 1, "points": 1, "justification": "x"}, format="json")
    assert response.status_code == 403


def test_reassessment_updates_the_one_entry_and_reactivates_with_its_place():
    agent = call_agent()
    first = intake_submit(actor=agent, answers=worked_example_2_answers())
    entry = first.bnl_entry
    bnl_entry_status_set(entry=entry, status="inactive", actor=UserFactory(roles=[roles.COC_STAFF]), reason="no contact")
    again = intake_submit(actor=agent, answers=worked_example_2_answers(police_6plus_6m="yes"), client_id=first.client.pk)
    entry.refresh_from_db()
    assert again.bnl_entry.pk == entry.pk and entry.status == "active" and entry.score == 14
    assert entry.placed_on_list_at == first.assessment.assessed_at
    assert BnlEntry.objects.count() == 1


def test_exit_needs_a_reason_and_pull_status_cannot_be_forced():
    entry = BnlEntryFactory()
    coc = UserFactory(roles=[roles.COC_STAFF])
    with pytest.raises(Invalid):
        bnl_entry_status_set(entry=entry, status="exited", actor=coc)
    with pytest.raises(Invalid):
        bnl_entry_status_set(entry=entry, status="on_referral", actor=coc, reason="x")
    bnl_entry_status_set(entry=entry, status="exited", actor=coc, exit_reason="moved_away")
    assert entry.history.first().history_change_reason == "status set to exited: moved_away"


def test_a_client_held_by_a_vsp_goes_on_the_vsps_own_list():
    vsp = AgencyFactory(vsp=True)
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    result = intake_submit(actor=advocate, answers=worked_example_2_answers(dv_experienced="yes"))
    assert result.bnl_entry.list_owner == vsp and result.bnl_entry.dv_survivor


def test_position_history_is_recorded():
    entry = BnlEntryFactory(score=5)
    BnlEntryFactory(score=9)
    assert positions_snapshot() == 2
    assert positions_snapshot() == 0  # nobody moved
    BnlEntryFactory(score=20)
    assert positions_snapshot() == 3  # everyone moved down one
    assert list(entry.positions.order_by("at").values_list("rank", flat=True)) == [2, 3]


def test_a_position_is_recorded_in_one_statement_at_the_entrys_place_in_the_list_order():
    """issue 17: the snapshot's INSERT counts the entries ahead and the active total itself."""
    same_time = T0 + timedelta(days=3)
    entries = [
        BnlEntryFactory(score=12, length_of_time_homeless_days=300),
        BnlEntryFactory(score=12, length_of_time_homeless_days=300, placed_on_list_at=same_time),
        BnlEntryFactory(score=12, length_of_time_homeless_days=300, placed_on_list_at=same_time),  # tie: the id decides
        BnlEntryFactory(score=12, length_of_time_homeless_days=40),
        BnlEntryFactory(score=20),
        BnlEntryFactory(score=3),
    ]
    inactive = BnlEntryFactory(score=30, status="inactive")  # not counted; placed where it would stand
    vsp = AgencyFactory(vsp=True)
    BnlEntryFactory(score=30, client__holding_agency=vsp, list_owner=vsp)  # another list: not counted
    ordered = list(BnlEntry.objects.filter(status="active", list_owner=None).order_by(*BNL_ORDER))
    for entry in [*entries, inactive]:
        with CaptureQueriesContext(connection) as queries:
            snapshot = position_record(entry)
        assert len(queries) == 1
        expected = (ordered.index(entry) + 1 if entry in ordered else 1, len(ordered))
        assert (snapshot.rank, snapshot.active_total) == expected == bnl_rank_of(entry)
        stored = PositionSnapshot.objects.get(pk=snapshot.pk)
        assert (stored.entry_id, stored.rank, stored.active_total, stored.status, stored.score) == (
            entry.pk, *expected, entry.status, entry.score)
