"""Reads for reassignment, scoped, and the predicates "who may do what" that the services enforce
and the screens use to offer only what a person may do.

A worker of another agency cannot see a request (404).
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ces import roles
from ces.choices import YesNo
from ces.models import Agency, Client, User
from ces.selectors import users_with_role
from reassignment import policy
from reassignment.models import CaseAssignment, ReassignmentRequest, ReassignmentStep

Status = ReassignmentRequest.Status
_SEE_ALL = (roles.COC_STAFF, roles.HMIS_ADMIN, roles.NONHMIS_LIST_HOLDER)
WORKER_ROLES = (roles.CASE_WORKER, roles.SUPERVISOR)


# --- records ---------------------------------------------------------------------------------


def reassignments_visible_to(user: User) -> QuerySet[ReassignmentRequest]:
    base = ReassignmentRequest.objects.select_related(
        "client__holding_agency", "current_worker__agency", "proposed_worker__agency", "requested_by", "decided_by"
    )
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("reassignment.view_reassignmentrequest"):
        return base.none()
    if user.has_role(*_SEE_ALL):
        return base
    return base.filter(Q(current_worker__agency_id=user.agency_id) | Q(proposed_worker__agency_id=user.agency_id))


def reassignment_get_for_user(*, user: User, pk: int) -> ReassignmentRequest:
    try:
        return reassignments_visible_to(user).get(pk=pk)
    except (ReassignmentRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such reassignment.") from None


def current_worker_of(client: Client) -> User | None:
    """The client's assigned worker; None before the first assignment and after a housing enrollment ended it."""
    assignment = CaseAssignment.objects.select_related("worker__agency").filter(client=client, ended_at__isnull=True).first()
    return assignment.worker if assignment else None


def ended_assignment_of(client: Client) -> CaseAssignment | None:
    """The assignment that ended when the client was enrolled in a housing project, if that is where it stands."""
    return CaseAssignment.objects.select_related("worker__agency").filter(client=client, ended_at__isnull=False).first()


def open_reassignment_of(client: Client) -> ReassignmentRequest | None:
    return client.reassignments.filter(status__in=ReassignmentRequest.OPEN_STATUSES).first()


def caseload_size(worker: User) -> int:
    return CaseAssignment.objects.filter(worker=worker, ended_at__isnull=True).count()


def caseload_is_full(worker: User) -> bool:
    limit = worker.agency.caseload_limit if worker.agency_id else None
    return limit is not None and caseload_size(worker) >= limit


def workers_of(agency_id: int) -> QuerySet[User]:
    return (
        users_with_role(*WORKER_ROLES, agency=agency_id)
        .annotate(caseload_count=Count("caseload", filter=Q(caseload__ended_at__isnull=True), distinct=True))
        .order_by("last_name", "first_name")
    )


# --- who may do what ---------------------------------------------------------------------------


def is_worker(user: User | None) -> bool:
    """An active case worker or supervisor: someone who can carry a caseload."""
    return bool(user and user.is_active and user.has_role(*WORKER_ROLES))


def is_supervisor_of(user: User, agency: Agency | int | None) -> bool:
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return (user.is_active and user.has_role(roles.SUPERVISOR) and user.agency_id is not None
            and agency_id is not None and user.agency_id == agency_id)


def is_lom_for(user: User, worker: User) -> bool:
    """The local office manager: a supervisor of the worker's own agency."""
    return is_supervisor_of(user, worker.agency_id)


def is_coc_staff(user: User) -> bool:
    return user.is_active and user.has_role(roles.COC_STAFF)


def may_assign_first_worker(user: User, client: Client) -> bool:
    """The first worker is assigned by a supervisor of the agency holding the client."""
    return is_supervisor_of(user, client.holding_agency_id)


def may_request_reassignment(user: User, current_worker: User) -> bool:
    """A standard request comes from the client's current worker or a supervisor of their agency."""
    return is_worker(user) and (user.pk == current_worker.pk or is_supervisor_of(user, current_worker.agency_id))


def may_propose_worker(user: User, request: ReassignmentRequest) -> bool:
    """After a receiving worker declines, the requesting or the current worker proposes another: a case
    worker or supervisor still (a person whose roles changed — now an HMIS admin, say — may not)."""
    return is_worker(user) and user.pk in (request.requested_by_id, request.current_worker_id)


def may_set_worker_alert(user: User, client: Client, assigned: User | None) -> bool:
    """The WORKER ALERT and safety plan: a supervisor of the agency holding the client, or the LOM of the
    assigned worker's office (who decides the safety transfer)."""
    return is_supervisor_of(user, client.holding_agency_id) or (assigned is not None and is_lom_for(user, assigned))


def needs_nonhmis_list_holder(client: Client) -> bool:
    """A client held outside HMIS (no HMIS consent, or a non-participating agency)."""
    return client.hmis_consent != YesNo.YES or not client.holding_agency.hmis_participating


# --- the five steps (policy.STEPS) ---------------------------------------------------------------


def step_next(request: ReassignmentRequest) -> int | None:
    """The step to record next, or None when the request is not in its steps."""
    if request.status != Status.APPROVED:
        return None
    done = (request.steps.filter(proposed_worker_id=request.proposed_worker_id)
            .exclude(outcome__in=policy.STOPPING_OUTCOMES).values_list("number", flat=True))
    return max(done, default=0) + 1


def step_owner_may(user: User, request: ReassignmentRequest, number: int) -> bool:
    """Whether `user` is the person who records step `number` of `request`."""
    rule = policy.STEPS.get(number)
    if rule is None or not user.is_active:
        return False
    if rule.owner == policy.RECEIVING_WORKER:
        return user.pk == request.proposed_worker_id
    if rule.owner == policy.CURRENT_WORKER:
        return user.pk == request.current_worker_id
    if needs_nonhmis_list_holder(request.client):
        return user.has_role(roles.NONHMIS_LIST_HOLDER)
    return user.has_role(roles.COC_STAFF) or user.pk == request.proposed_worker_id


def step_owner_label(request: ReassignmentRequest, number: int):
    rule = policy.STEPS[number]
    if rule.owner != policy.SYSTEM_UPDATER:
        return policy.OWNER_LABELS[rule.owner]
    if needs_nonhmis_list_holder(request.client):
        return policy.SYSTEM_UPDATER_NONHMIS_LABEL
    return policy.SYSTEM_UPDATER_HMIS_LABEL


# --- what each screen offers ----------------------------------------------------------------------


def reassignment_page(*, user: User, request: ReassignmentRequest) -> dict:
    """What `user` may do on the request's page: each flag is the rule its service enforces."""
    step = step_next(request)
    rule = policy.STEPS.get(step) if step else None
    lom = is_lom_for(user, request.current_worker)
    new_worker = user.pk == request.proposed_worker_id
    previous_worker = user.pk == request.current_worker_id
    transferred = request.status == Status.SAFETY_TRANSFERRED
    return {
        "is_standard": request.track == ReassignmentRequest.Track.STANDARD,
        "next_step": step,
        "next_step_rule": rule,
        "next_step_label": ReassignmentStep.Number(step).label if rule else "",
        "next_step_owner": step_owner_label(request, step) if rule else "",
        "system_update_by_list_holder": step == policy.STEP_COUNT and needs_nonhmis_list_holder(request.client),
        "may_record_step": bool(rule) and step_owner_may(user, request, step),
        "may_decide": request.status == Status.REQUESTED and is_coc_staff(user),
        "may_propose": request.status == Status.RECEIVING_DECLINED and may_propose_worker(user, request),
        "may_complete": request.status == Status.SAFETY_PENDING and lom,
        "alert_missing": not (request.client.worker_alert and request.client.safety_plan.strip()),
        "sees_safety_information": new_worker or lom,
        "may_acknowledge": transferred and new_worker and not request.acknowledged_at,
        "may_hand_off": transferred and previous_worker and not request.handoff_at,
        "may_assess": transferred and lom and not request.lom_assessed_at,
        "court_reminder": policy.COURT_OBLIGATIONS_REMINDER,
        "handoff_days": policy.HANDOFF_BUSINESS_DAYS,
    }


def client_panel(*, user: User, client: Client) -> dict:
    """The client page's "Assigned worker" panel: who is assigned, and the forms `user` may use."""
    assigned = current_worker_of(client)
    ended = ended_assignment_of(client) if assigned is None else None
    open_request = open_reassignment_of(client)
    lom = assigned is not None and is_lom_for(user, assigned)
    return {
        "assigned": assigned,
        "ended_assignment": ended,
        "open_reassignment": open_request,
        "may_assign": assigned is None and may_assign_first_worker(user, client),
        "may_request": assigned is not None and open_request is None and may_request_reassignment(user, assigned),
        "may_set_worker_alert": may_set_worker_alert(user, client, assigned),
        # Nothing may delay a safety transfer: it supersedes any open request (safety_transfer_start).
        "may_start_safety_transfer": lom,
        "agency_workers": workers_of(assigned.agency_id if assigned else client.holding_agency_id),
        "all_workers": workers_of(user.agency_id) if user.agency_id else User.objects.none(),
        "reasons": [(code, ReassignmentRequest.Reason(code).label) for code in policy.STANDARD_REASONS],
        "situations": policy.CLIENT_SITUATIONS,
    }
