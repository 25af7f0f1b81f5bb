"""The intake's deadline kinds (ces.deadlines)."""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from ces.system_user import system_user_get
from intake.models import Assessment
from intake.pdf import assessment_pdf_store


@deadline_kind("intake.assessment_pdf")
def assessment_pdf_due(deadline: Deadline) -> None:
    assessment = Assessment.objects.select_related("client", "assessor", "agency").get(pk=deadline.subject_id)
    assessment_pdf_store(assessment=assessment, actor=system_user_get())
