"""Non-retaliation (grievances.md): an adverse change to a complainant's list entry or referrals
within 90 days after filing is flagged to CoC staff for review.

A watch is a deadline row (`grievances.retaliation_watch`) about the complaint or grievance, due
each morning while the 90 days last. Each run reads the history tables of the person's By-Name
List entries and referrals (read-only: bnl/ and referrals/ are not touched), flags each adverse
change once, notifies CoC staff of new flags, and schedules the next run.
"""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bnl.models import BnlEntry
from ces import roles
from ces.audit import history_save
from ces.deadlines import deadline_pending, deadline_schedule
from ces.errors import NON_FIELD, Invalid
from ces.models import User
from ces.notifications import notification_send
from ces.selectors import users_with_role
from grievances import policy
from grievances.models import Grievance, RetaliationFlag, TitleViComplaint
from grievances.policy import RETALIATION_WATCH
from grievances.selectors import REVIEW_FLAGS, require_perm
from referrals.models import Referral

WATCH_KIND = RETALIATION_WATCH
WATCH_HOUR = 6
ALREADY_REVIEWED = _("This flag was already reviewed.")

Case = TitleViComplaint | Grievance


def watch_window(case: Case) -> tuple[datetime, datetime]:
    """From the start of the day of filing to the end of the 90th day after it."""
    start = timezone.make_aware(datetime.combine(case.received_on, time.min))
    end = timezone.make_aware(datetime.combine(case.received_on + timedelta(days=policy.RETALIATION_WATCH_DAYS), time.max))
    return start, end


def watched_entry_ids(case: Case) -> list[int]:
    """The person's list entries: those of the linked client, and the entry of the rejected referral."""
    condition = Q(pk__in=[])
    if case.client_id:
        condition |= Q(client_id=case.client_id)
    if isinstance(case, Grievance) and case.referral_id:
        condition |= Q(referrals__pk=case.referral_id)
    return list(BnlEntry.objects.filter(condition).values_list("pk", flat=True).distinct())


def _next_run(now: datetime) -> datetime:
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(WATCH_HOUR)))


def watch_start(case: Case) -> bool:
    """Start watching (once) when there is someone to watch and the 90 days are not over."""
    _start, end = watch_window(case)
    now = timezone.now()
    if now > end or not watched_entry_ids(case) or deadline_pending(kind=WATCH_KIND, subject=case):
        return False
    deadline_schedule(kind=WATCH_KIND, subject=case, due_at=min(_next_run(now), end))
    return True


def _entry_changes(row, prev) -> list[str]:
    changes = []
    if row.status != prev.status and row.status in policy.ADVERSE_ENTRY_STATUSES:
        changes.append(f"list entry status {prev.status} → {row.status}")
    if row.score < prev.score:
        changes.append(f"score lowered {prev.score} → {row.score}")
    return changes


def _referral_changes(row, prev) -> list[str]:
    if row.status != prev.status and row.status in policy.ADVERSE_REFERRAL_STATUSES:
        return [f"referral #{row.id} to program #{row.program_id}: {prev.status} → {row.status}"]
    return []


def _with_previous(rows):
    """(row, the row before it of the same record) in order; ties in time are ordered by history id."""
    previous = {}
    for row in rows:
        yield row, previous.get(row.id)
        previous[row.id] = row


def _adverse_changes(case: Case, *, until: datetime):
    start, end = watch_window(case)
    entry_ids = watched_entry_ids(case)
    upto = {"history_date__lte": min(until, end)}
    entries = BnlEntry.history.filter(id__in=entry_ids, **upto).order_by("history_date", "history_id")
    for row, prev in _with_previous(entries):
        if prev is not None and row.history_date >= start and (changes := _entry_changes(row, prev)):
            yield "bnl.bnlentry", row, changes
    referrals = Referral.history.filter(entry_id__in=entry_ids, **upto).order_by("history_date", "history_id")
    for row, prev in _with_previous(referrals):
        if prev is not None and row.history_date >= start and (changes := _referral_changes(row, prev)):
            yield "referrals.referral", row, changes


def watch_run(*, case: Case, now: datetime, actor: User) -> list[RetaliationFlag]:
    """Flag each adverse change not flagged yet; notify CoC staff; watch again tomorrow."""
    owner = {"complaint": case} if isinstance(case, TitleViComplaint) else {"grievance": case}
    new_flags = []
    for record_type, row, changes in _adverse_changes(case, until=now):
        if RetaliationFlag.objects.filter(**owner, record_type=record_type, history_id=row.history_id).exists():
            continue
        flag = RetaliationFlag(**owner, record_type=record_type, record_id=row.id, history_id=row.history_id,
                               changed_at=row.history_date, changed_by_id=row.history_user_id, change="; ".join(changes)[:300],
                               reason=row.history_change_reason or "")
        try:
            with transaction.atomic():
                new_flags.append(history_save(flag, actor=actor, reason="non-retaliation watch"))
        except IntegrityError:  # another run flagged it at the same moment
            continue
    if new_flags:
        link = reverse("grievances-complaint" if isinstance(case, TitleViComplaint) else "grievances-grievance", args=[case.pk])
        for staff in users_with_role(roles.COC_STAFF):
            notification_send(
                recipient=staff,
                subject=format_lazy(_("Possible retaliation: {reference}"), reference=case.reference),
                body=format_lazy(_("{n} adverse change(s) to the complainant's list entry or referrals within {days} days "
                                   "after filing. Review them on the case."), n=len(new_flags), days=policy.RETALIATION_WATCH_DAYS),
                link=link,
            )
    _start, end = watch_window(case)
    if now < end and not deadline_pending(kind=WATCH_KIND, subject=case):
        deadline_schedule(kind=WATCH_KIND, subject=case, due_at=min(_next_run(now), end))
    return new_flags


@transaction.atomic
def flag_review(*, flag: RetaliationFlag, actor: User, note: str) -> RetaliationFlag:
    """CoC staff record what the review of a flagged change found."""
    require_perm(actor, REVIEW_FLAGS)
    flag = RetaliationFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.reviewed_at is not None:
        raise Invalid({NON_FIELD: [ALREADY_REVIEWED]})
    flag.reviewed_at = timezone.now()
    flag.reviewed_by = actor
    flag.review_note = note
    return history_save(flag, actor=actor, reason="retaliation flag reviewed")
