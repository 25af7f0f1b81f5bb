"""Reads for programs, vacancies and referrals, scoped to the user's agency (404 otherwise)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bnl.models import BnlEntry
from bnl.policy import max_open_referrals
from ces import roles
from ces.access import client_is_visible_to
from ces.models import Program, User
from intake.models import Shelter
from referrals import policy
from referrals.models import Referral, ShelterDailyList, ShelterReferral, Vacancy

CONTACT_VSP = _("Contact {vsp}{phone} about {label}: the victim service provider reaches the person.")
CONTACT_HOLDER = _("Contact {agency} about {label}: the person has not consented to share their information with "
                   "your agency.")
WALK_IN = _("walk-in")

_OVERSIGHT = (roles.COC_STAFF, roles.HMIS_ADMIN)


def programs_run_by(user: User) -> QuerySet[Program]:
    """Housing programs whose vacancies and referrals this user works (their agency's)."""
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("referrals.add_vacancy"):
        return Program.objects.none()
    return Program.objects.filter(agency_id=user.agency_id, is_active=True, type__in=Program.HOUSING_TYPES).select_related("agency")


def program_get_for_staff(*, user: User, pk: int) -> Program:
    try:
        return programs_run_by(user).get(pk=pk)
    except (Program.DoesNotExist, ValueError, TypeError):
        raise Http404("No such program.") from None


def vacancy_get_for_staff(*, user: User, pk: int) -> Vacancy:
    try:
        return Vacancy.objects.select_related("program__agency").get(pk=pk, program__in=programs_run_by(user))
    except (Vacancy.DoesNotExist, ValueError, TypeError):
        raise Http404("No such vacancy.") from None


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    base = Referral.objects.select_related("entry__client__holding_agency", "entry__vsp", "program__agency", "vacancy")
    if not user.is_authenticated or not user.has_perm("referrals.view_referral"):
        return base.none()
    if user.has_role(*_OVERSIGHT):
        return base
    return base.filter(program__in=programs_run_by(user))


def referral_get_for_staff(*, user: User, pk: int) -> Referral:
    try:
        return referrals_visible_to(user).filter(program__in=programs_run_by(user)).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None


def appeal_route(referral: Referral) -> dict | None:
    """A provider's rejection can be appealed: first with the agency (its appeal protocol), then to the
    CoC's Outcomes and Measurements Committee as a CE grievance (the grievances app's filing page)."""
    if referral.status != Referral.Status.PROVIDER_REJECTED:
        return None
    agency = referral.program.agency
    return {"agency_id": agency.pk, "agency_name": agency.name,
            "grievance_url": f"{reverse('grievances-grievance-new')}?referral={referral.pk}"}


def rejections_for_review(*, user: User, reviewed: str = "no") -> QuerySet[Referral]:
    """Providers' rejections for CoC staff's review, newest first ("justified and rare")."""
    if not user.is_authenticated or not user.has_perm("referrals.review_rejection"):
        return Referral.objects.none()
    rejections = (Referral.objects.filter(status=Referral.Status.PROVIDER_REJECTED)
                  .select_related("entry__client__holding_agency", "entry__vsp", "program__agency", "rejection_reviewed_by"))
    if reviewed == "no":
        rejections = rejections.filter(rejection_review="")
    elif reviewed == "yes":
        rejections = rejections.exclude(rejection_review="")
    return rejections.order_by("-decided_at", "-pk")


def rejection_rates_by_program(*, user: User) -> list[dict]:
    """Per program: referrals decided and how many were rejected by the provider (rare?)."""
    if not user.is_authenticated or not user.has_perm("referrals.review_rejection"):
        return []
    rows = (Referral.objects.exclude(status__in=Referral.OPEN_STATUSES).values("program_id", "program__name")
            .annotate(decided=Count("pk"), rejected=Count("pk", filter=Q(status=Referral.Status.PROVIDER_REJECTED)))
            .order_by("program__name"))
    return [{**row, "share": round(100 * row["rejected"] / row["decided"]) if row["decided"] else 0} for row in rows]


def rejection_get_for_reviewer(*, user: User, pk: int) -> Referral:
    try:
        return rejections_for_review(user=user, reviewed="all").get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such rejection.") from None


def contact_instruction(*, user: User, entry: BnlEntry) -> str:
    """Who a program contacts about a referred person it may not see (DV: the VSP)."""
    if entry.client_id is None:
        phone = f" ({entry.vsp.phone})" if entry.vsp.phone else ""
        return str(format_lazy(CONTACT_VSP, vsp=entry.vsp.name, phone=phone, label=entry.label))
    if client_is_visible_to(user=user, client=entry.client):
        return ""
    return str(format_lazy(CONTACT_HOLDER, agency=entry.client.holding_agency.name, label=entry.label))


def referral_rows_for(*, user: User, referrals: Iterable[Referral]) -> list[dict]:
    """Referrals as a program's screen shows them: the person's name only where the privacy rule
    allows (else whom to contact), and the outcomes the program may record next (policy.DECIDABLE)."""
    rows = []
    for referral in referrals:
        entry = referral.entry
        visible = entry.client_id is not None and client_is_visible_to(user=user, client=entry.client)
        rows.append({
            "referral": referral,
            "contact": contact_instruction(user=user, entry=entry),
            "name": entry.client.full_name if visible else "",
            "client": entry.client if visible else None,
            "outcomes": [(code, policy.OUTCOME_LABELS[code]) for code in policy.DECIDABLE.get(referral.status, ())],
            "chronic_checklist": [
                (code, label, code in (referral.chronic_documentation or []))
                for code, label in policy.CHRONIC_DOCUMENTATION
            ] if referral.program.requires_chronic and referral.status in Referral.OPEN_STATUSES else [],
        })
    return rows


def vacancies_open_with_rows(*, user: User, program: Program) -> list[Vacancy]:
    """A program's open vacancies, newest first, each with its referral rows and count of open referrals."""
    vacancies = list(program.vacancies.filter(status=Vacancy.Status.OPEN).order_by("-created_at"))
    for vacancy in vacancies:
        referrals = vacancy.referrals.select_related("entry__client__holding_agency", "entry__vsp").order_by("rank")
        vacancy.rows = referral_rows_for(user=user, referrals=referrals)
        vacancy.open_count = sum(1 for row in vacancy.rows if row["referral"].status in Referral.OPEN_STATUSES)
        enrolled = sum(1 for row in vacancy.rows if row["referral"].status == Referral.Status.ENROLLED)
        vacancy.max_open = max_open_referrals(max(0, vacancy.units - enrolled))
        vacancy.room = max(0, vacancy.max_open - vacancy.open_count)
        vacancy.may_pull = vacancy.room > 0
    return vacancies


def referrals_decided_recently(*, user: User, program: Program, limit: int = 20) -> list[dict]:
    referrals = (program.referrals.exclude(status__in=Referral.OPEN_STATUSES)
                 .select_related("entry__client__holding_agency", "entry__vsp").order_by("-decided_at")[:limit])
    return referral_rows_for(user=user, referrals=referrals)


def shelters_run_by(user: User) -> QuerySet[Shelter]:
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("referrals.change_shelterreferral"):
        return Shelter.objects.none()
    return Shelter.objects.filter(program__agency_id=user.agency_id, is_active=True)


def shelter_get_for_staff(*, user: User, pk: int) -> Shelter:
    try:
        return shelters_run_by(user).get(pk=pk)
    except (Shelter.DoesNotExist, ValueError, TypeError):
        raise Http404("No such shelter.") from None


def shelter_referrals_between(shelter: Shelter, start: datetime, end: datetime, *, walk_ins: bool = True):
    referrals = ShelterReferral.objects.filter(shelter=shelter, created_at__gte=start, created_at__lt=end)
    if not walk_ins:
        referrals = referrals.filter(walk_in=False)  # the daily list is of people CE referred
    return referrals.select_related("client__holding_agency", "intake").order_by("created_at")


def shelter_rows_for(*, user: User, shelter: Shelter, now: datetime) -> list[dict]:
    """The shelter's screen: everyone referred (and every walk-in) in the last 24 hours, the name only
    where the privacy rule allows, and the statuses the shelter may record (none for a walk-in)."""
    start = now - timedelta(hours=policy.SHELTER_LIST_WINDOW_HOURS)
    labels = dict(ShelterReferral.Status.choices)
    rows = []
    for referral in shelter_referrals_between(shelter, start, now + timedelta(minutes=1)):
        client = referral.client
        visible = client is not None and client_is_visible_to(user=user, client=client)
        rows.append({
            "referral": referral,
            "name": client.full_name if visible else (referral.walk_in_name if client is None else ""),
            "client": client if visible else None,
            "label": client.label if client is not None else WALK_IN,
            "outcomes": [] if referral.walk_in else [(code, labels[code]) for code in policy.SHELTER_OUTCOMES],
        })
    return rows


def shelter_daily_list_get_for_staff(*, user: User, shelter_pk: int, pk: int) -> ShelterDailyList:
    shelter = shelter_get_for_staff(user=user, pk=shelter_pk)
    daily = ShelterDailyList.objects.filter(pk=pk, shelter=shelter).select_related("shelter").first()
    if daily is None:
        raise Http404("No such list.")
    return daily


def shelter_referral_get_for_staff(*, user: User, pk: int) -> ShelterReferral:
    try:
        return ShelterReferral.objects.select_related("client__holding_agency", "shelter").get(pk=pk, shelter__in=shelters_run_by(user))
    except (ShelterReferral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None
