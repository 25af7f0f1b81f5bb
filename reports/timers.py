"""The reports' deadline kinds (ces.deadlines): the HMIS export's retry."""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from reports.models import HmisExport
from reports.policy import EXPORT_KIND
from reports.services import hmis_export_resend


@deadline_kind(EXPORT_KIND)
def hmis_export_due(deadline: Deadline) -> None:
    """While an export is not done, send it to a worker again (a dead broker or worker loses nothing)."""
    job = HmisExport.objects.filter(pk=deadline.subject_id).first()
    if job is not None:
        hmis_export_resend(job, now=deadline.done_at)
