"""The assertive engagement's step rules (seed 002; engagement.md), as functions of dates and channels.

Which step follows a step done, when it is due and from when its attempts count, what completes a step,
the existing-client ceiling, and the no-contact letter's days. engagement.services applies them to the
cases (writes, deadlines, history); the business-day calendar (ces.business_days) is the only thing they
read. Mutation-tested on their own (`make mutate ARGS=engagement/steps.py`, docs/test-strength.md)
against tests/engagement/test_step_rules.py, which states each rule from the seed's words.
"""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.utils import timezone

from ces.business_days import add_business_days
from engagement import policy
from engagement.models import ContactAttempt, OutreachStep

Step = OutreachStep.Number
Channel = ContactAttempt.Channel
# A round: "Contact main phone number provided. Leave a message ..." and "Contact client via email, text,
# or alternate number."
MAIN_PHONE = frozenset({Channel.PHONE, Channel.VOICEMAIL})
SECOND_CHANNEL = frozenset({Channel.EMAIL, Channel.TEXT, Channel.ALTERNATE_PHONE})
ROUNDS = frozenset({Step.FIRST_ROUND, Step.SECOND_ROUND, Step.FURTHER_ROUND})
# The steps done by one attempt on their own channel.
ONE_ATTEMPT_STEPS = {Step.ALTERNATE_CONTACT: Channel.ALTERNATE_CONTACT, Step.REFERRAL_SOURCE: Channel.REFERRAL_SOURCE}


class NextStep(NamedTuple):
    """The step that follows: its number, its due date, and the first day its attempts count (or None)."""

    number: int
    due_on: date
    not_before: date | None = None


def once_business_days_passed(day: date, days: int) -> date:
    """The first day on which `days` whole business days have passed after `day`: the day after the
    `days`-th business day (a letter of Thursday 2026-12-10 has had its 5 business days on Friday 12-18)."""
    return add_business_days(day, days) + timedelta(days=1)


def first_round_due(t0: date) -> date:
    """Step 1: "Attempt to call client within 5 business days once referral is assigned" (also the first
    round of an existing client's outreach, from the day contact is lost)."""
    return add_business_days(t0, policy.FIRST_ROUND_DAYS)


def overdue_on(due_on: date) -> date:
    """A step not done by its due date is overdue the next morning."""
    return due_on + timedelta(days=1)


def is_overdue(due_on: date, today: date) -> bool:
    return due_on < today


def step_after(number: int, *, done_on: date, has_alternate: bool, lost_contact: bool,
               ceiling_on: date | None = None) -> NextStep | None:
    """The step that follows step `number` done on `done_on` (None after the letter: the closure clock follows).

    New referrals: 1 → wait 3–5 → 3 → wait 3–5 → 5 alternate contact (if the client gave one) → 6 referral
    source → 7 letter, not before 3 business days have passed to hear back, due at the 5th. Existing clients
    (`lost_contact`): after the second round (and the alternate contact) a round every 10 business days
    until the ceiling, then the letter."""
    if number == Step.FIRST_ROUND:
        return NextStep(Step.SECOND_ROUND, due_on=add_business_days(done_on, policy.WAIT_MAX_DAYS),
                        not_before=add_business_days(done_on, policy.WAIT_MIN_DAYS))
    if number == Step.SECOND_ROUND and has_alternate:
        return NextStep(Step.ALTERNATE_CONTACT, due_on=add_business_days(done_on, policy.WAIT_MAX_DAYS))
    if number in (Step.SECOND_ROUND, Step.ALTERNATE_CONTACT):
        if lost_contact:
            return further_round_or_letter(done_on, ceiling_on)
        return NextStep(Step.REFERRAL_SOURCE, due_on=add_business_days(done_on, policy.WAIT_MAX_DAYS))
    if number == Step.REFERRAL_SOURCE:
        # "Allow 3-5 business days to hear back": the letter waits until 3 have passed; it is due at the 5th.
        return NextStep(Step.LETTER, due_on=add_business_days(done_on, policy.REFERRAL_SOURCE_REPLY_DAYS),
                        not_before=once_business_days_passed(done_on, policy.REFERRAL_SOURCE_WAIT_DAYS))
    if number == Step.FURTHER_ROUND:
        return further_round_or_letter(done_on, ceiling_on)
    return None


def further_round_or_letter(done_on: date, ceiling_on: date | None) -> NextStep:
    """Existing clients: a round at least every 10 business days; when the next one would reach the
    ceiling, the letter is due on the ceiling instead."""
    next_due = add_business_days(done_on, policy.EXISTING_ROUND_EVERY_DAYS)
    if ceiling_on and next_due >= ceiling_on:
        return NextStep(Step.LETTER, due_on=ceiling_on)
    return NextStep(Step.FURTHER_ROUND, due_on=next_due)


def attempt_counts_for_round(at: datetime, *, lost_contact_at: datetime | None, not_before: date | None,
                             previous_done_at: datetime | None) -> bool:
    """An attempt counts for a round when it belongs to this outreach (from the contact lost, for an existing
    client), and is on or after the round's first day (after the wait) — or, for a round without a wait,
    after the previous step was done."""
    if lost_contact_at is not None and at < lost_contact_at:
        return False
    if not_before is not None:
        return timezone.localtime(at).date() >= not_before
    return previous_done_at is None or at > previous_done_at


def round_done(attempts: list[tuple[datetime, str]], *, lost_contact_at: datetime | None = None,
               not_before: date | None = None, previous_done_at: datetime | None = None) -> bool:
    """A round is done when its counting attempts (when, channel) include the main phone (call or voicemail)
    and email, text or the alternate number."""
    channels = {channel for at, channel in attempts if attempt_counts_for_round(
        at, lost_contact_at=lost_contact_at, not_before=not_before, previous_done_at=previous_done_at)}
    return bool(channels & MAIN_PHONE) and bool(channels & SECOND_CHANNEL)


def one_attempt_step_done(number: int, channel: str) -> bool:
    """The alternate-contact and referral-source steps are done by one attempt on their own channel."""
    return number in ONE_ATTEMPT_STEPS and ONE_ATTEMPT_STEPS[number] == channel


def outreach_ceiling(first_attempt_on: date, months: int) -> date:
    """Existing clients: "for a maximum of 3 months" (the program's months) from the first attempt: the same
    day of the month that many calendar months later, or that month's last day when it has no such day."""
    month = first_attempt_on.month - 1 + months
    year, month = first_attempt_on.year + month // 12, month % 12 + 1
    for dom in (first_attempt_on.day, 30, 29, 28):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    raise ValueError(first_attempt_on)


def letter_answer_by(sent_on: date) -> date:
    """The last day the no-contact letter gives: "we will close your file in five business days"."""
    return add_business_days(sent_on, policy.CLOSE_AFTER_LETTER_DAYS)


def file_closes_on(sent_on: date) -> date:
    """The file closes once five business days have passed after the letter, with no contact."""
    return once_business_days_passed(sent_on, policy.CLOSE_AFTER_LETTER_DAYS)


def letter_waits_until(not_before: date | None, today: date) -> date | None:
    """The day the letter may be sent while the referral source still has its days to answer, else None."""
    return not_before if not_before is not None and today < not_before else None
