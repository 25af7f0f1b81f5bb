"""Reads of consents and disclosures, through the person's access check (ces.access)."""

from django.db.models import QuerySet
from django.http import Http404

from ces.access import client_get_for_user
from ces.models import Client, ConsentRecord, User
from consent.models import Disclosure


def consents_of(client: Client) -> QuerySet[ConsentRecord]:
    """Newest first (api.md)."""
    return client.consents.select_related("taken_by", "agency", "revoked_by").order_by("-taken_at", "-id")


def disclosures_of(client: Client) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(client=client).select_related("disclosed_by", "agency")


def consent_get_for_user(*, user: User, client_pk: int, pk: int) -> ConsentRecord:
    """A consent record of a client `user` may see; Http404 otherwise."""
    client = client_get_for_user(user=user, pk=client_pk)
    record = client.consents.filter(pk=pk).first()
    if record is None:
        raise Http404("No such consent.")
    record.client = client
    return record
