"""The assertive engagement's step rules (engagement/steps.py), each stated from seed 002's words and the spec
(engagement.md), with its boundaries: the exact business day, the day before and the day after.

Seed 002, "Upon Entry Into Service": 1 "Attempt to call client within 5 business days once referral is
assigned"; 2 main phone (voicemail if consented) and "email, text, or alternate number"; 3 "Wait 3-5 business
days"; 4 the same again; 5 "Wait 3-5 business days"; 6 the alternate / family support contact "(if
applicable)"; 7 "contact referral source to advise. Allow 3-5 business days to hear back"; 8 the no-contact
letter; 9 close the file. "For Existing Clients": the two rounds and the alternate contact, then attempts
"for a maximum of 3 months" (engagement.md: a round at least every 10 business days, the months counted from
the first attempt). The letter says the file closes in five business days.

Calendar (US federal holidays): Thanksgiving Thu 2026-11-26, Christmas Fri 2026-12-25, New Year Fri
2027-01-01. The week of Mon 2026-12-07 has no holiday.
"""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from ces.models import ClosureDay
from engagement import steps
from engagement.models import ContactAttempt, OutreachStep

pytestmark = pytest.mark.django_db
Step = OutreachStep.Number
Channel = ContactAttempt.Channel
LA = timezone.get_fixed_timezone(-8 * 60)

MON = date(2026, 12, 7)  # a week without holiday: Tue 8, Wed 9, Thu 10, Fri 11, Mon 14, ... Mon 21 is the 10th


def d(text: str) -> date:
    return date.fromisoformat(text)


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LA)


def after(number, done_on, *, alternate=False, lost=False, ceiling_on=None):
    return steps.step_after(number, done_on=done_on, has_alternate=alternate, lost_contact=lost, ceiling_on=ceiling_on)


# --- step 1: within 5 business days of T0 ---------------------------------------------------------------


def test_the_first_round_is_due_on_the_fifth_business_day_after_t0():
    assert steps.first_round_due(MON) == d("2026-12-14")  # Tue, Wed, Thu, Fri, Mon
    assert steps.first_round_due(d("2026-11-23")) == d("2026-12-01")  # Thanksgiving and the weekend are not counted
    assert steps.first_round_due(d("2026-12-05")) == d("2026-12-11")  # from a Saturday: Mon … Fri


def test_a_closure_day_an_admin_adds_is_not_a_business_day():
    ClosureDay.objects.create(date=d("2026-12-09"), name="County closure")
    assert steps.first_round_due(MON) == d("2026-12-15")


# --- which step follows, its wait and its due date -----------------------------------------------------------


def test_after_the_first_round_the_second_waits_3_business_days_and_is_due_at_the_5th():
    assert after(Step.FIRST_ROUND, MON) == (Step.SECOND_ROUND, d("2026-12-14"), d("2026-12-10"))
    # Over Thanksgiving: Tue 11-24 → 25, 27, 30 (the 3rd), 12-01, 12-02 (the 5th).
    assert after(Step.FIRST_ROUND, d("2026-11-24")) == (Step.SECOND_ROUND, d("2026-12-02"), d("2026-11-30"))


def test_the_first_round_of_an_existing_client_is_followed_by_the_second_round_too():
    assert after(Step.FIRST_ROUND, MON, lost=True, alternate=True, ceiling_on=d("2026-12-09")) == (
        Step.SECOND_ROUND, d("2026-12-14"), d("2026-12-10"))


def test_after_the_second_round_the_alternate_contact_if_the_client_gave_one():
    assert after(Step.SECOND_ROUND, MON, alternate=True) == (Step.ALTERNATE_CONTACT, d("2026-12-14"), None)
    assert after(Step.SECOND_ROUND, MON, alternate=True, lost=True) == (Step.ALTERNATE_CONTACT, d("2026-12-14"), None)


def test_after_the_second_round_without_an_alternate_contact_the_referral_source():
    assert after(Step.SECOND_ROUND, MON) == (Step.REFERRAL_SOURCE, d("2026-12-14"), None)
    assert after(Step.SECOND_ROUND, d("2026-12-21")) == (Step.REFERRAL_SOURCE, d("2026-12-29"), None)  # over Christmas


def test_after_the_alternate_contact_the_referral_source_within_5_business_days():
    assert after(Step.ALTERNATE_CONTACT, MON, alternate=True) == (Step.REFERRAL_SOURCE, d("2026-12-14"), None)
    assert after(Step.ALTERNATE_CONTACT, d("2026-12-10"), alternate=True) == (Step.REFERRAL_SOURCE, d("2026-12-17"), None)


def test_the_referral_source_has_3_business_days_to_answer_and_the_letter_is_due_at_the_5th():
    # Advised Wed 11-25: Fri 11-27, Mon 11-30 and Tue 12-01 to hear back; the letter from Wed 12-02, due Thu 12-03.
    assert after(Step.REFERRAL_SOURCE, d("2026-11-25")) == (Step.LETTER, d("2026-12-03"), d("2026-12-02"))
    assert after(Step.REFERRAL_SOURCE, MON) == (Step.LETTER, d("2026-12-14"), d("2026-12-11"))


def test_an_existing_client_goes_on_with_a_round_every_10_business_days_after_the_second_round():
    assert after(Step.SECOND_ROUND, MON, lost=True) == (Step.FURTHER_ROUND, d("2026-12-21"), None)
    assert after(Step.SECOND_ROUND, MON, lost=True, ceiling_on=d("2026-12-22")) == (Step.FURTHER_ROUND, d("2026-12-21"), None)
    assert after(Step.ALTERNATE_CONTACT, MON, lost=True, alternate=True) == (Step.FURTHER_ROUND, d("2026-12-21"), None)
    assert after(Step.FURTHER_ROUND, MON, lost=True) == (Step.FURTHER_ROUND, d("2026-12-21"), None)
    # Across Christmas and New Year: Mon 12-21 → 22, 23, 24, 28, 29, 30, 31, 01-04, 05, 06.
    assert after(Step.FURTHER_ROUND, d("2026-12-21"), lost=True) == (Step.FURTHER_ROUND, d("2027-01-06"), None)


def test_an_existing_client_gets_the_letter_on_the_ceiling_when_the_next_round_would_reach_it():
    assert after(Step.FURTHER_ROUND, MON, lost=True, ceiling_on=d("2026-12-21")) == (Step.LETTER, d("2026-12-21"), None)
    assert after(Step.FURTHER_ROUND, MON, lost=True, ceiling_on=d("2026-12-18")) == (Step.LETTER, d("2026-12-18"), None)
    assert after(Step.FURTHER_ROUND, MON, lost=True, ceiling_on=d("2026-12-22")) == (Step.FURTHER_ROUND, d("2026-12-21"), None)
    assert after(Step.SECOND_ROUND, MON, lost=True, ceiling_on=d("2026-12-21")) == (Step.LETTER, d("2026-12-21"), None)
    assert after(Step.ALTERNATE_CONTACT, MON, lost=True, ceiling_on=d("2026-12-11")) == (Step.LETTER, d("2026-12-11"), None)


def test_the_further_round_rule_on_its_own():
    assert steps.further_round_or_letter(MON, None) == (Step.FURTHER_ROUND, d("2026-12-21"), None)
    assert steps.further_round_or_letter(MON, d("2026-12-21")) == (Step.LETTER, d("2026-12-21"), None)
    assert steps.further_round_or_letter(MON, d("2026-12-22")) == (Step.FURTHER_ROUND, d("2026-12-21"), None)


def test_after_the_letter_no_step_follows_the_closure_clock_does():
    assert after(Step.LETTER, MON) is None
    assert after(Step.LETTER, MON, lost=True, alternate=True, ceiling_on=MON) is None


def test_the_step_numbers_are_the_seeds():
    assert [Step.FIRST_ROUND, Step.SECOND_ROUND, Step.ALTERNATE_CONTACT, Step.REFERRAL_SOURCE, Step.LETTER] == [1, 3, 5, 6, 7]


# --- what completes a step ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("channels", "done"), [
    ({"phone", "text"}, True),
    ({"phone", "email"}, True),
    ({"voicemail", "email"}, True),
    ({"voicemail", "alternate_phone"}, True),  # "email, text, or alternate number"
    ({"phone", "voicemail"}, False),  # the main phone twice, no second channel
    ({"text", "email", "alternate_phone"}, False),  # never the main phone
    ({"phone"}, False),
    ({"email"}, False),
    (set(), False),
    ({"phone", "alternate_contact"}, False),  # the alternate / family contact is step 5, not a round
    ({"phone", "referral_source"}, False),
    ({"phone", "letter"}, False),
    ({"in_person", "text"}, False),
])
def test_a_round_is_the_main_phone_and_email_text_or_the_alternate_number(channels, done):
    attempts = [(at("2026-12-08", hour), channel) for hour, channel in enumerate(sorted(channels), start=9)]
    assert steps.round_done(attempts) is done


def test_a_rounds_attempts_count_from_the_first_day_after_its_wait_in_the_cocs_time_zone():
    before = [(at("2026-12-09", 23, 59), "phone"), (at("2026-12-09", 23, 59), "text")]
    on_the_day = [(at("2026-12-10", 0, 1), "phone"), (at("2026-12-10", 0, 1), "text")]
    assert not steps.round_done(before, not_before=d("2026-12-10"))  # already 12-10 in UTC, still 12-09 in California
    assert steps.round_done(on_the_day, not_before=d("2026-12-10"))
    assert not steps.round_done([on_the_day[0], before[1]], not_before=d("2026-12-10"))
    assert steps.round_done(before + on_the_day, not_before=d("2026-12-10"))
    # Any day from the first one counts, up to the due date and after it (an overdue round is still done).
    assert steps.round_done([(at("2026-12-11"), "phone"), (at("2026-12-14"), "text")], not_before=d("2026-12-10"))
    assert steps.round_done([(at("2026-12-16"), "voicemail"), (at("2026-12-16"), "email")], not_before=d("2026-12-10"))


def test_the_attempt_that_completed_the_previous_step_does_not_count_again():
    done_at = at("2026-12-08", 11)
    attempts = [(at("2026-12-08", 10), "phone"), (done_at, "text")]
    assert not steps.round_done(attempts, previous_done_at=done_at)
    assert not steps.round_done([*attempts, (at("2026-12-09", 10), "phone")], previous_done_at=done_at)
    assert steps.round_done([*attempts, (at("2026-12-09", 10), "phone"), (done_at + timedelta(seconds=1), "email")],
                            previous_done_at=done_at)
    assert steps.round_done(attempts)  # without a step before it, every attempt counts


def test_the_attempts_before_the_previous_step_was_done_belong_to_it():
    done_at = at("2026-12-08", 11)
    attempts = [(at("2026-12-08", 9), "email"), (done_at, "text"), (at("2026-12-09", 10), "phone")]
    assert not steps.round_done(attempts, previous_done_at=done_at)
    assert steps.round_done([*attempts, (at("2026-12-09", 10), "alternate_phone")], previous_done_at=done_at)


def test_after_a_wait_the_first_allowed_day_counts_whatever_the_previous_step():
    attempts = [(at("2026-12-10", 9), "phone"), (at("2026-12-10", 9), "text")]
    assert steps.round_done(attempts, not_before=d("2026-12-10"), previous_done_at=at("2026-12-10", 12))


def test_an_existing_clients_rounds_count_only_the_attempts_since_contact_was_lost():
    lost = at("2026-12-08", 10)
    assert not steps.round_done([(lost - timedelta(seconds=1), "phone"), (lost, "text")], lost_contact_at=lost)
    assert steps.round_done([(lost, "phone"), (lost + timedelta(hours=1), "text")], lost_contact_at=lost)
    assert not steps.round_done([(lost - timedelta(days=1), "phone"), (lost - timedelta(days=1), "text")],
                                lost_contact_at=lost, not_before=d("2026-12-01"))


def test_attempt_counts_for_round_states_each_condition():
    lost, done = at("2026-12-08", 10), at("2026-12-09", 10)
    count = steps.attempt_counts_for_round
    assert count(at("2026-12-09", 11), lost_contact_at=lost, not_before=None, previous_done_at=done)
    assert not count(done, lost_contact_at=lost, not_before=None, previous_done_at=done)
    assert not count(at("2026-12-08", 9), lost_contact_at=lost, not_before=None, previous_done_at=None)
    assert count(lost, lost_contact_at=lost, not_before=None, previous_done_at=None)
    assert count(at("2026-12-01", 9), lost_contact_at=None, not_before=None, previous_done_at=None)
    assert count(at("2026-12-10", 0), lost_contact_at=None, not_before=d("2026-12-10"), previous_done_at=done)
    assert not count(at("2026-12-09", 23), lost_contact_at=None, not_before=d("2026-12-10"), previous_done_at=None)


@pytest.mark.parametrize(("number", "channel", "done"), [
    (Step.ALTERNATE_CONTACT, "alternate_contact", True),
    (Step.ALTERNATE_CONTACT, "alternate_phone", False),  # the client's own second number is a round's channel
    (Step.ALTERNATE_CONTACT, "referral_source", False),
    (Step.ALTERNATE_CONTACT, "phone", False),
    (Step.REFERRAL_SOURCE, "referral_source", True),
    (Step.REFERRAL_SOURCE, "alternate_contact", False),
    (Step.REFERRAL_SOURCE, "email", False),
    (Step.LETTER, "letter", False),  # the letter is done by sending it (letter_send), not by an attempt
    (Step.LETTER, "referral_source", False),
    (Step.FIRST_ROUND, "phone", False),
    (Step.SECOND_ROUND, "alternate_contact", False),
    (Step.FURTHER_ROUND, "referral_source", False),
])
def test_the_alternate_contact_and_the_referral_source_are_done_by_one_attempt_on_their_channel(number, channel, done):
    assert steps.one_attempt_step_done(number, channel) is done


# --- the existing client's ceiling ----------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "months", "ceiling"), [
    ("2026-09-02", 3, "2026-12-02"),  # 3 calendar months from the first attempt
    ("2026-09-15", 3, "2026-12-15"),  # up to December
    ("2026-10-15", 3, "2027-01-15"),  # into the next year
    ("2026-11-01", 2, "2027-01-01"),
    ("2026-12-15", 1, "2027-01-15"),
    ("2026-12-15", 12, "2027-12-15"),
    ("2026-01-15", 11, "2026-12-15"),
    ("2026-05-31", 3, "2026-08-31"),
    ("2026-05-31", 4, "2026-09-30"),  # September has no 31st: its last day
    ("2026-11-30", 3, "2027-02-28"),  # February 2027 has 28 days
    ("2027-11-30", 3, "2028-02-29"),  # February 2028 has 29
    ("2027-11-29", 3, "2028-02-29"),
    ("2026-11-29", 3, "2027-02-28"),
    ("2026-06-30", 3, "2026-09-30"),
    ("2026-07-31", 2, "2026-09-30"),
])
def test_the_outreach_ceiling_is_the_programs_months_after_the_first_attempt(first, months, ceiling):
    assert steps.outreach_ceiling(d(first), months) == d(ceiling)


# --- overdue, the letter's days, the closure --------------------------------------------------------------------


def test_a_step_is_overdue_the_morning_after_its_due_date_calendar_days():
    assert steps.overdue_on(d("2026-12-08")) == d("2026-12-09")
    assert steps.overdue_on(d("2026-12-11")) == d("2026-12-12")  # a Friday's step is overdue on Saturday
    assert not steps.is_overdue(d("2026-12-08"), d("2026-12-08"))
    assert steps.is_overdue(d("2026-12-08"), d("2026-12-09"))
    assert not steps.is_overdue(d("2026-12-08"), d("2026-12-07"))


def test_the_letter_gives_five_business_days_and_the_file_closes_once_they_have_passed():
    # Thu 12-10: Fri 11, Mon 14, Tue 15, Wed 16, Thu 17 — the 17th is the last day, the file closes on the 18th.
    assert steps.letter_answer_by(d("2026-12-10")) == d("2026-12-17")
    assert steps.file_closes_on(d("2026-12-10")) == d("2026-12-18")
    # Fri 12-18 over Christmas: 21, 22, 23, 24, 28 — the last day Mon 12-28, closes Tue 12-29.
    assert steps.letter_answer_by(d("2026-12-18")) == d("2026-12-28")
    assert steps.file_closes_on(d("2026-12-18")) == d("2026-12-29")


def test_n_business_days_have_passed_the_day_after_the_nth():
    assert steps.once_business_days_passed(d("2026-11-25"), 3) == d("2026-12-02")
    assert steps.once_business_days_passed(MON, 1) == d("2026-12-09")
    assert steps.once_business_days_passed(d("2026-12-11"), 1) == d("2026-12-15")  # Monday's business day is over on Tuesday


def test_the_letter_waits_for_the_referral_source_until_its_first_day():
    first_day = d("2026-12-02")
    assert steps.letter_waits_until(first_day, d("2026-12-01")) == first_day
    assert steps.letter_waits_until(first_day, d("2026-11-25")) == first_day
    assert steps.letter_waits_until(first_day, first_day) is None
    assert steps.letter_waits_until(first_day, d("2026-12-03")) is None
    assert steps.letter_waits_until(None, d("2026-12-01")) is None  # an existing client's letter does not wait
