"""The referral process's numbers as the documents state them (issue 18): HUD's 4.20 event codes as the
HMIS Data Standards publish them (hmis-export.md), the shelter's daily list of the last 24 hours at 07:00,
the vacancy's size, the pull's "at most five"."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ces.errors import Invalid
from referrals import policy
from referrals.models import CeEvent, Referral, ShelterReferral
from referrals.selectors import shelter_rows_for
from referrals.services import shelter_list_window, vacancy_create, vacancy_pull
from tests.factories import BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, program_staff

LA = timezone.get_fixed_timezone(-8 * 60)  # Pacific standard time (late November)

# HMIS Data Standards, 4.20 Coordinated Entry Event, the referral events (hmis-export.md: "10 referral to
# emergency shelter bed opening; 11 to TH; 13 to RRH; 14 to PSH; 15 other PH; 1 prevention; 8/9
# non-continuum services").
HUD_4_20 = {
    "Referral to Prevention Assistance project": 1,
    "Referral to Non-continuum services: Ineligible for continuum services": 8,
    "Referral to Non-continuum services: No availability in continuum services": 9,
    "Referral to Emergency Shelter bed opening": 10,
    "Referral to Transitional Housing bed/unit opening": 11,
    "Referral to RRH project resource opening": 13,
    "Referral to PSH project resource opening": 14,
    "Referral to Other PH project/unit/resource opening": 15,
}


@pytest.mark.parametrize(("program_type", "hud_event"), [
    ("es", "Referral to Emergency Shelter bed opening"),
    ("th", "Referral to Transitional Housing bed/unit opening"),
    ("rrh", "Referral to RRH project resource opening"),
    ("psh", "Referral to PSH project resource opening"),
    ("prevention", "Referral to Prevention Assistance project"),
    ("services", "Referral to Non-continuum services: No availability in continuum services"),
])
def test_each_program_type_records_hud_4_20_event_code(program_type, hud_event):
    assert policy.CE_EVENT_BY_PROGRAM_TYPE[program_type] == HUD_4_20[hud_event]


def test_the_event_codes_cover_every_program_type_and_no_other():
    from ces.models import Program

    assert set(policy.CE_EVENT_BY_PROGRAM_TYPE) == set(Program.Type.values)


def test_the_model_choices_carry_hud_codes():
    assert {int(code) for code in CeEvent.Event.values} <= set(HUD_4_20.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("program_type", "code"), [("th", 11), ("rrh", 13), ("psh", 14)])
def test_a_pull_records_the_hud_event_of_the_programs_type(program_type, code):
    program = ProgramFactory(type=program_type)
    staff = program_staff(program)
    BnlEntryFactory(score=10)
    vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    assert list(CeEvent.objects.values_list("event", flat=True)) == [code]


# --- "the list of people referred to it in the last 24 hours", sent at 07:00 local time ---


def test_the_daily_list_covers_the_24_hours_up_to_seven_in_the_morning():
    start, end, day = shelter_list_window(datetime(2026, 11, 22, 7, 0, tzinfo=LA))
    assert timezone.localtime(end).replace(tzinfo=None) == datetime(2026, 11, 22, 7, 0)
    assert end - start == timedelta(hours=24)
    assert timezone.localtime(start).replace(tzinfo=None) == datetime(2026, 11, 21, 7, 0)
    assert day.isoformat() == "2026-11-22"


def test_before_seven_the_window_is_yesterdays():
    start, end, day = shelter_list_window(datetime(2026, 11, 22, 6, 59, tzinfo=LA))
    assert timezone.localtime(end).replace(tzinfo=None) == datetime(2026, 11, 21, 7, 0)
    assert timezone.localtime(start).replace(tzinfo=None) == datetime(2026, 11, 20, 7, 0)
    assert day.isoformat() == "2026-11-21"


def test_after_seven_the_window_still_ends_at_seven_today():
    _start, end, day = shelter_list_window(datetime(2026, 11, 22, 23, 30, tzinfo=LA))
    assert timezone.localtime(end).replace(tzinfo=None) == datetime(2026, 11, 22, 7, 0)
    assert day.isoformat() == "2026-11-22"


@pytest.mark.django_db
def test_the_shelter_screen_lists_the_last_24_hours():
    from intake.models import Shelter

    shelter = Shelter.objects.get(name="Hospitality House")
    agent = UserFactory(roles=["call_agent"])
    now = datetime(2026, 11, 22, 12, 0, tzinfo=LA)
    made = {}
    for label, hours_ago in (("inside", 23), ("edge", 24), ("outside", 25)):
        referral = ShelterReferral.objects.create(shelter=shelter, client=ClientFactory(), created_by=agent)
        ShelterReferral.objects.filter(pk=referral.pk).update(created_at=now - timedelta(hours=hours_ago, minutes=-1 if label == "edge" else 0))
        made[label] = referral.pk
    rows = shelter_rows_for(user=agent, shelter=shelter, now=now)
    assert {row["referral"].pk for row in rows} == {made["inside"], made["edge"]}


# --- vacancies and pulls ---


@pytest.mark.django_db
@pytest.mark.parametrize(("units", "ok"), [(0, False), (1, True), (500, True), (501, False)])
def test_a_vacancy_is_one_to_five_hundred_units(units, ok):
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    if ok:
        assert vacancy_create(program=program, actor=staff, units=units).units == units
    else:
        with pytest.raises(Invalid):
            vacancy_create(program=program, actor=staff, units=units)


@pytest.mark.django_db
def test_a_pull_refers_at_most_five_per_vacancy():
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    for score in range(7):
        BnlEntryFactory(score=score)
    vacancy = vacancy_create(program=program, actor=staff)
    assert vacancy_pull(vacancy=vacancy, actor=staff).pulled_count == 5
    with pytest.raises(Invalid):
        vacancy_pull(vacancy=vacancy, actor=staff, count=6)
    assert Referral.objects.filter(vacancy=vacancy).count() == 5

