"""Every write of the intake: drafts, completion (one transaction), amendment.

Completion orchestrates the apps above the core: intake → bnl (the list
entry) → referrals (the shelter referral); neither calls back into intake's
services. It turns the validated answers into: the client's personal data
(ces.Client, created, or the chosen existing person within the rules below),
consent records, the intake's typed columns, a shelter referral, a DV
referral (and then no personal data at all), the assessment with its VAT
score, and the BNL entry. Bad input saves nothing: ces.errors.Invalid carries
the messages keyed by question code.

An existing person (`client_id`, the duplicate check's answer) gets the
assessment and the list entry. What happens to their record depends on who
is asking (docs/intake.md, "An existing person"):
- a person the actor may not see (ces.access): nothing of their personal
  data or consents changes;
- a person the actor may see: contact data and consents are updated; the
  identity (names, DOB, SSN and their data quality) stays as on file when it
  differs, unless `update_identity` says so explicitly (history names the
  intake and the agent); what was kept is listed in the result.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bnl.models import BnlEntry
from bnl.services import bnl_entry_place
from ces import crypto, roles, vault
from ces.access import client_is_visible_to
from ces.audit import history_save
from ces.deadlines import deadlines_schedule
from ces.errors import Errors, Forbidden, Invalid
from ces.inputs import parse_id
from ces.models import Agency, Client, ConsentRecord, User
from ces.notifications import notification_send
from ces.services import client_create, client_update, consents_record
from ces.ssn import ssn_hash_for_holder
from intake import policy, scoring
from intake.duplicates import duplicate_candidates
from intake.inputs import stop_box_query
from intake.models import Assessment, DvReferral, Intake, Shelter
from intake.pdf import assessment_pdf_schedule
from intake.questions import (
    BY_CODE,
    CARRIED_FROM,
    DV_WARM_CODES,
    PERSONAL_CODES,
    VI_CODES,
    collects_personal_information,
    dv_referral_accepted,
    vi_section_open,
)
from intake.screening import screen_shelters
from intake.selectors import intake_may_amend, poverty_table_in_force, shelters_with_rules, vsps_for_county
from intake.validation import IDENTITY_GROUPS, answer_view, carry_answers, clean_answers, draft_values
from referrals.services import intake_ce_events_record, shelter_referral_create

NOT_A_DRAFT = _("This intake is already completed; use “Amend” to correct it.")
NOT_YOUR_DRAFT = _("Only the call agent who started this intake can change the draft.")
MAY_NOT_TAKE_INTAKES = _("Your role does not take intakes.")
UNKNOWN_CALL_LANGUAGE = _("Choose English (en) or Spanish (es) for the call.")
NO_SUCH_CLIENT = _("That person is not in the system (or cannot receive an assessment here).")
SSN_BELONGS_TO_SOMEONE = _(
    "This Social Security number belongs to a person already in the system ({label}). "
    "Use the duplicate check to open that person instead of creating a new one."
)
SSN_TAKEN_MEANWHILE = _(
    "This Social Security number was recorded for another person a moment ago (another intake finished "
    "first). Use the duplicate check to open that person instead of creating a new one."
)
SHELTER_NOT_ELIGIBLE = _("The caller is not eligible for this shelter tonight: choose one of the eligible shelters.")
AMEND_NEEDS_REASON = _("Say why the intake is being amended.")
NOT_AMENDABLE = _("Only completed intakes with a client can be amended.")
MAY_NOT_AMEND = _("Only the call agent who took the call, or a supervisor or HMIS admin, can amend this intake.")
CHANGES_THE_PATH = _("This answer changes the path of the call: start a new intake instead.")
NOT_AMENDABLE_HERE = _("This answer cannot be amended: start a new intake instead.")
STOP_DECISION_NEEDED = _(
    "The STOP box found people who may be this caller: choose the person, or confirm this is a new person."
)
KEEP_CHOICE_NEEDED = _("Choose which {field} to keep: the one on file or the caller's.")
IDENTITY_REASON_NEEDED = _("Say why the caller's answers replace the record on file (e.g. “caller spelled the name”).")
REFERRAL_NOT_YOURS = _("Only the staff of the provider the caller was referred to can handle this referral.")
WARM_REFERRAL_SUBJECT = _("A warm referral from the call centre")
WARM_REFERRAL_BODY = _(
    "A caller was referred to your agency from the domestic violence pathway. Open your referral inbox: "
    "what the caller agreed to pass is there, not in this message."
)
PERSON_NOT_YOURS = _(
    "Your agency may not see this person's record, so it cannot change their details or consents here; "
    "the agency holding the record can."
)

INTAKE_COLUMNS = [
    f.name
    for f in Intake._meta.get_fields()
    if getattr(f, "concrete", False)
    and f.name in BY_CODE
    and f.name not in PERSONAL_CODES
    and f.name not in ("collected_at", "collection_method")  # set with their defaults
]
CONSENT_CODES = {
    "hmis_consent": ConsentRecord.Kind.HMIS_ROI,
    "voicemail_consent": ConsentRecord.Kind.VOICEMAIL,
    "text_consent": ConsentRecord.Kind.TEXT,
}
# The identity of a person (HUD 3.01-3.03): kept as on file for an existing person unless asked.
IDENTITY_CODES = ("first_name", "middle_name", "last_name", "name_data_quality", "ssn", "ssn_data_quality", "dob",
                  "dob_data_quality")
# The STOP box's choices are per group: a name, a DOB or an SSN comes with its data quality.
IDENTITY_GROUP_CODES = {
    "name": ("first_name", "middle_name", "last_name", "name_data_quality"),
    "dob": ("dob", "dob_data_quality"),
    "ssn": ("ssn", "ssn_data_quality"),
}
IDENTITY_GROUP_LABELS = {"name": _("name"), "dob": _("date of birth"), "ssn": _("Social Security number")}
AMENDABLE_SECTIONS = ("meta", "personal", "shelter_nevada", "shelter_placer", "vi")
PATH_CODES = ("county", "continue_to_vi", "vi_consent", "safety_safe_talking", "safety_afraid_of_partner",
              "dv_referral_accepted", "wants_shelter_tonight", "shelter_choice")
SSN_CONSTRAINT = "client_ssn_unique_full"


@dataclass
class IntakeResult:
    intake: Intake
    client: Client | None = None
    assessment: Assessment | None = None
    bnl_entry: BnlEntry | None = None
    shelter_eligibility: list = field(default_factory=list)
    identity_kept: list[str] = field(default_factory=list)
    person_left_alone: bool = False


@dataclass
class DraftSaved:
    answers: dict
    unstored: Errors = field(default_factory=dict)


def _require_intake_taker(actor: User) -> None:
    if not actor.has_perm("intake.add_intake"):
        raise Forbidden(MAY_NOT_TAKE_INTAKES)


def _require_own_draft(intake: Intake, actor: User) -> None:
    if intake.status != Intake.Status.DRAFT:
        raise Invalid(NOT_A_DRAFT)
    if intake.csr_id != actor.pk:
        raise Forbidden(NOT_YOUR_DRAFT)


# --- drafts -----------------------------------------------------------------


def _draft_encrypt(agency, text: str) -> str:
    """A VSP's call in progress is sealed under the VSP's own key (ces.vault), others under the CoC's."""
    return vault.seal(agency.pk, text) if agency is not None and agency.is_vsp else crypto.encrypt(text)


def intake_draft_answers(intake: Intake) -> dict:
    """The draft's answers as typed. Whatever the draft holds, this returns a dict (empty for a
    VSP's draft outside that VSP's own requests)."""
    if not intake.draft_ciphertext:
        return {}
    try:
        sealed = vault.sealed_by(intake.draft_ciphertext) is not None
        answers = json.loads(vault.unseal(intake.draft_ciphertext) if sealed else crypto.decrypt(intake.draft_ciphertext))
    except vault.VaultLocked:
        return {}
    return answers if isinstance(answers, dict) else {}


@transaction.atomic
def intake_start(*, actor: User, call_language: str = "en") -> Intake:
    _require_intake_taker(actor)
    if call_language not in ("en", "es"):
        raise Invalid({"call_language": [UNKNOWN_CALL_LANGUAGE]})
    now = timezone.localtime()
    intake = Intake(csr=actor, agency=actor.agency, call_language=call_language)
    intake.draft_ciphertext = _draft_encrypt(actor.agency, json.dumps({"collected_at": now.strftime("%Y-%m-%dT%H:%M"),
                                                                       "collection_method": "phone"}))
    intake.draft_saved_at = timezone.now()
    return history_save(intake, actor=actor, reason="call started")


def intake_autosave(*, intake: Intake, actor: User, answers: dict, call_language: str | None = None) -> DraftSaved:
    """Merge typed-so-far answers into the encrypted draft: it stores what it can.

    Answers are kept as typed, invalid ones included (the form marks them; nothing typed
    is lost); what cannot be stored at all (intake.validation.draft_values) is left out and
    returned in `unstored`, keyed by code. A plain UPDATE (no history row per keystroke):
    drafts are working copies; the audit history starts with the completed intake.
    """
    _require_own_draft(intake, actor)
    if call_language not in (None, "en", "es"):
        raise Invalid({"call_language": [UNKNOWN_CALL_LANGUAGE]})
    storable, unstored = draft_values(answers)
    with transaction.atomic():
        # Lock the row: two saves of the same call never interleave their read-merge-write.
        current = Intake.objects.select_for_update().only("draft_ciphertext", "status", "csr_id").get(pk=intake.pk)
        _require_own_draft(current, actor)
        merged = intake_draft_answers(current)
        merged.update(storable)
        # The actor's agency: the draft's own when it is the same (loaded with the draft, no read).
        agency = intake.agency if intake.agency_id == actor.agency_id and Intake.agency.is_cached(intake) else actor.agency
        updates = {"draft_ciphertext": _draft_encrypt(agency, json.dumps(merged, default=str)),
                   "draft_saved_at": timezone.now()}
        if call_language:
            updates["call_language"] = call_language
        Intake.objects.filter(pk=intake.pk).update(**updates)
    intake.draft_ciphertext = updates["draft_ciphertext"]
    if call_language:
        intake.call_language = call_language
    return DraftSaved(answers=merged, unstored=unstored)


@transaction.atomic
def intake_discard(*, intake: Intake, actor: User) -> None:
    """Throw a draft away, whatever it holds (nothing in it is read)."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    _require_own_draft(intake, actor)
    intake.status = Intake.Status.DISCARDED
    intake.draft_ciphertext = ""
    history_save(intake, actor=actor, reason="draft discarded")


# --- completion -------------------------------------------------------------


def _ref_check(eligible_shelter_ids: set[int], offered_vsp_ids: set[int]):
    def check(code: str, value: int) -> bool:
        if code == "dv_referral_agency":
            return value in offered_vsp_ids
        if code == "shelter_choice":
            return value in eligible_shelter_ids
        return False

    return check


def call_context(agency: Agency | None) -> dict:
    """The call's facts the visibility rules read (intake.questions.CONTEXT_CODES)."""
    return {"_at_vsp": True} if agency is not None and agency.is_vsp else {}


def intake_validate(answers: dict, *, complete: bool = True, language: str = "en", at_vsp: bool = False,
                    fill_only: bool = False):
    """Validate answers and screen shelters. Returns (cleaned, errors, shelter results). Never raises.

    Repeated questions carry the first answer (intake.validation.carry_answers; `fill_only` for the
    API, which may answer both); `at_vsp` is an intake taken by a VSP's own advocate."""
    context = {"_at_vsp": True} if at_vsp else {}
    answers, _carried = carry_answers({**answers, **context}, fill_only=fill_only)
    view = answer_view(answers)
    shelters = screen_shelters(shelters_with_rules(), view, language=language) if BY_CODE["shelter_choice"].applies(view) else []
    eligible = {result.shelter.pk for result in shelters if result.eligible}
    offered = {a.pk for a in vsps_for_county(str(view.get("county") or ""))} if BY_CODE["dv_referral_agency"].applies(view) else set()
    cleaned, errors = clean_answers({k: v for k, v in answers.items() if not k.startswith("_")}, refs=_ref_check(eligible, offered),
                                    complete=complete, context=context)
    if "shelter_choice" in errors and answers.get("shelter_choice"):
        errors["shelter_choice"] = [SHELTER_NOT_ELIGIBLE]
    return cleaned, errors, shelters


@dataclass
class _Plan:
    """What finishing an intake would write, or why it cannot."""

    cleaned: dict
    errors: Errors
    shelters: list
    existing: Client | None


def _plan(*, answers: dict, actor: User, client_id, language: str, at_vsp: bool = False, from_form: bool = False) -> _Plan:
    cleaned, errors, shelters = intake_validate(answers, language=language, at_vsp=at_vsp, fill_only=not from_form)
    existing = _existing_client(client_id, actor, errors)
    if existing is None:
        _refuse_second_person_with_same_ssn(cleaned, holder=actor.agency, errors=errors)
    if from_form and collects_personal_information(answer_view({**answers, **({"_at_vsp": True} if at_vsp else {})})):
        _stop_box_decision(answers, actor=actor, existing=existing, cleaned=cleaned, errors=errors)
    return _Plan(cleaned=cleaned, errors=errors, shelters=shelters, existing=existing)


def _stop_box_decision(answers: dict, *, actor: User, existing: Client | None, cleaned: dict, errors: Errors) -> None:
    """The form's STOP box decides nothing by itself: with likely matches on screen the agent
    chooses the person or confirms a new one; for a known person whose identity on file differs
    from the caller's answers, the agent chooses which to keep, and says why the caller's wins."""
    if existing is None:
        if answers.get("_client_id") == "new":
            return
        query = stop_box_query(answers)
        if query is not None and duplicate_candidates(user=actor, **query):
            errors.setdefault("_client_id", []).append(STOP_DECISION_NEEDED)
        return
    if not client_is_visible_to(user=actor, client=existing):
        return  # nothing of theirs changes (docs/intake.md, "An existing person")
    differing = identity_groups_differing(existing, cleaned)
    for group in differing:
        if answers.get(f"_keep_{group}") not in ("file", "caller"):
            errors.setdefault(f"_keep_{group}", []).append(format_lazy(KEEP_CHOICE_NEEDED, field=IDENTITY_GROUP_LABELS[group]))
    if any(answers.get(f"_keep_{group}") == "caller" for group in differing):
        reason = answers.get("_identity_reason")
        if not isinstance(reason, str) or not reason.strip():
            errors.setdefault("_identity_reason", []).append(IDENTITY_REASON_NEEDED)


def identity_groups_differing(client: Client, cleaned: dict) -> list[str]:
    """The identity groups (name, DOB, SSN) where the caller's answers differ from the record."""
    return [
        group for group in IDENTITY_GROUPS
        if any(code in cleaned and _identity_differs(client, code, cleaned[code]) for code in IDENTITY_GROUP_CODES[group])
    ]


def _draft_client_id(answers: dict):
    """The duplicate decision stored with the draft: a person's id, or None ("new", or not chosen)."""
    value = answers.get("_client_id")
    return None if value in (None, "", "new") else value


def _draft_identity_choice(answers: dict) -> tuple[frozenset[str], str]:
    """The identity groups the agent chose to take from the caller, and why."""
    groups = frozenset(group for group in IDENTITY_GROUPS if answers.get(f"_keep_{group}") == "caller")
    reason = answers.get("_identity_reason")
    return groups, reason.strip() if isinstance(reason, str) else ""


def intake_completion_errors(*, intake: Intake, actor: User) -> Errors:
    """What finishing this draft would refuse, keyed by question code (empty: it can finish).

    The screen asks this to show each problem at its question; intake_complete checks the same."""
    _require_intake_taker(actor)
    _require_own_draft(intake, actor)
    answers = intake_draft_answers(intake)
    plan = _plan(answers=answers, actor=actor, client_id=_draft_client_id(answers), language=intake.call_language,
                 at_vsp=intake.agency.is_vsp, from_form=True)
    return plan.errors


@transaction.atomic
def intake_complete(*, intake: Intake, actor: User, client_id: int | None = None, update_identity: bool = False) -> IntakeResult:
    """Finish a draft: validate everything, then write it all, or nothing."""
    _require_intake_taker(actor)
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    _require_own_draft(intake, actor)
    answers = intake_draft_answers(intake)
    if client_id is None:
        client_id = _draft_client_id(answers)
    groups, reason = _draft_identity_choice(answers)
    return _intake_apply(intake=intake, answers=answers, actor=actor, client_id=client_id, update_identity=update_identity,
                         from_form=True, caller_groups=groups, identity_reason=reason)


def intake_submit(*, actor: User, answers: dict, client_id: int | None = None, update_identity: bool = False) -> IntakeResult:
    """The API's one-shot intake: nothing is saved unless everything is valid."""
    _require_intake_taker(actor)
    with transaction.atomic():
        intake = Intake(csr=actor, agency=actor.agency, call_language="en")
        history_save(intake, actor=actor, reason="submitted through the API")
        return _intake_apply(intake=intake, answers=answers, actor=actor, client_id=client_id, update_identity=update_identity)


def _intake_apply(*, intake: Intake, answers: dict, actor: User, client_id, update_identity: bool, from_form: bool = False,
                  caller_groups: frozenset[str] = frozenset(), identity_reason: str = "") -> IntakeResult:
    now = timezone.now()
    at_vsp = intake.agency.is_vsp
    plan = _plan(answers=answers, actor=actor, client_id=client_id, language=intake.call_language, at_vsp=at_vsp,
                 from_form=from_form)
    if plan.errors:
        raise Invalid(plan.errors)
    cleaned, existing = plan.cleaned, plan.existing

    collected_at: datetime = cleaned.get("collected_at") or now
    view = answer_view({**answers, **call_context(intake.agency)})
    intake.collected_at = collected_at
    intake.collection_method = cleaned.get("collection_method") or Intake.Method.PHONE
    intake.is_late = policy.entered_late(collected_at, now)
    intake.youth_urgent = cleaned.get("safety_minor_without_adult") == "yes"
    intake.dv_referral_offered = "dv_referral_accepted" in cleaned or BY_CODE["dv_referral_accepted"].applies(view)
    for code in INTAKE_COLUMNS:
        value = cleaned.get(code)
        if code == "dv_referral_agency":
            intake.dv_referral_agency_id = value
        elif code == "shelter_choice":
            intake.shelter_choice_id = value
        elif code == "dv_pii_sharing_acknowledged":
            intake.dv_pii_sharing_acknowledged = value
        else:
            setattr(intake, code, "" if value is None else value)
    intake.status = Intake.Status.COMPLETED
    intake.completed_at = now
    intake.draft_ciphertext = ""
    result = IntakeResult(intake=intake, shelter_eligibility=plan.shelters)

    if dv_referral_accepted(view):
        # VAWA: no name, DOB, SSN, phone or location of this caller is kept.
        intake.outcome = Intake.Outcome.DV_REFERRED
        history_save(intake, actor=actor, reason="completed: referred to a victim service provider")
        _dv_referral_create(intake=intake, cleaned=cleaned, actor=actor)
        return result

    if existing is None:
        client = _ssn_guarded(lambda: client_create(holding_agency=actor.agency, actor=actor, **_personal(cleaned)))
    elif not client_is_visible_to(user=actor, client=existing):
        # Not theirs to see, so not theirs to change: the assessment is attached, the record is left alone.
        client = existing
        result.person_left_alone = True
        result.identity_kept = [code for code in IDENTITY_CODES if code in cleaned]
    else:
        client, result.identity_kept = _existing_client_update(
            existing, cleaned, intake=intake, actor=actor, update_identity=update_identity, caller_groups=caller_groups,
            identity_reason=identity_reason,
        )
    intake.client = client
    result.client = client
    deadlines: list = []  # the consents' timers and the PDF's render, scheduled in one statement
    if not result.person_left_alone:
        _record_consents(cleaned, client=client, actor=actor, method=intake.collection_method, taken_at=collected_at,
                         language=intake.call_language, client_is_new=existing is None, timers_to=deadlines)

    if cleaned.get("county") == "outside_coc":
        intake.outcome = Intake.Outcome.OUTSIDE_COC
    elif vi_section_open(view):
        intake.outcome = Intake.Outcome.ASSESSED
    else:
        intake.outcome = Intake.Outcome.INTAKE_ONLY
    decision = ""
    if existing is not None and not result.person_left_alone:
        taken = [group for group in IDENTITY_GROUPS if group in caller_groups]
        decision = "; STOP box: existing person" + (f", caller's {'/'.join(taken)} taken" if taken else "") + (
            f", kept on file: {', '.join(result.identity_kept)}" if result.identity_kept else "")
    history_save(intake, actor=actor, reason=f"completed: {intake.get_outcome_display()}{decision}")

    _completion_orchestrate(intake=intake, client=client, cleaned=cleaned, actor=actor, result=result, deadlines=deadlines)
    return result


def _completion_orchestrate(*, intake: Intake, client: Client, cleaned, actor: User, result: IntakeResult,
                            deadlines: list) -> None:
    """Completion orchestrates: intake → referrals (shelter), intake → bnl (list entry); then the
    deadlines gathered on the way (consent timers, the PDF's render) in one statement."""
    if intake.shelter_choice_id:
        shelter_referral_create(client=client, shelter=Shelter.objects.get(pk=intake.shelter_choice_id), actor=actor, intake=intake)
    if intake.outcome == Intake.Outcome.ASSESSED:
        result.assessment = _assessment_create(intake=intake, client=client, cleaned=cleaned, actor=actor,
                                               deadlines_to=deadlines)
        result.bnl_entry = bnl_entry_place(assessment=result.assessment, actor=actor)
    if deadlines:
        deadlines_schedule(deadlines)
    intake_ce_events_record(intake=intake, assessment=result.assessment, actor=actor)


def _dv_referral_create(*, intake: Intake, cleaned: dict, actor: User) -> DvReferral:
    """The warm referral: what the caller agreed to pass (and nothing without their agreement),
    encrypted; the VSP's advocates get a notice that names nothing but their inbox."""
    agreed = cleaned.get("dv_warm_consent") == "yes"
    shared = {code: str(cleaned[code]) for code in DV_WARM_CODES if agreed and cleaned.get(code) not in (None, "")}
    # Sealed under the receiving VSP's own key (ces.vault): the CoC cannot read it back.
    referral = DvReferral(intake=intake, vsp_id=cleaned["dv_referral_agency"], created_by=actor, caller_agreed_to_share=agreed,
                          shared_ciphertext=vault.seal(cleaned["dv_referral_agency"], json.dumps(shared)) if shared else "")
    history_save(referral, actor=actor, reason="warm referral from the call (DV pathway)")
    advocates = User.objects.filter(agency_id=referral.vsp_id, is_active=True, groups__name=roles.VSP_ADVOCATE).distinct()
    for advocate in advocates:
        notification_send(recipient=advocate, subject=WARM_REFERRAL_SUBJECT, body=WARM_REFERRAL_BODY, link=reverse("dv-referral-inbox"))
    return referral


def dv_referral_shared(referral: DvReferral) -> dict:
    """What the caller agreed to pass to the VSP (for the VSP's own screens only)."""
    if not referral.shared_ciphertext:
        return {}
    try:
        sealed = vault.sealed_by(referral.shared_ciphertext) is not None
        shared = json.loads(vault.unseal(referral.shared_ciphertext) if sealed else crypto.decrypt(referral.shared_ciphertext))
    except vault.VaultLocked:  # outside the VSP's own requests
        return {}
    return shared if isinstance(shared, dict) else {}


@transaction.atomic
def dv_referral_mark(*, referral: DvReferral, actor: User, status: str) -> DvReferral:
    """The VSP's advocate records that the caller was reached (or that the referral is closed)."""
    referral = DvReferral.objects.select_for_update().get(pk=referral.pk)
    if not actor.has_perm("intake.change_dvreferral") or actor.agency_id != referral.vsp_id:
        raise Forbidden(REFERRAL_NOT_YOURS)
    referral.status = status
    referral.handled_at = None if status == DvReferral.Status.NEW else timezone.now()
    referral.handled_by = None if status == DvReferral.Status.NEW else actor
    return history_save(referral, actor=actor, reason=f"warm referral marked {status}")


def _existing_client(client_id, actor: User, errors: Errors) -> Client | None:
    """The person chosen in the duplicate check: a CoC client, or one the actor's own VSP holds."""
    if client_id in (None, ""):
        return None
    pk = parse_id(client_id)
    client = None
    if pk is not None:
        client = Client.objects.filter(pk=pk).select_related("holding_agency").first()
        if client is not None and client.holding_agency.is_vsp and client.holding_agency_id != actor.agency_id:
            client = None  # a VSP's people do not exist outside it: the same answer as a missing id
    if client is None:
        errors.setdefault("client_id", []).append(NO_SUCH_CLIENT)
    return client


def _ssn_owner(ssn: str, *, holder: Agency, exclude_pk: int | None = None) -> Client | None:
    """The person who already has this SSN in `holder`'s hash space (never one of another space)."""
    people = Client.objects.filter(ssn_hash=ssn_hash_for_holder(ssn, holder)).select_related("holding_agency")
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
    return people.order_by("pk").first()


def _refuse_second_person_with_same_ssn(cleaned, *, holder: Agency, errors: Errors, exclude_pk: int | None = None) -> None:
    if cleaned.get("ssn_data_quality") != "full" or not cleaned.get("ssn") or "ssn" in errors:
        return
    match = _ssn_owner(cleaned["ssn"], holder=holder, exclude_pk=exclude_pk)
    if match is not None:
        errors.setdefault("ssn", []).append(format_lazy(SSN_BELONGS_TO_SOMEONE, label=match.label))


def _is_ssn_conflict(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        diag = getattr(error.__cause__, "diag", None)
        return getattr(diag, "constraint_name", None) == SSN_CONSTRAINT
    if isinstance(error, DjangoValidationError) and hasattr(error, "error_dict"):
        return any(e.code == SSN_CONSTRAINT for e in error.error_dict.get("__all__", []))
    return False


def _ssn_guarded(write):
    """Run a client write; another intake that recorded the same full-quality SSN first (the
    partial unique index `client_ssn_unique_full`) makes it a 400 keyed "ssn", never a second person."""
    try:
        return write()
    except (IntegrityError, DjangoValidationError) as error:
        if _is_ssn_conflict(error):
            raise Invalid({"ssn": [SSN_TAKEN_MEANWHILE]}) from None
        raise


def _personal(cleaned) -> dict:
    """The client's fields from the answers (with `ssn`, as client_create and client_update take it)."""
    personal = {code: cleaned[code] for code in PERSONAL_CODES if code in cleaned}
    if "hmis_consent" in cleaned:
        personal["hmis_consent"] = cleaned["hmis_consent"]
    return personal


def _identity_differs(client: Client, code: str, value) -> bool:
    if code == "ssn":
        return ssn_hash_for_holder(value, client.holding_agency) != client.ssn_hash
    return getattr(client, code) != value


def _existing_client_update(existing: Client, cleaned, *, intake: Intake, actor: User, update_identity: bool,
                            caller_groups: frozenset[str] = frozenset(), identity_reason: str = ""):
    """A person the actor may see: contact data as answered; identity only when asked — all of
    it (`update_identity`, the API), or the groups the agent chose in the STOP box, with a reason."""
    personal = _personal(cleaned)
    for code in CONSENT_CODES:  # consents go through consent records (_record_consents)
        personal.pop(code, None)
    differing = [code for code in IDENTITY_CODES if code in personal and _identity_differs(existing, code, personal[code])]
    chosen = {code for group in caller_groups for code in IDENTITY_GROUP_CODES[group]}
    taken = [code for code in differing if update_identity or code in chosen]
    for code in IDENTITY_CODES:
        if code not in taken:
            personal.pop(code, None)
    kept = [code for code in differing if code not in taken]
    if not taken:
        reason = f"contact details updated by intake #{intake.pk}"
    elif update_identity:
        reason = f"identity and contact details updated by intake #{intake.pk} (agent {actor.get_username()})"
    else:
        reason = (f"identity ({', '.join(taken)}) taken from the caller's answers in intake #{intake.pk} "
                  f"(agent {actor.get_username()}): {identity_reason}")
    if taken:
        if "ssn" in personal:
            errors: Errors = {}
            _refuse_second_person_with_same_ssn(
                {"ssn": personal["ssn"], "ssn_data_quality": personal.get("ssn_data_quality", existing.ssn_data_quality)},
                holder=existing.holding_agency, errors=errors, exclude_pk=existing.pk,
            )
            if errors:
                raise Invalid(errors)
    ssn = personal.pop("ssn", None)
    if not personal and ssn is None:
        return existing, kept
    client = _ssn_guarded(lambda: client_update(client=existing, actor=actor, reason=reason, ssn=ssn, **personal))
    return client, kept


def _consent_method(collection_method: str) -> str:
    return {
        Intake.Method.PHONE: ConsentRecord.Method.VERBAL_RECORDED,
        Intake.Method.VIRTUAL: ConsentRecord.Method.ELECTRONIC,
    }.get(collection_method, ConsentRecord.Method.WRITTEN)


def _record_consents(cleaned, *, client: Client, actor: User, method: str, taken_at: datetime, language: str = "",
                     client_is_new: bool = False, timers_to: list | None = None) -> None:
    """The consents answered, recorded together (ces.services.consents_record: a fixed number of
    statements whatever their number)."""
    consent_method = _consent_method(method)
    consents = []
    for code, kind in CONSENT_CODES.items():
        if code in cleaned:
            scripted = {}
            if code == "hmis_consent":  # the HMIS release's script and its DV-partner offer (consent.scripts)
                scripted = {"script_read": cleaned.get("hmis_script_read") is True,
                            "dv_offer_read": cleaned.get("dv_partner_offer_read") is True, "script_language": language}
            consents.append(dict(kind=kind, answer=cleaned[code], method=consent_method, taken_at=taken_at, **scripted))
    if cleaned.get("vi_consent"):
        consents.append(dict(
            kind=ConsentRecord.Kind.VULNERABILITY_INDEX, answer=cleaned["vi_consent"], method=consent_method,
            taken_at=taken_at, script_read=cleaned.get("vi_script_read") is True,
            disability_notice_read=cleaned.get("disability_notice_read") is True, script_language=language,
        ))
    if consents:
        consents_record(client=client, actor=actor, consents=consents, client_is_new=client_is_new, timers_to=timers_to)


def _scored_values(cleaned, *, client: Client, collected_at, case_management: int = 0) -> dict:
    """The assessment's answers plus everything derived from them (score, flags)."""
    answers = {**{code: cleaned.get(code) for code in VI_CODES}, "dob": client.dob, "dob_data_quality": client.dob_data_quality}
    poverty = poverty_table_in_force()
    score = scoring.vat_score(answers, collected_at=collected_at, poverty=poverty, case_management=case_management)
    flags = scoring.eligibility_flags(answers, collected_at=collected_at)
    values = {code: ("" if cleaned.get(code) is None else cleaned.get(code)) for code in VI_CODES}
    for code in ("household_size", "household_children", "household_income", "homeless_start_date"):
        values[code] = cleaned.get(code)
    values.update(
        indicators=score.indicators,
        subtotal=score.subtotal,
        case_management=score.case_management,
        total=score.total,
        poverty_year=poverty.year,
        age_at_assessment=scoring.age_on(client.dob, collected_at.date()) if client.dob else None,
        chronically_homeless=scoring.chronically_homeless(answers, collected_at=collected_at),
        length_of_time_homeless_days=scoring.length_of_time_homeless_days(answers, collected_at=collected_at),
        is_veteran=flags["veteran"],
        is_youth=flags["youth"],
        is_family=flags["family"],
        is_dv=flags["dv"],
        has_disability=flags["disability"],
    )
    return values


def _assessment_create(*, intake: Intake, client: Client, cleaned, actor: User, deadlines_to: list | None = None) -> Assessment:
    assessment = Assessment(
        intake=intake, client=client, assessed_at=intake.collected_at, assessor=actor, agency=intake.agency,
        location=intake.agency.name[:250],
        **_scored_values(cleaned, client=client, collected_at=timezone.localtime(intake.collected_at)),
    )
    history_save(assessment, actor=actor, reason="VAT scored at intake")
    assessment_pdf_schedule(assessment=assessment, created=True, deadlines_to=deadlines_to)
    return assessment


# --- amendment --------------------------------------------------------------


def intake_amendable(*, intake: Intake, actor: User) -> None:
    """Refuse unless `actor` may amend `intake` (intake.selectors.intake_may_amend)."""
    if intake.status != Intake.Status.COMPLETED or intake.outcome in ("", Intake.Outcome.DV_REFERRED):
        raise Invalid(NOT_AMENDABLE)
    if not intake_may_amend(actor, intake):
        raise Forbidden(MAY_NOT_AMEND)


def _amend_plan(*, intake: Intake, actor: User, changes: dict, reason: str):
    """(cleaned answers, the changes that change something, errors) of an amendment."""
    intake_amendable(intake=intake, actor=actor)
    errors: Errors = {}
    if not reason.strip():
        errors["reason"] = [AMEND_NEEDS_REASON]
    client = intake.client
    sees_person = client is not None and client_is_visible_to(user=actor, client=client)
    current = intake_answers(intake)
    # The SSN on file is checked with the rest (never displayed); a blank SSN field keeps it.
    changes = {code: value for code, value in changes.items() if not (code == "ssn" and value in ("", None))}
    changed = {code: value for code, value in changes.items() if str(current.get(code, "")) != str(value)}
    for code in changed:
        if code in PATH_CODES:
            errors.setdefault(code, []).append(CHANGES_THE_PATH)
        elif code in BY_CODE and BY_CODE[code].section not in AMENDABLE_SECTIONS:
            errors.setdefault(code, []).append(NOT_AMENDABLE_HERE)
        elif (code in PERSONAL_CODES or code in CONSENT_CODES) and not sees_person:
            errors.setdefault(code, []).append(PERSON_NOT_YOURS)
    on_file = {"ssn": client.reveal_ssn()} if client is not None and client.ssn_ciphertext else {}
    cleaned, invalid, _shelters = intake_validate({**current, **on_file, **changed}, language=intake.call_language,
                                                  at_vsp=intake.agency.is_vsp)
    for code, messages in invalid.items():
        errors.setdefault(code, []).extend(messages)
    for target, sources in CARRIED_FROM.items():  # a repeated question follows the answer it carries
        if any(source in changed for source in sources) and target in cleaned and str(current.get(target, "")) != str(cleaned[target]):
            changed[target] = cleaned[target]
    if client is not None and ("ssn" in changed or "ssn_data_quality" in changed):
        _refuse_second_person_with_same_ssn(cleaned, holder=client.holding_agency, errors=errors, exclude_pk=client.pk)
    return cleaned, changed, errors


def intake_amend_errors(*, intake: Intake, actor: User, changes: dict, reason: str) -> Errors:
    """What amending with these answers would refuse, keyed by code (empty: it can be saved)."""
    return _amend_plan(intake=intake, actor=actor, changes=changes, reason=reason)[2]


@transaction.atomic
def intake_amend(*, intake: Intake, actor: User, changes: dict, reason: str) -> IntakeResult:
    """Correct a completed intake. The reason goes into the history of every row it changes.

    A consent changed here is a consent *record* (ces.services.consent_record), so a
    withdrawn HMIS consent stops the sharing at once, everywhere."""
    intake = Intake.objects.select_for_update(of=("self",)).select_related("client__holding_agency").get(pk=intake.pk)
    cleaned, changed, errors = _amend_plan(intake=intake, actor=actor, changes=changes, reason=reason)
    if errors:
        raise Invalid(errors)
    for code in INTAKE_COLUMNS:
        if code in changed and code not in ("dv_referral_agency", "shelter_choice", "dv_pii_sharing_acknowledged"):
            value = cleaned.get(code)
            setattr(intake, code, value if isinstance(value, bool) else (value or ""))
    if "collected_at" in changed:
        intake.collected_at = cleaned["collected_at"]
    history_save(intake, actor=actor, reason=f"amended: {reason}")
    client = intake.client
    personal = {code: cleaned.get(code, "") for code in PERSONAL_CODES if code in changed and code not in CONSENT_CODES}
    ssn = personal.pop("ssn", None)
    if personal or ssn is not None:
        amended = client
        client = _ssn_guarded(lambda: client_update(client=amended, actor=actor, reason=f"amended intake #{intake.pk}: {reason}",
                                                    ssn=ssn, **personal))
    consents = [dict(kind=kind, answer=cleaned[code], method=_consent_method(intake.collection_method),
                     note=f"amended intake #{intake.pk}: {reason}")
                for code, kind in CONSENT_CODES.items() if code in changed and code in cleaned]
    if consents:
        consents_record(client=client, actor=actor, consents=consents)
    result = IntakeResult(intake=intake, client=client)
    assessment = Assessment.objects.filter(intake=intake).first()
    if assessment is not None:
        values = _scored_values(cleaned, client=client, collected_at=timezone.localtime(intake.collected_at),
                                case_management=assessment.case_management)
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.assessed_at = intake.collected_at
        history_save(assessment, actor=actor, reason=f"amended: {reason}")
        assessment_pdf_schedule(assessment=assessment)
        result.assessment = assessment
        result.bnl_entry = bnl_entry_place(assessment=assessment, actor=actor)
    return result


def intake_answers(intake: Intake, *, personal: bool = True) -> dict:
    """A completed intake's answers under their codes, as strings (for amending and display).

    `personal=False` leaves out the person's data (for a screen whose reader may not see them)."""
    if intake.status == Intake.Status.DRAFT:
        return intake_draft_answers(intake)
    answers: dict = {}
    for code in INTAKE_COLUMNS:
        if not personal and code in CONSENT_CODES:
            continue
        value = getattr(intake, f"{code}_id" if code in ("dv_referral_agency", "shelter_choice") else code)
        if value not in (None, ""):
            answers[code] = value
    if intake.collected_at:
        answers["collected_at"] = timezone.localtime(intake.collected_at).strftime("%Y-%m-%dT%H:%M")
    answers["collection_method"] = intake.collection_method
    client = intake.client
    if client is not None and personal:
        for code in PERSONAL_CODES:
            if code == "ssn":
                continue
            value = getattr(client, code, "")
            if value not in (None, ""):
                answers[code] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    assessment = Assessment.objects.filter(intake=intake).first()
    if assessment is not None:
        for code in VI_CODES:
            value = getattr(assessment, code)
            if value not in (None, ""):
                answers[code] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return answers
