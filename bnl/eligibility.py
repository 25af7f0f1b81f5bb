"""Which BNL entries a program may take, from its admin-edited criteria.

One table of criteria gives both the database filter (for listing and
pulling) and the rule-by-rule explanation ("why not eligible"), so the two
cannot disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bnl.models import BnlEntry
from ces.models import Program


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    detail: str


class Rule(NamedTuple):
    """One criterion: whether it applies to a program, its database filter, whether an entry passes
    it (no words: the list's pages ask this of every row), and its explanation (which says
    `passes`, so the two cannot disagree)."""

    applies: Callable[[Program], bool]
    q: Callable[[Program], Q]
    passes: Callable[[Program, BnlEntry], bool]
    check: Callable[[Program, BnlEntry], RuleResult]


def _rule(applies, q, passes, explain) -> Rule:
    def check(program, entry) -> RuleResult:
        ok = passes(program, entry)
        label, detail = explain(program, entry, ok)
        return RuleResult(str(label), ok, detail)

    return Rule(applies, q, passes, check)


def _flag_rule(criterion: str, flag: str, label):
    def applies(program: Program) -> bool:
        return getattr(program, criterion)

    def q(program: Program) -> Q:
        return Q(**{flag: True})

    def passes(program: Program, entry: BnlEntry) -> bool:
        return bool(getattr(entry, flag))

    def explain(program, entry, ok):
        return label, _("yes") if ok else _("no")

    return _rule(applies, q, passes, explain)


def _county_rule():
    def applies(program):
        return True

    def q(program):
        return Q(county__in=program.counties)

    def passes(program, entry):
        return entry.county in program.counties

    def explain(program, entry, ok):
        return _("Serves the person's county"), f"{entry.county} / {', '.join(program.counties) or '—'}"

    return _rule(applies, q, passes, explain)


def _household_min():
    def applies(program):
        return program.min_household_size is not None

    def q(program):
        return Q(household_size__gte=program.min_household_size)

    def passes(program, entry):
        return entry.household_size is not None and entry.household_size >= program.min_household_size

    def explain(program, entry, ok):
        return _("Household of at least %(n)s") % {"n": program.min_household_size}, str(entry.household_size or _("unknown"))

    return _rule(applies, q, passes, explain)


def _household_max():
    def applies(program):
        return program.max_household_size is not None

    def q(program):
        return Q(household_size__lte=program.max_household_size)

    def passes(program, entry):
        return entry.household_size is not None and entry.household_size <= program.max_household_size

    def explain(program, entry, ok):
        return _("Household of at most %(n)s") % {"n": program.max_household_size}, str(entry.household_size or _("unknown"))

    return _rule(applies, q, passes, explain)


def _no_sex_offenders():
    def applies(program):
        return program.excludes_sex_offenders

    def q(program):
        return Q(sex_offender=False)

    def passes(program, entry):
        return not entry.sex_offender

    def explain(program, entry, ok):
        return _("Not a registered sex offender"), _("registered") if entry.sex_offender else _("no")

    return _rule(applies, q, passes, explain)


CRITERIA = [
    _county_rule(),
    _flag_rule("requires_chronic", "chronic", _("Chronically homeless")),
    _flag_rule("requires_veteran", "veteran", _("Veteran")),
    _flag_rule("requires_disability", "disability", _("Has a disabling condition")),
    _flag_rule("requires_family", "family", _("Family with children")),
    _flag_rule("requires_youth", "youth", _("Youth 18–24")),
    _flag_rule("requires_dv", "dv_survivor", _("DV survivor (fleeing or experienced)")),
    _household_min(),
    _household_max(),
    _no_sex_offenders(),
]


def eligible_q(program: Program) -> Q:
    """Entries `program` may take (criteria only; status and list are the caller's filters)."""
    condition = Q()
    for rule in CRITERIA:
        if rule.applies(program):
            condition &= rule.q(program)
    return condition


def eligibility_explain(program: Program, entry: BnlEntry) -> list[RuleResult]:
    return [rule.check(program, entry) for rule in CRITERIA if rule.applies(program)]


def eligibility_test(program: Program) -> Callable[[BnlEntry], bool]:
    """`program`'s criteria as one predicate of an entry, worked out once (a page asks it of
    every row): the same rules as eligibility_explain, without the words."""
    tests = [rule.passes for rule in CRITERIA if rule.applies(program)]
    return lambda entry: all(passes(program, entry) for passes in tests)


def is_eligible(program: Program, entry: BnlEntry) -> bool:
    return eligibility_test(program)(entry)


def list_scope_q(program: Program) -> Q:
    """Which lists a program pulls from: the CoC list; a VSP also its own list."""
    if program.agency.is_vsp:
        return Q(list_owner__isnull=True) | Q(list_owner_id=program.agency_id)
    return Q(list_owner__isnull=True)
