from ces.deadlines import deadline_kind
from ces.models import Deadline


@deadline_kind("reassignment.handoff_due")
def handoff_due(deadline: Deadline) -> None:
    from reassignment.models import ReassignmentRequest
    from reassignment.services import handoff_overdue_remind

    handoff_overdue_remind(ReassignmentRequest.objects.select_related("client", "current_worker").get(pk=deadline.subject_id))
