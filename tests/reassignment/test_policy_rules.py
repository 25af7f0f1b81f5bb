"""The reassignment policy's rules as its sources word them (seeds 000 and 001, reassignment.md), each with
its boundary: the five steps in order, who records each, the answers that stop the request, the non-HMIS
list holder told after the introduction, the hand-off note due 2 business days after a safety transfer.

The first tests read the table (reassignment.policy.STEPS) and need no database; they come first so that
`make mutate` kills a wrong table in a fraction of a second."""

import dataclasses
from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from ces import roles
from ces.models import Deadline, Notification
from reassignment import policy
from reassignment.models import ReassignmentRequest
from reassignment.selectors import reassignment_page
from reassignment.services import (
    case_assignment_set,
    client_worker_alert_set,
    reassignment_decide,
    reassignment_request,
    reassignment_step_record,
    safety_transfer_complete,
    safety_transfer_start,
)
from tests.factories import AgencyFactory, ClientFactory, UserFactory

LA = timezone.get_fixed_timezone(-8 * 60)

# reassignment.md, "After approval the procedure's steps are recorded ... in order", with who records each.
OWNERS = {1: "receiving_worker", 2: "current_worker", 3: "current_worker", 4: "receiving_worker", 5: "system_updater"}


# --- the table (no database) ---------------------------------------------------------------------


def test_there_are_five_steps_numbered_one_to_five_in_order():
    assert policy.STEP_NUMBERS == (1, 2, 3, 4, 5)
    assert policy.STEP_COUNT == 5


def test_each_step_is_recorded_by_the_person_the_policy_names():
    assert {number: rule.owner for number, rule in policy.STEPS.items()} == OWNERS


def test_the_receiving_worker_agrees_or_declines_and_declining_waits_for_another_worker():
    rule = policy.STEPS[1]
    assert rule.codes == ("agreed", "declined")
    assert rule.outcome("agreed").leads_to is None  # the request stays approved; step 2 follows
    assert rule.outcome("declined").leads_to == ReassignmentRequest.Status.RECEIVING_DECLINED


def test_no_consent_stops_the_request_as_client_declined():
    rule = policy.STEPS[2]
    assert rule.codes == ("consented", "refused")
    assert rule.outcome("consented").leads_to is None
    assert rule.outcome("refused").leads_to == ReassignmentRequest.Status.CLIENT_DECLINED


def test_steps_three_and_four_are_only_done_and_the_system_update_completes():
    assert [policy.STEPS[n].codes for n in (3, 4, 5)] == [("done",), ("done",), ("done",)]
    assert policy.STEPS[3].outcome("done").leads_to is None
    assert policy.STEPS[4].outcome("done").leads_to is None
    assert policy.STEPS[5].outcome("done").leads_to == ReassignmentRequest.Status.COMPLETED


def test_an_answer_a_step_does_not_offer_is_none():
    assert policy.STEPS[1].outcome("done") is None
    assert policy.STEPS[3].outcome("agreed") is None
    assert policy.STEPS[5].outcome("") is None


def test_only_declining_and_refusing_stop_a_request():
    assert policy.STOPPING_OUTCOMES == ("declined", "refused")
    assert policy.STEP_OUTCOME_CODES == ("agreed", "declined", "consented", "refused", "done")


def test_the_non_hmis_list_holder_is_told_after_the_introduction_only():
    assert [n for n, rule in policy.STEPS.items() if rule.tells_nonhmis_list_holder] == [4]


def test_the_table_cannot_be_changed_while_the_system_runs():
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.STEPS[2].owner = policy.RECEIVING_WORKER  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.STEPS[1].outcomes[1].leads_to = None  # type: ignore[misc]


# --- the same rules through the services ------------------------------------------------------------


@pytest.fixture
def office(db):
    agency = AgencyFactory(name="Connecting Point", initials="CP")
    return {
        "agency": agency,
        "current": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "receiving": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "lom": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "coc": UserFactory(roles=[roles.COC_STAFF]),
        "holder": UserFactory(roles=[roles.NONHMIS_LIST_HOLDER]),
    }


def approved_request(office, *, consent: str):
    person = ClientFactory(holding_agency=office["agency"], hmis_consent=consent)
    case_assignment_set(client=person, worker=office["current"], actor=office["lom"], reason="first assignment")
    request = reassignment_request(client=person, reason="client_request", explanation="Wants a worker nearer to Auburn.",
                                   proposed_worker=office["receiving"], actor=office["current"])
    return reassignment_decide(request=request, approve=True, decision="Approved: client choice.", actor=office["coc"])


def holder_told(office) -> int:
    return Notification.objects.filter(recipient=office["holder"], subject__contains="system update is yours").count()


STEP_1_TO_4 = [(1, "agreed", "receiving"), (2, "consented", "current"), (3, "done", "current"), (4, "done", "receiving")]


def test_for_a_client_outside_hmis_the_list_holder_is_told_once_after_step_4_and_the_page_says_step_5_is_theirs(office):
    request = approved_request(office, consent="no")
    for number, outcome, who in STEP_1_TO_4:
        page = reassignment_page(user=office["holder"], request=request)
        assert page["next_step"] == number
        assert page["system_update_by_list_holder"] is False, number
        assert holder_told(office) == 0, number
        request = reassignment_step_record(request=request, number=number, outcome=outcome, actor=office[who])
    assert holder_told(office) == 1
    page = reassignment_page(user=office["holder"], request=request)
    assert page["next_step"] == 5 and page["system_update_by_list_holder"] is True and page["may_record_step"] is True
    request = reassignment_step_record(request=request, number=5, outcome="done", actor=office["holder"])
    assert request.status == "completed" and holder_told(office) == 1


def test_for_a_client_in_hmis_nobody_is_told_and_the_page_does_not_name_the_list_holder(office):
    request = approved_request(office, consent="yes")
    for number, outcome, who in STEP_1_TO_4:
        request = reassignment_step_record(request=request, number=number, outcome=outcome, actor=office[who])
    page = reassignment_page(user=office["coc"], request=request)
    assert page["next_step"] == 5 and page["system_update_by_list_holder"] is False
    assert holder_told(office) == 0


def safety_transfer_on(office, day: date) -> Deadline:
    person = ClientFactory(holding_agency=office["agency"])
    case_assignment_set(client=person, worker=office["current"], actor=office["lom"], reason="first assignment")
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=LA), tick=False):
        request = safety_transfer_start(client=person, new_worker=office["receiving"], explanation="Threats against the worker",
                                        actor=office["lom"])
        client_worker_alert_set(client=person, plan="Office visits only, with a second staff member.", actor=office["lom"])
        safety_transfer_complete(request=request, actor=office["lom"])
    return Deadline.objects.get(kind="reassignment.handoff_due", subject_id=request.pk, state="pending")


@pytest.mark.parametrize("transferred,due", [
    (date(2026, 3, 10), date(2026, 3, 12)),  # Tuesday → Thursday
    (date(2026, 3, 12), date(2026, 3, 16)),  # Thursday → Friday is 1, Monday is 2 (the weekend does not count)
])
def test_the_hand_off_note_is_due_at_the_end_of_the_second_business_day_after_the_transfer(office, transferred, due):
    deadline = safety_transfer_on(office, transferred)
    local = timezone.localtime(deadline.due_at)
    assert (local.date(), local.hour) == (due, 17)
    told = Notification.objects.get(recipient=office["current"], subject__startswith="Hand-off note")
    assert "due in 2 business days" in told.subject
