"""Referral deadlines (ces.deadlines): a reminder at 10 business days, expiry at 20."""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from ces.system_user import system_user_get
from referrals.models import Referral
from referrals.services import EXPIRY_KIND, REMINDER_KIND, referral_expire, referral_remind


@deadline_kind(REMINDER_KIND)
def referral_reminder_due(deadline: Deadline) -> None:
    referral_remind(referral=Referral.objects.select_related("entry__client__holding_agency", "entry__vsp", "program").get(pk=deadline.subject_id))


@deadline_kind(EXPIRY_KIND)
def referral_expiry_due(deadline: Deadline) -> None:
    referral_expire(referral=Referral.objects.get(pk=deadline.subject_id), actor=system_user_get())
