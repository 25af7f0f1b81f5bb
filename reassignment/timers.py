"""The reassignment's deadline kinds (ces.deadlines): the hand-off note of a safety transfer."""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from reassignment.models import ReassignmentRequest
from reassignment.services import HANDOFF_KIND, handoff_overdue_remind


@deadline_kind(HANDOFF_KIND)
def handoff_due(deadline: Deadline) -> None:
    request = ReassignmentRequest.objects.select_related("client__holding_agency", "current_worker").get(pk=deadline.subject_id)
    handoff_overdue_remind(request, now=deadline.done_at)  # done_at: the sweep's "now" when it claimed the row
