"""Reads for the intake, scoped to the user where they concern people."""


from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ces.models import Agency, User
from intake import policy
from intake.models import DvReferral, Intake, PovertyGuideline, PovertyGuidelineYear, Shelter, VspCoverage
from intake.scoring import POVERTY_2017, PovertyTable

# The table in force as this process last read it, with the version it was read at.
_poverty_cached: tuple[tuple, PovertyTable] | None = None


def _poverty_version() -> tuple:
    """What changes whenever the table does, in one cheap statement: the number and the last id
    of the history rows of the years and of their rows. Every save or delete (the admin, the only
    writer) writes a history row, committed or rolled back with it, so every process (and every
    transaction) sees a new version exactly when it sees a new table. A load that bypasses
    history (a data migration's bulk insert) is read at the next start of the process."""
    quote = connection.ops.quote_name
    years = quote(PovertyGuidelineYear.history.model._meta.db_table)
    rows = quote(PovertyGuideline.history.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT count(*) FROM {years}), (SELECT max(history_id) FROM {years}), "
                       f"(SELECT count(*) FROM {rows}), (SELECT max(history_id) FROM {rows})")
        return tuple(cursor.fetchone())


def _poverty_table_read() -> PovertyTable:
    year = PovertyGuidelineYear.objects.filter(in_force=True).prefetch_related("rows").first()
    if year is None or not year.rows.all():
        return POVERTY_2017
    return PovertyTable(
        year=year.year,
        rows={row.household_size: (row.monthly, row.annual) for row in year.rows.all()},
        additional_person_annual=year.additional_person_annual,
    )


def poverty_table_in_force() -> PovertyTable:
    """The guidelines year an admin marked in force (2017 by policy), as a PovertyTable.

    Kept per process and read again when its version changes (_poverty_version): one statement
    per call instead of two reads."""
    global _poverty_cached
    version = _poverty_version()
    cached = _poverty_cached
    if cached is not None and cached[0] == version:
        return cached[1]
    table = _poverty_table_read()
    _poverty_cached = (version, table)
    return table


def shelters_with_rules() -> QuerySet[Shelter]:
    return Shelter.objects.filter(is_active=True).prefetch_related("rules").order_by("county", "name")


def victim_service_providers() -> QuerySet[Agency]:
    return Agency.objects.filter(is_vsp=True, is_active=True).order_by("name")


def vsps_for_county(county: str | None) -> list[Agency]:
    """The VSPs offered to a caller of this county (VspCoverage, data): those serving it, or every
    active VSP when none is set for the county (or the county is not known)."""
    vsps = victim_service_providers()
    if county:
        serving = list(vsps.filter(vsp_coverage__county=county, vsp_coverage__is_active=True).distinct())
        if serving:
            return serving
    return list(vsps)


def dv_hotlines(county: str | None) -> list[VspCoverage]:
    """The hotlines of the providers serving the caller's county, to give on the call."""
    rows = VspCoverage.objects.filter(is_active=True, vsp__is_active=True, vsp__is_vsp=True).select_related("vsp")
    if county in ("placer", "nevada"):
        rows = rows.filter(county=county)
    return list(rows.order_by("vsp__name", "county"))


def dv_referrals_for(user: User) -> QuerySet[DvReferral]:
    """The warm referrals to the user's own VSP (its inbox); nothing for anyone else."""
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("intake.view_dvreferral"):
        return DvReferral.objects.none()
    return DvReferral.objects.filter(vsp_id=user.agency_id, vsp__is_vsp=True)


def dv_referral_get_for_user(*, user: User, pk: int) -> DvReferral:
    try:
        return dv_referrals_for(user).select_related("vsp", "handled_by").get(pk=pk)
    except (DvReferral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None


def intakes_visible_to(user: User) -> QuerySet[Intake]:
    """Intakes of the user's agency (the call centre sees its own calls); a draft only to the
    agent taking the call (it holds what the caller said, unchecked)."""
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("intake.view_intake"):
        return Intake.objects.none()
    return Intake.objects.filter(agency_id=user.agency_id).exclude(Q(status=Intake.Status.DRAFT) & ~Q(csr_id=user.pk))


def intake_get_for_user(*, user: User, pk: int) -> Intake:
    try:
        return intakes_visible_to(user).select_related("client", "csr", "agency").get(pk=pk)
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404("No such intake.") from None


def intake_may_amend(user: User, intake: Intake) -> bool:
    """Amending is for the agent who took the call, or a user with the amend permission
    (supervisor, HMIS admin), of a completed intake that has a person (not a DV referral)."""
    if intake.status != Intake.Status.COMPLETED or intake.outcome in ("", Intake.Outcome.DV_REFERRED):
        return False
    return intake.csr_id == user.pk or user.has_perm("intake.amend_intake")


def drafts_for(user: User) -> list[Intake]:
    """The agent's open drafts, newest first, each marked stale after 72 hours."""
    drafts = list(Intake.objects.filter(csr=user, status=Intake.Status.DRAFT).order_by("-draft_saved_at", "-started_at"))
    now = timezone.now()
    for draft in drafts:
        draft.is_stale = policy.draft_is_stale(draft.draft_saved_at or draft.started_at, now)
    return drafts
