"""Writes on the shared core: clients, consents, SSN reveals, agencies and programs, API tokens,
and the user admin's rules on privileges.

Every write takes the acting user (`actor`) so history says who did it.
"""

from datetime import datetime

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from ces import roles
from ces.audit import access_log_record, history_save
from ces.errors import Forbidden, Invalid, ServiceError
from ces.lockout import LOCKED_OUT, LOCKED_OUT_STATUS
from ces.models import AccessLog, Agency, Client, ClientNote, ConsentRecord, Program, User
from ces.selectors import agency_vsp_change_refused

MAY_NOT_REVEAL_SSN = _("You may not reveal full SSNs.")
BAD_CREDENTIALS = _("Unable to log in with that username and password.")
AGENCY_VSP_LOCKED = _(
    "This agency holds clients or By-Name List entries, so whether it is a victim service provider cannot "
    "change: that decides who may see those people. Move or close them first."
)


class LockedOut(ServiceError):
    """Too many failed log-ins for this username and address (django-axes): 429."""

    status_code = LOCKED_OUT_STATUS

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
    """The full SSN (nine digits), for a user with the reveal permission; every reveal is logged.

    The caller has already fetched `client` through ces.access.client_get_for_user.
    """
    if not actor.has_perm("ces.reveal_client_ssn"):
        raise Forbidden(MAY_NOT_REVEAL_SSN)
    access_log_record(user=actor, action=AccessLog.Action.REVEAL_SSN, request=request, client=client, obj=client)
    return client.reveal_ssn()


@transaction.atomic
def agency_save(*, agency: Agency, actor: User, reason: str = "", **fields) -> Agency:
    """Create (unsaved `agency`) or change an agency; validated, with history.

    Its VSP status cannot change while it holds people (ces.selectors.agency_vsp_change_refused;
    the database refuses it too, migration 0007)."""
    if "is_vsp" in fields and agency_vsp_change_refused(agency=agency, is_vsp=fields["is_vsp"]):
        raise Invalid({"is_vsp": [AGENCY_VSP_LOCKED]})
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


# --- API tokens (django-rest-knox) ---------------------------------------------------------


def api_token_issue(*, request: HttpRequest, username: str, password: str) -> tuple[AuthToken, str]:
    """A new API token for the person whose credentials these are: (the stored token, its key).

    The key is returned once and never stored (knox keeps a hash). The same lock-out as the
    log-in page: the credentials go through django-axes, which counts failures per username
    and address.
    """
    user = authenticate(request=request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(LOCKED_OUT)
    if user is None or not user.is_active:
        raise Invalid(BAD_CREDENTIALS)
    return AuthToken.objects.create(user=user)


def api_tokens_revoke(*, user: User) -> int:
    """Revoke every API token of `user` (knox's "log out everywhere"); how many there were.

    Called wherever a password is set (the admin's password form), so a token never outlives
    the password that obtained it."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


# --- the user admin's rules on privileges -----------------------------------------------------


def user_admin_access_sync(*, user: User, actor: User) -> User:
    """Access to the admin site follows the role: staff status for superusers and for holders of
    an admin-site role (roles.ADMIN_SITE_ROLES), for nobody else. Nobody sets it by hand, so no
    admin can give it beyond the role they may give."""
    user.__dict__.pop("roles", None)
    is_staff = user.is_superuser or user.has_role(*roles.ADMIN_SITE_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        history_save(user, actor=actor, reason="admin-site access follows the role", validate=False)
    return user


def user_may_be_changed_by(*, actor: User, user: User | None) -> bool:
    """Only a superuser changes a superuser."""
    return user is None or not user.is_superuser or actor.is_superuser


def user_may_change_own_privileges(*, actor: User, user: User | None) -> bool:
    """Nobody but a superuser changes their own roles or active status (no self-promotion)."""
    return actor.is_superuser or user is None or user.pk != actor.pk
