"""Letters to complainants: PDFs from templates through the one document store (ces.documents),
in the complainant's language, every version kept, the sending recorded.

A letter's document has the complaint or grievance as its source and no client: letters are
seen only by those who may see the complaint (CoC staff and the committee), never on a
client's record.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone, translation

from ces.audit import history_save
from ces.documents import document_render
from ces.models import ClientDocument, User
from grievances import policy
from grievances.completeness import case_missing
from grievances.models import Grievance, Letter, OutsideAgency, TitleViComplaint
from grievances.selectors import CHANGE_COMPLAINTS, CHANGE_GRIEVANCES, require_perm

Case = TitleViComplaint | Grievance


def _signer(case: Case, actor: User) -> dict:
    """Who signs: the person acting (never the system account), with the office's title."""
    person = "" if actor.is_system else (actor.get_full_name() or actor.username)
    if isinstance(case, Grievance):
        return {"name": person, "title_en": "Outcomes and Measurements Committee", "title_es": "Comité de Resultados y Medición"}
    investigator = case.investigator if case.investigator_id else None
    if investigator is not None and not investigator.is_system:
        person = investigator.get_full_name() or investigator.username
    return {"name": person, "title_en": "Title VI investigator", "title_es": "Investigador(a) del Título VI"}


def letter_context(*, case: Case, kind: str, dated: date, actor: User) -> dict:
    is_grievance = isinstance(case, Grievance)
    return {
        "case": case,
        "kind": kind,
        "dated": dated,
        "language": case.language,
        "es": case.language == "es",
        "is_grievance": is_grievance,
        "reference": case.reference,
        "office": policy.GRIEVANCE_OFFICE if is_grievance else policy.COMPLAINT_OFFICE,
        "outside_agencies": list(OutsideAgency.objects.filter(is_active=True)),
        "signer": _signer(case, actor),
        "bases": [label for code, label in policy.BASES if code in getattr(case, "bases", [])],
        "missing": [message for _field, message in case_missing(case)],
        "timely_days": policy.GRIEVANCE_TIMELY_DAYS if is_grievance else policy.COMPLAINT_TIMELY_DAYS,
        "information_days": policy.INFORMATION_BUSINESS_DAYS,
        "investigation_days": policy.INVESTIGATION_DAYS,
        "appeal_days": policy.APPEAL_DAYS,
        "days_after": (case.received_on - event).days if (event := _event_date(case)) else None,
    }


def _event_date(case: Case) -> date | None:
    return case.denial_date if isinstance(case, Grievance) else case.incident_date


def _title(case: Case, kind: str) -> str:
    with translation.override("en"):
        return f"{Letter.Kind(kind).label} · {case.reference}"


def _render(*, case: Case, kind: str, dated: date, actor: User) -> ClientDocument:
    return document_render(
        template_name=f"grievances/letters/{kind}.html",
        context=letter_context(case=case, kind=kind, dated=dated, actor=actor),
        source=case,
        kind=ClientDocument.Kind.LETTER,
        title=_title(case, kind),
        actor=actor,
        client=None,
        language=case.language,
        filename=f"{kind}-{case.reference}",
    )


@transaction.atomic
def letter_make(*, case: Case, kind: str, dated: date, actor: User) -> Letter:
    """Render the `kind` letter dated `dated` and keep it (a new document in the store)."""
    document = _render(case=case, kind=kind, dated=dated, actor=actor)
    letter = Letter(
        complaint=case if isinstance(case, TitleViComplaint) else None,
        grievance=case if isinstance(case, Grievance) else None,
        kind=kind, language=case.language, dated=dated, document=document, created_by=actor,
    )
    return history_save(letter, actor=actor, reason=f"{kind} letter made")


@transaction.atomic
def letter_regenerate(*, letter: Letter, actor: User) -> Letter:
    """A new version of the same letter (same date) from the case as it is now, e.g. after the
    complainant's address or language was corrected. The earlier versions stay in the store."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    case = letter.case
    require_perm(actor, CHANGE_GRIEVANCES if letter.grievance_id else CHANGE_COMPLAINTS)
    letter.document = _render(case=case, kind=letter.kind, dated=letter.dated, actor=actor)
    letter.language = case.language
    return history_save(letter, actor=actor, reason=f"{letter.kind} letter: new version {letter.document.version}")


@transaction.atomic
def letter_mark_sent(*, letter: Letter, actor: User, sent_channel: str) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    require_perm(actor, CHANGE_GRIEVANCES if letter.grievance_id else CHANGE_COMPLAINTS)
    letter.sent_at = timezone.now()
    letter.sent_by = actor
    letter.sent_channel = sent_channel
    return history_save(letter, actor=actor, reason=f"{letter.kind} letter sent by {sent_channel}")
