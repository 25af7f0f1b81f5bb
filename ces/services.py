"""Writes on the shared core: clients, consents, SSN reveals, agencies and programs, API tokens,
and the user admin's rules on privileges.

Every write takes the acting user (`actor`) so history says who did it.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from ces import roles
from ces.audit import access_log_record, history_bulk_create, history_save
from ces.choices import YesNo
from ces.deadlines import deadlines_schedule
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


@transaction.atomic(savepoint=False)
def client_create(*, holding_agency: Agency, actor: User, ssn: str = "", **fields) -> Client:
    """A new person with their history row. No savepoint of its own: a failure (the SSN's unique
    index, intake.services._ssn_guarded) fails the whole transaction it is part of."""
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


CONSENT_REMINDER_KIND = "consent.expiry_reminder"
CONSENT_EXPIRY_KIND = "consent.expiry"


def consent_default_expiry(*, kind: str, answer: str, effective_on: date) -> date | None:
    """HMIS consent lapses after the CoC's period (settings.CES_HMIS_CONSENT_YEARS, 3 by default)."""
    if kind != ConsentRecord.Kind.HMIS_ROI or answer != YesNo.YES:
        return None
    years = settings.CES_HMIS_CONSENT_YEARS
    try:
        return effective_on.replace(year=effective_on.year + years)
    except ValueError:  # 29 February
        return effective_on.replace(year=effective_on.year + years, day=28)


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
    effective_on: date | None = None,
    expires_on: date | None | bool = True,
    scope: str = ConsentRecord.Scope.HMIS_PARTICIPATING,
    scope_agency_ids: list[int] | None = None,
    signature_ciphertext: str = "",
    script_language: str = "",
    script_read: bool = False,
    dv_offer_read: bool | None = None,
    disability_notice_read: bool | None = None,
) -> ConsentRecord:
    """Record a consent given or refused, and keep the client's current answer in step.

    `expires_on=True` means the default (consent_default_expiry). A `no` withdraws every
    earlier `yes` of the kind still in force (their `revoked_at` is set), and the client's
    answer changes in the same transaction, so every door refuses at the next request. A
    `yes` with an expiry schedules the reminder to the holding agency and the lapse (timers
    in the sweep, consent/timers.py). One consent of consents_record."""
    return consents_record(client=client, actor=actor, consents=[dict(
        kind=kind, answer=answer, method=method, taken_at=taken_at, note=note, effective_on=effective_on,
        expires_on=expires_on, scope=scope, scope_agency_ids=scope_agency_ids, signature_ciphertext=signature_ciphertext,
        script_language=script_language, script_read=script_read, dv_offer_read=dv_offer_read,
        disability_notice_read=disability_notice_read,
    )])[0]


def _consent_build(
    *,
    client: Client,
    actor: User,
    now: datetime,
    kind: str,
    answer: str,
    method: str,
    taken_at: datetime | None = None,
    note: str = "",
    effective_on: date | None = None,
    expires_on: date | None | bool = True,
    scope: str = ConsentRecord.Scope.HMIS_PARTICIPATING,
    scope_agency_ids: list[int] | None = None,
    signature_ciphertext: str = "",
    script_language: str = "",
    script_read: bool = False,
    dv_offer_read: bool | None = None,
    disability_notice_read: bool | None = None,
) -> ConsentRecord:
    taken_at = taken_at or now
    effective_on = effective_on or timezone.localdate(taken_at)
    if expires_on is True:
        expires_on = consent_default_expiry(kind=kind, answer=answer, effective_on=effective_on)
    return ConsentRecord(
        client=client,
        kind=kind,
        answer=answer,
        method=method,
        taken_by=actor,
        agency=actor.agency or client.holding_agency,
        taken_at=taken_at,
        note=note,
        effective_on=effective_on,
        expires_on=expires_on or None,
        scope=scope,
        scope_agency_ids=sorted(set(scope_agency_ids or [])) if scope == ConsentRecord.Scope.AGENCIES else [],
        signature_ciphertext=signature_ciphertext,
        script_language=script_language,
        script_read=script_read,
        dv_offer_read=dv_offer_read,
        disability_notice_read=disability_notice_read,
    )


@transaction.atomic(savepoint=False)
def consents_record(*, client: Client, actor: User, consents: list[dict], client_is_new: bool = False,
                    timers_to: list | None = None) -> list[ConsentRecord]:
    """Record several consents of one client at once (consent_record's keywords, one dict each, at
    most one per kind), in a constant number of statements whatever their number:

    the records and their history rows (ces.audit.history_bulk_create: the rows history_save
    writes, sealed for a VSP's client), the lapse and reminder timers of them all, and one read of
    the latest record of each kind (for the client's answers; none for `client_is_new`, a client
    created in this transaction, whose only records are these). A `no` withdraws the earlier
    `yes` records of its kind in force (one read, then one history row per record withdrawn);
    each answer of the client that changes is saved with its own history row, as before.

    The timers go to `timers_to` when given (a caller scheduling several kinds of deadline in one
    statement, ces.deadlines.deadlines_schedule), else they are scheduled here.

    No savepoint of its own: it is called inside a transaction that a failure rolls back whole.
    """
    kinds = [consent["kind"] for consent in consents]
    if len(set(kinds)) != len(kinds):
        raise ValueError("consents_record takes at most one consent of each kind.")
    now = timezone.now()
    records = [_consent_build(client=client, actor=actor, now=now, **consent) for consent in consents]
    # Their values come from checked input (consent.services, the intake's validation); the database
    # holds the constraints (expiry after effect), so no per-field lookups here.
    history_bulk_create(records, actor=actor)
    # A `yes` in force shows on the client's answer (consent_sync_client), so only then is there one to withdraw.
    withdrawing = [
        record.kind for record in records
        if record.answer != YesNo.YES
        and (CONSENT_FIELD_BY_KIND.get(record.kind) is None or getattr(client, CONSENT_FIELD_BY_KIND[record.kind]) == YesNo.YES)
    ]
    if withdrawing and not client_is_new:
        earlier_ones = client.consents.filter(kind__in=withdrawing, answer=YesNo.YES, revoked_at__isnull=True).exclude(
            pk__in=[record.pk for record in records]).order_by("-taken_at", "-id")
        for earlier in sorted(earlier_ones, key=lambda record: withdrawing.index(record.kind)):  # kind by kind, as given
            earlier.revoked_at, earlier.revoked_by = now, actor
            history_save(earlier, actor=actor, reason="withdrawn", validate=False)
    timers = [timer for record in records if record.kind not in withdrawing and record.expires_on is not None
              for timer in _consent_timers(record)]
    if timers_to is not None:
        timers_to.extend(timers)
    elif timers:
        deadlines_schedule(timers)
    synced = [record for record in records if record.kind in CONSENT_FIELD_BY_KIND]
    if client_is_new:
        latest = {record.kind: record for record in synced}
    elif synced:
        latest = {record.kind: record for record in client.consents.filter(kind__in=[r.kind for r in synced])
                  .order_by("kind", "-taken_at", "-id").distinct("kind")}
    for record in synced:
        _consent_sync_from(client=client, kind=record.kind, latest=latest.get(record.kind), actor=actor,
                           reason=f"{record.get_kind_display()} consent recorded")
    return records


def _consent_timers(record: ConsentRecord) -> list[tuple[str, ConsentRecord, datetime]]:
    tz = timezone.get_current_timezone()
    lapse_at = datetime.combine(record.expires_on, time.min, tzinfo=tz)
    remind_at = datetime.combine(record.expires_on - timedelta(days=settings.CES_CONSENT_REMINDER_DAYS), time(9), tzinfo=tz)
    timers = [(CONSENT_EXPIRY_KIND, record, lapse_at)]
    if remind_at > timezone.now():
        timers.append((CONSENT_REMINDER_KIND, record, remind_at))
    return timers


def _consent_latest(client: Client, kind: str) -> ConsentRecord | None:
    return client.consents.filter(kind=kind).order_by("-taken_at", "-id").first()


def _consent_deciding(latest: ConsentRecord | None, today: date) -> ConsentRecord | None:
    if latest is None or (latest.answer == YesNo.YES and not latest.in_force_on(today)):
        return None
    return latest


def consent_current(*, client: Client, kind: str, today: date | None = None) -> ConsentRecord | None:
    """The record that decides the client's answer for `kind` today: the latest one taken,
    unless it is a `yes` that is withdrawn, not yet effective or lapsed (then None)."""
    return _consent_deciding(_consent_latest(client, kind), today or timezone.localdate())


def consent_sync_client(*, client: Client, kind: str, actor: User, reason: str) -> Client:
    """Set the client's current answer (and HMIS scope) from the consent records of `kind`.

    No record in force (lapsed, not yet effective) is `not_collected`: consent is asked
    again; a withdrawn one is `no`. A client without records of the kind is left alone."""
    if kind not in CONSENT_FIELD_BY_KIND:
        return client
    return _consent_sync_from(client=client, kind=kind, latest=_consent_latest(client, kind), actor=actor, reason=reason)


def _consent_sync_from(*, client: Client, kind: str, latest: ConsentRecord | None, actor: User, reason: str) -> Client:
    """consent_sync_client with the latest record of the kind already read."""
    field = CONSENT_FIELD_BY_KIND.get(kind)
    if field is None or latest is None:
        return client
    current = _consent_deciding(latest, timezone.localdate())
    if current is not None:
        answer = current.answer
    else:
        answer = YesNo.NO if latest.revoked_at is not None else YesNo.NOT_COLLECTED
    changes = {}
    if getattr(client, field) != answer:
        changes[field] = answer
    if kind == ConsentRecord.Kind.HMIS_ROI:
        scope = list(current.scope_agency_ids) if current is not None and answer == YesNo.YES else []
        if list(client.hmis_consent_scope or []) != scope:
            changes["hmis_consent_scope"] = scope
    if changes:
        for name, value in changes.items():
            setattr(client, name, value)
        history_save(client, actor=actor, reason=reason)
    return client


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
