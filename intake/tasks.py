from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ces.deadlines import deadline_process
from ces.models import Deadline
from intake.models import Assessment


@shared_task(name="intake.assessment_pdf_render", acks_late=True, ignore_result=True)
def assessment_pdf_render(assessment_id: int) -> int:
    """Render the assessment's pending PDF now (the sweep would otherwise do it). Idempotent."""
    pending = Deadline.objects.filter(
        kind="intake.assessment_pdf",
        subject_type=ContentType.objects.get_for_model(Assessment),
        subject_id=assessment_id,
        state=Deadline.State.PENDING,
    ).values_list("pk", flat=True)
    now = timezone.now()
    return sum(1 for pk in pending if deadline_process(pk=pk, now=now))
