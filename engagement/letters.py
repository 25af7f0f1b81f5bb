"""The engagement letters (engagement.md, "Letters"): the no-contact letter and the hold letter,
PDFs in the client's preferred language (English or Spanish), kept on the client's file with the
channel and date they were sent.

Below both engagement.services (the no-contact letter) and engagement.disengagement (the hold
letter), so neither imports the other for it.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override
from weasyprint import HTML

from ces.audit import history_save
from ces.business_days import add_business_days
from ces.models import ClientDocument, User
from engagement import policy
from engagement.models import EngagementCase, Letter

SOURCE_TYPE = "engagement.case"


def letter_language(case: EngagementCase) -> str:
    return "es" if case.client.preferred_language == "es" else "en"


def letter_html(*, case: EngagementCase, kind: str, answer_by: date | None = None) -> str:
    """The letter as HTML, in the client's language (`answer_by`: the last day the no-contact letter gives)."""
    language = letter_language(case)
    with override(language):
        return render_to_string(f"engagement/letter_{kind}.html", {"case": case, "client": case.client, "today": timezone.localdate(),
                                                                   "language": language, "answer_by": answer_by})


def letter_answer_by(today: date) -> date:
    """The last day the no-contact letter gives: "we will close your file in five business days"."""
    return add_business_days(today, policy.CLOSE_AFTER_LETTER_DAYS)


def letter_preview_pdf(*, case: EngagementCase) -> bytes:
    """The no-contact letter as it would be made today, for the worker to read before sending it."""
    return HTML(string=letter_html(case=case, kind=Letter.Kind.NO_CONTACT, answer_by=letter_answer_by(timezone.localdate()))).write_pdf()


def letter_make(*, case: EngagementCase, kind: str, channel: str, actor: User, answer_by: date | None = None) -> Letter:
    """Render the letter, keep it as the next version of the case's letters, and record it sent.
    The caller has checked that the letter is due and the channel is mail or email."""
    client = case.client
    language = letter_language(case)
    content = HTML(string=letter_html(case=case, kind=kind, answer_by=answer_by)).write_pdf()
    versions = ClientDocument.objects.filter(source_type=SOURCE_TYPE, source_id=str(case.pk), kind=ClientDocument.Kind.LETTER)
    document = ClientDocument(client=client, kind=ClientDocument.Kind.LETTER, title=f"{Letter.Kind(kind).label} ({language})",
                              source_type=SOURCE_TYPE, source_id=str(case.pk), version=versions.count() + 1,
                              sha256=hashlib.sha256(content).hexdigest(), created_by=actor)
    document.file.save(f"{kind}-{case.pk}-{timezone.now():%Y%m%d%H%M%S}.pdf", ContentFile(content), save=False)
    history_save(document, actor=actor, reason=f"{kind} letter", validate=False)
    letter = Letter(case=case, kind=kind, language=language, document=document, sent_at=timezone.now(), sent_channel=channel,
                    sent_by=actor, answer_by=answer_by)
    return history_save(letter, actor=actor, reason=f"{kind} letter sent by {channel}", validate=False)
