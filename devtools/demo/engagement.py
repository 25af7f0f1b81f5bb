"""Demo outreach at several steps, so the `case_worker` has work on first login (called by
`manage.py seed_demo`). Every record goes through the real services with dates in the past, so
the steps, due dates, timers and notices are those a real case would have. Run twice, it adds
nothing.

Connecting Point (the call centre's agency) runs one assertive-engagement program and one under
the 30/60-day protocol (demo_network.PROGRAMS). Four cases of the demo case worker's caseload:

- one opened two weeks ago with no attempt: its first round is overdue;
- one whose rounds and referral-source contact are done: the no-contact letter is due;
- one opened yesterday: its first round is due this week;
- one in the 30/60 program, 35 days without contact or service after two failed attempts: due for
  Engagement status (Step 1 form).
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ces.audit import history_save
from ces.business_days import add_business_days
from ces.deadlines import deadline_process
from ces.models import Client, Deadline, Program, User
from engagement import policy
from engagement.disengagement import inactivity_timer_start
from engagement.models import ContactAttempt, EngagementCase, OutreachStep
from engagement.selectors import current_step
from engagement.services import attempt_record, engagement_open
from engagement.steps import once_business_days_passed

ASSERTIVE_PROGRAM = "Connecting Point Housing Navigation"
DISENGAGEMENT_PROGRAM = "Connecting Point Case Management"
REASON = "seed_demo: demo outreach"

Channel = ContactAttempt.Channel
Outcome = ContactAttempt.Outcome
Step = OutreachStep.Number
# The attempts that complete each step of the assertive timeline (engagement.steps.round_done, one_attempt_step_done).
STEP_ATTEMPTS = {
    Step.FIRST_ROUND: [(Channel.PHONE, Outcome.NO_ANSWER), (Channel.TEXT, Outcome.MESSAGE_SENT)],
    Step.SECOND_ROUND: [(Channel.PHONE, Outcome.NO_ANSWER), (Channel.EMAIL, Outcome.MESSAGE_SENT)],
    Step.ALTERNATE_CONTACT: [(Channel.ALTERNATE_CONTACT, Outcome.NO_ANSWER)],
    Step.REFERRAL_SOURCE: [(Channel.REFERRAL_SOURCE, Outcome.MESSAGE_SENT)],
}


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _letter_due_start(today: date) -> date:
    """The latest opening day from which _walk_to_letter leaves the letter sendable today (one day to spare)."""
    for back in range(8, 60):
        opened = today - timedelta(days=back)
        second_round = add_business_days(opened + timedelta(days=1), policy.WAIT_MIN_DAYS)
        source_told = second_round + timedelta(days=2)
        if once_business_days_passed(source_told, policy.REFERRAL_SOURCE_WAIT_DAYS) <= today:
            return opened
    return today - timedelta(days=60)


def _walk_to_letter(case: EngagementCase, worker: User) -> None:
    """Record failed attempts, each step on its first allowed day, until the letter is the current step."""
    day = case.opened_on + timedelta(days=1)
    for _round in range(8):
        step = current_step(case)
        if step is None or step.number not in STEP_ATTEMPTS:
            return
        day = max(day, step.not_before or day)
        for hour, (channel, outcome) in enumerate(STEP_ATTEMPTS[step.number], start=10):
            attempt_record(case=case, channel=channel, outcome=outcome, actor=worker, at=_at(day, hour),
                           note="Demo: no answer.")
        case.refresh_from_db()
        day += timedelta(days=1)


@transaction.atomic
def demo_outreach_seed() -> int:
    """Seed the demo outreach once. Returns how many cases were opened."""
    worker = User.objects.filter(username="case_worker").first()
    if worker is None or EngagementCase.objects.filter(worker=worker).exists():
        return 0
    assertive = Program.objects.filter(agency=worker.agency, name=ASSERTIVE_PROGRAM).first()
    protocol = Program.objects.filter(agency=worker.agency, name=DISENGAGEMENT_PROGRAM).first()
    clients = list(Client.objects.filter(assignment__worker=worker).order_by("pk")[:4])
    if assertive is None or protocol is None or len(clients) < 4:
        return 0
    today = timezone.localdate()
    overdue, letter_due, new, inactive = clients

    engagement_open(client=overdue, program=assertive, worker=worker, actor=worker, on=today - timedelta(days=14))

    case = engagement_open(client=letter_due, program=assertive, worker=worker, actor=worker, on=_letter_due_start(today))
    _walk_to_letter(case, worker)

    engagement_open(client=new, program=assertive, worker=worker, actor=worker, on=today - timedelta(days=1))

    case = engagement_open(client=inactive, program=protocol, worker=worker, actor=worker, on=today - timedelta(days=40))
    for days_ago, channel in ((38, Channel.PHONE), (36, Channel.TEXT)):
        attempt_record(case=case, channel=channel, outcome=Outcome.NO_ANSWER if channel == Channel.PHONE else Outcome.MESSAGE_SENT,
                       actor=worker, at=_at(today - timedelta(days=days_ago), 11), note="Demo: no answer.")
    # The last contact was 35 days ago: the 30-day timer is counted from it, and its job has run.
    case.last_contact_at = _at(today - timedelta(days=35), 15)
    history_save(case, actor=worker, reason=REASON, validate=False)
    inactivity_timer_start(case)
    # The scheduled jobs that would have run by now (overdue steps, the 30-day flag), as the sweep runs them.
    now = timezone.now()
    due = Deadline.objects.filter(kind__startswith="engagement.", state=Deadline.State.PENDING, due_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        deadline_process(pk=pk, now=now)
    return 4
