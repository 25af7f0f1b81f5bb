"""Which BNL entries a program may take, from its admin-edited criteria.

One table of criteria gives both the database filter (for listing and
pulling) and the rule-by-rule explanation ("why not eligible"), so the two
cannot disagree.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bnl.models import BnlEntry
from ces.models import Program


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    detail: str


def _flag_rule(criterion: str, flag: str, label):
    def applies(program: Program) -> bool:
        return getattr(program, criterion)

    def q(program: Program) -> Q:
        return Q(**{flag: True})

    def check(program: Program, entry: BnlEntry) -> RuleResult:
        ok = bool(getattr(entry, flag))
        return RuleResult(str(label), ok, _("yes") if ok else _("no"))

    return applies, q, check


def _county_rule():
    def applies(program):
        return True

    def q(program):
        return Q(county__in=program.counties)

    def check(program, entry):
        ok = entry.county in program.counties
        return RuleResult(str(_("Serves the person's county")), ok, f"{entry.county} / {', '.join(program.counties) or '—'}")

    return applies, q, check


def _household_min():
    def applies(program):
        return program.min_household_size is not None

    def q(program):
        return Q(household_size__gte=program.min_household_size)

    def check(program, entry):
        ok = entry.household_size is not None and entry.household_size >= program.min_household_size
        return RuleResult(str(_("Household of at least %(n)s") % {"n": program.min_household_size}), ok,
                          str(entry.household_size or _("unknown")))

    return applies, q, check


def _household_max():
    def applies(program):
        return program.max_household_size is not None

    def q(program):
        return Q(household_size__lte=program.max_household_size)

    def check(program, entry):
        ok = entry.household_size is not None and entry.household_size <= program.max_household_size
        return RuleResult(str(_("Household of at most %(n)s") % {"n": program.max_household_size}), ok,
                          str(entry.household_size or _("unknown")))

    return applies, q, check


def _no_sex_offenders():
    def applies(program):
        return program.excludes_sex_offenders

    def q(program):
        return Q(sex_offender=False)

    def check(program, entry):
        return RuleResult(str(_("Not a registered sex offender")), not entry.sex_offender, _("registered") if entry.sex_offender else _("no"))

    return applies, q, check


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
    for applies, q, _check in CRITERIA:
        if applies(program):
            condition &= q(program)
    return condition


def eligibility_explain(program: Program, entry: BnlEntry) -> list[RuleResult]:
    return [check(program, entry) for applies, _q, check in CRITERIA if applies(program)]


def is_eligible(program: Program, entry: BnlEntry) -> bool:
    return all(result.passed for result in eligibility_explain(program, entry))


def list_scope_q(program: Program) -> Q:
    """Which lists a program pulls from: the CoC list; a VSP also its own list."""
    if program.agency.is_vsp:
        return Q(list_owner__isnull=True) | Q(list_owner_id=program.agency_id)
    return Q(list_owner__isnull=True)
