"""Writes on the By-Name List. Every change keeps its history (who, when, why).

Each service checks who may do it (bnl.selectors' predicates), so the screen
and the API get the same answer; refusals are ces.errors (Invalid 400,
Forbidden 403). Messages are lazy translations (bnl/locale).
"""

import re
from datetime import date, timedelta

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bnl import policy
from bnl.models import BnlEntry, CaseManagementPoint, PositionSnapshot
from bnl.selectors import bnl_rank_querysets, may_manage_bnl, may_manage_case, own_vsp_list_owner
from ces.audit import access_log_record, history_save
from ces.errors import NON_FIELD, Forbidden, Invalid
from ces.models import AccessLog, Client, User
from intake.pdf import assessment_pdf_schedule
from intake.policy import CHRONIC_LOCATIONS, CHRONIC_MIN_DAYS

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

CHRONIC_SWEEP = "bnl.chronic_sweep"
ONE_OPEN_ENTRY = "bnl_one_open_entry_per_client"
# What the two halves of one person (a VSP entry and its de-identified CoC copy) always share.
TWIN_SHARED = ("status", "chronic", "chronic_due_on")
# What the copy takes from its VSP entry whenever the entry changes (no personal data).
COPIED_TO_COC = ("score", "subtotal", "homeless_since", "chronic_due_on", "county", "chronic", "veteran", "youth", "family",
                 "dv", "dv_survivor", "disability", "sex_offender", "household_size")

# The VSP's internal client number: what the CoC may store instead of a name.
VSP_CLIENT_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$")


def homeless_since_of(assessment) -> date:
    """The date homelessness began: the assessment date less the answered length of time homeless."""
    return timezone.localdate(assessment.assessed_at) - timedelta(days=assessment.length_of_time_homeless_days)


def chronic_due_on_of(assessment) -> date | None:
    """When a person who meets the rest of the chronic definition at assessment (a disabling
    condition, self-reported, and sleeping where the definition counts) reaches 12 months homeless
    while waiting: counted from the answered start date, or, without one, from the assessment
    (the list holds people who are still homeless). None when already chronic or not applicable."""
    if assessment.chronically_homeless or not assessment.has_disability:
        return None
    if assessment.sleep_location_30d not in CHRONIC_LOCATIONS:
        return None
    start = assessment.homeless_start_date or timezone.localdate(assessment.assessed_at)
    return start + timedelta(days=CHRONIC_MIN_DAYS)


def _entry_values_from(assessment) -> dict:
    return {
        "assessment": assessment,
        "subtotal": assessment.subtotal,
        "homeless_since": homeless_since_of(assessment),
        "chronic_due_on": chronic_due_on_of(assessment),
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


@transaction.atomic(savepoint=False)
def bnl_entry_place(*, assessment, actor: User) -> BnlEntry:
    """Put the assessed person on the list, or update their open entry.

    One open entry per person (active, on referral, inactive): a new assessment
    updates it (score, flags), history keeps the old values, and an inactive
    person is reactivated with their place intact. Case-management points
    stay with the entry. A client held by a VSP goes on that VSP's own list.
    The client row is locked so two intakes cannot both create an entry. No savepoint of its
    own: it runs inside the intake's transaction, which a failure rolls back whole.
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
    created = entry.pk is None
    # The open entry was just read under the client's lock: the one-open-entry check would repeat it.
    history_save(entry, actor=actor, reason=reason, checked=(ONE_OPEN_ENTRY,))
    # An entry created here has no case-management points and no de-identified copy yet.
    _sync_assessment_score(entry, actor=actor, reason=reason, rerender=False, points=0 if created else None)
    if not created:
        _sync_deidentified_copy(entry, actor=actor, reason=reason)
    position_record(entry)
    return entry


@transaction.atomic
def bnl_chronic_reevaluate(*, entry: BnlEntry, actor: User, today: date | None = None) -> bool:
    """12 months homeless reached while waiting: the "likely chronic (self-reported)" flag is set
    (history keeps when and why); the CoC copy follows. False when nothing changed."""
    today = today or timezone.localdate()
    entry = BnlEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.chronic or entry.chronic_due_on is None or entry.chronic_due_on > today:
        return False
    if entry.status not in BnlEntry.OPEN_STATUSES:
        return False
    entry.chronic = True
    reason = f"{CHRONIC_SWEEP}: 12 months homeless reached on {entry.chronic_due_on:%Y-%m-%d} while waiting"
    history_save(entry, actor=actor, reason=reason)
    bnl_twin_follow(entry, actor=actor, reason=reason)
    return True


def bnl_chronic_sweep(*, actor: User, today: date | None = None, limit: int | None = None) -> int:
    """Every open entry that reached 12 months homeless while waiting gets its flag (the timer is
    the row's `chronic_due_on`, swept nightly by beat and before each pull). Returns how many."""
    today = today or timezone.localdate()
    due = (BnlEntry.objects.filter(chronic=False, chronic_due_on__lte=today, status__in=BnlEntry.OPEN_STATUSES,
                                   source_entry__isnull=True).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for pk in (due[:limit] if limit else due):
        changed += bnl_chronic_reevaluate(entry=BnlEntry(pk=pk), actor=actor, today=today)
    return changed


def bnl_twin_follow(entry: BnlEntry, *, actor: User, reason: str) -> BnlEntry | None:
    """DV parallel process: the VSP entry and its de-identified CoC copy are one person, so the
    other half takes this one's status and chronic flag (housed, inactive, on referral in one is so
    in the other). The copy never receives the VSP entry's written reasons (they may name the person)."""
    twin_id = entry.source_entry_id or BnlEntry.objects.filter(source_entry_id=entry.pk).values_list("pk", flat=True).first()
    if twin_id is None:
        return None
    twin = BnlEntry.objects.select_for_update().get(pk=twin_id)
    changed = [name for name in TWIN_SHARED if getattr(twin, name) != getattr(entry, name)]
    if not changed:
        return twin
    for name in changed:
        setattr(twin, name, getattr(entry, name))
    twin.status_reason = "" if twin.is_deidentified else entry.status_reason
    side = "VSP entry" if twin.is_deidentified else "CoC copy"
    history_save(twin, actor=actor, reason=f"one person with its {side} #{entry.pk}: {reason}"[:255])
    position_record(twin)
    return twin


def _sync_assessment_score(entry: BnlEntry, *, actor: User, reason: str, rerender: bool = True,
                           points: int | None = None) -> None:
    """The assessment's case-management points and total follow the entry's (`points`: their
    number when the caller knows it)."""
    assessment = entry.assessment
    if assessment is None:
        return
    if points is None:
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
    for name in COPIED_TO_COC + ("status",):
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
    bnl_twin_follow(entry, actor=actor, reason=f"status set to {status}")
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
    # One person: the copy has the VSP entry's status (on referral included) and its seniority.
    copy = BnlEntry(
        list_owner=None, client=None, assessment=None, vsp=source.list_owner, vsp_client_number=number,
        source_entry=source, status=source.status, placed_on_list_at=source.placed_on_list_at,
        **{name: getattr(source, name) for name in COPIED_TO_COC},
    )
    history_save(copy, actor=actor, reason="placed on the CoC list by the VSP (de-identified)")
    position_record(copy)
    return copy


def position_record(entry: BnlEntry) -> PositionSnapshot:
    """Where `entry` stands now (bnl.selectors.bnl_rank_of), written in one statement: the snapshot's
    INSERT counts the entries ahead and the active total itself (the counts are the ORM's own
    queries of bnl.selectors.bnl_rank_querysets, as subqueries)."""
    ahead, same_list = bnl_rank_querysets(entry)
    ahead_sql, ahead_params = ahead.order_by().values("pk").query.sql_with_params()
    listed_sql, listed_params = same_list.order_by().values("pk").query.sql_with_params()
    at = timezone.now()
    meta = PositionSnapshot._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("entry", "at", "rank", "active_total", "status", "score"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT %s, %s, "
            f"1 + (SELECT count(*) FROM ({ahead_sql}) AS ahead), (SELECT count(*) FROM ({listed_sql}) AS listed), %s, %s "
            f"RETURNING {quote(meta.pk.column)}, {quote(meta.get_field('rank').column)}, "
            f"{quote(meta.get_field('active_total').column)}",
            (entry.pk, at, *ahead_params, *listed_params, entry.status, entry.score),
        )
        pk, rank, total = cursor.fetchone()
    snapshot = PositionSnapshot(pk=pk, entry=entry, at=at, rank=rank, active_total=total, status=entry.status, score=entry.score)
    snapshot._state.adding = False
    snapshot._state.db = connection.alias
    return snapshot


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
