from django import template

from bnl.models import BnlEntry
from referrals import policy

register = template.Library()


@register.filter
def rejection_reason(code):
    """A rejection reason's code ("household_size") as the program's screen names it."""
    return dict(policy.REJECTION_REASONS).get(code, code)


@register.filter
def entry_status(code):
    """A list entry's status code ("on_referral") in words, as the pull audit stored it."""
    return dict(BnlEntry.Status.choices).get(code, code)
