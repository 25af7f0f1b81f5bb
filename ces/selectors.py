"""Reads on the shared core, already scoped to the user."""

import re
from datetime import date

from django.db.models import Q, QuerySet

from ces.access import clients_visible_to
from ces.models import Agency, Client, Notification, Program, User
from ces.ssn import ssn_lookup_hash, ssn_normalize

_LABEL = re.compile(r"^\s*([A-Za-z]{2,5})-0*(\d+)\s*$")


def client_search(*, user: User, query: str = "", dob: date | None = None) -> QuerySet[Client]:
    """Clients the user may see, matching a label (CP-000123), an SSN, or a name."""
    clients = clients_visible_to(user).select_related("holding_agency")
    query = (query or "").strip()
    if dob is not None:
        clients = clients.filter(dob=dob)
    if not query:
        return clients
    if match := _LABEL.match(query):
        return clients.filter(holding_agency__initials=match[1].upper(), pk=int(match[2]))
    digits = ssn_normalize(query)
    if len(digits) == 9 and not re.search(r"[A-Za-z]", query):
        return clients.filter(ssn_hash=ssn_lookup_hash(digits))
    condition = Q()
    for word in query.split():
        condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(middle_name__icontains=word)
    return clients.filter(condition)


def client_find_by_ssn(ssn: str) -> QuerySet[Client]:
    """Every client with this SSN, unscoped: for the duplicate check only."""
    return Client.objects.filter(ssn_hash=ssn_lookup_hash(ssn))


def agencies_list() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


def programs_list(*, agency: Agency | None = None) -> QuerySet[Program]:
    programs = Program.objects.filter(is_active=True).select_related("agency").order_by("agency__name", "name")
    return programs.filter(agency=agency) if agency is not None else programs


def notifications_for(*, user: User, unread_only: bool = True) -> QuerySet[Notification]:
    notes = Notification.objects.filter(recipient=user)
    return notes.filter(read_at__isnull=True) if unread_only else notes
