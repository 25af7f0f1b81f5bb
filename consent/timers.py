"""Consent timers (ces.deadlines): the reminder before an HMIS consent lapses, and the lapse."""

from ces.deadlines import deadline_kind
from ces.models import ConsentRecord, Deadline
from ces.services import CONSENT_EXPIRY_KIND, CONSENT_REMINDER_KIND
from ces.system_user import system_user_get
from consent.services import consent_lapse, consent_remind


@deadline_kind(CONSENT_REMINDER_KIND)
def consent_reminder_due(deadline: Deadline) -> None:
    record = ConsentRecord.objects.select_related("client__holding_agency").filter(pk=deadline.subject_id).first()
    if record is not None:
        consent_remind(record=record)


@deadline_kind(CONSENT_EXPIRY_KIND)
def consent_expiry_due(deadline: Deadline) -> None:
    record = ConsentRecord.objects.filter(pk=deadline.subject_id).first()
    if record is not None:
        consent_lapse(record=record, actor=system_user_get())
