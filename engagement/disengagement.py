"""The 30/60-day disengagement protocol (seed 003): flags, the two forms with sign-offs, hold, re-engagement."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ces import roles
from ces.audit import history_save
from ces.deadlines import deadline_cancel, deadline_schedule
from ces.models import User
from ces.notifications import notification_send
from engagement import policy
from engagement.models import EngagementCase, Letter, StatusForm

INACTIVE_KIND = "engagement.inactive_30"
HOLD_KIND = "engagement.hold_due"
Status = EngagementCase.Status

TWO_CHANNELS_NEEDED = "Record at least two attempts on two different channels before filing this form."
NOT_DUE = "This form is not due: the case is {status}."
REASON_UNKNOWN = "Choose a reason from the list."
REQUESTOR_UNKNOWN = "Choose agency or customer."
COMMENTS_REQUIRED = "List the efforts made, by which methods."
CONSENSUS_DATE_REQUIRED = "Give the date of the team discussion (consensus)."
SECOND_SIGNER_DIFFERENT = "The second sign-off must be by another person than the worker."
SECOND_SIGNER_ROLE = "The second sign-off is the Director of Services (step 1) or the Team Leader (step 2): a supervisor."
ALREADY_SIGNED = "This form is already signed."


class FormInvalid(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def inactivity_timer_start(case: EngagementCase) -> None:
    deadline_cancel(subject=case, reason="contact or service", kinds=[INACTIVE_KIND, HOLD_KIND])
    base = case.last_contact_at or timezone.now()
    deadline_schedule(kind=INACTIVE_KIND, subject=case, due_at=base + timedelta(days=policy.DISENGAGED_AFTER_DAYS))


def _notify(case: EngagementCase, subject: str) -> None:
    recipients = [case.worker, *User.objects.filter(agency_id=case.worker.agency_id, groups__name=roles.SUPERVISOR, is_active=True)]
    for user in {u.pk: u for u in recipients}.values():
        notification_send(recipient=user, subject=subject, link=f"/engagement/{case.pk}/")


@transaction.atomic
def inactivity_flag(*, case_id: int, now: datetime) -> bool:
    case = EngagementCase.objects.select_for_update().select_related("client", "worker").get(pk=case_id)
    if case.status != Status.ACTIVE:
        return False
    case.status = Status.DUE_FOR_ENGAGEMENT
    history_save(case, actor=case.worker, reason="30 days without contact or service", validate=False)
    _notify(case, f"{case.client.label}: 30 days inactive, due for Engagement status")
    return True


@transaction.atomic
def hold_flag(*, case_id: int, now: datetime) -> bool:
    case = EngagementCase.objects.select_for_update().select_related("client", "worker").get(pk=case_id)
    if case.status != Status.ENGAGEMENT:
        return False
    case.status = Status.DUE_FOR_HOLD
    history_save(case, actor=case.worker, reason="30 more days inactive in Engagement status", validate=False)
    _notify(case, f"{case.client.label}: 60 days inactive, due for Hold")
    return True


def reengage(case: EngagementCase, *, actor: User) -> None:
    """Contact or service: from hold → engagement; engagement stays engagement and starts over
    (no new referral); otherwise back to active."""
    if case.status in (Status.HOLD, Status.ENGAGEMENT, Status.DUE_FOR_HOLD):
        case.status = Status.ENGAGEMENT
        reason = "re-engaged: back in Engagement status, the referral process starts over without a new referral"
        deadline_cancel(subject=case, reason="re-engaged", kinds=[INACTIVE_KIND, HOLD_KIND])
        deadline_schedule(kind=HOLD_KIND, subject=case, due_at=case.last_contact_at + timedelta(days=policy.HOLD_AFTER_DAYS))
    else:
        case.status = Status.ACTIVE
        reason = "contact: active"
        inactivity_timer_start(case)
    history_save(case, actor=actor, reason=reason, validate=False)


@transaction.atomic
def status_form_file(*, case: EngagementCase, step: int, status_change_date: date, requestor: str, reason: str, comments: str,
                     actor: User, team_consensus_date: date | None = None) -> StatusForm:
    case = EngagementCase.objects.select_for_update().get(pk=case.pk)
    due = Status.DUE_FOR_ENGAGEMENT if step == 1 else Status.DUE_FOR_HOLD
    errors = {}
    if case.status != due:
        errors["non_field_errors"] = [NOT_DUE.format(status=case.get_status_display())]
    if step == 1 and len(set(case.attempts.values_list("channel", flat=True))) < policy.MIN_ATTEMPTS_FOR_STEP1:
        errors.setdefault("non_field_errors", []).append(TWO_CHANNELS_NEEDED)
    if reason not in {code for code, _label in policy.STEP1_REASONS}:
        errors["reason"] = [REASON_UNKNOWN]
    if requestor not in {code for code, _label in policy.REQUESTORS}:
        errors["requestor"] = [REQUESTOR_UNKNOWN]
    if not (comments or "").strip():
        errors["comments"] = [COMMENTS_REQUIRED]
    if step == 2 and team_consensus_date is None:
        errors["team_consensus_date"] = [CONSENSUS_DATE_REQUIRED]
    if errors:
        raise FormInvalid(errors)
    form = StatusForm(case=case, step=step, status_change_date=status_change_date, requestor=requestor, reason=reason,
                      comments=comments.strip(), team_consensus_date=team_consensus_date, worker_signed_by=actor,
                      worker_signed_at=timezone.now())
    return history_save(form, actor=actor, reason=f"step {step} form filed and signed by the worker", validate=False)


@transaction.atomic
def status_form_countersign(*, form: StatusForm, actor: User) -> StatusForm:
    """The Director of Services (step 1) or the Team Leader (step 2) signs; only then the status changes."""
    form = StatusForm.objects.select_for_update().select_related("case__client", "case__worker").get(pk=form.pk)
    if form.second_signed_by_id:
        raise FormInvalid({"non_field_errors": [ALREADY_SIGNED]})
    if actor.pk == form.worker_signed_by_id:
        raise FormInvalid({"non_field_errors": [SECOND_SIGNER_DIFFERENT]})
    if not actor.has_role(roles.SUPERVISOR):
        raise FormInvalid({"non_field_errors": [SECOND_SIGNER_ROLE]})
    form.second_signed_by = actor
    form.second_signed_at = timezone.now()
    history_save(form, actor=actor, reason="second sign-off", validate=False)
    case = form.case
    if form.step == 1:
        case.status = Status.ENGAGEMENT
        deadline_cancel(subject=case, reason="engagement status", kinds=[INACTIVE_KIND])
        deadline_schedule(kind=HOLD_KIND, subject=case, due_at=timezone.now() + timedelta(days=policy.HOLD_AFTER_DAYS))
        history_save(case, actor=actor, reason="Engagement status (step 1 signed)", validate=False)
    else:
        from engagement.services import letter_make

        case.status = Status.HOLD
        history_save(case, actor=actor, reason="Hold (step 2 signed)", validate=False)
        letter_make(case=case, kind=Letter.Kind.HOLD, channel=Letter.Channel.MAIL, actor=actor)
    return form
