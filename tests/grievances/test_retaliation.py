"""Non-retaliation: adverse changes to a complainant's list entry or referrals within 90 days after
filing are flagged to CoC staff by the daily watch (read-only over the bnl/referrals history)."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from bnl.services import bnl_case_management_set, bnl_entry_status_set
from ces import roles
from ces.deadlines import deadlines_sweep
from ces.models import Deadline, Notification
from grievances import services
from grievances.models import RetaliationFlag
from grievances.retaliation import ALREADY_REVIEWED
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from tests.factories import BnlEntryFactory, ProgramFactory, UserFactory, program_staff
from tests.grievances.conftest import api_for

pytestmark = pytest.mark.django_db

LA = timezone.get_fixed_timezone(-8 * 60)


def at(month: int, day: int, hour: int = 10):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=LA), tick=False)


def sweep(month: int, day: int) -> None:
    with at(month, day, 6):
        deadlines_sweep()


def test_adverse_changes_within_90_days_are_flagged_once_and_coc_staff_are_told(committee, coc_staff):
    with at(1, 20):
        entry = BnlEntryFactory(score=10, subtotal=9)
    with at(2, 1):  # before filing: not flagged
        bnl_entry_status_set(entry=entry, status="inactive", actor=coc_staff, reason="no contact")
        bnl_entry_status_set(entry=entry, status="active", actor=coc_staff)
    with at(2, 2):
        complaint = services.title_vi_complaint_file(actor=coc_staff, complainant_name="Ana Reyes", bases=["race"],
                                                     incident_date=datetime(2026, 1, 28).date(), description="x",
                                                     client_id=entry.client_id)
    assert Deadline.objects.filter(kind="grievances.retaliation_watch", state="pending").count() == 1
    with at(2, 10):
        other_staff = UserFactory(username="jo", agency=coc_staff.agency, roles=[roles.COC_STAFF])
        bnl_entry_status_set(entry=entry, status="inactive", actor=other_staff, reason="could not reach her")
    sweep(2, 11)
    flag = RetaliationFlag.objects.get()
    assert (flag.complaint, flag.record_type, flag.record_id, flag.changed_by) == (complaint, "bnl.bnlentry", entry.pk, other_staff)
    assert flag.change == "list entry status active → inactive" and "could not reach her" in flag.reason
    assert Notification.objects.filter(recipient=coc_staff, subject=f"Possible retaliation: {complaint.reference}").count() == 1
    assert not Notification.objects.filter(recipient=committee, subject__startswith="Possible retaliation").exists()
    with at(2, 12):  # not adverse: back to active, a point added (score up)
        bnl_entry_status_set(entry=entry, status="active", actor=coc_staff)
        worker = UserFactory(username="casey", roles=[roles.CASE_WORKER])
        bnl_case_management_set(entry=entry, item=1, points=1, justification="Needs a case manager.", actor=worker)
    sweep(2, 13)
    sweep(2, 14)
    assert RetaliationFlag.objects.count() == 1  # each change once, however many runs
    with at(3, 1):  # the point removed: the score goes down
        bnl_case_management_set(entry=entry, item=1, points=0, justification="", actor=worker)
    sweep(3, 2)
    assert list(RetaliationFlag.objects.order_by("changed_at").values_list("change", flat=True)) == [
        "list entry status active → inactive", "score lowered 10 → 9"]


def test_a_referral_rejected_after_a_grievance_is_filed_is_flagged(committee, coc_staff):
    program = ProgramFactory()
    staff = program_staff(program)
    with at(3, 2):
        entry = BnlEntryFactory(score=15)
        grievance = services.grievance_file(actor=committee, complainant_name="Luis Mora", agency_id=program.agency_id,
                                            denial_date=datetime(2026, 2, 20).date(), tried_with_program=True,
                                            description="x", client_id=entry.client_id)
    with at(3, 4):
        referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
        referral_decide(referral=referral, outcome="provider_rejected", reason="household_size",
                        justification="Studio unit.", actor=staff)
    sweep(3, 5)
    flag = RetaliationFlag.objects.get()
    assert (flag.grievance, flag.record_type, flag.record_id, flag.changed_by) == (grievance, "referrals.referral", referral.pk, staff)
    assert "pending → provider_rejected" in flag.change


def test_changes_after_the_90_days_are_not_flagged_and_the_watch_stops(committee, coc_staff):
    with at(1, 5):
        entry = BnlEntryFactory()
        services.title_vi_complaint_file(actor=coc_staff, complainant_name="Ana Reyes", bases=["race"], description="x",
                                         incident_date=datetime(2026, 1, 2).date(), client_id=entry.client_id)
    sweep(1, 6)
    with at(4, 6):  # day 91 after filing on January 5
        bnl_entry_status_set(entry=entry, status="exited", actor=coc_staff, exit_reason="moved_away", reason="moved away")
    for day in (5, 6, 7, 8):
        sweep(4, day)
    assert not RetaliationFlag.objects.exists()
    assert not Deadline.objects.filter(kind="grievances.retaliation_watch", state="pending").exists()


def test_linking_the_complainants_record_later_starts_the_watch_and_finds_earlier_changes(committee, coc_staff):
    with at(2, 1):
        entry = BnlEntryFactory()
        complaint = services.title_vi_complaint_file(actor=coc_staff, complainant_name="Ana Reyes", bases=["race"],
                                                     description="x", incident_date=datetime(2026, 1, 30).date())
    assert not Deadline.objects.filter(kind="grievances.retaliation_watch").exists()  # nobody to watch yet
    with at(2, 3):
        bnl_entry_status_set(entry=entry, status="inactive", actor=coc_staff)
    with at(2, 5):
        api_for(coc_staff).post(f"/api/v1/title-vi-complaints/{complaint.pk}/link-client/", {"client_id": entry.client_id},
                                format="json")
    sweep(2, 6)
    assert RetaliationFlag.objects.get().complaint == complaint


def test_coc_staff_record_the_review_of_a_flag_once(committee, coc_staff):
    with at(2, 1):
        entry = BnlEntryFactory()
        complaint = services.title_vi_complaint_file(actor=coc_staff, complainant_name="Ana Reyes", bases=["race"],
                                                     description="x", incident_date=datetime(2026, 1, 30).date(),
                                                     client_id=entry.client_id)
        bnl_entry_status_set(entry=entry, status="inactive", actor=coc_staff)
    sweep(2, 2)
    flag = RetaliationFlag.objects.get()
    assert api_for(committee).post(f"/api/v1/retaliation-flags/{flag.pk}/review/", {"note": "ok"}, format="json").status_code == 403
    assert api_for(coc_staff).post(f"/api/v1/retaliation-flags/{flag.pk}/review/", {"note": ""}, format="json").status_code == 400
    response = api_for(coc_staff).post(f"/api/v1/retaliation-flags/{flag.pk}/review/",
                                       {"note": "Three documented no-contact attempts before the complaint; not retaliation."},
                                       format="json")
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.reviewed_by == coc_staff and flag.review_note.startswith("Three documented")
    again = api_for(coc_staff).post(f"/api/v1/retaliation-flags/{flag.pk}/review/", {"note": "again"}, format="json")
    assert again.json()["errors"]["non_field_errors"] == [str(ALREADY_REVIEWED)]
    assert complaint.retaliation_flags.get().reviewed_at is not None
