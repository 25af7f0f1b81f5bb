"""Reads for engagement: whose cases a user works, what is due today, the weekly report, and the
predicates "who may do what / what is due" that the services enforce and the screens show."""

from datetime import date, datetime, timedelta

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ces import roles
from ces.choices import YesNo
from ces.models import Client, User
from ces.selectors import programs_list, users_with_role
from engagement import policy, steps
from engagement.models import EngagementCase, OutreachStep, StatusForm
from reassignment.selectors import current_worker_of
from referrals.models import Referral

Status = EngagementCase.Status
SERVICES_SHOWN = 50
WORKER_ROLES = (roles.CASE_WORKER, roles.SUPERVISOR)


# --- records ---------------------------------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[EngagementCase]:
    """A worker's own cases; a supervisor's: every case of a worker of their agency."""
    base = EngagementCase.objects.select_related("client__holding_agency", "program", "worker")
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("engagement.view_engagementcase"):
        return base.none()
    if user.has_role(roles.SUPERVISOR):
        return base.filter(worker__agency_id=user.agency_id)
    return base.filter(worker=user)


def case_is_visible_to(user: User, case: EngagementCase) -> bool:
    """The rule of cases_visible_to, for a case already in hand."""
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return False
    if not user.has_perm("engagement.view_engagementcase"):
        return False
    if user.has_role(roles.SUPERVISOR):
        return case.worker.agency_id == user.agency_id
    return case.worker_id == user.pk


def case_get_for_user(*, user: User, pk: int) -> EngagementCase:
    try:
        return cases_visible_to(user).get(pk=pk)
    except (EngagementCase.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case.") from None


def status_form_get(*, case: EngagementCase, pk: int) -> StatusForm:
    """A form of a case the caller already fetched through case_get_for_user."""
    form = StatusForm.objects.filter(pk=pk, case=case).select_related("case__client", "case__worker").first()
    if form is None:
        raise Http404("No such form.")
    return form


# --- what is due ---------------------------------------------------------------------------------


def current_step(case: EngagementCase) -> OutreachStep | None:
    """The open step due soonest (works on prefetched steps too)."""
    open_steps = [step for step in case.steps.all() if step.done_at is None and not step.cancelled]
    return min(open_steps, key=lambda step: (step.due_on, step.pk), default=None)


def disengaged_since(case: EngagementCase) -> datetime:
    """The start of the client's current disengagement: the last reached contact or service recorded
    (the case's opening when there has been none)."""
    return case.last_contact_at or case.created_at


def letter_step(case: EngagementCase) -> OutreachStep | None:
    """The no-contact letter (step 7) when it is the outreach's current step."""
    if case.status != Status.OUTREACH:
        return None
    step = current_step(case)
    return step if step is not None and step.number == OutreachStep.Number.LETTER else None


def letter_waits_until(case: EngagementCase, today: date | None = None) -> date | None:
    """The day the letter may be sent, while the referral source still has its days to answer."""
    step = letter_step(case)
    return steps.letter_waits_until(step.not_before, today or timezone.localdate()) if step is not None else None


def letter_is_due(case: EngagementCase, today: date | None = None) -> bool:
    """The no-contact letter is the outreach's current step and the referral source's days to answer are over."""
    return letter_step(case) is not None and letter_waits_until(case, today) is None


def may_mark_lost_contact(case: EngagementCase) -> bool:
    """An engaged client (assertive policy) whose contact is lost goes on the existing-client track."""
    return case.policy == EngagementCase.Policy.ASSERTIVE and case.status == Status.ENGAGED


def referral_is_linkable(referral: Referral, *, client: Client, program) -> bool:
    """A case is linked to a referral of its own client to its own program."""
    return referral.entry.client_id == client.pk and referral.program_id == program.pk


def referrals_linkable(*, client: Client, program) -> QuerySet[Referral]:
    return Referral.objects.filter(entry__client=client, program=program).select_related("program").order_by("-created_at")


def referral_source_recipients(case: EngagementCase) -> list[User]:
    """Who is told at step 7 when the case came from a CE referral: the referral source is Coordinated
    Entry — the client's assigned CE worker (or, when none is assigned, the supervisors of the access point
    holding the client) and CoC staff, who run the list — and the referral's program staff, who answer the
    referral."""
    assigned = current_worker_of(case.client)
    recipients = [assigned] if assigned is not None and assigned.is_active else list(
        users_with_role(roles.SUPERVISOR, agency=case.client.holding_agency_id))
    recipients += list(users_with_role(roles.COC_STAFF))
    recipients += list(users_with_role(roles.PROGRAM_STAFF, roles.VSP_ADVOCATE, agency=case.referral.program.agency_id))
    return list({user.pk: user for user in recipients if user.pk != case.worker_id}.values())


def status_form_due_step(case: EngagementCase) -> int | None:
    """Which 30/60 form the case waits for: 1 (→ Engagement) when due for engagement, 2 (→ Hold) when due for hold."""
    return {Status.DUE_FOR_ENGAGEMENT: 1, Status.DUE_FOR_HOLD: 2}.get(case.status)


def case_is_open(case: EngagementCase) -> bool:
    return case.status != Status.CLOSED


def voicemail_allowed(client: Client) -> bool:
    """A voicemail may be left only when the client consented to voicemail."""
    return client.voicemail_consent == YesNo.YES


def step_state(step: OutreachStep, today: date) -> str:
    if step.done_at:
        return "done"
    if step.cancelled:
        return "cancelled"
    return "overdue" if steps.is_overdue(step.due_on, today) else "next"


# --- who may do what -------------------------------------------------------------------------------


def is_worker(user: User | None) -> bool:
    return bool(user and user.is_active and user.has_role(*WORKER_ROLES))


def may_open_engagement(user: User) -> bool:
    """Outreach is opened by a case worker or supervisor of an agency."""
    return is_worker(user) and user.agency_id is not None


def may_work_for(actor: User, worker: User) -> bool:
    """The worker themself, or a supervisor of the worker's agency."""
    return actor.pk == worker.pk or (actor.is_active and actor.has_role(roles.SUPERVISOR)
                                     and actor.agency_id is not None and actor.agency_id == worker.agency_id)


def may_countersign(user: User, form: StatusForm) -> bool:
    """The second sign-off: a supervisor of the worker's agency, not the person who filed the form."""
    return (not form.second_signed_by_id and user.pk != form.worker_signed_by_id and user.is_active
            and user.has_role(roles.SUPERVISOR) and user.agency_id == form.case.worker.agency_id)


# --- screens ---------------------------------------------------------------------------------------


def task_list(user: User) -> list[OutreachStep]:
    """Open steps of the user's cases (a supervisor: the office's), soonest first, overdue flagged."""
    steps = (
        OutreachStep.objects.filter(case__in=cases_visible_to(user), done_at__isnull=True, cancelled=False,
                                    case__status=Status.OUTREACH)
        .select_related("case__client__holding_agency", "case__program", "case__worker")
        .order_by("due_on", "id")
    )
    today = timezone.localdate()
    result = list(steps[:200])
    for step in result:
        step.is_overdue = step_state(step, today) == "overdue"
    return result


def flagged_cases(user: User) -> QuerySet[EngagementCase]:
    return cases_visible_to(user).filter(status__in=[Status.DUE_FOR_ENGAGEMENT, Status.DUE_FOR_HOLD])


def weekly_report(user: User) -> list[EngagementCase]:
    """The weekly staff meeting: due for engagement, due for hold, in engagement, or 14+ days without contact."""
    quiet_since = timezone.now() - timedelta(days=policy.STAFF_MEETING_QUIET_DAYS)
    cases = (
        cases_visible_to(user)
        .filter(status__in=EngagementCase.OPEN_STATUSES)
        .annotate(last_attempt=Max("attempts__at"))
        .filter(
            Q(status__in=[Status.DUE_FOR_ENGAGEMENT, Status.DUE_FOR_HOLD, Status.ENGAGEMENT])
            | Q(last_contact_at__lt=quiet_since)
            | Q(last_contact_at__isnull=True, created_at__lt=quiet_since)
        )
        .prefetch_related("attempts")
        .order_by("status", "client__last_name")
    )
    result = list(cases)
    for case in result:
        case.recent_attempts = list(case.attempts.all()[:3])
    return result


def case_page(*, user: User, case: EngagementCase) -> dict:
    """What the case's page shows and offers `user`: each flag is a rule its service enforces."""
    today = timezone.localdate()
    steps = list(case.steps.order_by("due_on", "id"))
    for step in steps:
        step.state = step_state(step, today)
    forms = list(case.forms.select_related("worker_signed_by", "second_signed_by", "case__worker"))
    for form in forms:
        form.may_sign = may_countersign(user, form)
        form.signer_title = policy.SECOND_SIGNER_TITLES.get(form.step, "")
    return {
        "steps": steps,
        "current": current_step(case),
        "forms": forms,
        "is_assertive": case.policy == EngagementCase.Policy.ASSERTIVE,
        "is_open": case_is_open(case),
        "voicemail_allowed": voicemail_allowed(case.client),
        "letter_due": letter_is_due(case, today),
        "letter_from": letter_waits_until(case, today),
        "may_mark_lost_contact": may_mark_lost_contact(case),
        "linkable_referrals": (referrals_linkable(client=case.client, program=case.program)
                               if case.referral_id is None and case_is_open(case) else []),
        "services": case.services.select_related("by")[:SERVICES_SHOWN],
        "service_count": case.services.count(),
        "service_kinds": policy.SERVICE_KINDS,
        "form_step": status_form_due_step(case),
        "today": today,
    }


def client_panel(*, user: User, client: Client) -> dict:
    """The client page's "Outreach" panel: the client's cases `user` may see, and the form to open one."""
    may_open = may_open_engagement(user)
    return {
        "engagement_cases": cases_visible_to(user).filter(client=client).order_by("-created_at")[:10],
        "may_open_engagement": may_open,
        "engagement_programs": programs_list(agency=user.agency) if may_open else [],
        "engagement_kinds": EngagementCase.Kind.choices,
        "engagement_referrals": (Referral.objects.filter(entry__client=client, program__agency_id=user.agency_id)
                                 .select_related("program").order_by("-created_at")[:20] if may_open else []),
    }
