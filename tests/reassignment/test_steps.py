"""The five steps are one table (reassignment.policy.STEPS): the service accepts, and the screen
offers, exactly the table's answers to exactly the step's owner."""

import re

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from ces import roles
from ces.errors import Forbidden, Invalid
from reassignment import policy
from reassignment.models import ReassignmentRequest
from reassignment.selectors import step_next, step_owner_may
from reassignment.services import case_assignment_set, reassignment_decide, reassignment_request, reassignment_step_record
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'name="outcome" value="([a-z_]+)"')


@pytest.fixture
def people():
    agency = AgencyFactory(initials="CP")
    return {
        "current": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "receiving": UserFactory(agency=agency, roles=[roles.CASE_WORKER]),
        "lom": UserFactory(agency=agency, roles=[roles.SUPERVISOR]),
        "coc": UserFactory(roles=[roles.COC_STAFF]),
        "holder": UserFactory(roles=[roles.NONHMIS_LIST_HOLDER]),
        "agency": agency,
    }


def buttons_for(user, request) -> list[str]:
    web = WebClient()
    web.force_login(user)
    return BUTTON.findall(web.get(reverse("reassignment-detail", args=[request.pk])).content.decode())


@pytest.mark.parametrize("consent,updaters", [("no", {"holder"}), ("yes", {"coc", "receiving"})])
def test_each_step_offers_the_tables_answers_to_its_owner_and_nobody_else(people, consent, updaters):
    person = ClientFactory(holding_agency=people["agency"], hmis_consent=consent)
    case_assignment_set(client=person, worker=people["current"], actor=people["lom"])
    request = reassignment_request(client=person, reason="client_request", explanation="Wants another worker",
                                   proposed_worker=people["receiving"], actor=people["current"])
    request = reassignment_decide(request=request, approve=True, decision="Approved", actor=people["coc"])
    owners = {policy.RECEIVING_WORKER: {"receiving"}, policy.CURRENT_WORKER: {"current"}, policy.SYSTEM_UPDATER: updaters}
    for number, rule in policy.STEPS.items():
        request = ReassignmentRequest.objects.get(pk=request.pk)
        assert step_next(request) == number
        for name in owners[rule.owner]:
            assert step_owner_may(people[name], request, number)
            assert tuple(buttons_for(people[name], request)) == rule.codes, (number, name)
        owner = people[sorted(owners[rule.owner])[0]]
        for name in {"current", "receiving", "lom", "coc", "holder"} - owners[rule.owner]:
            assert not step_owner_may(people[name], request, number)
            assert buttons_for(people[name], request) == [], (number, name)
            with pytest.raises(Forbidden):
                reassignment_step_record(request=request, number=number, outcome=rule.codes[0], actor=people[name])
        other_answer = next(code for code in policy.STEP_OUTCOME_CODES if code not in rule.codes)
        with pytest.raises(Invalid):
            reassignment_step_record(request=request, number=number, outcome=other_answer, actor=owner)
        advancing = next(outcome for outcome in rule.outcomes if outcome.leads_to in (None, ReassignmentRequest.Status.COMPLETED))
        request = reassignment_step_record(request=request, number=number, outcome=advancing.code, actor=owner)
        assert request.status == (advancing.leads_to or ReassignmentRequest.Status.APPROVED)
    assert ReassignmentRequest.objects.get(pk=request.pk).status == "completed"


def test_stopping_answers_lead_where_the_table_says(people):
    person = ClientFactory(holding_agency=people["agency"], hmis_consent="yes")
    case_assignment_set(client=person, worker=people["current"], actor=people["lom"])
    for number, rule in policy.STEPS.items():
        for outcome in rule.outcomes:
            if outcome.leads_to in (None, ReassignmentRequest.Status.COMPLETED):
                continue
            ReassignmentRequest.objects.filter(client=person).update(status="cancelled")
            request = reassignment_request(client=person, reason="client_request", explanation="Wants another worker",
                                           proposed_worker=people["receiving"], actor=people["current"])
            request = reassignment_decide(request=request, approve=True, decision="Approved", actor=people["coc"])
            for earlier in range(1, number):
                owner = people["receiving"] if policy.STEPS[earlier].owner == policy.RECEIVING_WORKER else people["current"]
                reassignment_step_record(request=request, number=earlier, outcome=policy.STEPS[earlier].codes[0], actor=owner)
            owner = people["receiving"] if rule.owner == policy.RECEIVING_WORKER else people["current"]
            request = reassignment_step_record(request=request, number=number, outcome=outcome.code, actor=owner)
            assert request.status == outcome.leads_to
            assert step_next(request) is None
