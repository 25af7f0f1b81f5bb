"""History for the demo, so the committee's first login shows real reports.

`reports_demo_history()` is called by `seed_demo` after the synthetic callers went
through the real intake. Through the real services, it fills vacancies of the demo's
housing programs from the list (pulls), answers the referrals (one rejected by the
provider with a reason, one declined by the client, one enrolled: the others are then
not selected), and CoC staff exit and set inactive a few entries. Idempotent: once
there are referrals it does nothing.
"""

import random

from django.contrib.auth.models import Group
from django.db import transaction

from bnl.models import BnlEntry
from bnl.services import bnl_entry_status_set
from ces import roles
from ces.errors import ServiceError
from ces.models import Program, User
from referrals.models import Referral
from referrals.policy import REJECTION_REASONS
from referrals.services import referral_decide, vacancy_create, vacancy_pull

DEMO_PROGRAMS = ("Placer Rapid Re-Housing", "Placer Whole Person PSH", "Brunswick Commons PSH",
                 "Family Transitional Housing", "SSVF Veterans Rapid Re-Housing")
VACANCIES_PER_PROGRAM = 3


def _program_staff(program: Program) -> User:
    """A program-staff account of the program's agency (the demo's own, or one made for the demo, without a password)."""
    staff = User.objects.filter(agency=program.agency, groups__name=roles.PROGRAM_STAFF, is_active=True).first()
    if staff is None:
        staff, _created = User.objects.get_or_create(
            username=f"demo_programs_{program.agency.initials.lower()}",
            defaults={"agency": program.agency, "first_name": "Demo", "last_name": f"{program.agency.initials} programs"},
        )
        staff.set_unusable_password()
        staff.save()
        staff.groups.add(Group.objects.get(name=roles.PROGRAM_STAFF))
        staff.__dict__.pop("roles", None)
    return staff


def _fill(program: Program, staff: User, rng: random.Random) -> int:
    made = 0
    for _round in range(VACANCIES_PER_PROGRAM):
        pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff, note="demo"), actor=staff, count=5)
        referrals = list(pull.referrals.order_by("rank"))
        made += len(referrals)
        if not referrals:
            return made
        if len(referrals) >= 3:
            code, _label = rng.choice(REJECTION_REASONS)
            referral_decide(referral=referrals[0], outcome=Referral.Status.PROVIDER_REJECTED, actor=staff, reason=code,
                            justification="Reviewed with the CE lead; documented in the file (demo).")
            referral_decide(referral=referrals[1], outcome=Referral.Status.CLIENT_DECLINED, actor=staff)
        referral_decide(referral=referrals[-1], outcome=Referral.Status.ENROLLED, actor=staff)
    return made


def reports_demo_history() -> int:
    """Referrals decided, people housed, a few exits: returns how many referrals were made."""
    if Referral.objects.exists():
        return 0
    rng = random.Random(515)
    made = 0
    for name in DEMO_PROGRAMS:
        program = Program.objects.select_related("agency").filter(name=name, is_active=True).first()
        if program is None:
            continue
        staff = _program_staff(program)
        try:
            with transaction.atomic():
                made += _fill(program, staff, rng)
        except ServiceError:  # nobody eligible left for this program: the others still get theirs
            continue
    coc = User.objects.filter(groups__name=roles.COC_STAFF, is_active=True).first()
    if coc is not None:
        active = list(BnlEntry.objects.filter(list_owner__isnull=True, status=BnlEntry.Status.ACTIVE).order_by("id")[:12])
        for entry in active[:4]:
            bnl_entry_status_set(entry=entry, status=BnlEntry.Status.EXITED, actor=coc, exit_reason="moved_away")
        for entry in active[4:8]:
            bnl_entry_status_set(entry=entry, status=BnlEntry.Status.INACTIVE, actor=coc, reason="no contact (demo)")
        for entry in active[4:6]:
            bnl_entry_status_set(entry=entry, status=BnlEntry.Status.ACTIVE, actor=coc, reason="called again (demo)")
    return made
