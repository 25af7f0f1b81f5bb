from celery import shared_task

from referrals.shelter_lists import shelter_daily_lists_make


@shared_task(name="referrals.shelter_daily_lists", acks_late=True, ignore_result=True)
def shelter_daily_lists() -> int:
    """Beat, from 07:00 local: each shelter's list of the last 24 hours (idempotent, catches up)."""
    return shelter_daily_lists_make()
