"""Writes on referrals. The referrals issue extends these."""

from django.db import transaction

from ces.audit import history_save
from ces.models import Client, User
from referrals.models import ShelterReferral


@transaction.atomic
def shelter_referral_create(*, client: Client, shelter, actor: User, intake=None) -> ShelterReferral:
    referral = ShelterReferral(client=client, shelter=shelter, intake=intake, created_by=actor)
    return history_save(referral, actor=actor, reason="referred at intake" if intake else "referred")
