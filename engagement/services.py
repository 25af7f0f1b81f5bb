"""Engagement (engagement.md): outreach timelines in business days, attempts, letters, closure.

Every due date comes from ces.business_days.add_business_days. Every timer is
a deadline row (ces.deadlines) processed exactly once by the sweep:
`engagement.step_overdue` (a step's due date passed), `engagement.close_file`
(5 business days after the no-contact letter), `engagement.ceiling` (an
existing client's outreach reached its months).
"""

import hashlib
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from ces import roles
from ces.audit import history_save
from ces.business_days import add_business_days
from ces.deadlines import deadline_cancel, deadline_schedule
from ces.models import Client, ClientDocument, Program, User
from ces.services import client_note_add
from ces.notifications import notification_send
from engagement import policy
from engagement.models import ContactAttempt, EngagementCase, Letter, OutreachStep

Step = OutreachStep.Number
Channel = ContactAttempt.Channel
MAIN_PHONE = {Channel.PHONE, Channel.VOICEMAIL}
SECOND_CHANNEL = {Channel.EMAIL, Channel.TEXT, Channel.ALTERNATE_PHONE}
ROUNDS = {Step.FIRST_ROUND, Step.SECOND_ROUND, Step.FURTHER_ROUND}

VOICEMAIL_NOT_CONSENTED = "The client did not consent to voicemail: do not leave a message."
CASE_CLOSED = "This file is closed."
ALREADY_OPEN = "This client already has an open engagement case for this program."
NOT_A_WORKER = "Choose an active case worker or supervisor."
NO_LETTER_DUE = "The no-contact letter is not due yet: finish the earlier steps first."
ATTEMPT_IN_FUTURE = "An attempt cannot be in the future."

OVERDUE_KIND = "engagement.step_overdue"
CLOSE_KIND = "engagement.close_file"
CEILING_KIND = "engagement.ceiling"


class EngagementInvalid(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 5)))


def _supervisors_of(worker: User):
    return User.objects.filter(agency_id=worker.agency_id, groups__name=roles.SUPERVISOR, is_active=True)


def current_step(case: EngagementCase) -> OutreachStep | None:
    return case.steps.filter(done_at__isnull=True, cancelled=False).order_by("due_on", "id").first()


def _step_start(case: EngagementCase, number: int, *, due_on: date, not_before: date | None = None) -> OutreachStep:
    step = OutreachStep(case=case, number=number, due_on=due_on, not_before=not_before)
    history_save(step, actor=case.worker, reason="step due", validate=False)
    # Overdue the morning after its due date.
    deadline_schedule(kind=OVERDUE_KIND, subject=step, due_at=_start_of(due_on + timedelta(days=1)))
    return step


@transaction.atomic
def engagement_open(*, client: Client, program: Program, worker: User, actor: User, kind: str = EngagementCase.Kind.NEW_REFERRAL,
                    referral=None, on: date | None = None) -> EngagementCase:
    """T0: the referral is assigned to a worker who has caseload capacity."""
    if not (worker.is_active and worker.has_role(roles.CASE_WORKER, roles.SUPERVISOR)):
        raise EngagementInvalid({"worker": [NOT_A_WORKER]})
    if EngagementCase.objects.filter(client=client, program=program).exclude(status=EngagementCase.Status.CLOSED).exists():
        raise EngagementInvalid({"non_field_errors": [ALREADY_OPEN]})
    t0 = on or timezone.localdate()
    assertive = program.engagement_policy == EngagementCase.Policy.ASSERTIVE
    case = EngagementCase(
        client=client, program=program, worker=worker, referral=referral, policy=program.engagement_policy, kind=kind,
        status=EngagementCase.Status.OUTREACH if assertive else EngagementCase.Status.ACTIVE, opened_on=t0,
        last_contact_at=None if assertive else timezone.now(),
    )
    history_save(case, actor=actor, reason="engagement opened", validate=False)
    if assertive:
        days = policy.FIRST_ROUND_DAYS
        _step_start(case, Step.FIRST_ROUND, due_on=add_business_days(t0, days))
    else:
        from engagement.disengagement import inactivity_timer_start

        inactivity_timer_start(case)
    client_note_add(client=client, actor=actor, topic="engagement",
                              text=f"Engagement opened for {program.name} ({case.get_kind_display()}); worker {worker.username}.")
    return case


def _round_done(case: EngagementCase, step: OutreachStep) -> bool:
    attempts = case.attempts.all()
    if step.not_before:
        attempts = attempts.filter(at__date__gte=step.not_before)
    previous = case.steps.filter(done_at__isnull=False, done_at__lte=timezone.now()).exclude(pk=step.pk).order_by("-done_at").first()
    if previous is not None and not step.not_before:
        attempts = attempts.filter(at__gt=previous.done_at)
    channels = set(attempts.values_list("channel", flat=True))
    return bool(channels & MAIN_PHONE) and bool(channels & SECOND_CHANNEL)


def _step_complete(case: EngagementCase, step: OutreachStep, at: datetime) -> None:
    step.done_at = at
    history_save(step, actor=case.worker, reason="step done", validate=False)
    deadline_cancel(subject=step, reason="step done", kinds=[OVERDUE_KIND])
    done_on = timezone.localtime(at).date()
    has_alternate = bool(case.client.alt_contact_name or case.client.alt_contact_phone)
    lost = case.kind == EngagementCase.Kind.LOST_CONTACT
    if step.number == Step.FIRST_ROUND:
        _step_start(case, Step.SECOND_ROUND, not_before=add_business_days(done_on, policy.WAIT_MIN_DAYS),
                    due_on=add_business_days(done_on, policy.WAIT_MAX_DAYS))
    elif step.number == Step.SECOND_ROUND:
        if has_alternate:
            _step_start(case, Step.ALTERNATE_CONTACT, due_on=add_business_days(done_on, policy.WAIT_MAX_DAYS))
        elif lost:
            _further_round_or_letter(case, done_on)
        else:
            _step_start(case, Step.REFERRAL_SOURCE, due_on=add_business_days(done_on, policy.WAIT_MAX_DAYS))
    elif step.number == Step.ALTERNATE_CONTACT:
        if lost:
            _further_round_or_letter(case, done_on)
        else:
            _step_start(case, Step.REFERRAL_SOURCE, due_on=add_business_days(done_on, policy.WAIT_MAX_DAYS))
    elif step.number == Step.REFERRAL_SOURCE:
        _step_start(case, Step.LETTER, due_on=add_business_days(done_on, policy.REFERRAL_SOURCE_REPLY_DAYS))
    elif step.number == Step.FURTHER_ROUND:
        _further_round_or_letter(case, done_on)


def _further_round_or_letter(case: EngagementCase, done_on: date) -> None:
    """Existing clients: a round at least every 10 business days until the ceiling, then the letter."""
    next_due = add_business_days(done_on, policy.EXISTING_ROUND_EVERY_DAYS)
    if case.ceiling_on and next_due >= case.ceiling_on:
        _step_start(case, Step.LETTER, due_on=case.ceiling_on)
    else:
        _step_start(case, Step.FURTHER_ROUND, due_on=next_due)


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def attempt_record(*, case: EngagementCase, channel: str, outcome: str, actor: User, note: str = "", at: datetime | None = None) -> ContactAttempt:
    case = EngagementCase.objects.select_for_update().select_related("client", "program", "worker").get(pk=case.pk)
    errors = {}
    if case.status == EngagementCase.Status.CLOSED:
        errors["non_field_errors"] = [CASE_CLOSED]
    if channel not in Channel.values:
        errors["channel"] = [f"Choose one of: {', '.join(Channel.values)}."]
    if outcome not in ContactAttempt.Outcome.values:
        errors["outcome"] = [f"Choose one of: {', '.join(ContactAttempt.Outcome.values)}."]
    if outcome == ContactAttempt.Outcome.LEFT_VOICEMAIL and case.client.voicemail_consent != "yes":
        errors["outcome"] = [VOICEMAIL_NOT_CONSENTED]
    at = at or timezone.now()
    if at > timezone.now() + timedelta(minutes=5):
        errors["at"] = [ATTEMPT_IN_FUTURE]
    if errors:
        raise EngagementInvalid(errors)
    attempt = ContactAttempt(case=case, at=at, by=actor, channel=channel, outcome=outcome, note=(note or "").strip())
    history_save(attempt, actor=actor, reason="contact attempt", validate=False)
    if case.kind == EngagementCase.Kind.LOST_CONTACT and case.ceiling_on is None:
        case.ceiling_on = _months_after(timezone.localtime(at).date(), case.program.lost_contact_months)
        history_save(case, actor=actor, reason="outreach ceiling set from the first attempt", validate=False)
        deadline_schedule(kind=CEILING_KIND, subject=case, due_at=_start_of(case.ceiling_on))
    if outcome == ContactAttempt.Outcome.REACHED:
        _reached(case, at=at, actor=actor)
    elif case.policy == EngagementCase.Policy.ASSERTIVE and case.status == EngagementCase.Status.OUTREACH:
        step = current_step(case)
        if step is not None and step.number != Step.LETTER and _step_satisfied(case, step, channel):
            _step_complete(case, step, at)
    return attempt


def _step_satisfied(case: EngagementCase, step: OutreachStep, channel: str) -> bool:
    if step.number in ROUNDS:
        return _round_done(case, step)
    if step.number == Step.ALTERNATE_CONTACT:
        return channel == Channel.ALTERNATE_CONTACT
    if step.number == Step.REFERRAL_SOURCE:
        return channel == Channel.REFERRAL_SOURCE
    return False


def _reached(case: EngagementCase, *, at: datetime, actor: User) -> None:
    """A reached attempt ends the outreach: admit to services or resume service."""
    case.last_contact_at = at
    if case.policy == EngagementCase.Policy.ASSERTIVE:
        case.status = EngagementCase.Status.ENGAGED
        for step in case.steps.filter(done_at__isnull=True, cancelled=False):
            step.cancelled = True
            history_save(step, actor=actor, reason="client reached", validate=False)
            deadline_cancel(subject=step, reason="client reached")
        deadline_cancel(subject=case, reason="client reached")
        history_save(case, actor=actor, reason="client reached: outreach ended", validate=False)
    else:
        from engagement.disengagement import reengage

        reengage(case, actor=actor)


@transaction.atomic
def letter_send(*, case: EngagementCase, channel: str, actor: User) -> Letter:
    """Send the no-contact letter (step 7), keep it on the file, and start the 5-day closure clock."""
    case = EngagementCase.objects.select_for_update().select_related("client", "program").get(pk=case.pk)
    step = current_step(case)
    if case.status != EngagementCase.Status.OUTREACH or step is None or step.number != Step.LETTER:
        raise EngagementInvalid({"non_field_errors": [NO_LETTER_DUE]})
    letter = letter_make(case=case, kind=Letter.Kind.NO_CONTACT, channel=channel, actor=actor)
    _step_complete(case, step, letter.sent_at)
    close_on = add_business_days(timezone.localtime(letter.sent_at).date(), policy.CLOSE_AFTER_LETTER_DAYS)
    deadline_schedule(kind=CLOSE_KIND, subject=case, due_at=_start_of(close_on))
    if case.referral_id:
        client_note_add(client=case.client, actor=actor, topic="engagement",
                                  text="No-contact letter sent; the referral source is notified.")
    return letter


def letter_make(*, case: EngagementCase, kind: str, channel: str, actor: User) -> Letter:
    from weasyprint import HTML

    if channel not in Letter.Channel.values:
        raise EngagementInvalid({"channel": ["Choose mail or email."]})
    client = case.client
    language = "es" if client.preferred_language == "es" else "en"
    with override(language):
        html = render_to_string(f"engagement/letter_{kind}.html", {"case": case, "client": client, "today": timezone.localdate(),
                                                                   "language": language})
    content = HTML(string=html).write_pdf()
    document = ClientDocument(client=client, kind=ClientDocument.Kind.LETTER, title=f"{Letter.Kind(kind).label} ({language})",
                              source_type="engagement.case", source_id=str(case.pk),
                              version=ClientDocument.objects.filter(source_type="engagement.case", source_id=str(case.pk),
                                                                    kind=ClientDocument.Kind.LETTER).count() + 1,
                              sha256=hashlib.sha256(content).hexdigest(), created_by=actor)
    document.file.save(f"{kind}-{case.pk}-{timezone.now():%Y%m%d%H%M%S}.pdf", ContentFile(content), save=False)
    history_save(document, actor=actor, reason=f"{kind} letter", validate=False)
    letter = Letter(case=case, kind=kind, language=language, document=document, sent_at=timezone.now(), sent_channel=channel, sent_by=actor)
    history_save(letter, actor=actor, reason=f"{kind} letter sent by {channel}", validate=False)
    return letter


@transaction.atomic
def file_close_if_no_contact(*, case_id: int, actor: User, now: datetime) -> bool:
    """5 business days after the letter with no contact: close the file and set the BNL entry inactive."""
    case = EngagementCase.objects.select_for_update().select_related("client").get(pk=case_id)
    letter = case.letters.filter(kind=Letter.Kind.NO_CONTACT).order_by("-sent_at").first()
    if case.status != EngagementCase.Status.OUTREACH or letter is None:
        return False
    if case.attempts.filter(outcome=ContactAttempt.Outcome.REACHED, at__gte=letter.sent_at).exists():
        return False
    case.status = EngagementCase.Status.CLOSED
    case.closed_at = now
    case.closure_reason = "no_contact"
    history_save(case, actor=actor, reason="file closed automatically: no contact 5 business days after the letter", validate=False)
    from bnl.models import BnlEntry

    entry = BnlEntry.objects.filter(client=case.client, status=BnlEntry.Status.ACTIVE).first()
    if entry is not None:
        entry.status = BnlEntry.Status.INACTIVE
        entry.status_reason = "engagement file closed: no contact"
        history_save(entry, actor=actor, reason="file closed: no contact (engagement)", validate=False)
    client_note_add(client=case.client, actor=actor, topic="CE event",
                              text=f"File closed for {case.program.name}: no contact (closure reason no_contact).")
    notification_send(recipient=case.worker, subject=f"File closed: {case.client.label} (no contact)", link=f"/engagement/{case.pk}/")
    return True


def step_overdue(*, step_id: int, now: datetime) -> bool:
    step = OutreachStep.objects.select_related("case__worker", "case__client").get(pk=step_id)
    if step.done_at or step.cancelled or step.case.status == EngagementCase.Status.CLOSED:
        return False
    step.overdue_since = now
    history_save(step, actor=step.case.worker, reason="overdue", validate=False)
    case = step.case
    subject = f"Overdue: {step.get_number_display()} for {case.client.label} (due {step.due_on:%Y-%m-%d})"
    notification_send(recipient=case.worker, subject=subject, link=f"/engagement/{case.pk}/")
    for supervisor in _supervisors_of(case.worker):
        notification_send(recipient=supervisor, subject=subject, link=f"/engagement/{case.pk}/")
    return True


@transaction.atomic
def ceiling_reached(*, case_id: int, now: datetime) -> bool:
    """An existing client's outreach reached its months: the letter is due now."""
    case = EngagementCase.objects.select_for_update().get(pk=case_id)
    if case.status != EngagementCase.Status.OUTREACH:
        return False
    step = current_step(case)
    if step is not None and step.number == Step.LETTER:
        return False
    if step is not None:
        step.cancelled = True
        history_save(step, actor=case.worker, reason="outreach ceiling reached", validate=False)
        deadline_cancel(subject=step, reason="outreach ceiling reached")
    _step_start(case, Step.LETTER, due_on=timezone.localtime(now).date())
    return True
