"""The 72-hour rules where the services apply them: an intake entered more than 72 hours after the
call is flagged late (intake-and-vat.md), and a draft untouched for more than 72 hours is marked
stale on the agent's dashboard (docs/intake.md). The boundaries themselves are stated without the
database in test_intake_policy_rules.py; these hold the wiring (which time is which)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from intake.models import Intake
from intake.selectors import drafts_for
from intake.services import intake_start, intake_submit
from tests.factories import call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db
CALL = datetime(2026, 11, 20, 10, 15, tzinfo=ZoneInfo("America/Los_Angeles"))  # worked example 2's collected_at


def test_an_intake_entered_72_hours_after_the_call_is_on_time_and_a_minute_later_is_late():
    agent = call_agent()
    with time_machine.travel(CALL + timedelta(hours=72), tick=False):
        on_time = intake_submit(actor=agent, answers=worked_example_2_answers()).intake
    with time_machine.travel(CALL + timedelta(hours=72, minutes=1), tick=False):
        late = intake_submit(actor=agent, answers=worked_example_2_answers(
            first_name="Ana", last_name="Lee", dob="1990-02-03", ssn="123-45-6789", phone_primary="530-555-0199")).intake
    assert Intake.objects.get(pk=on_time.pk).is_late is False
    assert Intake.objects.get(pk=late.pk).is_late is True


def test_a_draft_untouched_for_more_than_72_hours_is_marked_stale():
    agent = call_agent()
    with time_machine.travel(CALL, tick=False):
        old = intake_start(actor=agent)
    with time_machine.travel(CALL + timedelta(minutes=1), tick=False):
        recent = intake_start(actor=agent)
    with time_machine.travel(CALL + timedelta(hours=72, seconds=30), tick=False):
        stale = {draft.pk: draft.is_stale for draft in drafts_for(agent)}
    assert stale == {old.pk: True, recent.pk: False}
