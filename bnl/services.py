"""Writes on the By-Name List. Every change keeps its history (who, when, why).

Each service checks who may do it (bnl.selectors' predicates), so the screen
and the API get the same answer; refusals are ces.errors (Invalid 400,
Forbidden 403). Messages are lazy translations (bnl/locale).
"""

import re

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bnl import policy
from bnl.models import BnlEntry, CaseManagementPoint, PositionSnapshot
from bnl.selectors import bnl_rank_of, may_manage_bnl, may_manage_case, own_vsp_list_owner
from ces.audit import access_log_record, history_save
from ces.errors import NON_FIELD, Forbidden, Invalid
from ces.models import AccessLog, Client, User
from intake.pdf import assessment_pdf_schedule

JUSTIFICATION_REQUIRED = _("Write why this point is added: case-management points need a justification.")
ITEM_UNKNOWN = _("The case-management item is 1, 2 or 3.")
POINTS_UNKNOWN = _("Points are 1 (add the item) or 0 (remove it).")
ALREADY_GIVEN = _("This item is already given; remove it first to change its justification.")
NOT_GIVEN = _("This item is not given, so there is nothing to remove.")
NOT_A_CASE_MANAGER = _("Only a case manager who may see this person can change case-management points.")
STATUS_NOT_ALLOWED = _("That status cannot be set here.")
ON_REFERRAL_LOCKED = _("This person is on a referral: the program's decision changes the status.")
EXIT_REASON_REQUIRED = _("Choose why the person leaves the list.")
EXIT_REASON_EXPLAIN = _("Explain the reason for leaving the list.")
NOT_LIST_MANAGER = _("Only CoC staff correct statuses on the By-Name List.")
NOT_ON_VSP_LIST = _("Only entries on your own VSP list can be placed on the CoC list.")
NOT_YOUR_VSP_LIST = _("Only the advocates of the VSP that keeps this list can place its entries on the CoC list.")
VSP_NUMBER_REQUIRED = _("Give the VSP's internal client number (letters A-Z, digits and dashes, no names).")
ALREADY_ON_COC_LIST = _("This person already has an entry on the CoC list.")
PLACEMENT_NOT_HOUSED = _("Only a housed person's placement can fail.")

# The VSP's internal client number: what the CoC may store instead of a name.
VSP_CLIENT_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$")


def _entry_values_from(assessment) -> dict:
    return {
        "assessment": assessment,
        "subtotal": assessment.subtotal,
        "length_of_time_homeless_days": assessment.length_of_time_homeless_days,
        "county": assessment.intake.county,
        "chronic": assessment.chronically_homeless,
        "veteran": assessment.is_veteran,
        "youth": assessment.is_youth,
        "family": assessment.is_family,
        "dv": assessment.is_dv,
        "dv_survivor": assessment.dv_fleeing == "yes" or assessment.dv_experienced == "yes",
        "disability": assessment.has_disability,
        "sex_offender": assessment.registered_sex_offender == "yes",
        "household_size": assessment.household_size,
    }


@transaction.atomic
def bnl_entry_place(*, assessment, actor: User) -> BnlEntry:
    """Put the assessed person on the list, or update their open entry.

    One open entry per person (active, on referral, inactive): a new assessment
    updates it (score, flags), history keeps the old values, and an inactive
    person is reactivated with their place intact. Case-management points
    stay with the entry. A client held by a VSP goes on that VSP's own list.
    The client row is locked so two intakes cannot both create an entry.
    """
    client = Client.objects.select_for_update(of=("self",)).select_related("holding_agency").get(pk=assessment.client_id)
    entry = BnlEntry.objects.filter(client=client, status__in=BnlEntry.OPEN_STATUSES).first()
    values = _entry_values_from(assessment)
    if entry is None:
        entry = BnlEntry(
            client=client,
            list_owner=client.holding_agency if client.holding_agency.is_vsp else None,
            placed_on_list_at=assessment.assessed_at,
            score=assessment.subtotal,
            **values,
        )
        reason = f"placed on the list by intake #{assessment.intake_id}"
    else:
        for name, value in values.items():
            setattr(entry, name, value)
        entry.score = assessment.subtotal + entry.case_management_points.count()
        reason = f"re-assessed by intake #{assessment.intake_id}"
        if entry.status == BnlEntry.Status.INACTIVE:
            entry.status = BnlEntry.Status.ACTIVE
            entry.status_reason = ""
            reason += "; reactivated with their place"
    history_save(entry, actor=actor, reason=reason)
    _sync_assessment_score(entry, actor=actor, reason=reason, rerender=False)
    _sync_deidentified_copy(entry, actor=actor, reason=reason)
    position_record(entry)
    return entry


def _sync_assessment_score(entry: BnlEntry, *, actor: User, reason: str, rerender: bool = True) -> None:
    assessment = entry.assessment
    if assessment is None:
        return
    points = entry.case_management_points.count()
    if assessment.case_management != points or assessment.total != assessment.subtotal + points:
        assessment.case_management = points
        assessment.total = assessment.subtotal + points
        history_save(assessment, actor=actor, reason=reason)
        if rerender:
            assessment_pdf_schedule(assessment=assessment)


def _sync_deidentified_copy(entry: BnlEntry, *, actor: User, reason: str) -> None:
    """A VSP-list entry placed on the CoC list keeps its de-identified copy in step."""
    copy = BnlEntry.objects.filter(source_entry=entry).first()
    if copy is None:
        return
    for name in ("score", "subtotal", "length_of_time_homeless_days", "county", "chronic", "veteran", "youth", "family",
                 "dv", "dv_survivor", "disability", "sex_offender", "household_size"):
        setattr(copy, name, getattr(entry, name))
    history_save(copy, actor=actor, reason=f"source entry changed: {reason}")


@transaction.atomic
def bnl_case_management_set(*, entry: BnlEntry, item: int, points: int, actor: User, justification: str = "") -> BnlEntry:
    """Add (points=1, with a justification) or remove (points=0) one Case Management Entry item.

    Who: a case manager who may see the person (bnl.selectors.may_manage_case).
    """
    entry = BnlEntry.objects.select_for_update(of=("self",)).select_related("client__holding_agency").get(pk=entry.pk)
    if not may_manage_case(actor, entry):
        raise Forbidden(NOT_A_CASE_MANAGER)
    justification = (justification or "").strip()
    errors: dict = {}
    if item not in policy.CASE_MANAGEMENT_ITEMS:
        errors["item"] = [ITEM_UNKNOWN]
    if points not in (0, 1):
        errors["points"] = [POINTS_UNKNOWN]
    if points == 1 and not justification:
        errors["justification"] = [JUSTIFICATION_REQUIRED]
    if errors:
        raise Invalid(errors)
    existing = entry.case_management_points.filter(item=item).first()
    if points == 1:
        if existing is not None:
            raise Invalid({"item": [ALREADY_GIVEN]})
        history_save(CaseManagementPoint(entry=entry, item=item, justification=justification, added_by=actor),
                     actor=actor, reason="case-management point added")
        # The justification stays on the point's own row: the entry's history is read more widely.
        reason = f"case-management item {item} added"
    else:
        if existing is None:
            raise Invalid({"item": [NOT_GIVEN]})
        existing._history_user = actor
        existing._change_reason = "case-management point removed"
        existing.delete()
        reason = f"case-management item {item} removed"
    entry.score = entry.subtotal + entry.case_management_points.count()
    history_save(entry, actor=actor, reason=reason)
    _sync_assessment_score(entry, actor=actor, reason=reason)
    _sync_deidentified_copy(entry, actor=actor, reason=reason)
    position_record(entry)
    return entry


@transaction.atomic
def bnl_entry_status_set(*, entry: BnlEntry, status: str, actor: User, exit_reason: str = "", reason: str = "") -> BnlEntry:
    """CoC staff's corrections and exits. `on_referral` is only ever set by a pull; an exit names
    its reason from the list (bnl.policy.EXIT_REASONS), "other" with the reason written out."""
    if not may_manage_bnl(actor):
        raise Forbidden(NOT_LIST_MANAGER)
    entry = BnlEntry.objects.select_for_update().get(pk=entry.pk)
    reason = (reason or "").strip()
    if status not in BnlEntry.MANUAL_STATUSES:
        raise Invalid({"status": [STATUS_NOT_ALLOWED]})
    if entry.status == BnlEntry.Status.ON_REFERRAL:
        raise Invalid({"status": [ON_REFERRAL_LOCKED]})
    if status == BnlEntry.Status.EXITED:
        if exit_reason not in policy.EXIT_REASON_CODES:
            raise Invalid({"exit_reason": [EXIT_REASON_REQUIRED]})
        if exit_reason == policy.EXIT_REASON_EXPLAINED and not reason:
            raise Invalid({"reason": [EXIT_REASON_EXPLAIN]})
        status_reason = f"{exit_reason}: {reason}" if reason else exit_reason
    else:
        status_reason = reason
    entry.status = status
    entry.status_reason = status_reason
    history_save(entry, actor=actor, reason=f"status set to {status}" + (f": {status_reason}" if status_reason else ""))
    position_record(entry)
    return entry


@transaction.atomic
def bnl_place_deidentified_on_coc_list(*, source: BnlEntry, vsp_client_number: str, actor: User) -> BnlEntry:
    """DV parallel process: a VSP puts its client on the CoC list with no personal data."""
    source = BnlEntry.objects.select_for_update().get(pk=source.pk)
    number = (vsp_client_number or "").strip()
    if source.list_owner_id is None:
        raise Invalid({NON_FIELD: [NOT_ON_VSP_LIST]})
    owner = own_vsp_list_owner(actor)
    if owner is None or owner.pk != source.list_owner_id:
        raise Forbidden(NOT_YOUR_VSP_LIST)
    if not VSP_CLIENT_NUMBER.match(number):
        raise Invalid({"vsp_client_number": [VSP_NUMBER_REQUIRED]})
    if BnlEntry.objects.filter(source_entry=source).exists():
        raise Invalid({NON_FIELD: [ALREADY_ON_COC_LIST]})
    copy = BnlEntry(
        list_owner=None, client=None, assessment=None, vsp=source.list_owner, vsp_client_number=number,
        source_entry=source, status=source.status if source.status != BnlEntry.Status.ON_REFERRAL else BnlEntry.Status.ACTIVE,
        placed_on_list_at=timezone.now(),
        **{name: getattr(source, name) for name in (
            "score", "subtotal", "length_of_time_homeless_days", "county", "chronic", "veteran", "youth", "family", "dv",
            "dv_survivor", "disability", "sex_offender", "household_size")},
    )
    history_save(copy, actor=actor, reason="placed on the CoC list by the VSP (de-identified)")
    position_record(copy)
    return copy


@transaction.atomic
def bnl_rrh_placement_failed(*, entry: BnlEntry, actor: User, note: str = "") -> BnlEntry:
    """An RRH case manager records that the placement failed: back to active, same score."""
    entry = BnlEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != BnlEntry.Status.HOUSED:
        raise Invalid({"status": [PLACEMENT_NOT_HOUSED]})
    entry.status = BnlEntry.Status.ACTIVE
    entry.status_reason = ""
    history_save(entry, actor=actor, reason="RRH placement failed" + (f": {note}" if note else ""))
    position_record(entry)
    return entry


def position_record(entry: BnlEntry) -> PositionSnapshot:
    rank, total = bnl_rank_of(entry)
    return PositionSnapshot.objects.create(entry=entry, at=timezone.now(), rank=rank, active_total=total,
                                           status=entry.status, score=entry.score)



def bnl_read_record(*, user: User, request: HttpRequest, entries: list[BnlEntry], action: str) -> AccessLog | None:
    """Exactly one access-log row for a read of the list that showed anyone's personal data
    (none when it showed only labels). One entry: the person is named; a page: their ids."""
    shown = [entry for entry in entries if entry.client_id is not None and getattr(entry, "pii_visible", False)]
    if not shown:
        return None
    if len(entries) == 1 and action != AccessLog.Action.VIEW_LIST:
        entry = shown[0]
        return access_log_record(user=user, action=action, request=request, client=entry.client, obj=entry)
    ids = ", ".join(str(entry.client_id) for entry in shown)
    detail = f"BNL: {len(entries)} entries shown, personal data of clients {ids}"
    return access_log_record(user=user, action=action, request=request, detail=detail[:497] + "..." if len(detail) > 500 else detail)


def bnl_export_record(*, user: User, request: HttpRequest, filters: dict) -> AccessLog:
    """The CSV export's access-log row. Its detail names the filter as declared (bnl.inputs.BnlFilter),
    never what else the query string held."""
    parts = [f"{name}={filters[name]}" for name in ("status", "county") if filters.get(name)]
    if filters.get("program") is not None:
        parts.append(f"program={filters['program'].pk}")
    parts += [f"{flag}={str(wanted).lower()}" for flag, wanted in (filters.get("flags") or {}).items() if wanted is not None]
    if filters.get("vsp_list"):
        parts.append("list=vsp")
    return access_log_record(user=user, action=AccessLog.Action.EXPORT, request=request,
                             detail=f"BNL CSV {' '.join(parts) or 'all open entries'}")
