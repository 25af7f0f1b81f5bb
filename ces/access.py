"""Who may see a person's data (roles-privacy-audit.md, "Who sees a person's data").

One access function per kind of record. Every view, PDF, export and API
fetches clients through these, and a record the user may not see is a 404,
exactly like a missing one, so existence does not leak.

Personal data is visible to:
- staff of the agency holding the record;
- staff of every HMIS-participating agency when hmis_consent = yes;
- coc_staff and hmis_admin for consented clients.
A consent scoped to some agencies (ConsentRecord.scope) shares only with those
(`Client.hmis_consent_scope`; empty is every HMIS-participating agency); CoC
staff and admins see every consented client. A withdrawn or lapsed consent
changes `Client.hmis_consent` in the same transaction, so it takes effect at
the next request, at every door.
Records held by a victim service provider are never visible outside it.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from ces import roles
from ces.choices import YesNo
from ces.models import Client, User

_SEE_ALL_CONSENTED = (roles.COC_STAFF, roles.HMIS_ADMIN)


def client_visibility_q(user: User, prefix: str = "") -> Q:
    """The rule as a filter, for clients or for rows that point at one (prefix "client__")."""
    if not user.is_authenticated or user.agency_id is None or not user.roles or not user.is_active:
        return Q(pk__in=[])
    visible = Q(**{f"{prefix}holding_agency_id": user.agency_id})
    if user.has_role(*_SEE_ALL_CONSENTED):
        visible |= Q(**{f"{prefix}hmis_consent": YesNo.YES, f"{prefix}holding_agency__is_vsp": False})
    elif user.agency.hmis_participating:
        in_scope = Q(**{f"{prefix}hmis_consent_scope": []}) | Q(**{f"{prefix}hmis_consent_scope__contains": [user.agency_id]})
        visible |= Q(**{f"{prefix}hmis_consent": YesNo.YES, f"{prefix}holding_agency__is_vsp": False}) & in_scope
    return visible


def clients_visible_to(user: User) -> QuerySet[Client]:
    """Every client whose personal data `user` may see."""
    return Client.objects.filter(client_visibility_q(user))


def client_is_visible_to(*, user: User, client: Client) -> bool:
    """The same rule as clients_visible_to, for a client already in hand (no query)."""
    if not user.is_authenticated or user.agency_id is None or not user.roles or not user.is_active:
        return False
    if client.holding_agency_id == user.agency_id:
        return True
    shared = client.hmis_consent == YesNo.YES and not client.holding_agency.is_vsp
    if not shared:
        return False
    if user.has_role(*_SEE_ALL_CONSENTED):
        return True
    in_scope = not client.hmis_consent_scope or user.agency_id in client.hmis_consent_scope
    return user.agency.hmis_participating and in_scope


def client_get_for_user(*, user: User, pk: int) -> Client:
    """The client `pk` if `user` may see their data; Http404 otherwise (missing or forbidden)."""
    try:
        return clients_visible_to(user).select_related("holding_agency").get(pk=pk)
    except (Client.DoesNotExist, ValueError, TypeError):
        raise Http404("No such client.") from None
