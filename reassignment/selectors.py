"""Reads for reassignment, scoped: a worker of another agency cannot see a request (404)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ces import roles
from ces.models import User
from reassignment.models import CaseAssignment, ReassignmentRequest

_SEE_ALL = (roles.COC_STAFF, roles.HMIS_ADMIN, roles.NONHMIS_LIST_HOLDER)


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


def caseload_size(worker: User) -> int:
    return CaseAssignment.objects.filter(worker=worker).count()


def caseload_is_full(worker: User) -> bool:
    limit = worker.agency.caseload_limit if worker.agency_id else None
    return limit is not None and caseload_size(worker) >= limit


def workers_of(agency_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(agency_id=agency_id, is_active=True, groups__name__in=[roles.CASE_WORKER, roles.SUPERVISOR])
        .distinct()
        .annotate(caseload_count=Count("caseload"))
        .order_by("last_name", "first_name")
    )


def is_lom_for(user: User, worker: User) -> bool:
    """The local office manager: a supervisor of the worker's own agency."""
    return user.has_role(roles.SUPERVISOR) and user.agency_id is not None and user.agency_id == worker.agency_id
