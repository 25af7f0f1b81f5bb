"""Every write of the intake: drafts, completion (one transaction), amendment.

Completion turns the validated answers into: the client's personal data
(ces.Client, created or updated), consent records, the intake's typed
columns, a shelter referral, a DV referral (and then no personal data at
all), the assessment with its VAT score, and the BNL entry. Bad input saves
nothing: IntakeInvalid carries the messages keyed by question code.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bnl.models import BnlEntry
from bnl.services import bnl_entry_place
from ces import crypto
from ces.audit import history_save
from ces.deadlines import deadline_pending, deadline_schedule
from ces.tasks import enqueue_or_leave_to_sweep
from ces.models import Agency, Client, ConsentRecord, User
from ces.services import client_create, client_update, consent_record
from intake import policy, scoring
from intake.models import Assessment, DvReferral, Intake, Shelter
from intake.questions import BY_CODE, PERSONAL_CODES, VI_CODES, dv_referral_accepted, vi_section_open
from intake.screening import screen_shelters
from intake.selectors import poverty_table_in_force, shelters_with_rules
from intake.validation import clean_answers, normalized
from referrals.services import shelter_referral_create

NOT_A_DRAFT = "This intake is already completed; use “Amend” to correct it."
NOT_YOUR_DRAFT = "Only the call agent who started this intake can change the draft."
NO_SUCH_CLIENT = "That person is not in the system (or cannot receive an assessment here)."
SSN_BELONGS_TO_SOMEONE = (
    "This Social Security number belongs to a person already in the system ({label}). "
    "Use the duplicate check to open that person instead of creating a new one."
)
SHELTER_NOT_ELIGIBLE = "The caller is not eligible for this shelter tonight: choose one of the eligible shelters."
AMEND_NEEDS_REASON = "Say why the intake is being amended."
PDF_KIND = "intake.assessment_pdf"

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


class IntakeInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class IntakeResult:
    intake: Intake
    client: Client | None = None
    assessment: Assessment | None = None
    bnl_entry: BnlEntry | None = None
    shelter_eligibility: list = field(default_factory=list)


# --- drafts -----------------------------------------------------------------


def intake_draft_answers(intake: Intake) -> dict:
    return json.loads(crypto.decrypt(intake.draft_ciphertext)) if intake.draft_ciphertext else {}


@transaction.atomic
def intake_start(*, actor: User, call_language: str = "en") -> Intake:
    now = timezone.localtime()
    intake = Intake(csr=actor, agency=actor.agency, call_language=call_language if call_language in ("en", "es") else "en")
    intake.draft_ciphertext = crypto.encrypt(json.dumps({"collected_at": now.strftime("%Y-%m-%dT%H:%M"), "collection_method": "phone"}))
    intake.draft_saved_at = timezone.now()
    return history_save(intake, actor=actor, reason="call started")


def intake_autosave(*, intake: Intake, actor: User, answers: dict, call_language: str | None = None) -> dict:
    """Merge typed-so-far answers into the encrypted draft. Keeps invalid text as typed.

    A plain UPDATE (no history row per keystroke): drafts are working copies;
    the audit history starts with the completed intake.
    """
    if intake.status != Intake.Status.DRAFT:
        raise PermissionError(NOT_A_DRAFT)
    if intake.csr_id != actor.pk:
        raise PermissionError(NOT_YOUR_DRAFT)
    with transaction.atomic():
        # Lock the row: two saves of the same call never interleave their read-merge-write.
        current = Intake.objects.select_for_update().only("draft_ciphertext", "status").get(pk=intake.pk)
        if current.status != Intake.Status.DRAFT:
            raise PermissionError(NOT_A_DRAFT)
        merged = intake_draft_answers(current)
        merged.update({code: value for code, value in answers.items() if code in BY_CODE or code.startswith("_")})
        updates = {"draft_ciphertext": crypto.encrypt(json.dumps(merged, default=str)), "draft_saved_at": timezone.now()}
        if call_language in ("en", "es"):
            updates["call_language"] = call_language
        Intake.objects.filter(pk=intake.pk).update(**updates)
    intake.draft_ciphertext = updates["draft_ciphertext"]
    return merged


@transaction.atomic
def intake_discard(*, intake: Intake, actor: User) -> None:
    if intake.status != Intake.Status.DRAFT or intake.csr_id != actor.pk:
        raise PermissionError(NOT_YOUR_DRAFT)
    intake.status = Intake.Status.DISCARDED
    intake.draft_ciphertext = ""
    history_save(intake, actor=actor, reason="draft discarded")


# --- completion -------------------------------------------------------------


def _ref_check(eligible_shelter_ids: set[int]):
    vsp_ids = set(Agency.objects.filter(is_vsp=True, is_active=True).values_list("pk", flat=True))

    def check(code: str, value: int) -> bool:
        if code == "dv_referral_agency":
            return value in vsp_ids
        if code == "shelter_choice":
            return value in eligible_shelter_ids
        return False

    return check


def intake_validate(answers: dict, *, complete: bool = True, language: str = "en"):
    """Validate answers and screen shelters. Returns (cleaned, errors, shelter results)."""
    view = normalized({k: v for k, v in answers.items() if k in BY_CODE})
    shelters = screen_shelters(shelters_with_rules(), view, language=language) if BY_CODE["shelter_choice"].applies(view) else []
    eligible = {result.shelter.pk for result in shelters if result.eligible}
    cleaned, errors = clean_answers({k: v for k, v in answers.items() if not k.startswith("_")}, refs=_ref_check(eligible), complete=complete)
    if "shelter_choice" in errors and answers.get("shelter_choice"):
        errors["shelter_choice"] = [SHELTER_NOT_ELIGIBLE]
    return cleaned, errors, shelters


@transaction.atomic
def intake_complete(*, intake: Intake, actor: User, client_id: int | None = None) -> IntakeResult:
    """Finish a draft: validate everything, then write it all, or nothing."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.status != Intake.Status.DRAFT:
        raise IntakeInvalid({"non_field_errors": [NOT_A_DRAFT]})
    if intake.csr_id != actor.pk:
        raise IntakeInvalid({"non_field_errors": [NOT_YOUR_DRAFT]})
    answers = intake_draft_answers(intake)
    if client_id is None and answers.get("_client_id"):
        client_id = int(answers["_client_id"])
    return _intake_apply(intake=intake, answers=answers, actor=actor, client_id=client_id)


def intake_submit(*, actor: User, answers: dict, client_id: int | None = None) -> IntakeResult:
    """The API's one-shot intake: nothing is saved unless everything is valid."""
    with transaction.atomic():
        intake = Intake(csr=actor, agency=actor.agency, call_language="en")
        history_save(intake, actor=actor, reason="submitted through the API")
        return _intake_apply(intake=intake, answers=answers, actor=actor, client_id=client_id)


def _intake_apply(*, intake: Intake, answers: dict, actor: User, client_id: int | None) -> IntakeResult:
    now = timezone.now()
    cleaned, errors, shelters = intake_validate(answers, language=intake.call_language)
    existing = _existing_client(client_id, errors)
    _refuse_second_person_with_same_ssn(cleaned, existing, errors)
    if errors:
        raise IntakeInvalid(errors)

    collected_at: datetime = cleaned.get("collected_at") or now
    view = normalized({k: v for k, v in answers.items() if k in BY_CODE})
    intake.collected_at = collected_at
    intake.collection_method = cleaned.get("collection_method") or Intake.Method.PHONE
    intake.is_late = now - collected_at > timedelta(hours=policy.LATE_ENTRY_HOURS)
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
    result = IntakeResult(intake=intake, shelter_eligibility=shelters)

    if dv_referral_accepted(view):
        # VAWA: no name, DOB, SSN, phone or location of this caller is kept.
        intake.outcome = Intake.Outcome.DV_REFERRED
        history_save(intake, actor=actor, reason="completed: referred to a victim service provider")
        history_save(DvReferral(intake=intake, vsp_id=cleaned["dv_referral_agency"], created_by=actor), actor=actor)
        return result

    client = _client_from_answers(cleaned, existing=existing, intake=intake, actor=actor)
    intake.client = client
    result.client = client
    _record_consents(cleaned, client=client, actor=actor, method=intake.collection_method, taken_at=collected_at)

    if cleaned.get("county") == "outside_coc":
        intake.outcome = Intake.Outcome.OUTSIDE_COC
    elif vi_section_open(view):
        intake.outcome = Intake.Outcome.ASSESSED
    else:
        intake.outcome = Intake.Outcome.INTAKE_ONLY
    history_save(intake, actor=actor, reason=f"completed: {intake.get_outcome_display()}")

    if intake.shelter_choice_id:
        shelter_referral_create(client=client, shelter=Shelter.objects.get(pk=intake.shelter_choice_id), actor=actor, intake=intake)
    if intake.outcome == Intake.Outcome.ASSESSED:
        result.assessment = _assessment_create(intake=intake, client=client, cleaned=cleaned, actor=actor)
        result.bnl_entry = bnl_entry_place(assessment=result.assessment, actor=actor)
    return result


def _existing_client(client_id, errors) -> Client | None:
    if client_id in (None, ""):
        return None
    client = Client.objects.filter(pk=client_id, holding_agency__is_vsp=False).first() if str(client_id).isdigit() else None
    if client is None:
        errors.setdefault("client_id", []).append(NO_SUCH_CLIENT)
    return client


def _refuse_second_person_with_same_ssn(cleaned, existing: Client | None, errors) -> None:
    if existing is not None or cleaned.get("ssn_data_quality") != "full" or not cleaned.get("ssn") or "ssn" in errors:
        return
    from ces.selectors import client_find_by_ssn

    match = client_find_by_ssn(cleaned["ssn"]).select_related("holding_agency").first()
    if match is not None:
        errors.setdefault("ssn", []).append(SSN_BELONGS_TO_SOMEONE.format(label=match.label))


def _client_from_answers(cleaned, *, existing: Client | None, intake: Intake, actor: User) -> Client:
    personal = {code: cleaned[code] for code in PERSONAL_CODES if code in cleaned and code != "ssn"}
    if "hmis_consent" in cleaned:
        personal["hmis_consent"] = cleaned["hmis_consent"]
    ssn = cleaned.get("ssn")
    if existing is None:
        return client_create(holding_agency=actor.agency, actor=actor, ssn=ssn or "", **personal)
    # The caller's fresh answers replace what was on file; history keeps the old values.
    return client_update(client=existing, actor=actor, reason=f"updated by intake #{intake.pk}", ssn=ssn, **personal)


def _record_consents(cleaned, *, client: Client, actor: User, method: str, taken_at: datetime) -> None:
    consent_method = {
        Intake.Method.PHONE: ConsentRecord.Method.VERBAL_RECORDED,
        Intake.Method.VIRTUAL: ConsentRecord.Method.ELECTRONIC,
    }.get(method, ConsentRecord.Method.WRITTEN)
    for code, kind in CONSENT_CODES.items():
        if code in cleaned:
            consent_record(client=client, kind=kind, answer=cleaned[code], method=consent_method, actor=actor, taken_at=taken_at)
    if cleaned.get("vi_consent"):
        consent_record(
            client=client, kind=ConsentRecord.Kind.VULNERABILITY_INDEX, answer=cleaned["vi_consent"],
            method=consent_method, actor=actor, taken_at=taken_at,
        )


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


def _assessment_create(*, intake: Intake, client: Client, cleaned, actor: User) -> Assessment:
    assessment = Assessment(
        intake=intake, client=client, assessed_at=intake.collected_at, assessor=actor, agency=intake.agency,
        **_scored_values(cleaned, client=client, collected_at=timezone.localtime(intake.collected_at)),
    )
    history_save(assessment, actor=actor, reason="VAT scored at intake")
    assessment_pdf_schedule(assessment=assessment)
    return assessment


def assessment_pdf_schedule(*, assessment: Assessment) -> None:
    """Render the assessment PDF off the request: a deadline row due now (so a dead
    broker only delays it), and a task queued after commit to do it at once."""
    from intake.tasks import assessment_pdf_render

    if not deadline_pending(kind=PDF_KIND, subject=assessment):  # a pending render already shows the latest state
        deadline_schedule(kind=PDF_KIND, subject=assessment, due_at=timezone.now())
    transaction.on_commit(lambda: enqueue_or_leave_to_sweep(assessment_pdf_render, assessment.pk))


# --- amendment --------------------------------------------------------------


@transaction.atomic
def intake_amend(*, intake: Intake, actor: User, changes: dict, reason: str) -> IntakeResult:
    """Correct a completed intake. The reason goes into the history of every row it changes."""
    if not reason.strip():
        raise IntakeInvalid({"reason": [AMEND_NEEDS_REASON]})
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.status != Intake.Status.COMPLETED or intake.outcome == Intake.Outcome.DV_REFERRED:
        raise IntakeInvalid({"non_field_errors": ["Only completed intakes with a client can be amended."]})
    # The SSN on file is checked with the rest (never displayed); a blank SSN field keeps it.
    on_file = {"ssn": intake.client.reveal_ssn()} if intake.client and intake.client.ssn_ciphertext else {}
    if not changes.get("ssn", True):
        changes = {k: v for k, v in changes.items() if k != "ssn"}
    answers = {**intake_answers(intake), **on_file, **changes}
    cleaned, errors, _shelters = intake_validate(answers, language=intake.call_language)
    for code in changes:
        if code in ("county", "continue_to_vi", "vi_consent", "safety_safe_talking", "safety_afraid_of_partner",
                    "dv_referral_accepted", "wants_shelter_tonight", "shelter_choice"):
            errors.setdefault(code, []).append("This answer changes the path of the call: start a new intake instead.")
    if errors:
        raise IntakeInvalid(errors)
    for code in INTAKE_COLUMNS:
        if code in changes and code not in ("dv_referral_agency", "shelter_choice", "dv_pii_sharing_acknowledged"):
            setattr(intake, code, cleaned.get(code) or "")
    if "collected_at" in changes:
        intake.collected_at = cleaned["collected_at"]
    history_save(intake, actor=actor, reason=f"amended: {reason}")
    client = intake.client
    personal = {code: cleaned.get(code, "") for code in PERSONAL_CODES if code in changes and code != "ssn"}
    if personal or "ssn" in changes:
        client = client_update(client=client, actor=actor, reason=f"amended intake #{intake.pk}: {reason}",
                               ssn=cleaned.get("ssn", "") if "ssn" in changes else None, **personal)
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


def intake_answers(intake: Intake) -> dict:
    """A completed intake's answers under their codes, as strings (for amending and display)."""
    if intake.status == Intake.Status.DRAFT:
        return intake_draft_answers(intake)
    answers: dict = {}
    for code in INTAKE_COLUMNS:
        value = getattr(intake, f"{code}_id" if code in ("dv_referral_agency", "shelter_choice") else code)
        if value not in (None, ""):
            answers[code] = value
    if intake.collected_at:
        answers["collected_at"] = timezone.localtime(intake.collected_at).strftime("%Y-%m-%dT%H:%M")
    answers["collection_method"] = intake.collection_method
    client = intake.client
    if client is not None:
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
