"""Writes on the shared core: clients, consents, SSN reveals.

Every write takes the acting user (`actor`) so history says who did it.
"""

from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ces.audit import access_log_record, history_save
from ces.models import AccessLog, Agency, Client, ClientNote, ConsentRecord, Program, User

CONSENT_FIELD_BY_KIND = {
    ConsentRecord.Kind.HMIS_ROI: "hmis_consent",
    ConsentRecord.Kind.VOICEMAIL: "voicemail_consent",
    ConsentRecord.Kind.TEXT: "text_consent",
}


@transaction.atomic
def client_create(*, holding_agency: Agency, actor: User, ssn: str = "", **fields) -> Client:
    client = Client(holding_agency=holding_agency, created_by=actor, **fields)
    client.set_ssn(ssn)
    return history_save(client, actor=actor, reason="created")


@transaction.atomic
def client_update(*, client: Client, actor: User, reason: str = "", ssn: str | None = None, **fields) -> Client:
    for name, value in fields.items():
        setattr(client, name, value)
    if ssn is not None:
        client.set_ssn(ssn)
    return history_save(client, actor=actor, reason=reason or "updated")


@transaction.atomic
def consent_record(
    *,
    client: Client,
    kind: str,
    answer: str,
    method: str,
    actor: User,
    taken_at: datetime | None = None,
    note: str = "",
) -> ConsentRecord:
    """Record a consent given or refused, and keep the client's current answer in step."""
    record = ConsentRecord(
        client=client,
        kind=kind,
        answer=answer,
        method=method,
        taken_by=actor,
        agency=actor.agency or client.holding_agency,
        taken_at=taken_at or timezone.now(),
        note=note,
    )
    history_save(record, actor=actor)
    field = CONSENT_FIELD_BY_KIND.get(kind)
    latest = client.consents.filter(kind=kind).order_by("-taken_at", "-id").first()
    if field and latest is not None and getattr(client, field) != latest.answer:
        setattr(client, field, latest.answer)
        history_save(client, actor=actor, reason=f"{record.get_kind_display()} consent recorded")
    return record


def client_ssn_reveal(*, client: Client, actor: User, request: HttpRequest | None = None) -> str:
    """The full SSN, for a user with the reveal permission; every reveal is logged.

    The caller has already fetched `client` through ces.access.client_get_for_user.
    """
    if not actor.has_perm("ces.reveal_client_ssn"):
        raise PermissionError("This user may not reveal SSNs.")
    access_log_record(user=actor, action=AccessLog.Action.REVEAL_SSN, request=request, client=client, obj=client)
    return client.reveal_ssn()


@transaction.atomic
def agency_save(*, agency: Agency, actor: User, reason: str = "", **fields) -> Agency:
    """Create (unsaved `agency`) or change an agency; validated, with history."""
    for name, value in fields.items():
        setattr(agency, name, value)
    return history_save(agency, actor=actor, reason=reason)


@transaction.atomic
def program_save(*, program: Program, actor: User, reason: str = "", **fields) -> Program:
    """Create (unsaved `program`) or change a program and its eligibility criteria."""
    for name, value in fields.items():
        setattr(program, name, value)
    return history_save(program, actor=actor, reason=reason)


def client_note_add(*, client: Client, actor: User, topic: str, text: str) -> ClientNote:
    """A note on the client's CE enrollment, with its history attributed to `actor`."""
    return history_save(ClientNote(client=client, author=actor, topic=topic, text=text), actor=actor, validate=False)
