"""Writes on the By-Name List. Every change keeps its history (who, when, why)."""

from django.db import transaction
from django.utils import timezone

from bnl import policy
from bnl.models import BnlEntry, CaseManagementPoint, PositionSnapshot
from ces.audit import history_save
from ces.models import Client, User

JUSTIFICATION_REQUIRED = "Write why this point is added: case-management points need a justification."
ITEM_UNKNOWN = "The case-management item is 1, 2 or 3."
POINTS_UNKNOWN = "Points are 1 (add the item) or 0 (remove it)."
ALREADY_GIVEN = "This item is already given; remove it first to change its justification."
NOT_GIVEN = "This item is not given, so there is nothing to remove."
STATUS_NOT_ALLOWED = "That status cannot be set here."
EXIT_REASON_REQUIRED = "Choose why the person leaves the list."
NOT_ON_VSP_LIST = "Only entries on your own VSP list can be placed on the CoC list."
VSP_NUMBER_REQUIRED = "Give the VSP's internal client number (letters and digits, no names)."
ALREADY_ON_COC_LIST = "This person already has an entry on the CoC list."


class BnlInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


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
    client = Client.objects.select_for_update().select_related("holding_agency").get(pk=assessment.client_id)
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
            from intake.services import assessment_pdf_schedule

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
def bnl_case_management_set(*, entry: BnlEntry, item: int, points: int, justification: str, actor: User) -> BnlEntry:
    """Add (points=1, with a justification) or remove (points=0) one Case Management Entry item."""
    errors: dict[str, list[str]] = {}
    if item not in policy.CASE_MANAGEMENT_ITEMS:
        errors["item"] = [ITEM_UNKNOWN]
    if points not in (0, 1):
        errors["points"] = [POINTS_UNKNOWN]
    if points == 1 and not (justification or "").strip():
        errors["justification"] = [JUSTIFICATION_REQUIRED]
    if errors:
        raise BnlInvalid(errors)
    entry = BnlEntry.objects.select_for_update().get(pk=entry.pk)
    existing = entry.case_management_points.filter(item=item).first()
    if points == 1:
        if existing is not None:
            raise BnlInvalid({"item": [ALREADY_GIVEN]})
        history_save(CaseManagementPoint(entry=entry, item=item, justification=justification.strip(), added_by=actor),
                     actor=actor, reason="case-management point added")
        reason = f"case-management item {item} added: {justification.strip()}"
    else:
        if existing is None:
            raise BnlInvalid({"item": [NOT_GIVEN]})
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


MANUAL_STATUSES = (BnlEntry.Status.ACTIVE, BnlEntry.Status.INACTIVE, BnlEntry.Status.HOUSED, BnlEntry.Status.EXITED)


@transaction.atomic
def bnl_entry_status_set(*, entry: BnlEntry, status: str, actor: User, reason: str = "") -> BnlEntry:
    """CoC staff's corrections and exits. `on_referral` is only ever set by a pull."""
    entry = BnlEntry.objects.select_for_update().get(pk=entry.pk)
    if status not in MANUAL_STATUSES or entry.status == BnlEntry.Status.ON_REFERRAL:
        raise BnlInvalid({"status": [STATUS_NOT_ALLOWED]})
    if status == BnlEntry.Status.EXITED and not reason.strip():
        raise BnlInvalid({"reason": [EXIT_REASON_REQUIRED]})
    entry.status = status
    entry.status_reason = reason.strip()
    history_save(entry, actor=actor, reason=f"status set to {status}" + (f": {reason.strip()}" if reason.strip() else ""))
    position_record(entry)
    return entry


@transaction.atomic
def bnl_place_deidentified_on_coc_list(*, source: BnlEntry, vsp_client_number: str, actor: User) -> BnlEntry:
    """DV parallel process: a VSP puts its client on the CoC list with no personal data."""
    number = (vsp_client_number or "").strip()
    if source.list_owner_id is None or source.list_owner_id != actor.agency_id:
        raise BnlInvalid({"non_field_errors": [NOT_ON_VSP_LIST]})
    if not number or not number.replace("-", "").isalnum() or len(number) > 30:
        raise BnlInvalid({"vsp_client_number": [VSP_NUMBER_REQUIRED]})
    if BnlEntry.objects.filter(source_entry=source).exists():
        raise BnlInvalid({"non_field_errors": [ALREADY_ON_COC_LIST]})
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
        raise BnlInvalid({"status": ["Only a housed person's placement can fail."]})
    entry.status = BnlEntry.Status.ACTIVE
    entry.status_reason = ""
    history_save(entry, actor=actor, reason="RRH placement failed" + (f": {note}" if note else ""))
    position_record(entry)
    return entry


def position_record(entry: BnlEntry) -> PositionSnapshot:
    from bnl.selectors import bnl_rank_of

    rank, total = bnl_rank_of(entry)
    return PositionSnapshot.objects.create(entry=entry, at=timezone.now(), rank=rank, active_total=total,
                                           status=entry.status, score=entry.score)

