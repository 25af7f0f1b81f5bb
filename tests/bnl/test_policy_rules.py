"""The By-Name List's numbers (bnl-and-referrals.md, Appendix B), stated from the documents (issue 18):
three Case Management Entry items, the list's pages, the exit reasons."""

import pytest
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.errors import Invalid
from intake.services import intake_submit
from tests.factories import BnlEntryFactory, UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# "Case Management Entry (three separate items), 1 each" (items 23–25 of Appendix B).
def test_there_are_three_case_management_items_and_no_fourth():
    agent = call_agent()
    entry = intake_submit(actor=agent, answers=worked_example_2_answers()).bnl_entry
    worker = UserFactory(agency=agent.agency, roles=[roles.CASE_WORKER])
    url = f"/api/v1/bnl/{entry.pk}/case-management-points/"
    for item in (0, 4):
        response = api_for(worker).post(url, {"item": item, "points": 1, "justification": "Observed"}, format="json")
        assert response.status_code == 400 and set(response.json()["errors"]) == {"item"}
    for item in (1, 2, 3):
        response = api_for(worker).post(url, {"item": item, "points": 1, "justification": "Observed"}, format="json")
        assert response.status_code == 200
    assert response.json()["score"] == 13 + 3


def test_the_list_pages_by_fifty_and_at_most_two_hundred():
    for score in range(51):
        BnlEntryFactory(score=score % 27)
    api = api_for(UserFactory(roles=[roles.COC_STAFF]))
    first = api.get("/api/v1/bnl/").json()
    assert len(first["results"]) == 50 and first["next"] is not None
    assert len(api.get("/api/v1/bnl/", {"page": 2}).json()["results"]) == 1
    assert len(api.get("/api/v1/bnl/", {"page_size": 200}).json()["results"]) == 51
    assert api.get("/api/v1/bnl/", {"page_size": 201}).status_code == 400
    assert api.get("/api/v1/bnl/", {"page": 1_000_001}).status_code == 400
    assert api.get("/api/v1/bnl/", {"page": 1_000_000}).status_code == 404  # a page that may be asked, and is empty


def test_exit_reasons_are_the_listed_ones_and_other_needs_the_reason_written():
    from bnl.services import bnl_entry_status_set

    staff = UserFactory(roles=[roles.COC_STAFF])
    for code in ("moved_away", "deceased", "self_resolved", "duplicate"):
        entry = BnlEntryFactory()
        bnl_entry_status_set(entry=entry, status="exited", actor=staff, exit_reason=code)
        assert BnlEntry.objects.get(pk=entry.pk).status == "exited"
    entry = BnlEntryFactory()
    with pytest.raises(Invalid) as refused:
        bnl_entry_status_set(entry=entry, status="exited", actor=staff, exit_reason="other")
    assert set(refused.value.errors) == {"reason"}
    bnl_entry_status_set(entry=entry, status="exited", actor=staff, exit_reason="other", reason="Went to live with family out of state")
    with pytest.raises(Invalid):
        bnl_entry_status_set(entry=BnlEntryFactory(), status="exited", actor=staff, exit_reason="housed_elsewhere")
