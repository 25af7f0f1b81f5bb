"""The one document store: render a PDF, keep every version, log every download.

Assessments, letters (engagement, grievances), shelter lists and reports all
go through here:

- `pdf_render(template, context, language=...)` renders a template to PDF
  bytes with WeasyPrint, in the reader's language;
- `document_keep(...)` stores bytes as the next version of a document about
  a source record (any model), with its SHA-256 and a history row;
- `document_render(...)` is both;
- `document_response(...)` answers a download, after the caller fetched the
  document through its access helper, and writes the access-log row.

Files live under MEDIA_ROOT but are never served from it: only through a
logged-in view that calls document_response.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max
from django.http import FileResponse, HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from ces.audit import access_log_record, history_save
from ces.models import AccessLog, Client, ClientDocument, User

# WeasyPrint and fontTools report every CSS step, missing glyph and font subset; silence them
# before the import (importing logs too). Settings' LOGGING says the same for every process.
for _noisy in ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset", "fontTools.ttLib"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)

from weasyprint import HTML  # noqa: E402


def pdf_render(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """A template rendered to PDF bytes, in `language` (the active language if None)."""
    with translation.override(language or translation.get_language() or "en"):
        html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()


def source_of(record: models.Model) -> dict:
    return {"source_type": record._meta.label_lower, "source_id": str(record.pk)}


@transaction.atomic
def document_keep(
    *,
    content: bytes,
    source: models.Model,
    kind: str,
    title: str,
    actor: User,
    client: Client | None = None,
    language: str = "en",
    filename: str = "",
) -> ClientDocument:
    """Keep `content` as the next version of the `kind` document about `source`."""
    where = {**source_of(source), "kind": kind}
    # Lock the versions of this document so two renders never take the same number.
    list(ClientDocument.objects.select_for_update().filter(**where).values_list("pk", flat=True))
    version = (ClientDocument.objects.filter(**where).aggregate(v=Max("version"))["v"] or 0) + 1
    document = ClientDocument(
        client=client, title=title[:200], version=version, language=language, sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor, **where,
    )
    stem = filename or f"{kind}-{where['source_type'].replace('.', '-')}-{source.pk}"
    document.file.save(f"{stem}-v{version}.pdf", ContentFile(content), save=False)
    return history_save(document, actor=actor, reason=f"{kind} version {version}")


def document_render(
    *,
    template_name: str,
    context: dict,
    source: models.Model,
    kind: str,
    title: str,
    actor: User,
    client: Client | None = None,
    language: str = "en",
    filename: str = "",
) -> ClientDocument:
    content = pdf_render(template_name, context, language=language)
    return document_keep(content=content, source=source, kind=kind, title=title, actor=actor, client=client,
                         language=language, filename=filename)


def documents_of(source: models.Model, kind: str | None = None):
    documents = ClientDocument.objects.filter(**source_of(source))
    return documents.filter(kind=kind) if kind else documents


def document_response(*, document: ClientDocument, user: User, request: HttpRequest | None = None,
                      as_attachment: bool = False) -> FileResponse:
    """The file, for a user the caller has already checked; one access-log row."""
    access_log_record(user=user, action=AccessLog.Action.DOWNLOAD_PDF, request=request, client=document.client,
                      obj=document, detail=f"{document.title} v{document.version}")
    return FileResponse(document.file.open("rb"), content_type="application/pdf", as_attachment=as_attachment,
                        filename=document.file.name.rsplit("/", 1)[-1])
