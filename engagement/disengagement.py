"""The 30/60-day disengagement protocol (seed 003): flags, the two forms with sign-offs, hold, re-engagement.

Below engagement.services (which calls reengage and inactivity_timer_start); the hold letter comes
from engagement.letters.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces import roles
from ces.audit import history_save
from ces.deadlines import deadline_cancel, deadline_schedule
from ces.errors import NON_FIELD, Forbidden, Invalid, NotFound
from ces.models import User
from ces.notifications import notifications_send_many
from ces.selectors import users_with_role
from engagement import policy
from engagement.letters import letter_make
from engagement.models import EngagementCase, Letter, StatusForm
from engagement.selectors import case_is_visible_to, disengaged_since, may_countersign, status_form_due_step

INACTIVE_KIND = "engagement.inactive_30"
HOLD_KIND = "engagement.hold_due"
Status = EngagementCase.Status

TWO_CHANNELS_NEEDED = _("Record at least two attempts on two different channels before filing this form.")
NOT_DUE = _("This form is not due: the case is {status}.")
STEP_UNKNOWN = _("Choose step 1 (Engagement status) or step 2 (Hold).")
REASON_UNKNOWN = _("Choose a reason from the list.")
REQUESTOR_UNKNOWN = _("Choose agency or customer.")
COMMENTS_REQUIRED = _("List the efforts made, by which methods.")
CONSENSUS_DATE_REQUIRED = _("Give the date of the team discussion (consensus).")
SECOND_SIGNER_DIFFERENT = _("The second sign-off must be by another person than the worker.")
SECOND_SIGNER_ROLE = _("The second sign-off is the Director of Services (step 1) or the Team Leader (step 2): a supervisor.")
ALREADY_SIGNED = _("This form is already signed.")


def _link(case: EngagementCase) -> str:
    return reverse("engagement-case", args=[case.pk])


def _days_after(moment: datetime, days: int) -> datetime:
    """`days` calendar days later at the same time of day in the CoC's time zone (across a change of clocks too)."""
    return timezone.localtime(moment) + timedelta(days=days)


def inactivity_timer_start(case: EngagementCase) -> None:
    deadline_cancel(subject=case, reason="contact or service", kinds=[INACTIVE_KIND, HOLD_KIND])
    base = case.last_contact_at or timezone.now()
    deadline_schedule(kind=INACTIVE_KIND, subject=case, due_at=_days_after(base, policy.DISENGAGED_AFTER_DAYS))


def hold_timer_start(case: EngagementCase) -> None:
    """Hold is due at 60 consecutive days of disengagement, counted from its start: a late Step 1
    signature, or a re-engagement in Engagement status, never moves it past day 60 of the inactivity."""
    deadline_cancel(subject=case, reason="hold counted again", kinds=[INACTIVE_KIND, HOLD_KIND])
    deadline_schedule(kind=HOLD_KIND, subject=case,
                      due_at=_days_after(disengaged_since(case), policy.HOLD_AT_DAYS_DISENGAGED))


def staff_notify_many(notices: list[tuple[EngagementCase, Callable[[EngagementCase], Promise]]]) -> None:
    """Notify each case's worker and the supervisors of the worker's agency (each person once a case),
    `subject(case)` in each one's language: one query for the supervisors and one INSERT for the lot."""
    if not notices:
        return
    agencies = {case.worker.agency_id for case, _subject in notices}
    supervisors: dict[int, list[User]] = defaultdict(list)
    for user in users_with_role(roles.SUPERVISOR).filter(agency_id__in=agencies):
        supervisors[user.agency_id].append(user)
    rows = []
    for case, subject in notices:
        text, link = subject(case), _link(case)
        recipients = {user.pk: user for user in [case.worker, *supervisors[case.worker.agency_id]]}
        rows.extend((user, text, link) for user in recipients.values())
    notifications_send_many(rows)


def _flag_many(*, case_ids: list[int], was: str, becomes: str, actor: User, reason: str,
               subject: Callable[[EngagementCase], Promise]) -> list[EngagementCase]:
    """Move the cases still in status `was` to `becomes`, in a constant few statements whatever their number:
    lock them (in id order, so two sweeps never deadlock), one UPDATE, their history rows in one INSERT
    (written as history_save writes them: type "~", by `actor`, with `reason`), the notices in one more."""
    cases = list(
        EngagementCase.objects.select_for_update(of=("self",)).select_related("client__holding_agency", "worker")
        .filter(pk__in=case_ids, status=was).order_by("pk")
    )
    if not cases:
        return []
    EngagementCase.objects.filter(pk__in=[case.pk for case in cases]).update(status=becomes)
    for case in cases:
        case.status = becomes
    EngagementCase.history.bulk_history_create(
        cases, update=True, default_user=actor, default_change_reason=reason, default_date=timezone.now()
    )
    staff_notify_many([(case, subject) for case in cases])
    return cases


@transaction.atomic
def inactivity_flag_many(*, case_ids: list[int], now: datetime, actor: User) -> list[EngagementCase]:
    """The scheduled job: 30 consecutive days without contact or service (history by `actor`, the system user).
    The cases no longer active (a contact came first, or another sweep flagged them) are left alone."""
    return _flag_many(
        case_ids=case_ids, was=Status.ACTIVE, becomes=Status.DUE_FOR_ENGAGEMENT, actor=actor,
        reason=f"{INACTIVE_KIND}: 30 days without contact or service",
        subject=lambda case: format_lazy(_("{label}: 30 days inactive, due for Engagement status"), label=case.client.label),
    )


@transaction.atomic
def hold_flag_many(*, case_ids: list[int], now: datetime, actor: User) -> list[EngagementCase]:
    """The scheduled job: 60 consecutive days of disengagement in all (history by `actor`, the system user)."""
    return _flag_many(
        case_ids=case_ids, was=Status.ENGAGEMENT, becomes=Status.DUE_FOR_HOLD, actor=actor,
        reason=f"{HOLD_KIND}: 60 consecutive days disengaged and inactive",
        subject=lambda case: format_lazy(_("{label}: 60 days inactive, due for Hold"), label=case.client.label),
    )


def inactivity_flag(*, case_id: int, now: datetime, actor: User) -> bool:
    return bool(inactivity_flag_many(case_ids=[case_id], now=now, actor=actor))


def hold_flag(*, case_id: int, now: datetime, actor: User) -> bool:
    return bool(hold_flag_many(case_ids=[case_id], now=now, actor=actor))


def reengage(case: EngagementCase, *, actor: User) -> None:
    """Contact or service: from hold → engagement; engagement stays engagement and starts over
    (no new referral); otherwise back to active."""
    if case.status in (Status.HOLD, Status.ENGAGEMENT, Status.DUE_FOR_HOLD):
        case.status = Status.ENGAGEMENT
        reason = "re-engaged: back in Engagement status, the referral process starts over without a new referral"
        hold_timer_start(case)
    else:
        case.status = Status.ACTIVE
        reason = "contact: active"
        inactivity_timer_start(case)
    history_save(case, actor=actor, reason=reason, validate=False)


@transaction.atomic
def status_form_file(*, case: EngagementCase, step: int, status_change_date: date | None, requestor: str, reason: str,
                     comments: str, actor: User, team_consensus_date: date | None = None) -> StatusForm:
    """The worker files and signs the Step 1 or Step 2 form; it takes effect at the second sign-off."""
    case = EngagementCase.objects.select_for_update(of=("self",)).select_related("client", "worker").get(pk=case.pk)
    if not case_is_visible_to(actor, case):
        raise NotFound()
    errors: dict[str, list] = {}
    if step not in policy.FORM_STEPS:
        errors["step"] = [STEP_UNKNOWN]
    elif status_form_due_step(case) != step:
        errors[NON_FIELD] = [format_lazy(NOT_DUE, status=case.get_status_display())]
    if step == 1 and case.attempts.order_by().values("channel").distinct().count() < policy.MIN_ATTEMPTS_FOR_STEP1:
        errors.setdefault(NON_FIELD, []).append(TWO_CHANNELS_NEEDED)
    if reason not in policy.REASON_CODES:
        errors["reason"] = [REASON_UNKNOWN]
    if requestor not in policy.REQUESTOR_CODES:
        errors["requestor"] = [REQUESTOR_UNKNOWN]
    if not (comments or "").strip():
        errors["comments"] = [COMMENTS_REQUIRED]
    if step == 2 and team_consensus_date is None:
        errors["team_consensus_date"] = [CONSENSUS_DATE_REQUIRED]
    if errors:
        raise Invalid(errors)
    form = StatusForm(case=case, step=step, status_change_date=status_change_date or timezone.localdate(), requestor=requestor,
                      reason=reason, comments=comments.strip(), team_consensus_date=team_consensus_date, worker_signed_by=actor,
                      worker_signed_at=timezone.now())
    return history_save(form, actor=actor, reason=f"step {step} form filed and signed by the worker", validate=False)


@transaction.atomic
def status_form_countersign(*, form: StatusForm, actor: User) -> StatusForm:
    """The Director of Services (step 1) or the Team Leader (step 2) signs; only then the status changes."""
    form = StatusForm.objects.select_for_update(of=("self",)).select_related("case__client__holding_agency", "case__worker").get(pk=form.pk)
    if form.second_signed_by_id:
        raise Invalid(ALREADY_SIGNED)
    if actor.pk == form.worker_signed_by_id:
        raise Forbidden(SECOND_SIGNER_DIFFERENT)
    if not actor.has_role(roles.SUPERVISOR):
        raise Forbidden(SECOND_SIGNER_ROLE)
    if not may_countersign(actor, form):  # a supervisor of another agency: the case is not theirs to see
        raise NotFound()
    form.second_signed_by = actor
    form.second_signed_at = timezone.now()
    history_save(form, actor=actor, reason="second sign-off", validate=False)
    case = form.case
    if form.step == 1:
        case.status = Status.ENGAGEMENT
        hold_timer_start(case)  # day 60 of the disengagement, however late the signature
        history_save(case, actor=actor, reason="Engagement status (step 1 signed)", validate=False)
    else:
        case.status = Status.HOLD
        history_save(case, actor=actor, reason="Hold (step 2 signed)", validate=False)
        letter_make(case=case, kind=Letter.Kind.HOLD, channel=Letter.Channel.MAIL, actor=actor)
    return form
