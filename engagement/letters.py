"""The engagement letters (engagement.md, "Letters"): the no-contact letter and the hold letter,
PDFs in the client's preferred language (English or Spanish), kept on the client's file with the
channel and date they were sent.

Below both engagement.services (the no-contact letter) and engagement.disengagement (the hold
letter), so neither imports the other for it.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from ces.audit import history_save
from ces.documents import document_keep, pdf_render
from ces.models import ClientDocument, User
from engagement.models import EngagementCase, Letter
from engagement.steps import letter_answer_by


def letter_language(case: EngagementCase) -> str:
    return "es" if case.client.preferred_language == "es" else "en"


def letter_html(*, case: EngagementCase, kind: str, answer_by: date | None = None) -> str:
    """The letter as HTML, in the client's language (`answer_by`: the last day the no-contact letter gives)."""
    with override(letter_language(case)):
        return render_to_string(f"engagement/letter_{kind}.html", letter_context(case=case, answer_by=answer_by))


def letter_context(*, case: EngagementCase, answer_by: date | None = None) -> dict:
    return {"case": case, "client": case.client, "today": timezone.localdate(), "language": letter_language(case),
            "answer_by": answer_by}


def letter_preview_pdf(*, case: EngagementCase) -> bytes:
    """The no-contact letter as it would be made today, for the worker to read before sending it."""
    return pdf_render(f"engagement/letter_{Letter.Kind.NO_CONTACT}.html",
                      letter_context(case=case, answer_by=letter_answer_by(timezone.localdate())), language=letter_language(case))


def letter_make(*, case: EngagementCase, kind: str, channel: str, actor: User, answer_by: date | None = None) -> Letter:
    """Render the letter, keep it as the next version of the case's letters, and record it sent.
    The caller has checked that the letter is due and the channel is mail or email."""
    client = case.client
    language = letter_language(case)
    content = pdf_render(f"engagement/letter_{kind}.html", letter_context(case=case, answer_by=answer_by), language=language)
    document = document_keep(content=content, source=case, kind=ClientDocument.Kind.LETTER,
                             title=f"{Letter.Kind(kind).label} ({language})", actor=actor, client=client, language=language,
                             filename=f"{kind}-{case.pk}")
    letter = Letter(case=case, kind=kind, language=language, document=document, sent_at=timezone.now(), sent_channel=channel,
                    sent_by=actor, answer_by=answer_by)
    return history_save(letter, actor=actor, reason=f"{kind} letter sent by {channel}", validate=False)
