"""Every write of reassignment (reassignment.md): assignments, both tracks, their steps.

The assigned worker changes in exactly three places: the first assignment by a
supervisor of the agency holding the client, a standard request's step 5
(system update), and a safety transfer's completion by the LOM. Every step is
also a note on the client's CE enrollment and a history row.

Each service checks everything (who may act, then the values) before its
first write, inside one transaction: a refusal (ces.errors) changes nothing.
A client the actor may not see is NotFound (404); a record the actor may see
but not act on is Forbidden (403); a value that breaks a rule is Invalid
(400), keyed by the input field (reassignment.inputs).
"""

import re
from datetime import datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces import roles
from ces.access import client_is_visible_to
from ces.audit import history_save
from ces.business_days import add_business_days
from ces.deadlines import deadline_cancel, deadline_schedule
from ces.errors import Forbidden, Invalid, NotFound
from ces.models import Client, Program, User
from ces.notifications import notification_send
from ces.selectors import users_with_role
from ces.services import client_note_add
from reassignment import policy
from reassignment.models import CaseAssignment, ReassignmentRequest, ReassignmentStep
from reassignment.selectors import (
    caseload_is_full,
    caseload_size,
    current_worker_of,
    ended_assignment_of,
    is_coc_staff,
    is_lom_for,
    is_worker,
    may_assign_first_worker,
    may_propose_worker,
    may_request_reassignment,
    may_set_worker_alert,
    needs_nonhmis_list_holder,
    step_next,
    step_owner_label,
    step_owner_may,
)

Status = ReassignmentRequest.Status
Step = ReassignmentStep.Number

NOT_A_WORKER = _("Choose an active case worker or supervisor.")
CASELOAD_FULL = _("{name} already has {n} clients, the caseload limit of {agency}: choose another worker.")
NO_CURRENT_WORKER = _("This client has no assigned worker yet: assign one first.")
ASSIGNMENT_ENDED = _("This client was enrolled in a housing project: the CE assignment ended, and reassignment applies "
                     "only before that.")
SITUATION_UNKNOWN = _("Choose the client's situation from the list.")
ALREADY_ASSIGNED = _("A client's worker changes only through a reassignment request.")
WORKER_OF_HOLDING_AGENCY = _("Choose a worker of {agency}, the agency holding the client.")
SAME_WORKER = _("The proposed worker is already the client's worker.")
SAME_AGENCY_NEEDED = _("A same-agency transfer needs a worker of the current worker's agency.")
REASON_UNKNOWN = _("Choose one of the permissible reasons.")
EXPLANATION_REQUIRED = _("Explain the request in a sentence or two.")
ALREADY_OPEN = _("This client already has an open reassignment request.")
ONLY_SUPERVISOR_ASSIGNS = _("The first worker is assigned by a supervisor of the agency holding the client.")
ONLY_WORKER_REQUESTS = _("A reassignment is requested by the client's current worker or a supervisor of their agency.")
ONLY_COC_STAFF = _("Only CoC staff approve or deny reassignments.")
ONLY_REQUESTER_PROPOSES = _("Another receiving worker is proposed by the worker who asked for the reassignment "
                            "or by the client's current worker.")
DECISION_REQUIRED = _("Write the decision: approvals and denials are case by case, in writing.")
NOT_WAITING = _("This request is not waiting for that.")
STEP_OUT_OF_ORDER = _("Record step {expected} first: the steps go in order.")
WRONG_PERSON = _("Step {n} is recorded by {who}.")
OUTCOME_NOT_ALLOWED = _("That answer does not fit step {n}.")
ONLY_LOM = _("Only the local office manager (a supervisor of the worker's office) decides a safety transfer.")
ONLY_SUPERVISOR_ALERTS = _("The WORKER ALERT and the safety plan are recorded by a supervisor of the agency holding "
                           "the client or of the assigned worker's office.")
SAME_OFFICE_NEEDED = _("A safety transfer moves the case within the office: choose a worker of the same agency.")
ALERT_AND_PLAN_REQUIRED = _("Before the transfer completes, the record needs the WORKER ALERT label and a worker "
                            "safety intervention plan.")
PLAN_REQUIRED = _("Write the worker safety intervention plan.")
NEW_WORKER_CANNOT_DECLINE = _("The newly assigned worker cannot refuse a safety transfer; acknowledge the safety "
                              "information instead.")
ONLY_NEW_WORKER = _("Only the newly assigned worker acknowledges the safety information.")
ONLY_PREVIOUS_WORKER = _("The hand-off note is written by the previous worker.")
NOTE_REQUIRED = _("Write the note.")
HANDOFF_KIND = "reassignment.handoff_due"


def _note(client: Client, actor: User, text: str, topic: str = "reassignment") -> None:
    """A CE enrollment note: a record, kept in the words it was written in."""
    client_note_add(client=client, actor=actor, topic=topic, text=text)


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _link(request: ReassignmentRequest) -> str:
    return reverse("reassignment-detail", args=[request.pk])


def _caseload_message(worker: User):
    return format_lazy(CASELOAD_FULL, name=_name(worker), n=caseload_size(worker), agency=worker.agency.name)


def _require_visible(actor: User, client: Client) -> None:
    """A client the actor may not see is not there (404), whatever the door."""
    if not client_is_visible_to(user=actor, client=client):
        raise NotFound()


def _client_locked(client: Client) -> Client:
    """Lock the client's row: two writes about one client's worker happen one after the other."""
    return Client.objects.select_for_update(of=("self",)).select_related("holding_agency").get(pk=client.pk)


def _request_locked(request: ReassignmentRequest) -> ReassignmentRequest:
    return (ReassignmentRequest.objects.select_for_update(of=("self",))
            .select_related("client__holding_agency", "current_worker__agency", "proposed_worker__agency")
            .get(pk=request.pk))


def _assignment_change(*, client: Client, worker: User, actor: User, reason: str, bypassed: bool = False) -> CaseAssignment:
    """The one write of an assignment (every check is done by the caller)."""
    assignment = CaseAssignment.objects.select_for_update().filter(client=client).first() or CaseAssignment(client=client)
    assignment.worker = worker
    assignment.since = timezone.now()
    assignment.assigned_by = actor
    assignment.ended_at = None  # a person back in CE after a housing enrollment is assigned anew
    assignment.ended_because = ""
    history_save(assignment, actor=actor, reason=reason, validate=False)
    _note(client, actor, f"Assigned to {_name(worker)} ({worker.agency.initials}): {reason}"
          + (" — caseload limit bypassed (worker safety)" if bypassed else ""), topic="assignment")
    return assignment


# --- the first assignment -----------------------------------------------------------------------


@transaction.atomic
def case_assignment_set(*, client: Client, worker: User | None, actor: User, reason: str = "first assignment") -> CaseAssignment:
    """Assign the client's first worker. Later changes go through a reassignment request."""
    _require_visible(actor, client)
    client = _client_locked(client)
    if not may_assign_first_worker(actor, client):
        raise Forbidden(ONLY_SUPERVISOR_ASSIGNS)
    if current_worker_of(client) is not None:
        raise Invalid(ALREADY_ASSIGNED)
    if not is_worker(worker):
        raise Invalid({"worker_id": [NOT_A_WORKER]})
    if worker.agency_id != client.holding_agency_id:
        raise Invalid({"worker_id": [format_lazy(WORKER_OF_HOLDING_AGENCY, agency=client.holding_agency.name)]})
    if caseload_is_full(worker):
        raise Invalid({"worker_id": [_caseload_message(worker)]})
    return _assignment_change(client=client, worker=worker, actor=actor, reason=reason)


# --- standard track -----------------------------------------------------------------


def _no_current_worker(client: Client):
    """Why a client without a current worker cannot be reassigned."""
    return ASSIGNMENT_ENDED if ended_assignment_of(client) is not None else NO_CURRENT_WORKER


def _explanation_is_only_transience(explanation: str) -> bool:
    """reassignment.md: a request "whose explanation is only that" — it names transience, and says nothing else."""
    words = re.findall(r"[^\W\d_]+", (explanation or "").lower())
    return (any(word in policy.TRANSIENCE_WORDS for word in words)
            and all(word in policy.TRANSIENCE_WORDS or word in policy.TRANSIENCE_FILLER for word in words))


def _transient_refusal(*, reason: str, client_situation: str, explanation: str) -> dict | None:
    """The non-permissible reason, keyed by where it was stated: as the reason, as the client's situation
    (the list the worker states it from), or as an explanation that is only that."""
    if reason == policy.TRANSIENT_REASON_CODE:
        return {"reason": [policy.TRANSIENT_REFUSAL]}
    if client_situation == policy.TRANSIENT_SITUATION:
        return {"client_situation": [policy.TRANSIENT_REFUSAL]}
    if _explanation_is_only_transience(explanation):
        return {"explanation": [policy.TRANSIENT_REFUSAL]}
    return None


def _receiving_worker_problem(worker: User | None, *, current: User, reason: str):
    """Why `worker` cannot receive the client (None if they can)."""
    if not is_worker(worker):
        return NOT_A_WORKER
    if worker.pk == current.pk:
        return SAME_WORKER
    if reason == ReassignmentRequest.Reason.SAME_AGENCY_TRANSFER and worker.agency_id != current.agency_id:
        return SAME_AGENCY_NEEDED
    if caseload_is_full(worker):
        return _caseload_message(worker)
    return None


@transaction.atomic
def reassignment_request(*, client: Client, reason: str, explanation: str, proposed_worker: User | None,
                         actor: User, client_situation: str = policy.SITUATION_NOT_STATED) -> ReassignmentRequest:
    """A standard request with one permissible reason, for CoC staff to approve or deny. The worker states
    the client's situation from policy.CLIENT_SITUATIONS; a transient client is not reassigned."""
    _require_visible(actor, client)
    client = _client_locked(client)
    if not is_worker(actor):
        raise Forbidden(ONLY_WORKER_REQUESTS)
    current = current_worker_of(client)
    if current is None:
        raise Invalid(_no_current_worker(client))
    if not may_request_reassignment(actor, current):
        raise Forbidden(ONLY_WORKER_REQUESTS)
    if refusal := _transient_refusal(reason=reason, client_situation=client_situation, explanation=explanation):
        raise Invalid(refusal)
    errors = {}
    if reason not in policy.STANDARD_REASONS:
        errors["reason"] = [REASON_UNKNOWN]
    if client_situation not in (policy.SITUATION_NOT_STATED, *policy.CLIENT_SITUATION_CODES):
        errors["client_situation"] = [SITUATION_UNKNOWN]
    if not (explanation or "").strip():
        errors["explanation"] = [EXPLANATION_REQUIRED]
    if problem := _receiving_worker_problem(proposed_worker, current=current, reason=reason):
        errors["proposed_worker_id"] = [problem]
    if errors:
        raise Invalid(errors)
    if ReassignmentRequest.objects.filter(client=client, status__in=ReassignmentRequest.OPEN_STATUSES).exists():
        raise Invalid(ALREADY_OPEN)
    request = ReassignmentRequest(
        client=client, track=ReassignmentRequest.Track.STANDARD, reason=reason, explanation=explanation.strip(),
        client_situation=client_situation, current_worker=current, proposed_worker=proposed_worker, requested_by=actor,
        status=Status.REQUESTED,
    )
    history_save(request, actor=actor, reason="reassignment requested", validate=False)
    _note(client, actor, f"Reassignment requested ({ReassignmentRequest.Reason(reason).label}): {request.explanation}")
    for staff in users_with_role(roles.COC_STAFF):
        notification_send(recipient=staff, subject=format_lazy(_("Reassignment request for {label} needs a decision"),
                                                               label=client.label), link=_link(request))
    return request


@transaction.atomic
def reassignment_decide(*, request: ReassignmentRequest, approve: bool, decision: str, actor: User) -> ReassignmentRequest:
    request = _request_locked(request)
    if not is_coc_staff(actor):
        raise Forbidden(ONLY_COC_STAFF)
    if request.status != Status.REQUESTED:
        raise Invalid(NOT_WAITING)
    if not (decision or "").strip():
        raise Invalid({"decision": [DECISION_REQUIRED]})
    request.status = Status.APPROVED if approve else Status.DENIED
    request.decision = decision.strip()
    request.decided_by = actor
    request.decided_at = timezone.now()
    history_save(request, actor=actor, reason="approved by CoC staff" if approve else "denied by CoC staff", validate=False)
    _note(request.client, actor, f"Reassignment {'approved' if approve else 'denied'} by CoC staff: {request.decision}")
    subject = _("Reassignment of {label} approved") if approve else _("Reassignment of {label} denied")
    for user in {request.requested_by, request.current_worker, request.proposed_worker}:
        notification_send(recipient=user, subject=format_lazy(subject, label=request.client.label), body=request.decision,
                          link=_link(request))
    return request


@transaction.atomic
def reassignment_step_record(*, request: ReassignmentRequest, number: int, outcome: str, actor: User,
                             note: str = "") -> ReassignmentRequest:
    """Record one of the five steps (policy.STEPS: who, which answers, where each leads)."""
    request = _request_locked(request)
    if request.track == ReassignmentRequest.Track.SAFETY and outcome == "declined":
        raise Invalid({"outcome": [NEW_WORKER_CANNOT_DECLINE]})
    expected = step_next(request)
    if expected is None:
        raise Invalid(NOT_WAITING)
    if number != expected:
        raise Invalid({"number": [format_lazy(STEP_OUT_OF_ORDER, expected=expected)]})
    if not step_owner_may(actor, request, number):
        raise Forbidden(format_lazy(WRONG_PERSON, n=number, who=step_owner_label(request, number)))
    rule = policy.STEPS[number]
    answer = rule.outcome(outcome)
    if answer is None:
        raise Invalid({"outcome": [format_lazy(OUTCOME_NOT_ALLOWED, n=number)]})
    completes = answer.leads_to == Status.COMPLETED
    if completes and (problem := _receiving_worker_problem(request.proposed_worker, current=request.current_worker,
                                                           reason=request.reason)):
        raise Invalid(problem)

    step = ReassignmentStep(request=request, number=number, outcome=outcome, note=(note or "").strip(), recorded_by=actor,
                            proposed_worker=request.proposed_worker)
    history_save(step, actor=actor, reason=f"step {number}: {outcome}", validate=False)
    _note(request.client, actor, f"Reassignment step {number} ({Step(number).label}): {outcome}" + (f" — {step.note}" if step.note else ""))
    if answer.leads_to:
        request.status = answer.leads_to
    if answer.leads_to == Status.RECEIVING_DECLINED:
        notification_send(recipient=request.requested_by, link=_link(request), subject=format_lazy(
            _("The receiving worker declined {label}: propose another"), label=request.client.label))
    if rule.tells_nonhmis_list_holder and needs_nonhmis_list_holder(request.client):
        for holder in users_with_role(roles.NONHMIS_LIST_HOLDER):
            notification_send(recipient=holder, link=_link(request),
                              subject=format_lazy(_("Reassignment of {label}: the system update is yours"), label=request.client.label),
                              body=_("The client is held outside HMIS: record the system update (step 5)."))
    if completes:
        _assignment_change(client=request.client, worker=request.proposed_worker, actor=actor,
                           reason=f"reassignment #{request.pk} completed (step 5, system update)")
        request.completed_at = timezone.now()
    history_save(request, actor=actor, reason=f"step {number}: {outcome}", validate=False)
    return request


@transaction.atomic
def reassignment_propose_another(*, request: ReassignmentRequest, worker: User | None, actor: User) -> ReassignmentRequest:
    request = _request_locked(request)
    if not may_propose_worker(actor, request):
        raise Forbidden(ONLY_REQUESTER_PROPOSES)
    if request.status != Status.RECEIVING_DECLINED:
        raise Invalid(NOT_WAITING)
    if problem := _receiving_worker_problem(worker, current=request.current_worker, reason=request.reason):
        raise Invalid({"proposed_worker_id": [problem]})
    request.proposed_worker = worker
    request.status = Status.APPROVED
    history_save(request, actor=actor, reason="another receiving worker proposed", validate=False)
    _note(request.client, actor, f"Another receiving worker proposed: {_name(worker)}")
    return request


# --- safety track ---------------------------------------------------------------------


@transaction.atomic
def client_worker_alert_set(*, client: Client, plan: str, actor: User) -> Client:
    """Put the WORKER ALERT label and the worker safety intervention plan on the record."""
    _require_visible(actor, client)
    client = _client_locked(client)
    if not may_set_worker_alert(actor, client, current_worker_of(client)):
        raise Forbidden(ONLY_SUPERVISOR_ALERTS)
    if not (plan or "").strip():
        raise Invalid({"safety_plan": [PLAN_REQUIRED]})
    client.worker_alert = True
    client.safety_plan = plan.strip()
    history_save(client, actor=actor, reason="WORKER ALERT and safety plan recorded", validate=False)
    _note(client, actor, "WORKER ALERT set; worker safety intervention plan recorded.", topic="worker safety")
    return client


@transaction.atomic
def safety_transfer_start(*, client: Client, new_worker: User | None, explanation: str, actor: User,
                          court_obligations: str = "") -> ReassignmentRequest:
    """The LOM decides a transfer for worker safety: no CoC approval, no caseload block."""
    _require_visible(actor, client)
    client = _client_locked(client)
    current = current_worker_of(client)
    if current is None:
        raise Invalid(_no_current_worker(client))
    if not is_lom_for(actor, current):
        raise Forbidden(ONLY_LOM)
    errors = {}
    if not is_worker(new_worker) or new_worker.pk == current.pk:
        errors["new_worker_id"] = [NOT_A_WORKER]
    elif new_worker.agency_id != current.agency_id:
        errors["new_worker_id"] = [SAME_OFFICE_NEEDED]
    if not (explanation or "").strip():
        errors["explanation"] = [EXPLANATION_REQUIRED]
    if errors:
        raise Invalid(errors)
    # Any open standard request gives way: the safety transfer may not be delayed.
    for open_request in ReassignmentRequest.objects.select_for_update().filter(client=client, status__in=ReassignmentRequest.OPEN_STATUSES):
        open_request.status = Status.CANCELLED
        history_save(open_request, actor=actor, reason="superseded by a worker-safety transfer", validate=False)
    request = ReassignmentRequest(
        client=client, track=ReassignmentRequest.Track.SAFETY, reason=ReassignmentRequest.Reason.WORKER_SAFETY,
        explanation=explanation.strip(), current_worker=current, proposed_worker=new_worker, requested_by=actor,
        decided_by=actor, decided_at=timezone.now(), status=Status.SAFETY_PENDING, court_obligations=(court_obligations or "").strip(),
    )
    history_save(request, actor=actor, reason="worker-safety transfer decided by the LOM", validate=False)
    _note(client, actor, f"Worker-safety transfer decided by the LOM: {request.explanation}", topic="worker safety")
    return request


@transaction.atomic
def safety_transfer_complete(*, request: ReassignmentRequest, actor: User) -> ReassignmentRequest:
    request = _request_locked(request)
    if not is_lom_for(actor, request.current_worker):
        raise Forbidden(ONLY_LOM)
    if request.status != Status.SAFETY_PENDING:
        raise Invalid(NOT_WAITING)
    client = request.client
    if not client.worker_alert or not client.safety_plan.strip():
        raise Invalid(ALERT_AND_PLAN_REQUIRED)
    bypassed = caseload_is_full(request.proposed_worker)
    _assignment_change(client=client, worker=request.proposed_worker, actor=actor, bypassed=bypassed,
                       reason=f"worker-safety transfer #{request.pk}")
    request.caseload_bypassed = bypassed
    request.status = Status.SAFETY_TRANSFERRED
    history_save(request, actor=actor, reason="transfer completed" + ("; caseload limit bypassed" if bypassed else ""), validate=False)
    deadline_schedule(kind=HANDOFF_KIND, subject=request, due_at=_handoff_due(timezone.now()))
    notification_send(recipient=request.proposed_worker, link=_link(request),
                      subject=format_lazy(_("WORKER ALERT: {label} is now assigned to you"), label=client.label),
                      body=format_lazy("{read} {reminder}", read=_("Read the reason and the safety plan and acknowledge them."),
                                       reminder=policy.COURT_OBLIGATIONS_REMINDER))
    notification_send(recipient=request.current_worker, link=_link(request),
                      subject=format_lazy(_("Hand-off note for {label} due in {n} business days"), label=client.label,
                                          n=policy.HANDOFF_BUSINESS_DAYS))
    return request


def _handoff_due(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(add_business_days(local.date(), policy.HANDOFF_BUSINESS_DAYS), time(17, 0)))


def _safety_done_if_complete(request: ReassignmentRequest) -> None:
    if request.acknowledged_at and request.handoff_at and request.lom_assessed_at:
        request.status = Status.COMPLETED
        request.completed_at = timezone.now()


@transaction.atomic
def safety_transfer_acknowledge(*, request: ReassignmentRequest, actor: User) -> ReassignmentRequest:
    request = _request_locked(request)
    if actor.pk != request.proposed_worker_id:
        raise Forbidden(ONLY_NEW_WORKER)
    if request.status != Status.SAFETY_TRANSFERRED or request.acknowledged_at:
        raise Invalid(NOT_WAITING)
    request.acknowledged_at = timezone.now()
    _safety_done_if_complete(request)
    history_save(request, actor=actor, reason="new worker acknowledged the reason and the safety plan", validate=False)
    _note(request.client, actor, "The new worker read and acknowledged the reason and the safety plan.", topic="worker safety")
    return request


@transaction.atomic
def safety_handoff_record(*, request: ReassignmentRequest, note: str, actor: User) -> ReassignmentRequest:
    request = _request_locked(request)
    if actor.pk != request.current_worker_id:
        raise Forbidden(ONLY_PREVIOUS_WORKER)
    if request.status != Status.SAFETY_TRANSFERRED or request.handoff_at:
        raise Invalid(NOT_WAITING)
    if not (note or "").strip():
        raise Invalid({"note": [NOTE_REQUIRED]})
    request.handoff_note = note.strip()
    request.handoff_at = timezone.now()
    deadline_cancel(subject=request, reason="hand-off note written", kinds=[HANDOFF_KIND])
    _safety_done_if_complete(request)
    history_save(request, actor=actor, reason="hand-off note written", validate=False)
    _note(request.client, actor, f"Hand-off note: {request.handoff_note}", topic="worker safety")
    notification_send(recipient=request.proposed_worker, body=request.handoff_note, link=_link(request),
                      subject=format_lazy(_("Hand-off note for {label}"), label=request.client.label))
    return request


@transaction.atomic
def safety_lom_assessment_record(*, request: ReassignmentRequest, text: str, actor: User) -> ReassignmentRequest:
    request = _request_locked(request)
    if not is_lom_for(actor, request.current_worker):
        raise Forbidden(ONLY_LOM)
    if request.status != Status.SAFETY_TRANSFERRED or request.lom_assessed_at:
        raise Invalid(NOT_WAITING)
    if not (text or "").strip():
        raise Invalid({"assessment": [NOTE_REQUIRED]})
    request.lom_assessment = text.strip()
    request.lom_assessed_at = timezone.now()
    _safety_done_if_complete(request)
    history_save(request, actor=actor, reason="LOM assessed the new worker for this case", validate=False)
    _note(request.client, actor, f"LOM's assessment of the new worker: {request.lom_assessment}", topic="worker safety")
    return request


def handoff_overdue_remind(request: ReassignmentRequest, *, now: datetime | None = None) -> bool:
    """The hand-off deadline passed without a note: remind the LOM(s), and again next business day."""
    if request.status != Status.SAFETY_TRANSFERRED or request.handoff_at:
        return False
    for lom in users_with_role(roles.SUPERVISOR, agency=request.current_worker.agency_id):
        notification_send(recipient=lom, link=_link(request),
                          subject=format_lazy(_("Hand-off note for {label} is overdue"), label=request.client.label),
                          body=format_lazy(_("{name} has not written it."), name=_name(request.current_worker)))
    local = timezone.localtime(now or timezone.now())
    deadline_schedule(kind=HANDOFF_KIND, subject=request,
                      due_at=timezone.make_aware(datetime.combine(add_business_days(local.date(), 1), time(9, 0))))
    return True



# --- the end of the assignment -------------------------------------------------------------------

# Requests that have not moved the client yet: they stop when the assignment ends.
_STOPPED_AT_ENROLLMENT = (Status.REQUESTED, Status.APPROVED, Status.RECEIVING_DECLINED, Status.SAFETY_PENDING)


def assignment_end_at_enrollment(*, client: Client | None, program: Program, actor: User) -> CaseAssignment | None:
    """The receiving housing program enrolled the person: the CE assignment ends (the reassignment policy
    applies "while enrolled in CE prior to being enrolled in a housing project"), with a CE enrollment note.

    Called by the referral decision (referrals.services) inside its transaction; `actor` is the program's
    staff member who recorded the enrollment. Requests that have not moved the client yet are cancelled;
    a completed safety transfer keeps its follow-up (hand-off, acknowledgement). Nothing to do for a
    de-identified DV entry (no client), a client without a worker, or a program that is not housing."""
    if client is None or program.type not in Program.HOUSING_TYPES:
        return None
    assignment = (CaseAssignment.objects.select_for_update(of=("self",)).select_related("worker")
                  .filter(client=client, ended_at__isnull=True).first())
    if assignment is None:
        return None
    because = f"enrolled in {program.name} (housing)"
    assignment.ended_at = timezone.now()
    assignment.ended_because = because
    history_save(assignment, actor=actor, reason=f"assignment ended: {because}", validate=False)
    for open_request in ReassignmentRequest.objects.select_for_update().filter(client=client, status__in=_STOPPED_AT_ENROLLMENT):
        open_request.status = Status.CANCELLED
        history_save(open_request, actor=actor, reason=f"cancelled: the client was {because}", validate=False)
        deadline_cancel(subject=open_request, reason="client enrolled in housing")
    _note(client, actor, f"CE assignment to {_name(assignment.worker)} ended: {because}. The receiving program now "
                         "carries the case; reassignment no longer applies.", topic="assignment")
    notification_send(recipient=assignment.worker, link=reverse("client-detail", args=[client.pk]),
                      subject=format_lazy(_("{label} was enrolled in housing: your CE assignment ended"), label=client.label),
                      body=format_lazy(_("{program} enrolled the person."), program=program.name))
    return assignment
