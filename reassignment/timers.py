from ces.deadlines import deadline_kind
from ces.models import Deadline


@deadline_kind("reassignment.handoff_due")
def handoff_due(deadline: Deadline) -> None:
    from reassignment.models import ReassignmentRequest
    from reassignment.services import handoff_overdue_remind

    request = ReassignmentRequest.objects.select_related("client", "current_worker").get(pk=deadline.subject_id)
    handoff_overdue_remind(request, now=deadline.done_at)  # done_at: the sweep's "now" when it claimed the row
