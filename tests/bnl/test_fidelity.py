"""The By-Name List as the CA-515 P&P says it (issue 11, items 1, 2, 6 and 8), one test per rule.

Seed 004: "The BNL is ... organized according to vulnerability assessment score and length of
time homeless"; "All coordinated entry participants will remain on the BNL until they have been
permanently housed"; "RRH case managers will determine if the individual's housing placement has
been successful"; and the DV parallel process ("They will pull the highest ranking households from
their internal lists and eligible households on the CoC BNL").
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from bnl.services import bnl_chronic_sweep, bnl_entry_status_set, bnl_place_deidentified_on_coc_list
from bnl.tasks import chronic_sweep
from ces import roles
from ces.system_user import system_user_get
from referrals.models import Referral
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from tests.factories import (
    AgencyFactory,
    BnlEntryFactory,
    ClientFactory,
    ProgramFactory,
    UserFactory,
    call_agent,
    program_staff,
    worked_example_2_answers,
)

pytestmark = pytest.mark.django_db
LA = timezone.get_fixed_timezone(-8 * 60)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def intake(agent, **answers):
    response = api_for(agent).post("/api/v1/intakes/", {"client_id": None, "answers": worked_example_2_answers(**answers)},
                                   format="json")
    assert response.status_code == 201, response.json()
    return BnlEntry.objects.get(pk=response.json()["bnl_entry"]["id"])


# --- 1. "organized according to ... length of time homeless", counted up to today -------------


def test_length_of_time_homeless_counts_up_to_today_so_a_person_who_waited_three_years_ranks_above_a_newcomer():
    """Ana called on 2023-11-20, homeless since 2023-10-01 (50 days then); Ben called on 2026-11-20,
    homeless since 2025-11-01 (384 days then). Same score. Today Ana has been homeless over three
    years: she is first. (Frozen at the call, Ben's 384 days beat Ana's 50.)"""
    agent = call_agent()
    with time_machine.travel(datetime(2023, 11, 20, 10, 15, tzinfo=LA), tick=False):
        ana = intake(agent, collected_at="2023-11-20T10:15:00-08:00", first_name="Ana", ssn="287-65-1111", dob="1950-05-01",
                     homeless_start_date="2023-10-01")
    ben = intake(agent, collected_at="2026-11-20T10:15:00-08:00", first_name="Ben", ssn="287-65-2222", dob="1950-05-01",
                 homeless_start_date="2025-11-01")
    assert ana.score == ben.score
    assert ana.homeless_since == date(2023, 10, 1) and ben.homeless_since == date(2025, 11, 1)
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=LA), tick=False):
        body = api_for(agent).get("/api/v1/bnl/").json()
        assert [row["id"] for row in body["results"]] == [ana.pk, ben.pk]
        assert body["results"][0]["length_of_time_homeless_days"] == (date(2026, 11, 24) - date(2023, 10, 1)).days
        assert body["results"][0]["homeless_since"] == "2023-10-01"


def test_without_a_start_date_the_answered_length_is_counted_back_from_the_assessment_and_keeps_growing():
    """"Current length of time in unstable housing: 3 to 5 years" on 2026-11-20 → homeless since
    2023-11-21 (1095 days before); a week later the person has 1102 days."""
    entry = intake(call_agent(), collected_at="2026-11-20T10:15:00-08:00", unstable_housing_length="3_to_5_years")
    assert entry.homeless_since == date(2026, 11, 20) - timedelta(days=1095)
    with time_machine.travel(datetime(2026, 11, 27, 12, 0, tzinfo=LA), tick=False):
        assert BnlEntry.objects.get(pk=entry.pk).length_of_time_homeless_days == 1102


def test_chronic_flag_is_set_when_twelve_months_homeless_are_reached_while_waiting():
    """24 CFR 578.3: "homeless ... continuously for at least 12 months". Homeless in an emergency
    shelter since 2026-03-01 with a disability (self-reported) on 2026-11-20: not yet chronic. On
    2027-03-01, still waiting, the nightly job sets the flag, as the system user, with its name."""
    entry = intake(call_agent(), collected_at="2026-11-20T10:15:00-08:00", homeless_start_date="2026-03-01")
    assert entry.chronic is False and entry.chronic_due_on == date(2027, 3, 1)
    system = system_user_get()
    assert bnl_chronic_sweep(actor=system, today=date(2027, 2, 28)) == 0
    with time_machine.travel(datetime(2027, 3, 1, 0, 10, tzinfo=LA), tick=False):
        assert chronic_sweep() == 1
    entry.refresh_from_db()
    assert entry.chronic is True
    last = entry.history.first()
    assert last.history_user == system and last.history_change_reason.startswith("bnl.chronic_sweep: 12 months")


def test_chronic_by_duration_needs_the_rest_of_the_definition():
    """Staying with family or friends is not a place the definition counts: no flag, however long."""
    entry = intake(call_agent(), collected_at="2026-11-20T10:15:00-08:00", homeless_start_date="2026-03-01",
                   sleep_location_30d="family_or_friends")
    assert entry.chronic_due_on is None
    assert bnl_chronic_sweep(actor=system_user_get(), today=date(2030, 1, 1)) == 0


def test_a_pull_sees_the_chronic_flag_reached_today_before_the_nightly_job():
    entry = intake(call_agent(), collected_at="2026-11-20T10:15:00-08:00", homeless_start_date="2026-03-01")
    program = ProgramFactory(type="psh", requires_chronic=True, counties=["nevada"])
    staff = program_staff(program)
    with time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=LA), tick=False):
        pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff)
    assert [r.entry_id for r in pull.referrals.all()] == [entry.pk]


# --- 2. DV parallel process: one person on two lists ---------------------------------------------


def vsp_entry(**kwargs):
    vsp = AgencyFactory(vsp=True, name="Stand Up Placer", initials="SUP")
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    source = BnlEntryFactory(client=ClientFactory(holding_agency=vsp), list_owner=vsp, dv_survivor=True, dv=True,
                             placed_on_list_at=datetime(2026, 1, 5, 9, 0, tzinfo=LA), **kwargs)
    return vsp, advocate, source


def test_the_coc_copy_keeps_the_vsp_entrys_seniority():
    """Placed on the VSP's list on 2026-01-05; put on the CoC list months later, the copy still
    stands as placed on 2026-01-05 (not the day it was copied) and as homeless since the same day."""
    vsp, advocate, source = vsp_entry(score=12)
    other = BnlEntryFactory(score=12, placed_on_list_at=datetime(2026, 3, 1, tzinfo=LA))
    other.homeless_since = source.homeless_since
    other.save()
    copy = bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="77", actor=advocate)
    assert copy.placed_on_list_at == source.placed_on_list_at and copy.homeless_since == source.homeless_since
    ranked = list(BnlEntry.objects.filter(list_owner__isnull=True).order_by(*BnlEntry._meta.ordering))
    assert ranked.index(copy) < ranked.index(other)


def test_the_vsp_entry_and_its_coc_copy_keep_the_same_status_both_ways():
    vsp, advocate, source = vsp_entry()
    copy = bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="77", actor=advocate)
    coc = UserFactory(roles=[roles.COC_STAFF])
    bnl_entry_status_set(entry=copy, status="inactive", actor=coc, reason="no contact through the VSP")
    source.refresh_from_db()
    assert source.status == "inactive"
    bnl_entry_status_set(entry=copy, status="active", actor=coc, reason="called again")
    source.refresh_from_db()
    assert source.status == "active"


def test_a_vsp_pull_never_refers_both_the_vsp_entry_and_its_coc_copy():
    """"They will pull the highest ranking households from their internal lists and eligible
    households on the CoC BNL": the same household once, never twice."""
    vsp, advocate, source = vsp_entry(score=20)
    copy = bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="77", actor=advocate)
    nxt = BnlEntryFactory(score=15, dv_survivor=True)
    program = ProgramFactory(agency=vsp, type="th", requires_dv=True)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=advocate), actor=advocate, count=5)
    referred = sorted(r.entry_id for r in pull.referrals.all())
    assert len({source.pk, copy.pk} & set(referred)) == 1 and nxt.pk in referred
    source.refresh_from_db()
    copy.refresh_from_db()
    assert source.status == copy.status == "on_referral"
    assert Referral.objects.filter(entry__in=[source, copy], status__in=Referral.OPEN_STATUSES).count() == 1
    skipped = [row for row in pull.candidates if row["action"] == "passed_over"]
    assert [row["entry_id"] for row in skipped] == [copy.pk if source.pk in referred else source.pk]


def test_a_coc_program_housing_the_copy_marks_the_vsp_entry_housed_and_a_decline_frees_both():
    vsp, advocate, source = vsp_entry(score=20)
    copy = bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="77", actor=advocate)
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    referral = pull.referrals.get()
    assert referral.entry_id == copy.pk
    source.refresh_from_db()
    assert source.status == "on_referral"
    referral_decide(referral=referral, outcome="client_declined", actor=staff)
    source.refresh_from_db()
    assert source.status == "active"
    referral = vacancy_pull(vacancy=referral.vacancy, actor=staff, count=1).referrals.get()
    referral_decide(referral=referral, outcome="enrolled", actor=staff)
    source.refresh_from_db()
    copy.refresh_from_db()
    assert source.status == copy.status == "housed"


def test_the_copy_placed_while_the_vsp_entry_is_on_referral_is_on_referral_too():
    vsp, advocate, source = vsp_entry(score=20)
    program = ProgramFactory(agency=vsp, type="th", requires_dv=True)
    vacancy_pull(vacancy=vacancy_create(program=program, actor=advocate), actor=advocate, count=1)
    copy = bnl_place_deidentified_on_coc_list(source=BnlEntry.objects.get(pk=source.pk), vsp_client_number="77",
                                              actor=advocate)
    assert copy.status == "on_referral"
    other = ProgramFactory(type="rrh")
    assert vacancy_pull(vacancy=vacancy_create(program=other, actor=program_staff(other)), actor=program_staff(other)
                        ).referrals.count() == 0


# --- 6. "RRH case managers will determine if the individual's housing placement has been successful"


def housed_by(program_type="rrh"):
    program = ProgramFactory(type=program_type)
    staff = program_staff(program)
    entry = BnlEntryFactory(score=14)
    referral = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1).referrals.get()
    referral_decide(referral=referral, outcome="enrolled", actor=staff)
    entry.refresh_from_db()
    assert entry.status == "housed"
    return program, staff, entry


def test_rrh_program_staff_record_a_failed_placement_and_the_person_returns_to_the_active_list_api():
    program, staff, entry = housed_by("rrh")
    response = api_for(staff).post(f"/api/v1/bnl/{entry.pk}/rrh-placement-failed/", {"note": "lease ended after 2 months"},
                                   format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "active" and response.json()["score"] == 14
    assert entry.history.first().history_change_reason == "RRH placement failed: lease ended after 2 months"
    again = api_for(staff).post(f"/api/v1/bnl/{entry.pk}/rrh-placement-failed/", {}, format="json")
    assert again.status_code == 400  # no longer housed


def test_rrh_placement_failed_is_refused_to_other_programs_and_to_psh_placements():
    program, staff, entry = housed_by("rrh")
    other = ProgramFactory(type="rrh")
    assert api_for(program_staff(other)).post(f"/api/v1/bnl/{entry.pk}/rrh-placement-failed/", {},
                                              format="json").status_code == 403
    assert api_for(UserFactory(roles=[roles.COC_STAFF])).post(f"/api/v1/bnl/{entry.pk}/rrh-placement-failed/", {},
                                                              format="json").status_code == 403
    psh, psh_staff, housed = housed_by("psh")
    assert api_for(psh_staff).post(f"/api/v1/bnl/{housed.pk}/rrh-placement-failed/", {}, format="json").status_code == 403
    assert BnlEntry.objects.get(pk=entry.pk).status == "housed"


def test_rrh_placement_failed_screen(client):
    program, staff, entry = housed_by("rrh")
    client.force_login(staff)
    page = client.get(f"/bnl/{entry.pk}/")
    assert b"Record that the placement failed" in page.content
    response = client.post(f"/bnl/{entry.pk}/rrh-placement-failed/", {"note": "eviction"})
    assert response.status_code == 302
    assert BnlEntry.objects.get(pk=entry.pk).status == "active"
    client.force_login(UserFactory(roles=[roles.COC_STAFF]))
    assert b"Record that the placement failed" not in client.get(f"/bnl/{entry.pk}/").content


# --- 8. health answers are self-reported: "likely chronic (self-reported)" ---------------------


def test_list_flag_reads_likely_chronic_self_reported(client):
    BnlEntryFactory(chronic=True)
    client.force_login(UserFactory(roles=[roles.COC_STAFF]))
    assert "likely chronic (self-reported)" in client.get("/bnl/").content.decode()
