"""Referral outcomes, deadlines in business days, HUD 4.20 events, emergency shelters."""

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.deadlines import deadlines_sweep
from ces.models import Deadline, Notification
from intake.models import Shelter
from referrals.models import CeEvent, Referral, ShelterDailyList, ShelterReferral, Vacancy
from referrals.services import (
    DENIAL_REASON_REQUIRED,
    JUSTIFICATION_REQUIRED,
    REASON_REQUIRED,
    referral_decide,
    shelter_referral_create,
    shelter_walk_in_record,
    vacancy_create,
    vacancy_pull,
)
from referrals.shelter_lists import shelter_daily_lists_make
from tests.factories import BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, program_staff

LA = timezone.get_fixed_timezone(-8 * 60)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def pulled(program_type="rrh", n=5, **program_kwargs):
    program = ProgramFactory(type=program_type, **program_kwargs)
    staff = program_staff(program)
    entries = [BnlEntryFactory(score=20 - i, chronic=True) for i in range(n)]
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=n)
    return program, staff, entries, list(pull.referrals.order_by("rank"))


@pytest.mark.django_db
def test_enrolling_one_closes_the_others_as_not_selected_and_they_return_to_the_list():
    program, staff, entries, refs = pulled("psh")
    response = api_for(staff).post(f"/api/v1/referrals/{refs[2].pk}/decision/", {"outcome": "enrolled"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "enrolled"
    statuses = dict(Referral.objects.values_list("pk", "status"))
    assert statuses[refs[2].pk] == "enrolled"
    assert [statuses[r.pk] for r in refs if r.pk != refs[2].pk] == ["not_selected"] * 4
    entries_now = dict(BnlEntry.objects.values_list("pk", "status"))
    assert entries_now[entries[2].pk] == "housed"
    assert [entries_now[e.pk] for e in entries if e.pk != entries[2].pk] == ["active"] * 4
    assert Vacancy.objects.get().status == "filled"
    assert CeEvent.objects.get(referral=refs[2]).referral_result == CeEvent.Result.CLIENT_ACCEPTED
    assert Deadline.objects.filter(state="pending").count() == 0  # every referral's timers cancelled


@pytest.mark.django_db
def test_transitional_housing_keeps_the_person_on_the_list_without_the_chronic_flag():
    program, staff, entries, refs = pulled("th", n=1)
    referral_decide(referral=refs[0], outcome="enrolled", actor=staff)
    entry = BnlEntry.objects.get(pk=entries[0].pk)
    assert entry.status == "active" and entry.chronic is False
    assert entry.history.filter(chronic=True).exists()  # history keeps it


@pytest.mark.django_db
def test_provider_rejection_needs_a_listed_reason_and_a_justification():
    program, staff, entries, refs = pulled(n=1)
    api = api_for(staff)
    response = api.post(f"/api/v1/referrals/{refs[0].pk}/decision/", {"outcome": "provider_rejected"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": [REASON_REQUIRED], "justification": [JUSTIFICATION_REQUIRED]}
    response = api.post(f"/api/v1/referrals/{refs[0].pk}/decision/",
                        {"outcome": "provider_rejected", "reason": "made_up", "justification": "x"}, format="json")
    assert response.json()["errors"] == {"reason": [REASON_REQUIRED]}
    response = api.post(f"/api/v1/referrals/{refs[0].pk}/decision/",
                        {"outcome": "provider_rejected", "reason": "household_size", "justification": "Studio unit; household of 4."},
                        format="json")
    assert response.status_code == 200
    assert BnlEntry.objects.get(pk=entries[0].pk).status == "active"
    assert CeEvent.objects.get(referral=refs[0]).referral_result == CeEvent.Result.PROVIDER_REJECTED


@pytest.mark.django_db
def test_declining_after_accepting_notifies_coc_staff():
    program, staff, entries, refs = pulled(n=1)
    coc = UserFactory(roles=[roles.COC_STAFF])
    referral_decide(referral=refs[0], outcome="accepted", actor=staff)
    assert not Notification.objects.filter(recipient=coc).exists()
    referral_decide(referral=refs[0], outcome="client_declined", actor=staff)
    assert Notification.objects.filter(recipient=coc, subject__contains="declined after accepting").count() == 1
    assert BnlEntry.objects.get(pk=entries[0].pk).status == "active"
    assert CeEvent.objects.get(referral=refs[0]).referral_result == CeEvent.Result.CLIENT_REJECTED


@pytest.mark.django_db
def test_closed_referrals_cannot_be_decided_again_and_unknown_outcomes_are_400():
    program, staff, entries, refs = pulled(n=1)
    api = api_for(staff)
    assert api.post(f"/api/v1/referrals/{refs[0].pk}/decision/", {"outcome": "maybe"}, format="json").status_code == 400
    referral_decide(referral=refs[0], outcome="not_selected", actor=staff)
    assert api.post(f"/api/v1/referrals/{refs[0].pk}/decision/", {"outcome": "enrolled"}, format="json").status_code == 400
    outsider = UserFactory(roles=[roles.PROGRAM_STAFF])
    assert api_for(outsider).post(f"/api/v1/referrals/{refs[0].pk}/decision/", {"outcome": "enrolled"}, format="json").status_code == 404


@pytest.mark.django_db
def test_referral_list_api_filters_by_program_and_status():
    program, staff, entries, refs = pulled(n=3)
    body = api_for(staff).get("/api/v1/referrals/", {"program": program.pk, "status": "pending"}).json()
    assert [r["id"] for r in body] == [r.pk for r in sorted(refs, key=lambda r: r.rank)]
    assert api_for(staff).get("/api/v1/referrals/", {"status": "lost"}).status_code == 400


@pytest.mark.django_db
def test_pending_referral_reminds_at_10_business_days_and_expires_at_20():
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=LA), tick=False):  # Friday before Thanksgiving week
        program, staff, entries, refs = pulled(n=1)
        coc = UserFactory(roles=[roles.COC_STAFF])
    reminder = Deadline.objects.get(kind="referrals.reminder")
    expiry = Deadline.objects.get(kind="referrals.expire")
    # 10 business days after Fri 2026-11-20, skipping Thanksgiving (Thu 11-26): Mon 12-07.
    assert timezone.localtime(reminder.due_at).date().isoformat() == "2026-12-07"
    # 20 business days: skipping Christmas (Fri 12-25): Mon 12-21.
    assert timezone.localtime(expiry.due_at).date().isoformat() == "2026-12-21"
    deadlines_sweep(now=reminder.due_at - timedelta(minutes=1))
    assert not Notification.objects.exists()
    deadlines_sweep(now=reminder.due_at)
    assert Notification.objects.filter(recipient__in=[staff, coc], subject__contains="needs an answer").count() == 2
    deadlines_sweep(now=expiry.due_at)
    assert Referral.objects.get().status == "expired"
    assert BnlEntry.objects.get(pk=entries[0].pk).status == "active"
    assert Notification.objects.filter(subject__contains="expired").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_expire_each_referral_exactly_once():
    program, staff, entries, refs = pulled(n=5)
    due = Deadline.objects.filter(kind="referrals.expire").first().due_at
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait(timeout=30)
            deadlines_sweep(now=due + timedelta(minutes=1))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Referral.objects.filter(status="expired").count() == 5
    for referral in Referral.objects.all():
        assert referral.history.filter(status="expired").count() == 1
    assert Notification.objects.filter(subject__contains="expired").count() == 5  # program staff only (no CoC staff here)
    assert Notification.objects.filter(subject__contains="needs an answer").count() == 5


@pytest.mark.django_db
def test_answered_referrals_get_no_reminder():
    program, staff, entries, refs = pulled(n=1)
    referral_decide(referral=refs[0], outcome="accepted", actor=staff)
    deadlines_sweep(now=timezone.now() + timedelta(days=60))
    assert not Notification.objects.exists()
    assert Referral.objects.get().status == "accepted"


@pytest.mark.django_db
def test_shelter_referral_statuses_walk_ins_and_the_daily_list():
    shelter = Shelter.objects.get(name="Hospitality House")
    shelter.program = ProgramFactory(type="es", counties=["nevada"])
    shelter.save()
    staff = UserFactory(agency=shelter.program.agency, roles=[roles.PROGRAM_STAFF])
    agent = UserFactory(roles=[roles.CALL_AGENT])
    with time_machine.travel(datetime(2026, 11, 21, 22, 0, tzinfo=LA), tick=False):
        referral = shelter_referral_create(client=ClientFactory(hmis_consent="yes", first_name="Ana"), shelter=shelter, actor=agent)
    assert CeEvent.objects.get(shelter_referral=referral).event == 10
    api = api_for(staff)
    response = api.post(f"/api/v1/shelter-referrals/{referral.pk}/status/", {"status": "denied"}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"reason": [str(DENIAL_REASON_REQUIRED)]}
    response = api.post(f"/api/v1/shelter-referrals/{referral.pk}/status/", {"status": "arrived"}, format="json")
    assert response.json()["status"] == "arrived"
    walk_in = shelter_walk_in_record(shelter=shelter, name="John", actor=staff)
    assert walk_in.walk_in and walk_in.status == "arrived"
    with time_machine.travel(datetime(2026, 11, 22, 7, 0, tzinfo=LA), tick=False):
        assert shelter_daily_lists_make() >= 1
        assert shelter_daily_lists_make() == 0  # once per shelter per day
    daily = ShelterDailyList.objects.get(shelter=shelter)
    assert daily.date.isoformat() == "2026-11-22" and daily.referral_count == 1
    assert daily.file.read(4) == b"%PDF"
    assert Notification.objects.filter(recipient=staff, subject__contains="Hospitality House").count() == 1


@pytest.mark.django_db
def test_shelter_staff_of_another_agency_cannot_update():
    shelter = Shelter.objects.get(name="Hospitality House")
    referral = shelter_referral_create(client=ClientFactory(), shelter=shelter, actor=UserFactory(roles=[roles.CALL_AGENT]))
    outsider = UserFactory(roles=[roles.PROGRAM_STAFF])
    assert api_for(outsider).post(f"/api/v1/shelter-referrals/{referral.pk}/status/", {"status": "arrived"}, format="json").status_code == 404
    assert ShelterReferral.objects.get().status == "pending"
