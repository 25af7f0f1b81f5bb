"""Reads of the By-Name List, scoped to the user: who sees which list, and whose personal data.

Everyone who may see the BNL sees score, flags, eligibility, county, dates and
status; personal data only where ces.access allows (annotated `pii_visible`).
A VSP's own list is visible only to that VSP.
"""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404

from bnl.eligibility import eligible_q, list_scope_q
from bnl.models import BnlEntry
from bnl.policy import bnl_ordered
from ces import roles
from ces.access import client_visibility_q
from ces.models import Program, User

FLAG_FILTERS = ("chronic", "veteran", "youth", "family", "dv")


def may_see_bnl(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.agency_id is not None and user.has_perm("bnl.view_bnlentry")


def own_vsp_list_owner(user: User):
    """The VSP whose own list this user keeps, if any."""
    if user.agency_id and user.agency.is_vsp and user.has_role(roles.VSP_ADVOCATE):
        return user.agency
    return None


def housing_programs() -> list[Program]:
    return list(Program.objects.filter(is_active=True, type__in=Program.HOUSING_TYPES).select_related("agency").order_by("name"))


def bnl_entries_for(
    *,
    user: User,
    vsp_list: bool = False,
    program: Program | None = None,
    status: str | None = None,
    county: str | None = None,
    flags: dict[str, bool] | None = None,
) -> QuerySet[BnlEntry]:
    """The list as `user` may see it, filtered, in the list's order."""
    if not may_see_bnl(user):
        return BnlEntry.objects.none()
    entries = BnlEntry.objects.all()
    if vsp_list:
        owner = own_vsp_list_owner(user)
        if owner is None:
            return BnlEntry.objects.none()
        entries = entries.filter(list_owner=owner)
    elif program is not None:
        entries = entries.filter(list_scope_q(program) & eligible_q(program))
        if program.agency.is_vsp and program.agency_id != user.agency_id:
            entries = entries.filter(list_owner__isnull=True)
    else:
        entries = entries.filter(list_owner__isnull=True)
    if status:
        entries = entries.filter(status=status)
    else:
        entries = entries.filter(status__in=BnlEntry.OPEN_STATUSES)
    if county:
        entries = entries.filter(county=county)
    for flag, wanted in (flags or {}).items():
        if flag in FLAG_FILTERS and wanted is not None:
            entries = entries.filter(**{flag: wanted})
    entries = entries.select_related("client__holding_agency", "vsp").annotate(
        pii_visible=Case(When(client_visibility_q(user, prefix="client__"), then=Value(True)), default=Value(False),
                         output_field=BooleanField())
    )
    return bnl_ordered(entries)


def bnl_entry_get_for_user(*, user: User, pk: int) -> BnlEntry:
    """An entry the user may see (404 otherwise: another VSP's list, or no BNL access)."""
    if not may_see_bnl(user):
        raise Http404("No such entry.")
    scope = Q(list_owner__isnull=True)
    owner = own_vsp_list_owner(user)
    if owner is not None:
        scope |= Q(list_owner=owner)
    try:
        return (
            BnlEntry.objects.filter(scope)
            .select_related("client__holding_agency", "vsp", "assessment", "list_owner")
            .annotate(pii_visible=Case(When(client_visibility_q(user, prefix="client__"), then=Value(True)),
                                       default=Value(False), output_field=BooleanField()))
            .get(pk=pk)
        )
    except (BnlEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("No such entry.") from None


def bnl_rank_of(entry: BnlEntry) -> tuple[int, int]:
    """(rank, active total) of an entry on its list among active entries; where it would stand if not active."""
    same_list = BnlEntry.objects.filter(status=BnlEntry.Status.ACTIVE, list_owner_id=entry.list_owner_id)
    before = (
        Q(score__gt=entry.score)
        | Q(score=entry.score, length_of_time_homeless_days__gt=entry.length_of_time_homeless_days)
        | Q(score=entry.score, length_of_time_homeless_days=entry.length_of_time_homeless_days,
            placed_on_list_at__lt=entry.placed_on_list_at)
        | Q(score=entry.score, length_of_time_homeless_days=entry.length_of_time_homeless_days,
            placed_on_list_at=entry.placed_on_list_at, pk__lt=entry.pk)
    )
    return same_list.filter(before).exclude(pk=entry.pk).count() + 1, same_list.count()
