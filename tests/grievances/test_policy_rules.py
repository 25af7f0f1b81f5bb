"""The numbers of the complaint and grievance procedures (seed 004, Appendix D and E; grievances.md) and of
the public page's abuse protection (docs/grievances.md), each stated with its boundary: the day, count or
size that is still allowed and the one after it that is not.

Ordered cheapest first (no database, then services without letters), so `make mutate` kills a wrong
number of grievances/policy.py in a fraction of a second; the clocks that make letters are in
test_clocks.py."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ces.errors import Invalid
from ces.models import Deadline
from grievances import services
from grievances.inputs import PublicTitleViInput, TitleViInput, VoteInput
from grievances.models import Grievance, PublicAttempt, TitleViComplaint
from grievances.uploads import FILES_TOO_LARGE, TOO_MANY_FILES, RateLimited, attachments_check, public_attempt_admit
from tests.factories import AgencyFactory

LA = timezone.get_fixed_timezone(-8 * 60)
MB = 1024 * 1024
PDF = b"%PDF-1.4\n"


def pdf_of(size: int, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"0" * (size - len(PDF)), content_type="application/pdf")


def errors_of(serializer_class, data: dict) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid()
    return serializer.errors


# --- text and vote limits (no database) ------------------------------------------------------------


@pytest.mark.parametrize("field,limit", [
    ("complainant_name", 200), ("signature_name", 200), ("third_party_name", 200),  # names: 200 characters
    ("people_involved", 4_000), ("accessible_format", 4_000), ("third_party_reason", 4_000),  # longer answers: 4,000
    ("description", 10_000),  # what happened: 10,000 characters (docs/grievances.md)
])
def test_each_text_of_the_complaint_form_takes_its_limit_and_refuses_one_character_more(field, limit):
    assert field not in errors_of(PublicTitleViInput, {field: "a" * limit})
    assert field in errors_of(PublicTitleViInput, {field: "a" * (limit + 1)})
    assert field in errors_of(TitleViInput, {field: "a" * (limit + 1)})


@pytest.mark.parametrize("key", ["for", "against", "abstain"])
def test_a_board_vote_counts_up_to_200_per_choice(key):
    votes = {"for": 3, "against": 1, "abstain": 0, "decision": "Upheld: the household fits the unit."}
    assert key not in errors_of(VoteInput, {**votes, key: 200})
    assert key in errors_of(VoteInput, {**votes, key: 201})


# --- attachments (no database) ---------------------------------------------------------------------


def test_an_attachment_of_exactly_5_mb_is_taken_and_one_byte_more_is_refused():
    assert [kind for _upload, kind, _ext in attachments_check([pdf_of(5 * MB)])] == ["application/pdf"]
    with pytest.raises(Invalid) as refused:
        attachments_check([pdf_of(5 * MB + 1)])
    assert "is larger than 5 MB" in str(refused.value.errors["attachments"][0])


def test_three_attachments_are_taken_and_a_fourth_is_refused():
    assert len(attachments_check([pdf_of(100, f"p{i}.pdf") for i in range(3)])) == 3
    with pytest.raises(Invalid) as refused:
        attachments_check([pdf_of(100, f"p{i}.pdf") for i in range(4)])
    assert refused.value.errors["attachments"] == [TOO_MANY_FILES]
    assert str(TOO_MANY_FILES) == "Attach at most 3 files."


def test_attachments_of_10_mb_together_are_taken_and_one_byte_more_is_refused():
    assert len(attachments_check([pdf_of(5 * MB), pdf_of(5 * MB)])) == 2
    with pytest.raises(Invalid) as refused:
        attachments_check([pdf_of(5 * MB), pdf_of(5 * MB), pdf_of(len(PDF) + 1)])
    assert refused.value.errors["attachments"] == [FILES_TOO_LARGE]
    assert str(FILES_TOO_LARGE) == "The attachments together are larger than 10 MB."


# --- the public page's rate limit --------------------------------------------------------------------


def at(when: datetime):
    return time_machine.travel(when, tick=False)


@pytest.mark.django_db
def test_ten_submissions_an_hour_are_admitted_from_one_address_and_the_eleventh_is_refused():
    start = datetime(2026, 3, 2, 9, tzinfo=LA)
    for minute in range(10):
        with at(start + timedelta(minutes=minute)):
            public_attempt_admit(address="203.0.113.9")
    with at(start + timedelta(minutes=59)), pytest.raises(RateLimited):
        public_attempt_admit(address="203.0.113.9")
    with at(start + timedelta(minutes=59)):
        public_attempt_admit(address="198.51.100.4")  # another address has its own count
    with at(start + timedelta(minutes=61)):
        public_attempt_admit(address="203.0.113.9")  # the first hour's first one has left the window
    assert PublicAttempt.objects.count() == 12


@pytest.mark.django_db
def test_thirty_submissions_a_day_are_admitted_from_one_address_and_the_thirty_first_is_refused():
    start = datetime(2026, 3, 2, 6, tzinfo=LA)
    for hour in range(3):  # ten an hour, three hours apart: never over the hourly limit
        for minute in range(10):
            with at(start + timedelta(hours=2 * hour, minutes=minute)):
                public_attempt_admit(address="203.0.113.9")
    with at(start + timedelta(hours=8)), pytest.raises(RateLimited):
        public_attempt_admit(address="203.0.113.9")
    assert PublicAttempt.objects.count() == 30


# --- the clocks that need no letter ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_complaint_received_exactly_180_days_after_the_incident_is_received_for_review(committee):
    with at(datetime(2026, 6, 30, 10, tzinfo=LA)):
        complaint = services.title_vi_complaint_file(actor=committee, complainant_name="Ana Reyes", bases=["race"],
                                                     incident_date=date(2026, 1, 1), description="Refused an interpreter.",
                                                     address="12 Pine St, Grass Valley")
    assert (complaint.received_on - complaint.incident_date).days == 180
    assert TitleViComplaint.objects.get(pk=complaint.pk).status == "received"


def grievance_on(committee, *, received: date, denied: date) -> Grievance:
    with at(datetime(received.year, received.month, received.day, 10, tzinfo=LA)):
        return services.grievance_file(actor=committee, complainant_name="Luis Mora", agency_id=AgencyFactory().pk,
                                       denial_date=denied, tried_with_program=True, program_answer="They kept the decision.",
                                       description="Refused the unit although my household fits it.")


def local_times(grievance: Grievance, kind: str) -> list[datetime]:
    rows = Deadline.objects.filter(subject_id=grievance.pk, kind=kind, state="pending").order_by("due_at")
    return [timezone.localtime(row.due_at).replace(tzinfo=None) for row in rows]


@pytest.mark.django_db
def test_a_grievance_180_days_after_the_denial_gets_the_committees_15_business_day_clock_with_its_reminders(committee):
    # Received Tuesday 2026-03-03; 15 business days later is Tuesday 2026-03-24 (no holiday between).
    grievance = grievance_on(committee, received=date(2026, 3, 3), denied=date(2026, 3, 3) - timedelta(days=180))
    assert grievance.status == "received"
    assert grievance.committee_response_due == date(2026, 3, 24)
    # Reminders at 08:00, 5 and 1 business days before the due day; overdue just after the day ends (00:05).
    assert local_times(grievance, "grievances.committee_reminder") == [datetime(2026, 3, 17, 8), datetime(2026, 3, 23, 8)]
    assert local_times(grievance, "grievances.committee_overdue") == [datetime(2026, 3, 25, 0, 5)]
