"""Engagement (engagement.md): outreach timelines in business days, attempts, letters, closure.

Which step follows which, its due date and its waits, what completes a step, the ceiling and the
letter's days are the rules of engagement.steps (dates by ces.business_days.add_business_days); this
module applies them to the cases. Every timer is
a deadline row (ces.deadlines) processed exactly once by the sweep:
`engagement.step_overdue` (a step's due date passed), `engagement.close_file`
(5 business days after the no-contact letter), `engagement.ceiling` (an
existing client's outreach reached its months).

Each service checks who may act and every value before its first write,
inside one transaction; refusals are ces.errors (NotFound for a case or client
the actor may not see, Forbidden for a case they see but may not act on,
Invalid keyed by the input field of engagement.inputs).
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bnl.models import BnlEntry
from bnl.services import bnl_twin_follow
from ces.access import client_is_visible_to
from ces.audit import history_save
from ces.deadlines import deadline_cancel, deadline_schedule
from ces.errors import NON_FIELD, Forbidden, Invalid, NotFound
from ces.models import Client, Program, User
from ces.notifications import notification_send
from ces.services import client_note_add
from engagement import policy, steps
from engagement.disengagement import inactivity_timer_start, reengage, staff_notify_many
from engagement.letters import letter_make
from engagement.models import ContactAttempt, EngagementCase, Letter, OutreachStep, ServiceRecord
from engagement.selectors import (
    case_is_open,
    case_is_visible_to,
    current_step,
    is_worker,
    letter_is_due,
    letter_step,
    letter_waits_until,
    may_mark_lost_contact,
    may_open_engagement,
    may_work_for,
    referral_is_linkable,
    referral_source_recipients,
    voicemail_allowed,
)
from referrals.models import Referral

Step = OutreachStep.Number
Channel = ContactAttempt.Channel

VOICEMAIL_NOT_CONSENTED = _("The client did not consent to voicemail: do not leave a message.")
CASE_CLOSED = _("This file is closed.")
ALREADY_OPEN = _("This client already has an open engagement case for this program.")
NOT_A_WORKER = _("Choose an active case worker or supervisor.")
ONLY_WORKERS_OPEN = _("Outreach is opened by a case worker or a supervisor.")
NOT_YOUR_WORKER = _("Outreach is opened for yourself, or by a supervisor for a worker of their agency.")
NOT_YOUR_PROGRAM = _("Choose a program of the worker's agency.")
KIND_UNKNOWN = _("Choose new referral or existing client who lost contact.")
CHANNEL_UNKNOWN = _("Choose one of: {codes}.")
NO_LETTER_DUE = _("The no-contact letter is not due yet: finish the earlier steps first.")
LETTER_CHANNEL_UNKNOWN = _("Choose mail or email.")
ATTEMPT_IN_FUTURE = _("An attempt cannot be in the future.")
LETTER_WAITS_FOR_SOURCE = _("The referral source has 3–5 business days to answer after being advised: the no-contact "
                            "letter can be sent from {day}.")
ONLY_ENGAGED_LOSE_CONTACT = _("Only an engaged client (assertive engagement) can be marked as lost contact.")
REFERRAL_NOT_THIS_CASE = _("Choose a referral of this client to this program.")
ALREADY_LINKED = _("This case is already linked to a referral.")
SERVICE_UNKNOWN = _("Choose a service from the list.")
SERVICE_IN_FUTURE = _("A service cannot be recorded before it is delivered.")
SERVICE_NOTE_REQUIRED = _("Say what the service was.")

OVERDUE_KIND = "engagement.step_overdue"
CLOSE_KIND = "engagement.close_file"
CEILING_KIND = "engagement.ceiling"


def _link(case: EngagementCase) -> str:
    return reverse("engagement-case", args=[case.pk])


def _require_case(actor: User, case: EngagementCase) -> None:
    """A case the actor may not see is not there (404), whatever the door."""
    if not case_is_visible_to(actor, case):
        raise NotFound()


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 5)))


def _step_start(case: EngagementCase, number: int, *, due_on: date, actor: User, reason: str = "step due",
                not_before: date | None = None) -> OutreachStep:
    step = OutreachStep(case=case, number=number, due_on=due_on, not_before=not_before)
    history_save(step, actor=actor, reason=reason, validate=False)
    deadline_schedule(kind=OVERDUE_KIND, subject=step, due_at=_start_of(steps.overdue_on(due_on)))
    return step


@transaction.atomic
def engagement_open(*, client: Client, program: Program, worker: User, actor: User, kind: str = EngagementCase.Kind.NEW_REFERRAL,
                    referral: Referral | None = None, on: date | None = None) -> EngagementCase:
    """T0: the referral is assigned to a worker who has caseload capacity.

    An existing client who lost contact (kind `lost_contact`) whose case in this program is `engaged`
    goes on the existing-client track in that same case (engagement_lost_contact)."""
    if not client_is_visible_to(user=actor, client=client):
        raise NotFound()
    if not may_open_engagement(actor):
        raise Forbidden(ONLY_WORKERS_OPEN)
    if not is_worker(worker):
        raise Invalid({"worker": [NOT_A_WORKER]})
    if not may_work_for(actor, worker):
        raise Forbidden(NOT_YOUR_WORKER)
    errors = {}
    if program.agency_id != worker.agency_id or not program.is_active:
        errors["program_id"] = [NOT_YOUR_PROGRAM]
    if kind not in EngagementCase.Kind.values:
        errors["kind"] = [KIND_UNKNOWN]
    if referral is not None and not referral_is_linkable(referral, client=client, program=program):
        errors["referral_id"] = [REFERRAL_NOT_THIS_CASE]
    if errors:
        raise Invalid(errors)
    list(Client.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True))  # one opening at a time per client
    t0 = on or timezone.localdate()
    existing = (EngagementCase.objects.select_for_update(of=("self",)).select_related("client", "program", "worker")
                .filter(client=client, program=program).exclude(status=EngagementCase.Status.CLOSED).first())
    if existing is not None:
        if kind == EngagementCase.Kind.LOST_CONTACT and may_mark_lost_contact(existing) and case_is_visible_to(actor, existing):
            return _contact_lost(existing, actor=actor, today=t0)
        raise Invalid(ALREADY_OPEN)
    assertive = program.engagement_policy == EngagementCase.Policy.ASSERTIVE
    case = EngagementCase(
        client=client, program=program, worker=worker, referral=referral, policy=program.engagement_policy, kind=kind,
        status=EngagementCase.Status.OUTREACH if assertive else EngagementCase.Status.ACTIVE, opened_on=t0,
        last_contact_at=None if assertive else timezone.now(),
    )
    history_save(case, actor=actor, reason="engagement opened", validate=False)
    if assertive:
        _step_start(case, Step.FIRST_ROUND, due_on=steps.first_round_due(t0), actor=actor)
    else:
        inactivity_timer_start(case)
    client_note_add(client=client, actor=actor, topic="engagement",
                    text=f"Engagement opened for {program.name} ({EngagementCase.Kind(kind).label}); worker {worker.username}.")
    return case


def _contact_lost(case: EngagementCase, *, actor: User, today: date) -> EngagementCase:
    case.kind = EngagementCase.Kind.LOST_CONTACT
    case.status = EngagementCase.Status.OUTREACH
    case.lost_contact_at = timezone.now()
    case.ceiling_on = None  # set by the first attempt of this outreach
    history_save(case, actor=actor, reason="contact lost: outreach to an existing client", validate=False)
    _step_start(case, Step.FIRST_ROUND, due_on=steps.first_round_due(today), actor=actor)
    client_note_add(client=case.client, actor=actor, topic="engagement",
                    text=f"Contact lost with an engaged client of {case.program.name}: outreach to an existing client started.")
    return case


@transaction.atomic
def engagement_lost_contact(*, case: EngagementCase, actor: User, on: date | None = None) -> EngagementCase:
    """The worker marks an engaged client as "lost contact": the existing-client track starts (seed 002,
    "For Existing Clients"), in the same case."""
    case = EngagementCase.objects.select_for_update(of=("self",)).select_related("client__holding_agency", "program", "worker").get(pk=case.pk)
    _require_case(actor, case)
    if not may_mark_lost_contact(case):
        raise Invalid(ONLY_ENGAGED_LOSE_CONTACT)
    return _contact_lost(case, actor=actor, today=on or timezone.localdate())


@transaction.atomic
def engagement_referral_link(*, case: EngagementCase, referral: Referral, actor: User) -> EngagementCase:
    """Link the case to the CE referral it came from: the referral source is then told at step 7."""
    case = EngagementCase.objects.select_for_update(of=("self",)).select_related("client__holding_agency", "program", "worker").get(pk=case.pk)
    _require_case(actor, case)
    if not case_is_open(case):
        raise Invalid(CASE_CLOSED)
    if case.referral_id is not None:
        raise Invalid(ALREADY_LINKED)
    if not referral_is_linkable(referral, client=case.client, program=case.program):
        raise Invalid({"referral_id": [REFERRAL_NOT_THIS_CASE]})
    case.referral = referral
    history_save(case, actor=actor, reason=f"linked to referral #{referral.pk}", validate=False)
    return case


def _round_done(case: EngagementCase, step: OutreachStep) -> bool:
    """The round's rule (steps.round_done) on the case's attempts, after the step done before it."""
    previous_done_at = (case.steps.filter(done_at__isnull=False, done_at__lte=timezone.now()).exclude(pk=step.pk)
                        .order_by("-done_at").values_list("done_at", flat=True).first())
    return steps.round_done(list(case.attempts.order_by().values_list("at", "channel")), lost_contact_at=case.lost_contact_at,
                            not_before=step.not_before, previous_done_at=previous_done_at)


def _step_complete(case: EngagementCase, step: OutreachStep, at: datetime, *, actor: User) -> None:
    """The step is done; the one that follows it (steps.step_after) starts."""
    step.done_at = at
    history_save(step, actor=actor, reason="step done", validate=False)
    deadline_cancel(subject=step, reason="step done", kinds=[OVERDUE_KIND])
    following = steps.step_after(step.number, done_on=timezone.localtime(at).date(),
                                 has_alternate=bool(case.client.alt_contact_name or case.client.alt_contact_phone),
                                 lost_contact=case.kind == EngagementCase.Kind.LOST_CONTACT, ceiling_on=case.ceiling_on)
    if following is not None:
        _step_start(case, following.number, due_on=following.due_on, not_before=following.not_before, actor=actor)


@transaction.atomic
def attempt_record(*, case: EngagementCase, channel: str, outcome: str, actor: User, note: str = "",
                   at: datetime | None = None) -> ContactAttempt:
    case = EngagementCase.objects.select_for_update(of=("self",)).select_related("client__holding_agency", "program", "worker").get(pk=case.pk)
    _require_case(actor, case)
    errors = {}
    if not case_is_open(case):
        errors[NON_FIELD] = [CASE_CLOSED]
    if channel not in Channel.values:
        errors["channel"] = [format_lazy(CHANNEL_UNKNOWN, codes=", ".join(Channel.values))]
    if outcome not in ContactAttempt.Outcome.values:
        errors["outcome"] = [format_lazy(CHANNEL_UNKNOWN, codes=", ".join(ContactAttempt.Outcome.values))]
    elif outcome == ContactAttempt.Outcome.LEFT_VOICEMAIL and not voicemail_allowed(case.client):
        errors["outcome"] = [VOICEMAIL_NOT_CONSENTED]
    at = at or timezone.now()
    if at > timezone.now() + timedelta(minutes=5):
        errors["at"] = [ATTEMPT_IN_FUTURE]
    if errors:
        raise Invalid(errors)
    attempt = ContactAttempt(case=case, at=at, by=actor, channel=channel, outcome=outcome, note=(note or "").strip())
    history_save(attempt, actor=actor, reason="contact attempt", validate=False)
    if case.kind == EngagementCase.Kind.LOST_CONTACT and case.ceiling_on is None:
        case.ceiling_on = steps.outreach_ceiling(timezone.localtime(at).date(), case.program.lost_contact_months)
        history_save(case, actor=actor, reason="outreach ceiling set from the first attempt", validate=False)
        deadline_schedule(kind=CEILING_KIND, subject=case, due_at=_start_of(case.ceiling_on))
    if outcome == ContactAttempt.Outcome.REACHED:
        _reached(case, at=at, actor=actor)
    elif case.policy == EngagementCase.Policy.ASSERTIVE and case.status == EngagementCase.Status.OUTREACH:
        step = current_step(case)
        if step is not None and step.number != Step.LETTER and _step_satisfied(case, step, channel):
            _step_complete(case, step, at, actor=actor)
    return attempt


def _step_satisfied(case: EngagementCase, step: OutreachStep, channel: str) -> bool:
    if step.number in steps.ROUNDS:
        return _round_done(case, step)
    return steps.one_attempt_step_done(step.number, channel)


def _reached(case: EngagementCase, *, at: datetime, actor: User) -> None:
    """A reached attempt ends the outreach: admit to services or resume service."""
    case.last_contact_at = max(at, case.last_contact_at) if case.last_contact_at else at
    if case.policy == EngagementCase.Policy.ASSERTIVE:
        case.status = EngagementCase.Status.ENGAGED
        for step in case.steps.filter(done_at__isnull=True, cancelled=False):
            step.cancelled = True
            history_save(step, actor=actor, reason="client reached", validate=False)
            deadline_cancel(subject=step, reason="client reached")
        deadline_cancel(subject=case, reason="client reached")
        history_save(case, actor=actor, reason="client reached: outreach ended", validate=False)
    else:
        reengage(case, actor=actor)


@transaction.atomic
def letter_send(*, case: EngagementCase, channel: str, actor: User) -> Letter:
    """Send the no-contact letter (step 7), keep it on the file, and start the 5-day closure clock."""
    case = EngagementCase.objects.select_for_update(of=("self",)).select_related("client__holding_agency", "program__agency", "worker").get(pk=case.pk)
    _require_case(actor, case)
    if waits_until := letter_waits_until(case):
        raise Invalid(format_lazy(LETTER_WAITS_FOR_SOURCE, day=waits_until.isoformat()))
    if not letter_is_due(case):
        raise Invalid(NO_LETTER_DUE)
    if channel not in Letter.Channel.values:
        raise Invalid({"channel": [LETTER_CHANNEL_UNKNOWN]})
    step = letter_step(case)
    # "we will close your file in five business days": it closes once five have passed after the letter.
    today = timezone.localdate()
    last_day = steps.letter_answer_by(today)
    closes_on = steps.file_closes_on(today)
    letter = letter_make(case=case, kind=Letter.Kind.NO_CONTACT, channel=channel, actor=actor, answer_by=last_day)
    _step_complete(case, step, letter.sent_at, actor=actor)
    deadline_schedule(kind=CLOSE_KIND, subject=case, due_at=_start_of(closes_on))
    if case.referral_id:
        _referral_source_notify(case, letter)
        client_note_add(client=case.client, actor=actor, topic="engagement",
                        text=f"No-contact letter sent by {channel}; the referral source (referral #{case.referral_id}) is notified.")
    return letter


def _referral_source_notify(case: EngagementCase, letter: Letter) -> None:
    """Step 7: "Notify referral source (when applicable)" — the case came from a CE referral."""
    referral = case.referral
    link = reverse("bnl-detail", args=[referral.entry_id])
    for recipient in referral_source_recipients(case):
        notification_send(
            recipient=recipient, link=link,
            subject=format_lazy(_("No contact: {label} could not be reached by {program}"), label=case.client.label,
                                program=case.program.name),
            body=format_lazy(_("{program} sent the no-contact letter on {day} after every contact attempt failed; "
                               "the file closes after five business days without contact."),
                             program=case.program.name, day=timezone.localtime(letter.sent_at).date().isoformat()),
        )


@transaction.atomic
def file_close_if_no_contact(*, case_id: int, actor: User, now: datetime) -> bool:
    """5 business days after the letter with no contact: close the file and set the BNL entry inactive."""
    case = EngagementCase.objects.select_for_update(of=("self",)).select_related("client").get(pk=case_id)
    letter = case.letters.filter(kind=Letter.Kind.NO_CONTACT).order_by("-sent_at").first()
    if case.status != EngagementCase.Status.OUTREACH or letter is None:
        return False
    if case.attempts.filter(outcome=ContactAttempt.Outcome.REACHED, at__gte=letter.sent_at).exists():
        return False
    case.status = EngagementCase.Status.CLOSED
    case.closed_at = now
    case.closure_reason = "no_contact"
    history_save(case, actor=actor, reason=f"{CLOSE_KIND}: no contact 5 business days after the letter", validate=False)
    entry = BnlEntry.objects.filter(client=case.client, status=BnlEntry.Status.ACTIVE).first()
    if entry is not None:
        entry.status = BnlEntry.Status.INACTIVE
        entry.status_reason = "engagement file closed: no contact"
        history_save(entry, actor=actor, reason=f"{CLOSE_KIND}: file closed, no contact (engagement)", validate=False)
        bnl_twin_follow(entry, actor=actor, reason=f"{CLOSE_KIND}: file closed, no contact")
    client_note_add(client=case.client, actor=actor, topic="CE event",
                    text=f"File closed for {case.program.name}: no contact (closure reason no_contact).")
    notification_send(recipient=case.worker, link=_link(case),
                      subject=format_lazy(_("File closed: {label} (no contact)"), label=case.client.label))
    return True


@transaction.atomic
def step_overdue_many(*, step_ids: list[int], now: datetime, actor: User) -> list[OutreachStep]:
    """The scheduled job: steps whose due date passed (history by `actor`, the system user), in a constant
    few statements whatever their number. Steps done, cancelled or of a closed case are left alone."""
    steps = list(
        OutreachStep.objects.select_for_update(of=("self",)).select_related("case__worker", "case__client__holding_agency")
        .filter(pk__in=step_ids, done_at__isnull=True, cancelled=False).exclude(case__status=EngagementCase.Status.CLOSED)
        .order_by("pk")
    )
    if not steps:
        return []
    OutreachStep.objects.filter(pk__in=[step.pk for step in steps]).update(overdue_since=now)
    for step in steps:
        step.overdue_since = now
        step._change_reason = f"{OVERDUE_KIND}: due {step.due_on.isoformat()}, not done"
    OutreachStep.history.bulk_history_create(steps, update=True, default_user=actor, default_date=timezone.now())

    def subject_of(step: OutreachStep):
        return lambda case: format_lazy(_("Overdue: {step} for {label} (due {day})"), step=Step(step.number).label,
                                        label=case.client.label, day=step.due_on.isoformat())

    staff_notify_many([(step.case, subject_of(step)) for step in steps])
    return steps


def step_overdue(*, step_id: int, now: datetime, actor: User) -> bool:
    return bool(step_overdue_many(step_ids=[step_id], now=now, actor=actor))


@transaction.atomic
def ceiling_reached(*, case_id: int, now: datetime, actor: User) -> bool:
    """The scheduled job: an existing client's outreach reached its months, the letter is due now."""
    case = EngagementCase.objects.select_for_update().get(pk=case_id)
    if case.status != EngagementCase.Status.OUTREACH:
        return False
    step = current_step(case)
    if step is not None and step.number == Step.LETTER:
        return False
    reason = f"{CEILING_KIND}: outreach ceiling {case.ceiling_on} reached"
    if step is not None:
        step.cancelled = True
        history_save(step, actor=actor, reason=reason, validate=False)
        deadline_cancel(subject=step, reason="outreach ceiling reached")
    _step_start(case, Step.LETTER, due_on=timezone.localtime(now).date(), actor=actor, reason=reason)
    return True


@transaction.atomic
def service_record(*, case: EngagementCase, kind: str, actor: User, note: str = "", at: datetime | None = None) -> ServiceRecord:
    """A service delivered to the client. Under the 30/60 protocol it resets the 30-day clock like a reached
    contact ("no reached contact and no service recorded for 30 consecutive days")."""
    case = EngagementCase.objects.select_for_update(of=("self",)).select_related("client__holding_agency", "program", "worker").get(pk=case.pk)
    _require_case(actor, case)
    errors = {}
    if not case_is_open(case):
        errors[NON_FIELD] = [CASE_CLOSED]
    if kind not in policy.SERVICE_KIND_CODES:
        errors["kind"] = [SERVICE_UNKNOWN]
    elif kind == "other" and not (note or "").strip():
        errors["note"] = [SERVICE_NOTE_REQUIRED]
    at = at or timezone.now()
    if at > timezone.now() + timedelta(minutes=5):
        errors["at"] = [SERVICE_IN_FUTURE]
    if errors:
        raise Invalid(errors)
    service = ServiceRecord(case=case, at=at, kind=kind, note=(note or "").strip(), by=actor)
    history_save(service, actor=actor, reason="service recorded", validate=False)
    if case.last_contact_at is None or at > case.last_contact_at:
        case.last_contact_at = at
        if case.policy == EngagementCase.Policy.DISENGAGEMENT_30_60:
            reengage(case, actor=actor)  # saves the case: the clock starts over from the service
        else:
            history_save(case, actor=actor, reason="service recorded", validate=False)
    return service
