"""Vacancies and pulls: top five eligible, safe under concurrency, audited."""

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.errors import Invalid
from referrals.models import CeEvent, Pull, Referral, Vacancy
from referrals.services import COUNT_RANGE, vacancy_create, vacancy_pull
from tests.factories import AgencyFactory, BnlEntryFactory, ProgramFactory, UserFactory, program_staff


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_program_records_a_vacancy_and_pulls_the_top_five_eligible_active_entries():
    program = ProgramFactory(type="psh", requires_chronic=True)
    staff = program_staff(program)
    entries = [BnlEntryFactory(score=score, chronic=True) for score in (20, 18, 17, 15, 12, 9, 5)]
    BnlEntryFactory(score=25, chronic=False)  # not eligible
    BnlEntryFactory(score=24, chronic=True, status="inactive")  # not active
    api = api_for(staff)
    vacancy = api.post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": 1, "note": "Unit 4B"}, format="json")
    assert vacancy.status_code == 201 and vacancy.json()["units"] == 1
    pulled = api.post(f"/api/v1/vacancies/{vacancy.json()['id']}/pull/", {"count": 5}, format="json")
    assert pulled.status_code == 201
    refs = pulled.json()["referrals"]
    assert [r["bnl_entry_id"] for r in refs] == [e.pk for e in entries[:5]]
    assert [r["rank"] for r in refs] == [1, 2, 3, 4, 5]
    assert {"id", "bnl_entry_id", "rank", "label"} <= set(refs[0])
    assert set(BnlEntry.objects.filter(pk__in=[e.pk for e in entries[:5]]).values_list("status", flat=True)) == {"on_referral"}
    assert CeEvent.objects.filter(event=14).count() == 5  # HUD 4.20: referral to PSH
    again = api.post(f"/api/v1/vacancies/{vacancy.json()['id']}/pull/", {"count": 5}, format="json")
    assert again.json()["referrals"] == []  # already five open


@pytest.mark.django_db
def test_pull_of_nobody_eligible_is_an_empty_list():
    program = ProgramFactory(type="rrh", requires_veteran=True)
    vacancy = vacancy_create(program=program, actor=program_staff(program))
    body = api_for(program_staff(program)).post(f"/api/v1/vacancies/{vacancy.pk}/pull/", {"count": 5}, format="json").json()
    assert body["referrals"] == []


@pytest.mark.django_db
def test_pull_audit_shows_who_was_above_and_why_they_were_passed_over():
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    top = BnlEntryFactory(score=20)
    busy = BnlEntryFactory(score=19, status="on_referral")
    gone = BnlEntryFactory(score=18, status="inactive")
    nxt = BnlEntryFactory(score=17)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=2)
    actions = [(row["entry_id"], row["action"], row["reason"]) for row in pull.candidates]
    assert actions == [
        (top.pk, "pulled", ""),
        (busy.pk, "passed_over", "on referral to another program"),
        (gone.pk, "passed_over", "inactive (no contact)"),
        (nxt.pk, "pulled", ""),
    ]
    assert list(pull.referrals.order_by("rank").values_list("rank", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_vsp_program_pulls_its_own_list_and_dv_entries_of_the_coc_list():
    vsp = AgencyFactory(vsp=True)
    program = ProgramFactory(agency=vsp, type="th", requires_dv=True)
    advocate = program_staff(program)
    own = BnlEntryFactory(client__holding_agency=vsp, list_owner=vsp, score=10, dv_survivor=True)
    coc_dv = BnlEntryFactory(score=12, dv_survivor=True)
    BnlEntryFactory(score=30, dv_survivor=False)
    other_vsp_list = BnlEntryFactory(list_owner=AgencyFactory(vsp=True), score=29, dv_survivor=True)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=advocate), actor=advocate, count=5)
    assert [r.entry_id for r in pull.referrals.order_by("rank")] == [coc_dv.pk, own.pk]
    assert other_vsp_list.pk not in [row["entry_id"] for row in pull.candidates]


@pytest.mark.django_db
def test_a_deidentified_entry_tells_the_program_to_contact_the_vsp():
    from bnl.services import bnl_place_deidentified_on_coc_list

    vsp = AgencyFactory(vsp=True, name="Stand Up Placer", initials="SUP")
    source = BnlEntryFactory(client__holding_agency=vsp, list_owner=vsp, score=22)
    bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="77", actor=UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE]))
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    vacancy = vacancy_create(program=program, actor=staff)
    refs = api_for(staff).post(f"/api/v1/vacancies/{vacancy.pk}/pull/", {"count": 1}, format="json").json()["referrals"]
    assert refs[0]["label"] == "SUP-77"
    assert refs[0]["contact"].startswith("Contact Stand Up Placer")


@pytest.mark.django_db
def test_other_agencies_cannot_record_or_pull_and_bad_counts_are_400():
    program = ProgramFactory(type="rrh")
    outsider = UserFactory(roles=[roles.PROGRAM_STAFF])
    assert api_for(outsider).post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": 1}, format="json").status_code == 404
    staff = program_staff(program)
    vacancy = vacancy_create(program=program, actor=staff)
    assert api_for(outsider).post(f"/api/v1/vacancies/{vacancy.pk}/pull/", {"count": 1}, format="json").status_code == 404
    for count in (0, 6, "five", True):
        response = api_for(staff).post(f"/api/v1/vacancies/{vacancy.pk}/pull/", {"count": count}, format="json")
        assert response.status_code == 400, count
    assert api_for(staff).post(f"/api/v1/programs/{program.pk}/vacancies/", {"units": 0}, format="json").status_code == 400
    with pytest.raises(Invalid) as raised:
        vacancy_pull(vacancy=vacancy, actor=staff, count=9)
    assert [str(message) for message in raised.value.errors["count"]] == [
        str(COUNT_RANGE).format(high=5)]


@pytest.mark.django_db(transaction=True)
def test_twenty_four_simultaneous_pulls_never_double_assign_and_never_exceed_five():
    """24 pulls at the same instant, each on its own database connection: 12 programs × 2 pulls,
    half of them twice on the same vacancy, over 40 eligible people."""
    people = [BnlEntryFactory(score=30 - (i % 25), length_of_time_homeless_days=i) for i in range(40)]
    programs = [ProgramFactory(type="rrh") for _ in range(12)]
    staff = {p.pk: program_staff(p) for p in programs}
    vacancies = [vacancy_create(program=p, actor=staff[p.pk]) for p in programs]
    jobs = [(v, staff[v.program_id]) for v in vacancies] * 2  # every vacancy pulled twice at once
    barrier = threading.Barrier(len(jobs))
    errors: list[Exception] = []

    def pull(vacancy, user):
        try:
            barrier.wait(timeout=30)
            vacancy_pull(vacancy=vacancy, actor=user, count=5)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pull, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    open_refs = Referral.objects.filter(status__in=Referral.OPEN_STATUSES)
    entry_ids = list(open_refs.values_list("entry_id", flat=True))
    assert len(entry_ids) == len(set(entry_ids)) == 40  # everyone referred once, nobody twice
    for vacancy in Vacancy.objects.all():
        assert vacancy.referrals.filter(status__in=Referral.OPEN_STATUSES).count() <= 5
    assert BnlEntry.objects.filter(status="on_referral").count() == 40
    assert Pull.objects.count() == 24
    assert set(people[0].__class__.objects.filter(pk__in=[p.pk for p in people]).values_list("status", flat=True)) == {"on_referral"}


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_open_referral_for_the_same_entry():
    from django.db import IntegrityError

    entry = BnlEntryFactory()
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    first = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    vacancy2 = vacancy_create(program=program, actor=staff)
    with pytest.raises(IntegrityError):
        Referral.objects.create(vacancy=vacancy2, program=program, entry=entry, pull=first, rank=1)
