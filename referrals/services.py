"""Vacancies, pulls, referral decisions and shelter referrals (bnl-and-referrals.md).

The pull is safe under concurrency: the vacancy row is locked (so its five
open referrals cannot be exceeded), the candidate entries are locked in list
order with SKIP LOCKED (so two programs never receive the same person), and
a partial unique index (one open referral per entry) is the backstop.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bnl.eligibility import eligible_q, list_scope_q
from bnl.models import BnlEntry
from bnl.policy import BNL_ORDER, MAX_OPEN_REFERRALS_PER_UNIT, max_open_referrals
from bnl.services import bnl_chronic_sweep, bnl_twin_follow, position_record
from ces import roles
from ces.audit import access_log_record, history_save
from ces.business_days import add_business_days
from ces.deadlines import deadline_cancel, deadlines_schedule
from ces.errors import NON_FIELD, Forbidden, Invalid, NotFound
from ces.models import AccessLog, Client, Program, User
from ces.notifications import notification_send
from ces.selectors import users_with_role
from reassignment.services import assignment_end_at_enrollment
from referrals import policy
from referrals.models import CeEvent, Pull, Referral, ShelterDailyList, ShelterReferral, Vacancy
from referrals.selectors import programs_run_by, shelters_run_by

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

REMINDER_KIND = "referrals.reminder"
EXPIRY_KIND = "referrals.expire"


# --- who may act ----------------------------------------------------------------


def _require_program_staff(actor: User, program: Program) -> None:
    """Vacancies and referrals are worked by the program's own staff (404 for anyone else)."""
    if not programs_run_by(actor).filter(pk=program.pk).exists():
        raise NotFound(NOT_YOUR_PROGRAM)


def _require_shelter_staff(actor: User, shelter) -> None:
    if actor.is_system:
        return
    if not shelters_run_by(actor).filter(pk=shelter.pk).exists():
        raise NotFound()


# --- vacancies and pulls ------------------------------------------------------


@transaction.atomic
def vacancy_create(*, program: Program, actor: User, units: int = 1, note: str = "") -> Vacancy:
    _require_program_staff(actor, program)
    if not program.is_housing:
        raise Invalid({"program": [NOT_A_HOUSING_PROGRAM]})
    if isinstance(units, bool) or not isinstance(units, int) or not policy.VACANCY_MIN_UNITS <= units <= policy.VACANCY_MAX_UNITS:
        raise Invalid({"units": [UNITS_RANGE]})
    vacancy = Vacancy(program=program, units=units, note=(note or "")[:500], created_by=actor)
    return history_save(vacancy, actor=actor, reason="vacancy recorded")


def vacancy_open_units(vacancy: Vacancy) -> int:
    """Beds/units of the vacancy not yet filled by an enrolment."""
    return max(0, vacancy.units - vacancy.referrals.filter(status=Referral.Status.ENROLLED).count())


@transaction.atomic
def vacancy_pull(*, vacancy: Vacancy, actor: User, count: int | None = None) -> Pull:
    """Refer the top eligible active entries to the vacancy: at most five open referrals per open
    bed/unit ("a maximum of five (5) eligible individuals" for each), never the same person twice
    (a VSP entry and its CoC copy are one person), safe under concurrency."""
    vacancy = Vacancy.objects.select_for_update(of=("self",)).select_related("program__agency").get(pk=vacancy.pk)
    _require_program_staff(actor, vacancy.program)
    limit = max_open_referrals(vacancy_open_units(vacancy))
    high = max(MAX_OPEN_REFERRALS_PER_UNIT, limit)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= high):
        raise Invalid({"count": [format_lazy(COUNT_RANGE, high=high)]})
    if vacancy.status != Vacancy.Status.OPEN:
        raise Invalid({NON_FIELD: [VACANCY_NOT_OPEN]})
    program = vacancy.program
    open_now = vacancy.referrals.filter(status__in=Referral.OPEN_STATUSES).count()
    room = max(0, min(count if count is not None else limit, limit - open_now))
    _chronic_catch_up(actor=actor)
    eligible = BnlEntry.objects.filter(list_scope_q(program) & eligible_q(program))
    chosen, twins, skipped = _choose(eligible, room) if room else ([], [], {})
    pull = Pull(vacancy=vacancy, requested=count if count is not None else room, pulled_count=len(chosen), pulled_by=actor)
    pull.candidates = _pull_audit(eligible, chosen, skipped)
    pull.save()
    if chosen:
        ranks = {row["entry_id"]: row["active_rank"] for row in pull.candidates if row["action"] == "pulled"}
        _referrals_open(vacancy=vacancy, pull=pull, entries=chosen, twins=twins, ranks=ranks, actor=actor)
    return pull


def _chronic_catch_up(*, actor: User) -> None:
    """Flags due today are set before anyone is pulled, even if tonight's sweep has not run yet."""
    from ces.system_user import system_user_get  # noqa: PLC0415

    if BnlEntry.objects.filter(chronic=False, chronic_due_on__lte=timezone.localdate(),
                               status__in=BnlEntry.OPEN_STATUSES).exists():
        bnl_chronic_sweep(actor=system_user_get())


def _choose(eligible, room: int) -> tuple[list[BnlEntry], list[BnlEntry], dict[int, str]]:
    """The top `room` active entries in list order, each locked (SKIP LOCKED: another pull at the same
    moment takes others). A person's other half (DV parallel process) is locked too and must be
    active; it is never taken as well. Returns (chosen, their twins, skipped entry id → why)."""
    chosen: list[BnlEntry] = []
    twins: list[BnlEntry] = []
    taken: set[int] = set()
    skipped: dict[int, str] = {}
    examined: list[int] = []
    candidates = eligible.filter(status=BnlEntry.Status.ACTIVE).order_by(*BNL_ORDER)
    while len(chosen) < room:
        batch = list(candidates.exclude(pk__in=examined).select_for_update(skip_locked=True)[:room - len(chosen)])
        if not batch:
            break
        ids = [entry.pk for entry in batch]
        copies = dict(BnlEntry.objects.filter(source_entry_id__in=ids).values_list("source_entry_id", "pk"))
        for entry in batch:
            examined.append(entry.pk)
            twin_id = entry.source_entry_id or copies.get(entry.pk)
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


AUDIT_CHUNK = 500
AUDIT_COLUMNS = ("pk", "score", "homeless_since", "status", "client_id", "client__holding_agency__initials",
                 "vsp__initials", "vsp_client_number")


def _audit_label(row: dict) -> str:
    if row["client_id"] is None:
        return f"{row['vsp__initials']}-{row['vsp_client_number']}"
    return f"{row['client__holding_agency__initials']}-{row['client_id']:06d}"


def _pull_audit(eligible, chosen: list[BnlEntry], skipped: dict[int, str] | None = None) -> list[dict]:
    """Every eligible open entry ranked down to the last one pulled, and what happened to each.

    Reads the eligible open entries in list order (the open-list index) as
    plain values, a chunk at a time, until the last pulled entry is reached.
    """
    if not chosen:
        return []
    chosen_ids = {entry.pk for entry in chosen}
    remaining = set(chosen_ids)
    ranked = eligible.filter(status__in=BnlEntry.OPEN_STATUSES).order_by(*BNL_ORDER).values(*AUDIT_COLUMNS)
    rows, rank, active_rank, offset = [], 0, 0, 0
    while remaining:
        chunk = list(ranked[offset:offset + AUDIT_CHUNK])
        if not chunk:
            break
        offset += AUDIT_CHUNK
        for entry in chunk:
            rank += 1
            reason = ""
            if entry["pk"] in chosen_ids:
                active_rank += 1
                action = "pulled"
                remaining.discard(entry["pk"])
            elif entry["status"] == BnlEntry.Status.ON_REFERRAL:
                action, reason = "passed_over", "on referral to another program"
            elif entry["status"] == BnlEntry.Status.INACTIVE:
                action, reason = "passed_over", "inactive (no contact)"
            elif entry["pk"] in (skipped or {}):
                action, reason = "passed_over", skipped[entry["pk"]]
            else:
                active_rank += 1
                action, reason = "passed_over", "being referred by another program's pull at the same moment"
            rows.append({"rank": rank, "entry_id": entry["pk"], "label": _audit_label(entry), "score": entry["score"],
                         "days_homeless": (timezone.localdate() - entry["homeless_since"]).days, "status": entry["status"],
                         "action": action, "reason": reason, "active_rank": active_rank})
            if not remaining:
                break
    return rows


def _deadline_at(start: datetime, business_days: int) -> datetime:
    local = timezone.localtime(start)
    day = add_business_days(local.date(), business_days)
    return timezone.make_aware(datetime.combine(day, local.time().replace(microsecond=0)))


def _referrals_open(*, vacancy: Vacancy, pull: Pull, entries: list[BnlEntry], twins: list[BnlEntry], ranks: dict[int, int],
                    actor: User) -> list[Referral]:
    """The pulled entries' referrals, their status change, HUD events and deadlines, in a few
    bulk statements (the rows are built here from locked, valid records; history is written too)."""
    program = vacancy.program
    now = timezone.now()
    referrals = bulk_create_with_history(
        [Referral(vacancy=vacancy, program=program, entry=entry, pull=pull, rank=ranks[entry.pk]) for entry in entries],
        Referral, default_user=actor, default_change_reason=f"pulled for vacancy #{vacancy.pk}",
    )
    for entry in entries:
        entry.status = BnlEntry.Status.ON_REFERRAL
        entry.updated_at = now
    bulk_update_with_history(entries, BnlEntry, ["status", "updated_at"], default_user=actor,
                             default_change_reason=f"referred to {program.name} (vacancy #{vacancy.pk})")
    if twins:
        # One person: the other half (VSP entry or CoC copy) is on referral too, with no referral of its own.
        for twin in twins:
            twin.status = BnlEntry.Status.ON_REFERRAL
            twin.updated_at = now
        bulk_update_with_history(twins, BnlEntry, ["status", "updated_at"], default_user=actor,
                                 default_change_reason=f"one person: on referral through the other list (vacancy #{vacancy.pk})")
    reminder_at = _deadline_at(now, policy.REMINDER_BUSINESS_DAYS)
    expiry_at = _deadline_at(now, policy.EXPIRY_BUSINESS_DAYS)
    deadlines_schedule(
        [(REMINDER_KIND, referral, reminder_at) for referral in referrals]
        + [(EXPIRY_KIND, referral, expiry_at) for referral in referrals]
    )
    event = policy.CE_EVENT_BY_PROGRAM_TYPE.get(program.type, CeEvent.Event.OTHER_PH)
    today = timezone.localdate()
    bulk_create_with_history(
        [CeEvent(client_id=r.entry.client_id, entry=r.entry, referral=r, program=program, event=event, event_date=today,
                 created_by=actor) for r in referrals],
        CeEvent, default_user=actor, default_change_reason="HUD 4.20 referral",
    )
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


# --- HUD 4.20 events of the intake's own branches ----------------------------------


def intake_ce_events_record(*, intake, actor: User, assessment=None) -> list[CeEvent]:
    """The Coordinated Entry events a completed intake produces by itself (referrals.policy)."""
    from intake.models import Intake  # noqa: PLC0415  (intake.services imports this module)

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
