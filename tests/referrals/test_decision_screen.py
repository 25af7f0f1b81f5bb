"""The program's decision screen: no default decision, the person as a link, refusals naming the row,
pull audits after the vacancy closes, one vacancy per form submission, earlier rejections shown."""

import uuid

import pytest
from django.urls import reverse

from ces import roles
from referrals.models import Referral, Vacancy
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from tests.factories import BnlEntryFactory, ProgramFactory, UserFactory, program_staff

pytestmark = pytest.mark.django_db


def _pulled(n=2):
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    for i in range(n):
        BnlEntryFactory(score=20 - i, chronic=True)
    vacancy = vacancy_create(program=program, actor=staff)
    pull = vacancy_pull(vacancy=vacancy, actor=staff, count=n)
    return program, staff, vacancy, list(pull.referrals.order_by("rank"))


def test_no_decision_is_chosen_until_the_staff_member_chooses_one(client):
    program, staff, _vacancy, refs = _pulled()
    client.force_login(staff)
    html = client.get(reverse("program-detail", args=[program.pk])).content.decode()
    assert "— choose the decision —" in html and " selected>" not in html.split('name="outcome"')[1].split("</select>")[0]
    response = client.post(reverse("referral-decision", args=[refs[1].pk]),
                           {"outcome": "", "next": reverse("program-detail", args=[program.pk])})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{refs[1].entry.label} — Outcome: Choose the decision" in page  # the message names the row
    refs[1].refresh_from_db()
    assert refs[1].status == Referral.Status.PENDING


def test_the_person_is_a_link_only_for_those_who_may_see_them(client):
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    shared = BnlEntryFactory(score=20, chronic=True)  # consented to share: the program may see them
    private = BnlEntryFactory(score=19, chronic=True, client__hmis_consent="no")
    vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=2)
    client.force_login(staff)
    html = client.get(reverse("program-detail", args=[program.pk])).content.decode()
    assert reverse("client-detail", args=[shared.client_id]) in html
    assert reverse("client-detail", args=[private.client_id]) not in html
    assert reverse("bnl-detail", args=[private.pk]) in html  # the list entry, which shows no personal data


def test_the_pull_audit_stays_reachable_after_the_vacancy_is_filled(client):
    program, staff, vacancy, refs = _pulled()
    referral_decide(referral=refs[0], outcome="enrolled", actor=staff)
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.FILLED
    client.force_login(staff)
    html = client.get(reverse("program-detail", args=[program.pk])).content.decode()
    audit = reverse("vacancy-detail", args=[vacancy.pk])
    assert "Closed vacancies" in html and audit in html
    assert client.get(audit).status_code == 200


def test_a_double_submit_records_one_vacancy(client):
    program = ProgramFactory(type="psh")
    staff = program_staff(program)
    client.force_login(staff)
    form = {"units": "1", "note": "unit 4B", "request_key": str(uuid.uuid4()), "next": reverse("program-detail", args=[program.pk])}
    for _ in range(2):
        assert client.post(reverse("vacancy-new", args=[program.pk]), form).status_code == 302
    assert Vacancy.objects.filter(program=program).count() == 1
    form["request_key"] = str(uuid.uuid4())  # the page shown again: a new form, a new vacancy
    client.post(reverse("vacancy-new", args=[program.pk]), form)
    assert Vacancy.objects.filter(program=program).count() == 2
    other = program_staff(program)  # the same key from someone else is their own submission
    assert vacancy_create(program=program, actor=other, request_key=uuid.UUID(form["request_key"])).created_by == other


def test_a_person_the_program_rejected_is_pulled_again_only_with_a_warning(client):
    program, staff, vacancy, refs = _pulled(1)
    referral_decide(referral=refs[0], outcome="provider_rejected", reason="household_size", justification="Studio only", actor=staff)
    client.force_login(staff)
    second = vacancy_create(program=program, actor=staff)
    response = client.post(reverse("vacancy-pull", args=[second.pk]), {"count": "1"}, follow=True)
    html = response.content.decode()
    assert f"{refs[0].entry.label} was rejected by this program on" in html
    assert "Household size does not fit the unit" in html and "Studio only" in html
    assert "rejected-before" in html
    # Another program pulling the same person sees no warning: the rejection was not theirs.
    other_program = ProgramFactory(type="rrh")
    other_staff = program_staff(other_program)
    client.force_login(other_staff)
    third = vacancy_create(program=other_program, actor=other_staff)
    response = client.post(reverse("vacancy-pull", args=[third.pk]), {"count": "1"}, follow=True)
    assert "was rejected by this program" not in response.content.decode()


def test_other_roles_do_not_get_the_decision_screen(client):
    program, _staff, _vacancy, _refs = _pulled(1)
    client.force_login(UserFactory(roles=[roles.CASE_WORKER]))
    assert client.get(reverse("program-detail", args=[program.pk])).status_code == 404
