"""Reads on the shared core, already scoped to the user."""

import re
from datetime import date

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.http import Http404

from ces import roles
from ces.access import client_get_for_user, clients_visible_to
from ces.models import Agency, Client, ClientDocument, Notification, Program, User
from ces.sealed import search_hashes, search_normalize
from ces.ssn import ssn_lookup_hash, ssn_normalize, ssn_search_hashes, ssn_space

_LABEL = re.compile(r"^\s*([A-Za-z]{2,5})-0*(\d+)\s*$")


def client_search_kind(query: str) -> str:
    """What a search is by (label, ssn or name; "" for none): what the access log keeps of it."""
    query = (query or "").strip()
    if not query:
        return ""
    if _LABEL.match(query):
        return "label"
    if len(ssn_normalize(query)) == 9 and not re.search(r"[A-Za-z]", query):
        return "ssn"
    return "name"


def client_search(*, user: User, query: str = "", dob: date | None = None) -> QuerySet[Client]:
    """Clients the user may see, matching a label (CP-000123), an SSN, or a name.

    The people a VSP holds have their names and DOB sealed (ces.sealed): its own users find
    them by the keyed hashes of the words and the DOB under the VSP's key, never the text."""
    clients = clients_visible_to(user).select_related("holding_agency")
    query = (query or "").strip()
    own_vsp = ssn_space(user.agency) if user.agency_id else None
    if dob is not None:
        by_dob = Q(dob=dob)
        if own_vsp is not None:
            by_dob |= Q(holding_agency_id=own_vsp, vsp_search_hashes__contains=search_hashes(own_vsp, [f"dob:{dob.isoformat()}"]))
        clients = clients.filter(by_dob)
    kind = client_search_kind(query)
    if not kind:
        return clients
    if kind == "label":
        match = _LABEL.match(query)
        return clients.filter(holding_agency__initials=match[1].upper(), pk=int(match[2]))
    if kind == "ssn":  # the CoC's hash space, and the user's own VSP's if they are at one
        return clients.filter(ssn_hash__in=ssn_search_hashes(ssn_normalize(query), user.agency))
    condition = Q()
    for word in query.split():
        condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(middle_name__icontains=word)
    if own_vsp is not None:
        sealed = Q(holding_agency_id=own_vsp)
        for word in search_normalize(query).split():
            sealed &= Q(vsp_search_hashes__contains=search_hashes(own_vsp, [f"word:{word}"]))
        condition |= sealed
    return clients.filter(condition)


def client_find_by_ssn(ssn: str) -> QuerySet[Client]:
    """Every client with this SSN in the CoC's hash space (never a VSP-held person), unscoped."""
    return Client.objects.filter(ssn_hash=ssn_lookup_hash(ssn))


def agencies_list() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


def programs_list(*, agency: Agency | None = None) -> QuerySet[Program]:
    programs = Program.objects.filter(is_active=True).select_related("agency").order_by("agency__name", "name")
    return programs.filter(agency=agency) if agency is not None else programs


def users_with_role(*codes: str, agency: Agency | int | None = None) -> QuerySet[User]:
    """Active users holding any of the roles `codes`, of one agency if given: the one way to ask
    "who are the CoC staff / the supervisors of this agency"."""
    users = User.objects.filter(is_active=True, groups__name__in=codes)
    if agency is not None:
        users = users.filter(agency_id=agency.pk if isinstance(agency, Agency) else agency)
    return users.distinct().select_related("agency")


def client_document_get_for_user(*, user: User, client_pk: int, pk: int) -> ClientDocument:
    """A file on the record of a client `user` may see; Http404 otherwise (missing or forbidden)."""
    client = client_get_for_user(user=user, pk=client_pk)
    document = client.documents.filter(pk=pk).select_related("client__holding_agency").first()
    if document is None:
        raise Http404("No such document.")
    return document


def notification_get_for_user(*, user: User, pk: int) -> Notification:
    """One of `user`'s own notices; Http404 for anyone else's."""
    notification = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notification is None:
        raise Http404("No such notice.")
    return notification


def groups_grantable_by(actor: User) -> QuerySet[Group]:
    """The groups `actor` may give in the user admin: a superuser any, another admin the role
    groups only (roles.ROLE_PERMISSIONS), never a hand-made group with other permissions."""
    if actor.is_superuser:
        return Group.objects.order_by("name")
    return Group.objects.filter(name__in=list(roles.ROLE_PERMISSIONS)).order_by("name")


def agency_holds_people(agency: Agency) -> bool:
    """True while the agency holds clients or By-Name List entries (its own list, or
    de-identified entries it answers for)."""
    if agency.pk is None:
        return False
    return (
        Client.objects.filter(holding_agency_id=agency.pk).exists()
        or agency.own_list_entries.exists()
        or agency.deidentified_entries.exists()
    )


def agency_vsp_change_refused(*, agency: Agency, is_vsp: bool) -> bool:
    """True when saving `is_vsp` would change the VSP status of an agency that holds people:
    that status decides who may see them (a database trigger refuses it too)."""
    if agency.pk is None:
        return False
    stored = Agency.objects.filter(pk=agency.pk).values_list("is_vsp", flat=True).first()
    return stored is not None and stored != is_vsp and agency_holds_people(agency)


def notifications_for(*, user: User, unread_only: bool = True) -> QuerySet[Notification]:
    notes = Notification.objects.filter(recipient=user)
    return notes.filter(read_at__isnull=True) if unread_only else notes
