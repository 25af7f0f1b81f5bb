"""Writes on the By-Name List. The BNL issue extends these."""

from django.db import transaction

from bnl.models import BnlEntry
from ces.audit import history_save
from ces.models import Client, User


@transaction.atomic
def bnl_entry_place(*, assessment, actor: User) -> BnlEntry:
    """Put the assessed person on the list, or update their open entry.

    One open entry per person (active, on referral, inactive): a new
    assessment updates it (score, flags), history keeps the old values, and
    an inactive person is reactivated with their place intact. The client row
    is locked so two intakes of the same person cannot both create an entry.
    """
    Client.objects.select_for_update().get(pk=assessment.client_id)
    entry = BnlEntry.objects.filter(client_id=assessment.client_id, status__in=BnlEntry.OPEN_STATUSES).first()
    values = {
        "assessment": assessment,
        "score": assessment.total,
        "length_of_time_homeless_days": assessment.length_of_time_homeless_days,
        "county": assessment.intake.county,
        "chronic": assessment.chronically_homeless,
        "veteran": assessment.is_veteran,
        "youth": assessment.is_youth,
        "family": assessment.is_family,
        "dv": assessment.is_dv,
    }
    if entry is None:
        entry = BnlEntry(client_id=assessment.client_id, placed_on_list_at=assessment.assessed_at, **values)
        return history_save(entry, actor=actor, reason=f"placed on the list by intake #{assessment.intake_id}")
    for name, value in values.items():
        setattr(entry, name, value)
    reason = f"re-assessed by intake #{assessment.intake_id}"
    if entry.status == BnlEntry.Status.INACTIVE:
        entry.status = BnlEntry.Status.ACTIVE
        reason += "; reactivated"
    return history_save(entry, actor=actor, reason=reason)
