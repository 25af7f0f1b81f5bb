"""Consent with a life, and disclosures without consent (docs/consent.md).

The one write of a consent record is ces.services.consent_record (the intake uses it too):
it sets the default expiry, withdraws earlier consents on a `no`, schedules the reminder and
the lapse, and keeps the client's current answer in step, which every door reads
(ces.access). The actions here add who may do it, the checks a person can act on, the
signature, the scripts' confirmations, the copy for the client and the disclosure log.
"""

import base64
import json
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces import crypto, roles
from ces.access import client_is_visible_to
from ces.audit import history_save
from ces.choices import YesNo
from ces.documents import document_render, pdf_render
from ces.errors import Forbidden, Invalid, NotFound
from ces.models import Agency, Client, ClientDocument, ConsentRecord, User
from ces.notifications import notification_send
from ces.selectors import users_with_role
from ces.services import consent_current, consent_record, consent_sync_client
from consent import policy
from consent.models import Disclosure
from consent.scripts import script_for

MAY_NOT_RECORD = _("Your role may not record consents.")
MAY_NOT_DISCLOSE = _("Your role may not record disclosures.")
WRITTEN_NEEDS_SIGNATURE = _("A written consent needs the client's signature: type their full name or add an image of the signature.")
EXPIRY_BEFORE_START = _("The expiry date must be after the date the consent takes effect.")
SCOPE_NEEDS_AGENCIES = _("Choose at least one agency, or share with every HMIS-participating agency.")
SCOPE_AGENCY_NOT_HMIS = _("Only active HMIS-participating agencies can be in the scope of an HMIS consent: {names}.")
SCRIPT_NOT_READ = _("Read the consent script to the client and tick that you did.")
DV_OFFER_NOT_READ = _("Offer the referral to a Domestic Violence partner (in the script) and tick that you did.")
DISABILITY_NOTICE_NOT_READ = _("Tell the client that they do not have to disclose a disability, and tick that you did.")
VSP_NEVER_SHARES = _("A victim service provider's clients are never shared through HMIS (VAWA): record HMIS consent as “no”.")
NOTHING_TO_WITHDRAW = _("This consent is not in force (it was refused, withdrawn or has lapsed): there is nothing to withdraw.")
SIGNATURE_NOT_IMAGE = _("The signature must be a PNG or JPEG image of at most 200 KB.")
DISCLOSED_IN_FUTURE = _("The date of the disclosure cannot be in the future.")

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _require_sees(actor: User, client: Client) -> None:
    if not client_is_visible_to(user=actor, client=client):
        raise NotFound()


def _scope_errors(scope: str, agency_ids: list[int]) -> list:
    if scope != ConsentRecord.Scope.AGENCIES:
        return []
    if not agency_ids:
        return [SCOPE_NEEDS_AGENCIES]
    wrong = Agency.objects.filter(pk__in=agency_ids).exclude(hmis_participating=True, is_vsp=False, is_active=True)
    missing = set(agency_ids) - set(Agency.objects.filter(pk__in=agency_ids).values_list("pk", flat=True))
    names = [agency.name for agency in wrong] + [str(pk) for pk in sorted(missing)]
    return [format_lazy(SCOPE_AGENCY_NOT_HMIS, names=", ".join(names))] if names else []


def signature_seal(*, client: Client, typed_name: str = "", image: bytes = b"") -> str:
    """The signature (typed name, image) encrypted, as stored on the record ("" for none)."""
    if not typed_name and not image:
        return ""
    payload = {"typed_name": typed_name, "image": base64.b64encode(image).decode() if image else ""}
    return crypto.encrypt(json.dumps(payload))


def signature_open(record: ConsentRecord) -> dict:
    """{"typed_name", "image" (bytes)} of a record the caller has already checked access to."""
    if not record.signature_ciphertext:
        return {"typed_name": "", "image": b""}
    payload = json.loads(crypto.decrypt(record.signature_ciphertext))
    return {"typed_name": payload.get("typed_name", ""), "image": base64.b64decode(payload.get("image") or "")}


@transaction.atomic
def consent_give(
    *,
    client: Client,
    actor: User,
    kind: str,
    answer: str,
    method: str,
    effective_on: date | None = None,
    expires_on: date | None = None,
    scope: str = ConsentRecord.Scope.HMIS_PARTICIPATING,
    scope_agency_ids: list[int] | None = None,
    typed_name: str = "",
    signature_image: bytes = b"",
    script_language: str = "",
    script_read: bool = False,
    dv_offer_read: bool | None = None,
    disability_notice_read: bool | None = None,
    note: str = "",
    require_script: bool = False,
) -> ConsentRecord:
    """Record a consent (given, renewed, refused or withdrawn) for a person `actor` may see.

    `expires_on` None takes the default (HMIS: the CoC's period). `require_script` (the
    screens) asks for the scripts' confirmations of a verbal consent."""
    if not actor.has_perm("ces.add_consentrecord"):
        raise Forbidden(MAY_NOT_RECORD)
    _require_sees(actor, client)
    errors: dict[str, list] = {}
    effective_on = effective_on or timezone.localdate()
    if expires_on is not None and expires_on <= effective_on:
        errors["expires_on"] = [EXPIRY_BEFORE_START]
    if method == ConsentRecord.Method.WRITTEN and answer == YesNo.YES and not (typed_name.strip() or signature_image):
        errors["typed_name"] = [WRITTEN_NEEDS_SIGNATURE]
    if signature_image and (len(signature_image) > policy.SIGNATURE_MAX_BYTES or not signature_image.startswith(_IMAGE_MAGIC)):
        errors["signature_image"] = [SIGNATURE_NOT_IMAGE]
    if kind == ConsentRecord.Kind.HMIS_ROI:
        if answer == YesNo.YES and client.holding_agency.is_vsp:
            errors["answer"] = [VSP_NEVER_SHARES]
        if scope_errors := _scope_errors(scope, list(scope_agency_ids or [])):
            errors["scope_agency_ids"] = scope_errors
    if require_script and kind in policy.SCRIPTED_KINDS:
        if not script_read:
            errors["script_read"] = [SCRIPT_NOT_READ]
        if kind == ConsentRecord.Kind.HMIS_ROI and not dv_offer_read:
            errors["dv_offer_read"] = [DV_OFFER_NOT_READ]
        if kind == ConsentRecord.Kind.VULNERABILITY_INDEX and not disability_notice_read:
            errors["disability_notice_read"] = [DISABILITY_NOTICE_NOT_READ]
    if errors:
        raise Invalid(errors)
    return consent_record(
        client=client, kind=kind, answer=answer, method=method, actor=actor, note=note,
        effective_on=effective_on, expires_on=expires_on if expires_on is not None else True,
        scope=scope if kind == ConsentRecord.Kind.HMIS_ROI else ConsentRecord.Scope.HMIS_PARTICIPATING,
        scope_agency_ids=scope_agency_ids,
        signature_ciphertext=signature_seal(client=client, typed_name=typed_name.strip(), image=signature_image),
        script_language=script_language if script_for(kind) else "",
        script_read=script_read,
        dv_offer_read=dv_offer_read if kind == ConsentRecord.Kind.HMIS_ROI else None,
        disability_notice_read=disability_notice_read if kind == ConsentRecord.Kind.VULNERABILITY_INDEX else None,
    )


@transaction.atomic
def consent_withdraw(*, record: ConsentRecord, actor: User, method: str, note: str = "") -> ConsentRecord:
    """The client withdraws a consent in force: a `no` record of the same kind, in effect at once."""
    if not actor.has_perm("ces.add_consentrecord"):
        raise Forbidden(MAY_NOT_RECORD)
    client = record.client
    _require_sees(actor, client)
    locked = ConsentRecord.objects.select_for_update().get(pk=record.pk)
    if not locked.in_force_on(timezone.localdate()):
        raise Invalid(NOTHING_TO_WITHDRAW)
    return consent_record(client=client, kind=locked.kind, answer=YesNo.NO, method=method, actor=actor,
                          note=note or "withdrawn", expires_on=None)


@transaction.atomic
def consent_lapse(*, record: ConsentRecord, actor: User) -> bool:
    """The sweep, at the expiry date: the consent stops (the client's answer is asked again)."""
    record = ConsentRecord.objects.select_for_update().select_related("client__holding_agency").get(pk=record.pk)
    if record.answer != YesNo.YES or record.revoked_at is not None or record.expired_at is not None:
        return False
    if record.expires_on is None or record.expires_on > timezone.localdate():
        return False  # renewed to a later date: its own timer will come
    record.expired_at = timezone.now()
    history_save(record, actor=actor, reason="consent.expiry", validate=False)
    consent_sync_client(client=record.client, kind=record.kind, actor=actor, reason="consent.expiry")
    return True


def consent_remind(*, record: ConsentRecord) -> bool:
    """The sweep, before the expiry: tell the holding agency, if this consent still decides."""
    client = record.client
    current = consent_current(client=client, kind=record.kind)
    if current is None or current.pk != record.pk:
        return False
    recipients = list(users_with_role(roles.SUPERVISOR, roles.CASE_WORKER, roles.CALL_AGENT, roles.VSP_ADVOCATE,
                                      agency=client.holding_agency_id))
    for user in sorted(recipients, key=lambda u: u.pk):
        notification_send(
            recipient=user,
            subject=format_lazy(_("Consent of {label} expires on {day}"), label=client.label, day=record.expires_on.isoformat()),
            body=format_lazy(_("{kind} consent lapses on {day}. Ask the client to renew it before then."),
                             kind=record.get_kind_display(), day=record.expires_on.isoformat()),
            link=reverse("consent-page", args=[client.pk]),
        )
    return True


def copy_language(client: Client) -> str:
    return client.preferred_language if client.preferred_language in ("en", "es") else "en"


def _copy_context(record: ConsentRecord, language: str) -> dict:
    client = record.client
    script = script_for(record.kind)
    signature = signature_open(record)
    return {
        "record": record, "client": client, "script": script.text(language) if script else [],
        "script_title": script.heading(language) if script else record.get_kind_display(),
        "typed_name": signature["typed_name"],
        "signature_data": base64.b64encode(signature["image"]).decode() if signature["image"] else "",
        "scope_agencies": Agency.objects.filter(pk__in=record.scope_agency_ids).order_by("name"),
        "language": language,
    }


def consent_copy_unkept(*, record: ConsentRecord, actor: User) -> bytes:
    """The copy of a consent a VSP holds: rendered for its own user and never stored, so no file
    outside the VSP's seal holds the person's name (docs/security.md, "The VSP's key")."""
    _require_sees(actor, record.client)
    language = copy_language(record.client)
    return pdf_render("consent/copy_pdf.html", _copy_context(record, language), language=language)


@transaction.atomic
def consent_copy(*, record: ConsentRecord, actor: User) -> ClientDocument:
    """A printable copy of the consent for the client, in their language (a new version each time)."""
    client = record.client
    _require_sees(actor, client)
    language = copy_language(client)
    return document_render(
        template_name="consent/copy_pdf.html", context=_copy_context(record, language), source=record,
        kind=ClientDocument.Kind.CONSENT, title=f"{record.get_kind_display()} — {client.label}", actor=actor,
        client=client, language=language, filename=f"consent-{client.pk}-{record.pk}",
    )


@transaction.atomic
def disclosure_record(
    *,
    client: Client,
    actor: User,
    basis: str,
    disclosed_to: str,
    information: str,
    reason: str,
    reference: str = "",
    disclosed_at: datetime | None = None,
) -> Disclosure:
    """Log a release of the person's information made without their consent."""
    if not actor.has_perm("consent.add_disclosure"):
        raise Forbidden(MAY_NOT_DISCLOSE)
    _require_sees(actor, client)
    disclosed_at = disclosed_at or timezone.now()
    if disclosed_at > timezone.now():
        raise Invalid({"disclosed_at": [DISCLOSED_IN_FUTURE]})
    disclosure = Disclosure(
        client=client, basis=basis, disclosed_to=disclosed_to, information=information, reason=reason,
        reference=reference, disclosed_at=disclosed_at, disclosed_by=actor, agency=actor.agency or client.holding_agency,
    )
    return history_save(disclosure, actor=actor, reason=f"disclosure: {basis}")
