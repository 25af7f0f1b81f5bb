"""Reads for engagement: whose cases a user works, what is due today, the weekly report."""

from datetime import timedelta

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ces import roles
from ces.models import User
from engagement import policy
from engagement.models import EngagementCase, OutreachStep


def cases_visible_to(user: User) -> QuerySet[EngagementCase]:
    base = EngagementCase.objects.select_related("client__holding_agency", "program", "worker")
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("engagement.view_engagementcase"):
        return base.none()
    if user.has_role(roles.SUPERVISOR):
        return base.filter(worker__agency_id=user.agency_id)
    return base.filter(worker=user)


def case_get_for_user(*, user: User, pk: int) -> EngagementCase:
    try:
        return cases_visible_to(user).get(pk=pk)
    except (EngagementCase.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case.") from None


def task_list(user: User) -> list[OutreachStep]:
    """Open steps of the user's cases (a supervisor: the office's), soonest first, overdue flagged."""
    steps = (
        OutreachStep.objects.filter(case__in=cases_visible_to(user), done_at__isnull=True, cancelled=False,
                                    case__status=EngagementCase.Status.OUTREACH)
        .select_related("case__client__holding_agency", "case__program", "case__worker")
        .order_by("due_on", "id")
    )
    today = timezone.localdate()
    result = list(steps[:200])
    for step in result:
        step.is_overdue = step.due_on < today
    return result


def flagged_cases(user: User) -> QuerySet[EngagementCase]:
    return cases_visible_to(user).filter(status__in=[EngagementCase.Status.DUE_FOR_ENGAGEMENT, EngagementCase.Status.DUE_FOR_HOLD])


def weekly_report(user: User) -> list[EngagementCase]:
    """The weekly staff meeting: due for engagement, due for hold, in engagement, or 14+ days without contact."""
    quiet_since = timezone.now() - timedelta(days=policy.STAFF_MEETING_QUIET_DAYS)
    cases = (
        cases_visible_to(user)
        .filter(status__in=EngagementCase.OPEN_STATUSES)
        .annotate(last_attempt=Max("attempts__at"))
        .filter(
            Q(status__in=[EngagementCase.Status.DUE_FOR_ENGAGEMENT, EngagementCase.Status.DUE_FOR_HOLD, EngagementCase.Status.ENGAGEMENT])
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
