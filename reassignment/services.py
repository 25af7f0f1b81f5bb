"""Every write of reassignment (reassignment.md): assignments, both tracks, their steps.

The assigned worker changes in exactly two places: a standard request's
step 5 (system update), and a safety transfer's completion by the LOM.
Every step is also a note on the client's CE enrollment and a history row.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from ces import roles
from ces.audit import history_save
from ces.business_days import add_business_days
from ces.deadlines import deadline_cancel, deadline_schedule
from ces.models import Client, User
from ces.services import client_note_add
from ces.notifications import notification_send
from reassignment import policy
from reassignment.models import CaseAssignment, ReassignmentRequest, ReassignmentStep
from reassignment.selectors import caseload_is_full, caseload_size, is_lom_for

Status = ReassignmentRequest.Status
Step = ReassignmentStep.Number

NOT_A_WORKER = "Choose an active case worker or supervisor."
CASELOAD_FULL = "{name} already has {n} clients, the caseload limit of {agency}: choose another worker."
NO_CURRENT_WORKER = "This client has no assigned worker yet: assign one first."
SAME_WORKER = "The proposed worker is already the client's worker."
SAME_AGENCY_NEEDED = "A same-agency transfer needs a worker of the current worker's agency."
REASON_UNKNOWN = "Choose one of the permissible reasons."
EXPLANATION_REQUIRED = "Explain the request in a sentence or two."
ALREADY_OPEN = "This client already has an open reassignment request."
ONLY_COC_STAFF = "Only CoC staff approve or deny reassignments."
DECISION_REQUIRED = "Write the decision: approvals and denials are case by case, in writing."
NOT_WAITING = "This request is not waiting for that."
STEP_OUT_OF_ORDER = "Record step {expected} first: the steps go in order."
WRONG_PERSON = "Step {n} is recorded by {who}."
OUTCOME_NOT_ALLOWED = "That answer does not fit step {n}."
ONLY_LOM = "Only the local office manager (a supervisor of the worker's office) decides a safety transfer."
SAME_OFFICE_NEEDED = "A safety transfer moves the case within the office: choose a worker of the same agency."
ALERT_AND_PLAN_REQUIRED = "Before the transfer completes, the record needs the WORKER ALERT label and a worker safety intervention plan."
PLAN_REQUIRED = "Write the worker safety intervention plan."
NEW_WORKER_CANNOT_DECLINE = "The newly assigned worker cannot refuse a safety transfer; acknowledge the safety information instead."
ONLY_NEW_WORKER = "Only the newly assigned worker acknowledges the safety information."
ONLY_PREVIOUS_WORKER = "The hand-off note is written by the previous worker."
NOTE_REQUIRED = "Write the note."
HANDOFF_KIND = "reassignment.handoff_due"


class ReassignmentInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _fail(field: str, message: str):
    raise ReassignmentInvalid({field: [message]})


def _note(client: Client, actor: User, text: str, topic: str = "reassignment") -> None:
    client_note_add(client=client, actor=actor, topic=topic, text=text)


def _is_worker(user: User | None) -> bool:
    return bool(user and user.is_active and user.has_role(roles.CASE_WORKER, roles.SUPERVISOR))


def _caseload_message(worker: User) -> str:
    return CASELOAD_FULL.format(name=worker.get_full_name() or worker.username, n=caseload_size(worker), agency=worker.agency.name)


# --- assignments ------------------------------------------------------------------


@transaction.atomic
def case_assignment_set(*, client: Client, worker: User, actor: User, reason: str, bypass_caseload: bool = False) -> tuple[CaseAssignment, bool]:
    """Assign `worker` to `client`. Returns the assignment and whether a full caseload was bypassed."""
    if not _is_worker(worker):
        _fail("worker", NOT_A_WORKER)
    full = caseload_is_full(worker)
    if full and not bypass_caseload:
        _fail("worker", _caseload_message(worker))
    assignment = CaseAssignment.objects.select_for_update().filter(client=client).first()
    if assignment is None:
        assignment = CaseAssignment(client=client)
    assignment.worker = worker
    assignment.since = timezone.now()
    assignment.assigned_by = actor
    history_save(assignment, actor=actor, reason=reason, validate=False)
    _note(client, actor, f"Assigned to {worker.get_full_name() or worker.username} ({worker.agency.initials}): {reason}"
          + (" — caseload limit bypassed (worker safety)" if full and bypass_caseload else ""), topic="assignment")
    return assignment, full and bypass_caseload


def current_worker_of(client: Client) -> User | None:
    assignment = CaseAssignment.objects.select_related("worker__agency").filter(client=client).first()
    return assignment.worker if assignment else None


# --- standard track -----------------------------------------------------------------


def _transient_only(reason: str, explanation: str) -> bool:
    return reason == policy.TRANSIENT_REASON_CODE or bool(policy.TRANSIENT_ONLY.match(explanation or ""))


@transaction.atomic
def reassignment_request(*, client: Client, reason: str, explanation: str, proposed_worker: User | None, actor: User) -> ReassignmentRequest:
    """A standard request with one permissible reason, for CoC staff to approve or deny."""
    if _transient_only(reason, explanation):
        _fail("reason", policy.TRANSIENT_REFUSAL)
    if reason not in policy.STANDARD_REASONS:
        _fail("reason", REASON_UNKNOWN)
    if not (explanation or "").strip():
        _fail("explanation", EXPLANATION_REQUIRED)
    current = current_worker_of(client)
    if current is None:
        _fail("non_field_errors", NO_CURRENT_WORKER)
    if not _is_worker(proposed_worker):
        _fail("proposed_worker", NOT_A_WORKER)
    if proposed_worker.pk == current.pk:
        _fail("proposed_worker", SAME_WORKER)
    if reason == ReassignmentRequest.Reason.SAME_AGENCY_TRANSFER and proposed_worker.agency_id != current.agency_id:
        _fail("proposed_worker", SAME_AGENCY_NEEDED)
    if caseload_is_full(proposed_worker):
        _fail("proposed_worker", _caseload_message(proposed_worker))
    if ReassignmentRequest.objects.filter(client=client, status__in=ReassignmentRequest.OPEN_STATUSES).exists():
        _fail("non_field_errors", ALREADY_OPEN)
    request = ReassignmentRequest(
        client=client, track=ReassignmentRequest.Track.STANDARD, reason=reason, explanation=explanation.strip(),
        current_worker=current, proposed_worker=proposed_worker, requested_by=actor, status=Status.REQUESTED,
    )
    history_save(request, actor=actor, reason="reassignment requested", validate=False)
    _note(client, actor, f"Reassignment requested ({request.get_reason_display()}): {request.explanation}")
    for staff in User.objects.filter(groups__name=roles.COC_STAFF, is_active=True):
        notification_send(recipient=staff, subject=f"Reassignment request for {client.label} needs a decision",
                          link=f"/reassignments/{request.pk}/")
    return request


@transaction.atomic
def reassignment_decide(*, request: ReassignmentRequest, approve: bool, decision: str, actor: User) -> ReassignmentRequest:
    request = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
    if not actor.has_role(roles.COC_STAFF):
        _fail("non_field_errors", ONLY_COC_STAFF)
    if request.status != Status.REQUESTED:
        _fail("non_field_errors", NOT_WAITING)
    if not (decision or "").strip():
        _fail("decision", DECISION_REQUIRED)
    request.status = Status.APPROVED if approve else Status.DENIED
    request.decision = decision.strip()
    request.decided_by = actor
    request.decided_at = timezone.now()
    history_save(request, actor=actor, reason="approved by CoC staff" if approve else "denied by CoC staff", validate=False)
    _note(request.client, actor, f"Reassignment {'approved' if approve else 'denied'} by CoC staff: {request.decision}")
    for user in {request.requested_by, request.current_worker, request.proposed_worker}:
        notification_send(recipient=user, subject=f"Reassignment of {request.client.label} {'approved' if approve else 'denied'}",
                          body=request.decision, link=f"/reassignments/{request.pk}/")
    return request


def needs_nonhmis_list_holder(client: Client) -> bool:
    """A client held outside HMIS (no HMIS consent, or a non-participating agency)."""
    return client.hmis_consent != "yes" or not client.holding_agency.hmis_participating


def _step_owner(request: ReassignmentRequest, number: int) -> tuple[str, callable]:
    if number in (Step.CONSULTATION, Step.INTRODUCTION):
        return "the receiving worker in their own account", lambda u: u.pk == request.proposed_worker_id
    if number in (Step.CONSENT, Step.CONTACT_INFORMATION):
        return "the current worker", lambda u: u.pk == request.current_worker_id
    if needs_nonhmis_list_holder(request.client):
        return "the non-HMIS list holder", lambda u: u.has_role(roles.NONHMIS_LIST_HOLDER)
    return "CoC staff or the receiving worker", lambda u: u.has_role(roles.COC_STAFF) or u.pk == request.proposed_worker_id


STEP_OUTCOMES = {
    Step.CONSULTATION: ("agreed", "declined"),
    Step.CONSENT: ("consented", "refused"),
    Step.CONTACT_INFORMATION: ("done",),
    Step.INTRODUCTION: ("done",),
    Step.SYSTEM_UPDATE: ("done",),
}


def next_step(request: ReassignmentRequest) -> int | None:
    if request.status != Status.APPROVED:
        return None
    done = request.steps.filter(proposed_worker_id=request.proposed_worker_id).exclude(outcome__in=["declined", "refused"])
    return (max(done.values_list("number", flat=True), default=0) + 1) if done.exists() else Step.CONSULTATION


@transaction.atomic
def reassignment_step_record(*, request: ReassignmentRequest, number: int, outcome: str, actor: User, note: str = "") -> ReassignmentRequest:
    request = ReassignmentRequest.objects.select_for_update().select_related("client__holding_agency").get(pk=request.pk)
    if request.track == ReassignmentRequest.Track.SAFETY and number == Step.CONSULTATION and outcome == "declined":
        _fail("outcome", NEW_WORKER_CANNOT_DECLINE)
    expected = next_step(request)
    if expected is None:
        _fail("non_field_errors", NOT_WAITING)
    if number != expected:
        _fail("number", STEP_OUT_OF_ORDER.format(expected=expected))
    who, allowed = _step_owner(request, number)
    if not allowed(actor):
        _fail("non_field_errors", WRONG_PERSON.format(n=number, who=who))
    if outcome not in STEP_OUTCOMES[number]:
        _fail("outcome", OUTCOME_NOT_ALLOWED.format(n=number))
    if number == Step.SYSTEM_UPDATE and caseload_is_full(request.proposed_worker):
        _fail("non_field_errors", _caseload_message(request.proposed_worker))
    step = ReassignmentStep(request=request, number=number, outcome=outcome, note=(note or "").strip(), recorded_by=actor,
                            proposed_worker=request.proposed_worker)
    history_save(step, actor=actor, reason=f"step {number}: {outcome}", validate=False)
    _note(request.client, actor, f"Reassignment step {number} ({Step(number).label}): {outcome}" + (f" — {step.note}" if step.note else ""))
    if outcome == "declined":
        request.status = Status.RECEIVING_DECLINED
        notification_send(recipient=request.requested_by, subject=f"The receiving worker declined {request.client.label}: propose another",
                          link=f"/reassignments/{request.pk}/")
    elif outcome == "refused":
        request.status = Status.CLIENT_DECLINED
    elif number == Step.INTRODUCTION and needs_nonhmis_list_holder(request.client):
        for holder in User.objects.filter(groups__name=roles.NONHMIS_LIST_HOLDER, is_active=True):
            notification_send(recipient=holder, subject=f"Reassignment of {request.client.label}: the system update is yours",
                              body="The client is held outside HMIS: record the system update (step 5).",
                              link=f"/reassignments/{request.pk}/")
    elif number == Step.SYSTEM_UPDATE:
        case_assignment_set(client=request.client, worker=request.proposed_worker, actor=actor,
                            reason=f"reassignment #{request.pk} completed (step 5, system update)")
        request.status = Status.COMPLETED
        request.completed_at = timezone.now()
    history_save(request, actor=actor, reason=f"step {number}: {outcome}", validate=False)
    return request


@transaction.atomic
def reassignment_propose_another(*, request: ReassignmentRequest, worker: User, actor: User) -> ReassignmentRequest:
    request = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Status.RECEIVING_DECLINED:
        _fail("non_field_errors", NOT_WAITING)
    if not _is_worker(worker) or worker.pk == request.current_worker_id:
        _fail("proposed_worker", NOT_A_WORKER)
    if caseload_is_full(worker):
        _fail("proposed_worker", _caseload_message(worker))
    request.proposed_worker = worker
    request.status = Status.APPROVED
    history_save(request, actor=actor, reason="another receiving worker proposed", validate=False)
    _note(request.client, actor, f"Another receiving worker proposed: {worker.get_full_name() or worker.username}")
    return request


# --- safety track ---------------------------------------------------------------------


@transaction.atomic
def client_worker_alert_set(*, client: Client, plan: str, actor: User) -> Client:
    """Put the WORKER ALERT label and the worker safety intervention plan on the record."""
    if not actor.has_role(roles.SUPERVISOR):
        _fail("non_field_errors", ONLY_LOM)
    if not (plan or "").strip():
        _fail("safety_plan", PLAN_REQUIRED)
    client = Client.objects.select_for_update().get(pk=client.pk)
    client.worker_alert = True
    client.safety_plan = plan.strip()
    history_save(client, actor=actor, reason="WORKER ALERT and safety plan recorded", validate=False)
    _note(client, actor, "WORKER ALERT set; worker safety intervention plan recorded.", topic="worker safety")
    return client


@transaction.atomic
def safety_transfer_start(*, client: Client, new_worker: User, explanation: str, actor: User, court_obligations: str = "") -> ReassignmentRequest:
    """The LOM decides a transfer for worker safety: no CoC approval, no caseload block."""
    current = current_worker_of(client)
    if current is None:
        _fail("non_field_errors", NO_CURRENT_WORKER)
    if not is_lom_for(actor, current):
        _fail("non_field_errors", ONLY_LOM)
    if not _is_worker(new_worker) or new_worker.pk == current.pk:
        _fail("proposed_worker", NOT_A_WORKER)
    if new_worker.agency_id != current.agency_id:
        _fail("proposed_worker", SAME_OFFICE_NEEDED)
    if not (explanation or "").strip():
        _fail("explanation", EXPLANATION_REQUIRED)
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
    request = ReassignmentRequest.objects.select_for_update().select_related("client").get(pk=request.pk)
    if request.status != Status.SAFETY_PENDING:
        _fail("non_field_errors", NOT_WAITING)
    if not is_lom_for(actor, request.current_worker):
        _fail("non_field_errors", ONLY_LOM)
    client = request.client
    if not client.worker_alert or not client.safety_plan.strip():
        _fail("non_field_errors", ALERT_AND_PLAN_REQUIRED)
    _assignment, bypassed = case_assignment_set(client=client, worker=request.proposed_worker, actor=actor, bypass_caseload=True,
                                                reason=f"worker-safety transfer #{request.pk}")
    request.caseload_bypassed = bypassed
    request.status = Status.SAFETY_TRANSFERRED
    history_save(request, actor=actor, reason="transfer completed" + ("; caseload limit bypassed" if bypassed else ""), validate=False)
    deadline_schedule(kind=HANDOFF_KIND, subject=request, due_at=_handoff_due(timezone.now()))
    notification_send(recipient=request.proposed_worker, subject=f"WORKER ALERT: {client.label} is now assigned to you",
                      body="Read the reason and the safety plan and acknowledge them. " + policy.COURT_OBLIGATIONS_REMINDER,
                      link=f"/reassignments/{request.pk}/")
    notification_send(recipient=request.current_worker, subject=f"Hand-off note for {client.label} due in {policy.HANDOFF_BUSINESS_DAYS} business days",
                      link=f"/reassignments/{request.pk}/")
    return request


def _handoff_due(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(add_business_days(local.date(), policy.HANDOFF_BUSINESS_DAYS), time(17, 0)))


def _safety_done_if_complete(request: ReassignmentRequest, actor: User) -> None:
    if request.acknowledged_at and request.handoff_at and request.lom_assessed_at:
        request.status = Status.COMPLETED
        request.completed_at = timezone.now()


@transaction.atomic
def safety_transfer_acknowledge(*, request: ReassignmentRequest, actor: User) -> ReassignmentRequest:
    request = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Status.SAFETY_TRANSFERRED:
        _fail("non_field_errors", NOT_WAITING)
    if actor.pk != request.proposed_worker_id:
        _fail("non_field_errors", ONLY_NEW_WORKER)
    request.acknowledged_at = timezone.now()
    _safety_done_if_complete(request, actor)
    history_save(request, actor=actor, reason="new worker acknowledged the reason and the safety plan", validate=False)
    _note(request.client, actor, "The new worker read and acknowledged the reason and the safety plan.", topic="worker safety")
    return request


@transaction.atomic
def safety_handoff_record(*, request: ReassignmentRequest, note: str, actor: User) -> ReassignmentRequest:
    request = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Status.SAFETY_TRANSFERRED or request.handoff_at:
        _fail("non_field_errors", NOT_WAITING)
    if actor.pk != request.current_worker_id:
        _fail("non_field_errors", ONLY_PREVIOUS_WORKER)
    if not (note or "").strip():
        _fail("handoff_note", NOTE_REQUIRED)
    request.handoff_note = note.strip()
    request.handoff_at = timezone.now()
    deadline_cancel(subject=request, reason="hand-off note written", kinds=[HANDOFF_KIND])
    _safety_done_if_complete(request, actor)
    history_save(request, actor=actor, reason="hand-off note written", validate=False)
    _note(request.client, actor, f"Hand-off note: {request.handoff_note}", topic="worker safety")
    notification_send(recipient=request.proposed_worker, subject=f"Hand-off note for {request.client.label}", body=request.handoff_note,
                      link=f"/reassignments/{request.pk}/")
    return request


@transaction.atomic
def safety_lom_assessment_record(*, request: ReassignmentRequest, text: str, actor: User) -> ReassignmentRequest:
    request = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Status.SAFETY_TRANSFERRED or request.lom_assessed_at:
        _fail("non_field_errors", NOT_WAITING)
    if not is_lom_for(actor, request.current_worker):
        _fail("non_field_errors", ONLY_LOM)
    if not (text or "").strip():
        _fail("lom_assessment", NOTE_REQUIRED)
    request.lom_assessment = text.strip()
    request.lom_assessed_at = timezone.now()
    _safety_done_if_complete(request, actor)
    history_save(request, actor=actor, reason="LOM assessed the new worker for this case", validate=False)
    _note(request.client, actor, f"LOM's assessment of the new worker: {request.lom_assessment}", topic="worker safety")
    return request


def handoff_overdue_remind(request: ReassignmentRequest, *, now: datetime | None = None) -> bool:
    """The hand-off deadline passed without a note: remind the LOM(s), and again next business day."""
    if request.status != Status.SAFETY_TRANSFERRED or request.handoff_at:
        return False
    loms = User.objects.filter(agency_id=request.current_worker.agency_id, groups__name=roles.SUPERVISOR, is_active=True)
    for lom in loms:
        notification_send(recipient=lom, subject=f"Hand-off note for {request.client.label} is overdue",
                          body=f"{request.current_worker.get_full_name() or request.current_worker.username} has not written it.",
                          link=f"/reassignments/{request.pk}/")
    local = timezone.localtime(now or timezone.now())
    deadline_schedule(kind=HANDOFF_KIND, subject=request,
                      due_at=timezone.make_aware(datetime.combine(add_business_days(local.date(), 1), time(9, 0))))
    return True
