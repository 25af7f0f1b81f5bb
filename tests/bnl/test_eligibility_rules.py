"""Program eligibility rule by rule (bnl-and-referrals.md, "Programs"): the boundaries and the "why not
eligible" wording, with the database filter checked against the explanation for each rule (issue 18)."""

import pytest

from bnl.eligibility import eligibility_explain, eligible_q, is_eligible, list_scope_q
from bnl.models import BnlEntry
from tests.factories import AgencyFactory, BnlEntryFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def explained(program, entry):
    return [(r.rule, r.passed, str(r.detail)) for r in eligibility_explain(program, entry)]


def database_agrees(program, *entries):
    in_db = set(BnlEntry.objects.filter(pk__in=[e.pk for e in entries]).filter(eligible_q(program)).values_list("pk", flat=True))
    return in_db == {e.pk for e in entries if is_eligible(program, e)}


@pytest.mark.parametrize(("size", "eligible"), [(1, False), (2, True), (3, True), (None, False)])
def test_minimum_household_size_is_at_least(size, eligible):
    program = ProgramFactory(min_household_size=2)
    entry = BnlEntryFactory(household_size=size)
    assert is_eligible(program, entry) is eligible
    assert database_agrees(program, entry)


@pytest.mark.parametrize(("size", "eligible"), [(3, True), (4, True), (5, False), (None, False)])
def test_maximum_household_size_is_at_most(size, eligible):
    program = ProgramFactory(max_household_size=4)
    entry = BnlEntryFactory(household_size=size)
    assert is_eligible(program, entry) is eligible
    assert database_agrees(program, entry)


def test_household_of_exactly_min_and_max_is_eligible_with_both_limits():
    program = ProgramFactory(min_household_size=3, max_household_size=3)
    entries = [BnlEntryFactory(household_size=size) for size in (2, 3, 4)]
    assert [is_eligible(program, e) for e in entries] == [False, True, False]
    assert database_agrees(program, *entries)


def test_why_not_eligible_household_wording():
    program = ProgramFactory(counties=["nevada"], min_household_size=2, max_household_size=5)
    assert explained(program, BnlEntryFactory(county="nevada", household_size=1)) == [
        ("Serves the person's county", True, "nevada / nevada"),
        ("Household of at least 2", False, "1"),
        ("Household of at most 5", True, "1"),
    ]
    assert explained(program, BnlEntryFactory(county="nevada", household_size=None))[1:] == [
        ("Household of at least 2", False, "unknown"),
        ("Household of at most 5", False, "unknown"),
    ]


def test_why_not_eligible_county_wording():
    program = ProgramFactory(counties=["placer", "nevada"])
    assert explained(program, BnlEntryFactory(county="sierra")) == [
        ("Serves the person's county", False, "sierra / placer, nevada"),
    ]
    nowhere = ProgramFactory(counties=[])
    entry = BnlEntryFactory(county="placer")
    assert explained(nowhere, entry) == [("Serves the person's county", False, "placer / —")]
    assert database_agrees(nowhere, entry)


@pytest.mark.parametrize(("criterion", "flag", "label"), [
    ("requires_chronic", "chronic", "Chronically homeless"),
    ("requires_veteran", "veteran", "Veteran"),
    ("requires_disability", "disability", "Has a disabling condition"),
    ("requires_family", "family", "Family with children"),
    ("requires_youth", "youth", "Youth 18–24"),
    ("requires_dv", "dv_survivor", "DV survivor (fleeing or experienced)"),
])
def test_each_required_flag_is_one_rule_with_its_words(criterion, flag, label):
    program = ProgramFactory(**{"requires_dv": False, criterion: True})
    has = BnlEntryFactory(**{flag: True})
    lacks = BnlEntryFactory(**{flag: False})
    assert explained(program, has)[1:] == [(label, True, "yes")]
    assert explained(program, lacks)[1:] == [(label, False, "no")]
    assert is_eligible(program, has) and not is_eligible(program, lacks)
    assert database_agrees(program, has, lacks)


def test_a_program_without_criteria_only_checks_the_county():
    program = ProgramFactory(counties=["placer"], requires_dv=False)
    entry = BnlEntryFactory(county="placer", chronic=False, veteran=False, household_size=9, sex_offender=True)
    assert explained(program, entry) == [("Serves the person's county", True, "placer / placer")]
    assert is_eligible(program, entry)
    assert database_agrees(program, entry)


def test_registered_sex_offender_exclusion_wording():
    program = ProgramFactory(counties=["nevada"], excludes_sex_offenders=True)
    registered = BnlEntryFactory(county="nevada", sex_offender=True)
    other = BnlEntryFactory(county="nevada", sex_offender=False)
    assert explained(program, registered)[1:] == [("Not a registered sex offender", False, "registered")]
    assert explained(program, other)[1:] == [("Not a registered sex offender", True, "no")]
    assert database_agrees(program, registered, other)


def test_every_rule_must_pass():
    program = ProgramFactory(counties=["nevada"], requires_veteran=True, requires_chronic=True)
    both = BnlEntryFactory(county="nevada", veteran=True, chronic=True)
    one = BnlEntryFactory(county="nevada", veteran=True, chronic=False)
    assert is_eligible(program, both) and not is_eligible(program, one)
    assert database_agrees(program, both, one)


def test_a_vsp_pulls_from_the_coc_list_and_its_own_list_only():
    vsp = AgencyFactory(vsp=True)
    other_vsp = AgencyFactory(vsp=True)
    housing = ProgramFactory()
    vsp_program = ProgramFactory(agency=vsp)
    coc = BnlEntryFactory()
    own = BnlEntryFactory(list_owner=vsp)
    foreign = BnlEntryFactory(list_owner=other_vsp)
    entries = BnlEntry.objects.filter(pk__in=[coc.pk, own.pk, foreign.pk])
    assert set(entries.filter(list_scope_q(vsp_program))) == {coc, own}
    assert set(entries.filter(list_scope_q(housing))) == {coc}
