"""Referral deadlines (ces.deadlines): a reminder at 10 business days, expiry at 20."""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from ces.system_user import system_user_get


@deadline_kind("referrals.reminder")
def referral_reminder_due(deadline: Deadline) -> None:
    from referrals.models import Referral
    from referrals.services import referral_remind

    referral_remind(referral=Referral.objects.select_related("entry__client__holding_agency", "entry__vsp", "program").get(pk=deadline.subject_id))


@deadline_kind("referrals.expire")
def referral_expiry_due(deadline: Deadline) -> None:
    from referrals.models import Referral
    from referrals.services import referral_expire

    referral_expire(referral=Referral.objects.get(pk=deadline.subject_id), actor=system_user_get())
