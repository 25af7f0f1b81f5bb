"""Vacancies, pulls, referral decisions and shelter referrals (bnl-and-referrals.md).

The pull is safe under concurrency: the vacancy row is locked (so its five
open referrals cannot be exceeded), the candidate entries are locked in list
order with SKIP LOCKED (so two programs never receive the same person), and
a partial unique index (one open referral per entry) is the backstop.
"""

import json
from datetime import datetime, time, timedelta
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, IntegerField, JSONField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.expressions import RawSQL, RowRange, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bnl.eligibility import eligible_q, list_scope_q
from bnl.models import BnlEntry
from bnl.policy import BNL_ORDER, MAX_OPEN_REFERRALS_PER_UNIT, max_open_referrals
from bnl.services import bnl_chronic_sweep, bnl_twin_follow, position_record
from ces import roles
from ces.audit import access_log_record, history_save
from ces.bulk_writes import history_build, ids_reserve_sql, insert_sql, inserted, statement_write, update_sql
from ces.business_days import add_business_days_many, business_days_window
from ces.deadlines import deadline_cancel, deadlines_build
from ces.errors import NON_FIELD, Forbidden, Invalid, NotFound
from ces.models import AccessLog, Client, ClosureDay, Deadline, Program, User
from ces.notifications import notification_send
from ces.selectors import users_with_role
from ces.system_user import system_user_get
from intake.models import Intake
from reassignment.services import assignment_end_at_enrollment
from referrals import policy
from referrals.models import CeEvent, Pull, Referral, ShelterDailyList, ShelterReferral, Vacancy
from referrals.selectors import program_run_by, programs_run_by, shelters_run_by

VACANCY_NOT_OPEN = _("This vacancy is no longer open.")
NOT_A_HOUSING_PROGRAM = _("Vacancies are recorded for transitional housing, rapid re-housing and PSH programs.")
UNITS_RANGE = format_lazy(_("Record between {low} and {high} units."), low=policy.VACANCY_MIN_UNITS,
                          high=policy.VACANCY_MAX_UNITS)
COUNT_RANGE = _("Pull between 1 and {high} people: five per open bed or unit of this vacancy.")
ALREADY_DECIDED = _("This referral is already closed ({status}).")
OUTCOME_UNKNOWN = _("Choose one of: accepted, enrolled, client_declined, provider_rejected, not_selected.")
REASON_REQUIRED = _("Choose the reason for rejecting from the list.")
JUSTIFICATION_REQUIRED = _("Explain the rejection: rejections must be justified and rare.")
STATUS_UNKNOWN = _("Choose arrived, no_show or denied.")
DENIAL_REASON_REQUIRED = _("Say why the person was denied.")
WALK_IN_NAME_REQUIRED = _("Write the person's name (or what they want to be called).")
WALK_IN_ARRIVED = _("A walk-in has arrived and cannot be denied: there is no status to change.")
NOT_YOUR_PROGRAM = _("No such program.")
CHRONIC_DOCUMENTATION_MISSING = _("This program serves chronically homeless people: the answers at intake are self-reported, "
                                  "so check every document of chronic homelessness on the referral before enrolling ({missing}).")
CHRONIC_DOCUMENTATION_NOT_NEEDED = _("This program does not require chronic homelessness; there is nothing to document.")
CHRONIC_DOCUMENTATION_CLOSED = _("This referral is closed; its documentation can no longer change.")
CHRONIC_ITEM_UNKNOWN = _("Choose items from the documentation checklist.")
NOT_A_REJECTION = _("Only a provider's rejection is reviewed.")
REVIEW_FINDING_REQUIRED = _("Say whether the rejection was justified.")
REVIEW_NOTE_REQUIRED = _("Write what the review found: a rejection found not justified needs the reason.")
NOT_A_REVIEWER = _("Only CoC staff review providers' rejections.")
PLACEMENT_NOT_HOUSED = _("Only a housed person's placement can fail.")
PLACEMENT_NOT_YOURS = _("Only staff of the rapid re-housing program that housed this person can record that the placement failed.")

REMINDER_KIND = "referrals.reminder"
EXPIRY_KIND = "referrals.expire"


# --- who may act ----------------------------------------------------------------


def _require_program_staff(actor: User, program: Program) -> None:
    """Vacancies and referrals are worked by the program's own staff (404 for anyone else)."""
    if not program_run_by(actor, program):
        raise NotFound(NOT_YOUR_PROGRAM)


def _require_shelter_staff(actor: User, shelter) -> None:
    if actor.is_system:
        return
    if not shelters_run_by(actor).filter(pk=shelter.pk).exists():
        raise NotFound()


# --- vacancies and pulls ------------------------------------------------------


@transaction.atomic
def vacancy_create(*, program: Program, actor: User, units: int = 1, note: str = "", request_key: UUID | None = None) -> Vacancy:
    """Record a vacancy. `request_key` (the form's one-time key): the same key again returns the vacancy
    it made, so a double submit never records two."""
    _require_program_staff(actor, program)
    if not program.is_housing:
        raise Invalid({"program": [NOT_A_HOUSING_PROGRAM]})
    if isinstance(units, bool) or not isinstance(units, int) or not policy.VACANCY_MIN_UNITS <= units <= policy.VACANCY_MAX_UNITS:
        raise Invalid({"units": [UNITS_RANGE]})
    if request_key is not None:
        list(Program.objects.select_for_update().filter(pk=program.pk).values_list("pk", flat=True))  # one submit at a time
        made = Vacancy.objects.filter(created_by=actor, request_key=request_key).first()
        if made is not None:
            return made
    vacancy = Vacancy(program=program, units=units, note=(note or "")[:500], created_by=actor, request_key=request_key)
    return history_save(vacancy, actor=actor, reason="vacancy recorded")


def vacancy_open_units(vacancy: Vacancy) -> int:
    """Beds/units of the vacancy not yet filled by an enrolment."""
    return max(0, vacancy.units - vacancy.referrals.filter(status=Referral.Status.ENROLLED).count())


# The deadlines a pull schedules, in business days: the closure days they need are read with the vacancy.
DEADLINE_BUSINESS_DAYS = [policy.REMINDER_BUSINESS_DAYS, policy.EXPIRY_BUSINESS_DAYS]


@transaction.atomic
def vacancy_pull(*, vacancy: Vacancy, actor: User, count: int | None = None) -> Pull:
    """Refer the top eligible active entries to the vacancy: at most five open referrals per open
    bed/unit ("a maximum of five (5) eligible individuals" for each), never the same person twice
    (a VSP entry and its CoC copy are one person), safe under concurrency.

    Four statements whatever the list holds (issue 17): lock the vacancy (with its referral
    counts, whether a chronic flag is due today and the closure days the deadlines need); lock
    the top entries (with their CoC copies); record the pull and its audit; write the
    referrals, the entries' status, the deadlines and the HUD events, each with its history.
    """
    now = timezone.now()
    today = timezone.localdate(now)

    def referrals_counted(statuses):
        return Coalesce(Subquery(
            Referral.objects.filter(vacancy=OuterRef("pk"), status__in=statuses)
            .order_by().values("vacancy").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)

    vacancy = (
        Vacancy.objects.select_for_update(of=("self",)).select_related("program__agency")
        .annotate(open_now=referrals_counted(Referral.OPEN_STATUSES), enrolled_now=referrals_counted([Referral.Status.ENROLLED]),
                  chronic_due=Exists(_chronic_due(today)),
                  closure_days=ArraySubquery(ClosureDay.objects.filter(
                      date__range=business_days_window(today, DEADLINE_BUSINESS_DAYS)).order_by().values("date")))
        .get(pk=vacancy.pk)
    )
    _require_program_staff(actor, vacancy.program)
    limit = max_open_referrals(max(0, vacancy.units - vacancy.enrolled_now))  # vacancy_open_units(), counted above
    high = max(MAX_OPEN_REFERRALS_PER_UNIT, limit)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= high):
        raise Invalid({"count": [format_lazy(COUNT_RANGE, high=high)]})
    if vacancy.status != Vacancy.Status.OPEN:
        raise Invalid({NON_FIELD: [VACANCY_NOT_OPEN]})
    program = vacancy.program
    open_now = vacancy.open_now
    room = max(0, min(count if count is not None else limit, limit - open_now))
    if vacancy.chronic_due:
        # Flags due today are set before anyone is pulled, even if tonight's sweep has not run yet.
        bnl_chronic_sweep(actor=system_user_get())
    eligible = BnlEntry.objects.filter(list_scope_q(program) & eligible_q(program))
    chosen, twins, skipped = _choose(eligible, room) if room else ([], [], {})
    pull = Pull(vacancy=vacancy, requested=count if count is not None else room, pulled_count=len(chosen), pulled_by=actor)
    if not chosen:
        pull.save()
        pull.candidates = []
        return pull
    referral_ids, event_ids = _pull_audit_write(pull, eligible, chosen, skipped)
    ranks = {row["entry_id"]: row["active_rank"] for row in pull.candidates if row["action"] == "pulled"}
    _referrals_open(vacancy=vacancy, pull=pull, entries=chosen, twins=twins, ranks=ranks, actor=actor, now=now,
                    closures=frozenset(vacancy.closure_days), ids=(referral_ids, event_ids))
    return pull


def _chronic_due(today):
    """The entries bnl_chronic_sweep would flag today (a CoC copy follows its VSP entry); read
    through the partial index bnl_chronic_due_idx, so it costs nothing however long the list."""
    return BnlEntry.objects.filter(chronic=False, chronic_due_on__lte=today, status__in=BnlEntry.OPEN_STATUSES,
                                   source_entry__isnull=True)


def _choose(eligible, room: int) -> tuple[list[BnlEntry], list[BnlEntry], dict[int, str]]:
    """The top `room` active entries in list order, each locked (SKIP LOCKED: another pull at the same
    moment takes others). A person's other half (DV parallel process) is locked too and must be
    active; it is never taken as well. Returns (chosen, their twins, skipped entry id → why)."""
    chosen: list[BnlEntry] = []
    twins: list[BnlEntry] = []
    taken: set[int] = set()
    skipped: dict[int, str] = {}
    examined: list[int] = []
    # Each entry comes with the id of its CoC copy, if it is a VSP entry that has one.
    candidates = (eligible.filter(status=BnlEntry.Status.ACTIVE).order_by(*BNL_ORDER)
                  .annotate(coc_copy_id=Subquery(BnlEntry.objects.filter(source_entry_id=OuterRef("pk")).order_by().values("pk")[:1])))
    while len(chosen) < room:
        batch = list(candidates.exclude(pk__in=examined).select_for_update(skip_locked=True)[:room - len(chosen)])
        if not batch:
            break
        for entry in batch:
            examined.append(entry.pk)
            twin_id = entry.source_entry_id or entry.coc_copy_id
            if entry.pk in taken:
                skipped[entry.pk] = "same person as an entry pulled above (VSP list and CoC list)"
                continue
            if twin_id is not None:
                twin = (BnlEntry.objects.select_for_update(skip_locked=True)
                        .filter(pk=twin_id, status=BnlEntry.Status.ACTIVE).first())
                if twin is None:
                    skipped[entry.pk] = "same person is on referral from the other list"
                    continue
                twins.append(twin)
                taken.add(twin_id)
            chosen.append(entry)
            taken.add(entry.pk)
            if len(chosen) >= room:
                break
    return chosen, twins, skipped


AUDIT_COLUMNS = ("id", "score", "homeless_since", "status", "client_id", "client__holding_agency__initials",
                 "vsp__initials", "vsp_client_number")
PASSED_OVER_REASONS = {
    BnlEntry.Status.ON_REFERRAL: "on referral to another program",
    BnlEntry.Status.INACTIVE: "inactive (no contact)",
    BnlEntry.Status.ACTIVE: "being referred by another program's pull at the same moment",
}


def _pull_audit_write(pull: Pull, eligible, chosen: list[BnlEntry], skipped: dict[int, str] | None = None
                      ) -> tuple[list[int], list[int]]:
    """Record the pull with its audit in one statement: every eligible open entry ranked down
    to the last one pulled, and what happened to each (`pull.candidates`). Returns the ids
    its referrals and HUD events will take (reserved from their sequences by the same
    statement, so the next one can write them with their history).

    The database ranks the eligible open entries down to the last one pulled (window
    functions over a range of the open-list index), builds each row, and stores them in
    the pull's row as it is inserted (INSERT … RETURNING): no walk in Python, and nothing
    below the last one pulled is read, however long the list.
    """
    skipped = skipped or {}
    # Active entries passed over for a reason of their own (the same person) take no place.
    counted = Q(status=BnlEntry.Status.ACTIVE) & ~Q(pk__in=list(skipped))
    # Only the entries at or above the last one pulled in list order: `score >= s` is a range
    # of the open-list index, the rest of the order key cuts the ties exactly.
    last = chosen[-1]
    at_or_above = Q(score__gte=last.score) & (
        Q(score__gt=last.score)
        | Q(score=last.score, homeless_since__lt=last.homeless_since)
        | Q(score=last.score, homeless_since=last.homeless_since, placed_on_list_at__lt=last.placed_on_list_at)
        | Q(score=last.score, homeless_since=last.homeless_since, placed_on_list_at=last.placed_on_list_at, pk__lte=last.pk)
    )
    ranked = (
        eligible.filter(at_or_above, status__in=BnlEntry.OPEN_STATUSES)
        .annotate(
            rank=Window(RowNumber(), order_by=BNL_ORDER),
            active_rank=Window(Sum(Case(When(counted, then=Value(1)), default=Value(0))), order_by=BNL_ORDER,
                               frame=RowRange(start=None, end=0)),
        )
        .order_by()
        .values(*AUDIT_COLUMNS, "rank", "active_rank")
    )
    ranked_sql, ranked_params = ranked.query.sql_with_params()
    reasons = " ".join("WHEN r.status = %s THEN %s" for _status in PASSED_OVER_REASONS)
    reason_params = [item for status, reason in PASSED_OVER_REASONS.items() for item in (str(status), reason)]
    chosen_ids = [entry.pk for entry in chosen]
    skipped_json = json.dumps({str(pk): reason for pk, reason in skipped.items()})
    pull.candidates = RawSQL(f"""COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'rank', r.rank, 'entry_id', r.id,
                'label', CASE WHEN r.client_id IS NULL THEN r."vsp__initials" || '-' || r.vsp_client_number
                              ELSE r."client__holding_agency__initials" || '-' || lpad(r.client_id::text, greatest(6, length(r.client_id::text)), '0') END,
                'score', r.score, 'days_homeless', greatest(0, %s::date - r.homeless_since), 'status', r.status,
                'action', CASE WHEN r.id = ANY(%s::bigint[]) THEN 'pulled' ELSE 'passed_over' END,
                'reason', CASE WHEN r.id = ANY(%s::bigint[]) THEN '' WHEN %s::jsonb ? r.id::text THEN %s::jsonb ->> r.id::text {reasons} ELSE '' END,
                'active_rank', r.active_rank) ORDER BY r.rank)
            FROM ranked r, cut WHERE r.rank <= cut.last_rank), '[]'::jsonb)""",
        [timezone.localdate(), chosen_ids, chosen_ids, skipped_json, skipped_json, *reason_params], output_field=JSONField())
    insert, insert_params = insert_sql(Pull, [pull])
    referral_ids, referral_params = ids_reserve_sql(Referral)
    event_ids, event_params = ids_reserve_sql(CeEvent)
    sql = f"""
        WITH ranked AS ({ranked_sql}),
             cut AS (SELECT max(rank) AS last_rank FROM ranked WHERE id = ANY(%s::bigint[]))
        {insert}
        RETURNING id, candidates, {referral_ids}, {event_ids}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ranked_params, chosen_ids, *insert_params, *referral_params, len(chosen), *event_params, len(chosen)])
        pull.pk, candidates, referral_ids, event_ids = cursor.fetchone()
    inserted([pull])
    pull.candidates = json.loads(candidates) if isinstance(candidates, str) else candidates  # Django reads jsonb as text
    return sorted(referral_ids), sorted(event_ids)


def _deadlines_at(start: datetime, counts: list[int], closures: frozenset | None = None) -> list[datetime]:
    local = timezone.localtime(start)
    return [timezone.make_aware(datetime.combine(day, local.time().replace(microsecond=0)))
            for day in add_business_days_many(local.date(), counts, closures=closures)]


def _referrals_open(*, vacancy: Vacancy, pull: Pull, entries: list[BnlEntry], twins: list[BnlEntry], ranks: dict[int, int],
                    actor: User, now: datetime, closures: frozenset, ids: tuple[list[int], list[int]]) -> list[Referral]:
    """The pulled entries' referrals, their status change, deadlines and HUD events, each with
    its history rows, written by one statement (ces.bulk_writes: the rows and history rows are
    those bulk_create_with_history and bulk_update_with_history would write). The rows are
    built here from locked, valid records; `ids` are the referrals' and HUD events' ids,
    reserved by the statement that recorded the pull."""
    program = vacancy.program
    referral_ids, event_ids = ids
    referrals = [Referral(pk=pk, vacancy=vacancy, program=program, entry=entry, pull=pull, rank=ranks[entry.pk])
                 for pk, entry in zip(referral_ids, entries, strict=True)]
    writes = [insert_sql(Referral, referrals)]  # first: sets created_at on each, which the history copies
    history = history_build(Referral, referrals, user=actor, reason=f"pulled for vacancy #{vacancy.pk}")
    for entry in [*entries, *twins]:
        entry.status = BnlEntry.Status.ON_REFERRAL
        entry.updated_at = now
    writes.append(update_sql(BnlEntry, [entry.pk for entry in [*entries, *twins]],
                             {"status": BnlEntry.Status.ON_REFERRAL, "updated_at": now}))
    entry_history = history_build(BnlEntry, entries, user=actor, update=True,
                                  reason=f"referred to {program.name} (vacancy #{vacancy.pk})")
    # One person: the other half (VSP entry or CoC copy) is on referral too, with no referral of its own.
    entry_history += history_build(BnlEntry, twins, user=actor, update=True,
                                   reason=f"one person: on referral through the other list (vacancy #{vacancy.pk})")
    reminder_at, expiry_at = _deadlines_at(now, DEADLINE_BUSINESS_DAYS, closures)
    deadlines = deadlines_build([(REMINDER_KIND, referral, reminder_at) for referral in referrals]
                                + [(EXPIRY_KIND, referral, expiry_at) for referral in referrals])
    event = policy.CE_EVENT_BY_PROGRAM_TYPE.get(program.type, CeEvent.Event.OTHER_PH)
    events = [CeEvent(pk=pk, client_id=r.entry.client_id, entry=r.entry, referral=r, program=program, event=event,
                      event_date=timezone.localdate(now), created_by=actor)
              for pk, r in zip(event_ids, referrals, strict=True)]
    writes.append(insert_sql(CeEvent, events))
    event_history = history_build(CeEvent, events, user=actor, reason="HUD 4.20 referral")
    for rows in (history, entry_history, event_history):
        if rows:  # none when django-simple-history is switched off
            writes.append(insert_sql(type(rows[0]), rows))
    writes.append(insert_sql(Deadline, deadlines))
    statement_write(writes)
    inserted([*referrals, *events, *deadlines])
    return referrals


# --- decisions ----------------------------------------------------------------


@transaction.atomic
def referral_decide(*, referral: Referral, outcome: str, actor: User, reason: str = "", justification: str = "") -> Referral:
    """Record the program's (or client's) answer to a referral, with its effects on the list."""
    referral = Referral.objects.select_for_update(of=("self",)).select_related("vacancy", "program__agency", "entry").get(pk=referral.pk)
    _require_program_staff(actor, referral.program)
    if referral.status not in policy.DECIDABLE:
        raise Invalid({NON_FIELD: [format_lazy(ALREADY_DECIDED, status=referral.get_status_display())]})
    if outcome not in policy.DECISION_OUTCOMES:
        raise Invalid({"outcome": [OUTCOME_UNKNOWN]})
    if outcome not in policy.DECIDABLE[referral.status]:
        raise Invalid({"outcome": [format_lazy(ALREADY_DECIDED, status=referral.get_status_display())]})
    if outcome == Referral.Status.ENROLLED:
        missing = chronic_documentation_missing(referral)
        if missing:
            raise Invalid({"chronic_documentation": [format_lazy(
                CHRONIC_DOCUMENTATION_MISSING, missing="; ".join(str(policy.CHRONIC_DOCUMENTATION_LABELS[c]) for c in missing))]})
    if outcome == Referral.Status.PROVIDER_REJECTED:
        errors = {}
        if reason not in policy.REJECTION_REASON_CODES:
            errors["reason"] = [REASON_REQUIRED]
        if not (justification or "").strip():
            errors["justification"] = [JUSTIFICATION_REQUIRED]
        if errors:
            raise Invalid(errors)
    was_accepted = referral.status == Referral.Status.ACCEPTED
    now = timezone.now()
    referral.status = outcome
    referral.reason = reason if outcome == Referral.Status.PROVIDER_REJECTED else ""
    referral.justification = (justification or "").strip()
    referral.decided_by = actor
    referral.decided_at = now
    deadline_cancel(subject=referral, reason=f"answered: {outcome}")
    if outcome == Referral.Status.ACCEPTED:
        referral.accepted_at = now
        history_save(referral, actor=actor, reason="accepted by the program")
        return referral
    history_save(referral, actor=actor, reason=outcome.replace("_", " "))
    entry = referral.entry
    if outcome == Referral.Status.ENROLLED:
        _enrolled(referral, entry, actor=actor)
        assignment_end_at_enrollment(client=entry.client, program=referral.program, actor=actor)
    else:
        _back_to_active(entry, actor=actor, why=f"referral #{referral.pk}: {outcome.replace('_', ' ')}")
    _ce_result(referral, outcome, actor=actor)
    if outcome == Referral.Status.CLIENT_DECLINED and was_accepted:
        for staff in users_with_role(roles.COC_STAFF):
            notification_send(
                recipient=staff,
                subject=format_lazy(_("{label} declined after accepting a referral"), label=entry.label),
                body=format_lazy(_("{label} declined the referral to {program} after having accepted it."),
                                 label=entry.label, program=referral.program.name),
                link=reverse("bnl-detail", args=[entry.pk]),
            )
    return referral


def _enrolled(referral: Referral, entry: BnlEntry, *, actor: User) -> None:
    if referral.program.type == Program.Type.TH:
        # "A person who enters transitional housing stays on the list but their
        # chronically-homeless flag is removed (history keeps it)."
        entry.status = BnlEntry.Status.ACTIVE
        entry.chronic = False
        entry.chronic_due_on = None
        history_save(entry, actor=actor, reason=f"entered transitional housing ({referral.program.name}); chronic flag removed")
    else:
        entry.status = BnlEntry.Status.HOUSED
        entry.status_reason = f"moved in: {referral.program.name}"
        history_save(entry, actor=actor, reason=f"housed by {referral.program.name}")
    position_record(entry)
    bnl_twin_follow(entry, actor=actor, reason=f"enrolled in {referral.program.name}")
    vacancy = referral.vacancy
    enrolled = vacancy.referrals.filter(status=Referral.Status.ENROLLED).count()
    if enrolled >= vacancy.units:
        vacancy.status = Vacancy.Status.FILLED
        vacancy.filled_at = timezone.now()
        history_save(vacancy, actor=actor, reason="filled")
        for other in vacancy.referrals.select_for_update().filter(status__in=Referral.OPEN_STATUSES).exclude(pk=referral.pk):
            other.status = Referral.Status.NOT_SELECTED
            other.decided_at = timezone.now()
            other.decided_by = actor
            history_save(other, actor=actor, reason=f"not selected: the unit went to referral #{referral.pk}")
            deadline_cancel(subject=other, reason="vacancy filled")
            _back_to_active(other.entry, actor=actor, why=f"vacancy #{vacancy.pk} filled by another referral")
            _ce_result(other, Referral.Status.NOT_SELECTED, actor=actor)


def _back_to_active(entry: BnlEntry, *, actor: User, why: str) -> None:
    entry = BnlEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == BnlEntry.Status.ON_REFERRAL:
        entry.status = BnlEntry.Status.ACTIVE
        history_save(entry, actor=actor, reason=f"back on the list, same place: {why}")
        position_record(entry)
        bnl_twin_follow(entry, actor=actor, reason=f"back on the list: {why}")


CE_RESULTS = {
    Referral.Status.ENROLLED: CeEvent.Result.CLIENT_ACCEPTED,
    Referral.Status.CLIENT_DECLINED: CeEvent.Result.CLIENT_REJECTED,
    Referral.Status.PROVIDER_REJECTED: CeEvent.Result.PROVIDER_REJECTED,
}


def _ce_result(referral: Referral, outcome: str, *, actor: User) -> None:
    """HUD 4.20: a ResultDate only with a ReferralResult. HUD's three results are client accepted,
    client rejected and provider rejected; an expired or not-selected referral has neither (the
    event stays a referral with no result), so the export never carries a date without a result."""
    event = CeEvent.objects.filter(referral=referral).first()
    if event is None:
        return
    result = CE_RESULTS.get(outcome)
    event.referral_result = result
    event.result_date = timezone.localdate() if result is not None else None
    history_save(event, actor=actor, reason=f"referral result: {outcome}" if result else f"referral ended without a HUD result: {outcome}")


@transaction.atomic
def referral_expire(*, referral: Referral, actor: User) -> bool:
    """20 business days without an answer: the referral expires and the person returns to the list."""
    referral = Referral.objects.select_for_update(of=("self",)).select_related("entry", "program").get(pk=referral.pk)
    if referral.status != Referral.Status.PENDING:
        return False
    referral.status = Referral.Status.EXPIRED
    referral.decided_at = timezone.now()
    history_save(referral, actor=actor, reason=f"expired: no answer in {policy.EXPIRY_BUSINESS_DAYS} business days")
    _back_to_active(referral.entry, actor=actor, why=f"referral #{referral.pk} expired")
    _ce_result(referral, Referral.Status.EXPIRED, actor=actor)
    _notify_program_and_coc(
        referral,
        subject=format_lazy(_("Referral of {label} to {program} expired"), label=referral.entry.label,
                            program=referral.program.name),
        body=format_lazy(_("No decision was recorded in {days} business days; the person is back on the list."),
                         days=policy.EXPIRY_BUSINESS_DAYS),
    )
    return True


def referral_remind(*, referral: Referral) -> bool:
    if referral.status != Referral.Status.PENDING:
        return False
    _notify_program_and_coc(
        referral,
        subject=format_lazy(_("Referral of {label} to {program} needs an answer"), label=referral.entry.label,
                            program=referral.program.name),
        body=format_lazy(_("No decision after {reminder} business days; it expires after {expiry}."),
                         reminder=policy.REMINDER_BUSINESS_DAYS, expiry=policy.EXPIRY_BUSINESS_DAYS),
    )
    return True


def _notify_program_and_coc(referral: Referral, *, subject, body) -> None:
    recipients = {*users_with_role(roles.PROGRAM_STAFF, roles.VSP_ADVOCATE, agency=referral.program.agency_id),
                  *users_with_role(roles.COC_STAFF)}
    for user in sorted(recipients, key=lambda u: u.pk):
        notification_send(recipient=user, subject=subject, body=body, link=reverse("program-detail", args=[referral.program_id]))


# --- RRH placement failed ---------------------------------------------------------


def rrh_housing_program(entry: BnlEntry) -> Program | None:
    """The rapid re-housing program whose enrolment housed this person (entry or its twin), if any."""
    ids = [entry.pk] + ([entry.source_entry_id] if entry.source_entry_id else [])
    ids += list(BnlEntry.objects.filter(source_entry_id=entry.pk).values_list("pk", flat=True))
    referral = (Referral.objects.filter(entry_id__in=ids, status=Referral.Status.ENROLLED)
                .select_related("program__agency").order_by("-decided_at", "-pk").first())
    if referral is None or referral.program.type != Program.Type.RRH:
        return None
    return referral.program


def may_record_placement_failed(user: User, entry: BnlEntry) -> bool:
    """RRH program staff of the program that housed the person (bnl.record_placement_failed)."""
    if not user.is_authenticated or not user.has_perm("bnl.record_placement_failed"):
        return False
    if entry.status != BnlEntry.Status.HOUSED:
        return False
    program = rrh_housing_program(entry)
    if program is None:
        return False
    return programs_run_by(user).filter(pk=program.pk).exists()


@transaction.atomic
def bnl_rrh_placement_failed(*, entry: BnlEntry, actor: User, note: str = "") -> BnlEntry:
    """"RRH case managers will determine if the individual's housing placement has been successful":
    the RRH program's staff record that it failed; the person returns to the active list with their
    previous score and place (their CoC copy or VSP entry follows)."""
    if not actor.has_perm("bnl.record_placement_failed"):
        raise Forbidden(PLACEMENT_NOT_YOURS)
    entry = BnlEntry.objects.select_for_update().get(pk=entry.pk)
    note = (note or "").strip()
    if entry.status != BnlEntry.Status.HOUSED:
        raise Invalid({"status": [PLACEMENT_NOT_HOUSED]})
    if not may_record_placement_failed(actor, entry):
        raise Forbidden(PLACEMENT_NOT_YOURS)
    entry.status = BnlEntry.Status.ACTIVE
    entry.status_reason = ""
    reason = "RRH placement failed" + (f": {note}" if note else "")
    history_save(entry, actor=actor, reason=reason[:255])
    position_record(entry)
    bnl_twin_follow(entry, actor=actor, reason="RRH placement failed")
    return entry


# --- HUD 4.20 events of the intake's own branches ----------------------------------


def intake_ce_events_record(*, intake, actor: User, assessment=None) -> list[CeEvent]:
    """The Coordinated Entry events a completed intake produces by itself (referrals.policy)."""
    on = timezone.localdate(intake.collected_at) if intake.collected_at else timezone.localdate()
    events = []
    if intake.outcome == Intake.Outcome.OUTSIDE_COC:
        events.append((CeEvent.Event.NON_CONTINUUM_SERVICES, "HUD 4.20 out-of-area resources (outside the CoC)"))
    if assessment is not None and assessment.sleep_location_30d in policy.AT_RISK_SLEEP_LOCATIONS:
        events.append((CeEvent.Event.PREVENTION, "HUD 4.20 referral to prevention assistance (at risk)"))
    return [history_save(CeEvent(client=intake.client, intake=intake, event=event, event_date=on, created_by=actor),
                         actor=actor, reason=reason) for event, reason in events]


# --- chronic documentation, rejection review ---------------------------------------


def chronic_documentation_missing(referral: Referral) -> list[str]:
    """The checklist items not yet on file, for a program that requires chronic homelessness."""
    if not referral.program.requires_chronic:
        return []
    done = set(referral.chronic_documentation or [])
    return [code for code in policy.CHRONIC_DOCUMENTATION_CODES if code not in done]


@transaction.atomic
def referral_chronic_documentation_set(*, referral: Referral, items: list[str], actor: User, note: str = "") -> Referral:
    """The receiving program's staff record which chronic-homelessness documents are on file."""
    referral = Referral.objects.select_for_update(of=("self",)).select_related("program__agency").get(pk=referral.pk)
    _require_program_staff(actor, referral.program)
    if not referral.program.requires_chronic:
        raise Invalid({NON_FIELD: [CHRONIC_DOCUMENTATION_NOT_NEEDED]})
    if referral.status not in Referral.OPEN_STATUSES:
        raise Invalid({NON_FIELD: [CHRONIC_DOCUMENTATION_CLOSED]})
    items = list(items or [])
    if any(item not in policy.CHRONIC_DOCUMENTATION_CODES for item in items):
        raise Invalid({"items": [CHRONIC_ITEM_UNKNOWN]})
    referral.chronic_documentation = [code for code in policy.CHRONIC_DOCUMENTATION_CODES if code in items]
    reason = "chronic documentation: " + (", ".join(referral.chronic_documentation) or "none")
    note = (note or "").strip()
    history_save(referral, actor=actor, reason=reason + (f" ({note})" if note else ""))
    return referral


def may_review_rejections(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("referrals.review_rejection")


@transaction.atomic
def referral_rejection_review(*, referral: Referral, finding: str, actor: User, note: str = "") -> Referral:
    """CoC staff review a provider's rejection: rejections must be "justified and rare"."""
    if not may_review_rejections(actor):
        raise Forbidden(NOT_A_REVIEWER)
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if referral.status != Referral.Status.PROVIDER_REJECTED:
        raise Invalid({NON_FIELD: [NOT_A_REJECTION]})
    note = (note or "").strip()
    if finding not in policy.REJECTION_REVIEW_CODES:
        raise Invalid({"finding": [REVIEW_FINDING_REQUIRED]})
    if finding == "not_justified" and not note:
        raise Invalid({"note": [REVIEW_NOTE_REQUIRED]})
    referral.rejection_review = finding
    referral.rejection_review_note = note
    referral.rejection_reviewed_by = actor
    referral.rejection_reviewed_at = timezone.now()
    history_save(referral, actor=actor, reason=f"rejection reviewed by CoC staff: {finding}")
    return referral


# --- emergency shelter ---------------------------------------------------------


@transaction.atomic
def shelter_referral_create(*, client: Client, shelter, actor: User, intake=None) -> ShelterReferral:
    referral = ShelterReferral(client=client, shelter=shelter, intake=intake, created_by=actor)
    history_save(referral, actor=actor, reason="referred at intake" if intake else "referred")
    history_save(
        CeEvent(client=client, shelter_referral=referral, program=shelter.program, event=CeEvent.Event.EMERGENCY_SHELTER,
                event_date=timezone.localdate(), created_by=actor),
        actor=actor, reason="HUD 4.20 referral to emergency shelter",
    )
    return referral


@transaction.atomic
def shelter_referral_status_set(*, referral: ShelterReferral, status: str, actor: User, reason: str = "") -> ShelterReferral:
    referral = ShelterReferral.objects.select_for_update(of=("self",)).select_related("shelter").get(pk=referral.pk)
    _require_shelter_staff(actor, referral.shelter)
    if referral.walk_in:
        raise Invalid({NON_FIELD: [WALK_IN_ARRIVED]})
    if status not in policy.SHELTER_OUTCOMES:
        raise Invalid({"status": [STATUS_UNKNOWN]})
    if status == ShelterReferral.Status.DENIED and not reason.strip():
        raise Invalid({"reason": [DENIAL_REASON_REQUIRED]})
    referral.status = status
    referral.denied_reason = reason.strip() if status == ShelterReferral.Status.DENIED else ""
    referral.status_changed_at = timezone.now()
    referral.status_changed_by = actor
    history_save(referral, actor=actor, reason=f"shelter: {status}")
    event = CeEvent.objects.filter(shelter_referral=referral).first()
    if event is not None:
        event.referral_result = {
            ShelterReferral.Status.ARRIVED: CeEvent.Result.CLIENT_ACCEPTED,
            ShelterReferral.Status.NO_SHOW: CeEvent.Result.CLIENT_REJECTED,
            ShelterReferral.Status.DENIED: CeEvent.Result.PROVIDER_REJECTED,
        }[status]
        event.result_date = timezone.localdate()
        history_save(event, actor=actor, reason=f"shelter result: {status}")
    return referral


@transaction.atomic
def shelter_walk_in_record(*, shelter, name: str, actor: User, note: str = "") -> ShelterReferral:
    """Someone arrived without a referral: they cannot be denied; record them and prompt a CE call."""
    _require_shelter_staff(actor, shelter)
    if not (name or "").strip():
        raise Invalid({"name": [WALK_IN_NAME_REQUIRED]})
    referral = ShelterReferral(shelter=shelter, walk_in=True, walk_in_name=name.strip()[:200], note=note.strip(),
                               status=ShelterReferral.Status.ARRIVED, created_by=actor, status_changed_at=timezone.now(),
                               status_changed_by=actor)
    return history_save(referral, actor=actor, reason="walk-in recorded")


def shelter_list_window(now: datetime) -> tuple[datetime, datetime, "datetime.date"]:
    """The 24 hours a shelter's daily list covers: up to today's 07:00 local time."""
    local = timezone.localtime(now)
    end = timezone.make_aware(datetime.combine(local.date(), time(policy.SHELTER_LIST_HOUR)))
    if local < end:
        end -= timedelta(days=1)
    return end - timedelta(hours=policy.SHELTER_LIST_WINDOW_HOURS), end, timezone.localtime(end).date()


# --- who looked ------------------------------------------------------------------


def referrals_read_record(*, user: User, request: HttpRequest, rows: list[dict], single: bool = False) -> AccessLog | None:
    """One access-log row for a screen or answer that showed anyone's name (rows from
    referrals.selectors, `client` set only where it was shown); none when it showed only labels."""
    clients = [row["client"] for row in rows if row.get("client") is not None]
    if not clients:
        return None
    if single:
        return access_log_record(user=user, action=AccessLog.Action.API_READ, request=request, client=clients[0],
                                 obj=rows[0].get("referral"))
    ids = ", ".join(str(client.pk) for client in clients)
    detail = f"referrals: {len(rows)} shown, personal data of clients {ids}"
    return access_log_record(user=user, action=AccessLog.Action.VIEW_LIST, request=request,
                             detail=(detail[:497] + "...") if len(detail) > 500 else detail)


def shelter_daily_list_download_record(*, user: User, request: HttpRequest, daily: ShelterDailyList) -> AccessLog:
    return access_log_record(user=user, action=AccessLog.Action.DOWNLOAD_PDF, request=request, obj=daily,
                             detail=f"shelter list {daily.shelter.name} {daily.date}")
