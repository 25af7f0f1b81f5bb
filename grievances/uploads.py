"""Files attached to a complaint or grievance, and the public page's rate limit.

Attachments are checked before anything is stored: at most three, each at most 5 MB (10 MB
together), and each a PDF, PNG or JPEG recognised by its first bytes, whatever its name says.
The public page admits a limited number of submissions per address; what it keeps for that is
a keyed hash of the address and the time, nothing that was typed.
"""

import hashlib
import hmac
import os
import unicodedata
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces.audit import history_save
from ces.errors import NON_FIELD, Invalid, ServiceError
from ces.models import User
from grievances import policy
from grievances.models import Attachment, Grievance, PublicAttempt

TOO_MANY_FILES = format_lazy(_("Attach at most {n} files."), n=policy.ATTACHMENTS_MAX)
FILE_TOO_LARGE = _("“{name}” is larger than {mb} MB: send a smaller file (or bring it to the office).")
FILES_TOO_LARGE = format_lazy(_("The attachments together are larger than {mb} MB."),
                              mb=policy.ATTACHMENTS_TOTAL_MAX_BYTES // (1024 * 1024))
FILE_WRONG_TYPE = _("“{name}” is not a PDF, PNG or JPEG file. Attach documents as PDF and photos as PNG or JPEG.")
FILE_EMPTY = _("“{name}” is empty.")
TOO_MANY_SUBMISSIONS = _("Too many forms were sent from this connection. Please wait an hour and try again, "
                         "or call 2-1-1 (Nevada County) or 1-833-3PLACER (Placer County) for help filing.")


class RateLimited(ServiceError):
    """Too many submissions from one address (429)."""

    status_code = 429


def _display_name(upload: UploadedFile) -> str:
    name = os.path.basename(upload.name or "file")
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name[:100] or "file"


def _sniff(upload: UploadedFile) -> tuple[str, str] | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, extension in policy.ATTACHMENT_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def attachments_check(uploads: list[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Each upload with its content type and extension, or Invalid with every problem found.
    Nothing is written here."""
    problems = []
    if len(uploads) > policy.ATTACHMENTS_MAX:
        problems.append(TOO_MANY_FILES)
    checked, total = [], 0
    for upload in uploads:
        name = _display_name(upload)
        total += upload.size or 0
        if not upload.size:
            problems.append(format_lazy(FILE_EMPTY, name=name))
            continue
        if upload.size > policy.ATTACHMENT_MAX_BYTES:
            problems.append(format_lazy(FILE_TOO_LARGE, name=name, mb=policy.ATTACHMENT_MAX_BYTES // (1024 * 1024)))
            continue
        sniffed = _sniff(upload)
        if sniffed is None:
            problems.append(format_lazy(FILE_WRONG_TYPE, name=name))
            continue
        checked.append((upload, *sniffed))
    if total > policy.ATTACHMENTS_TOTAL_MAX_BYTES:
        problems.append(FILES_TOO_LARGE)
    if problems:
        raise Invalid({"attachments": problems})
    return checked


def attachments_store(*, checked: list[tuple[UploadedFile, str, str]], case, actor: User) -> list[Attachment]:
    """Keep the checked uploads on the case (file names are ours; the person's is kept as text)."""
    stored = []
    for upload, content_type, extension in checked:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = Attachment(
            complaint=None if isinstance(case, Grievance) else case,
            grievance=case if isinstance(case, Grievance) else None,
            original_name=_display_name(upload), content_type=content_type, size=upload.size,
            sha256=digest.hexdigest(), created_by=actor,
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
        stored.append(history_save(attachment, actor=actor, reason="attached to the form"))
    return stored


def _address_hash(address: str) -> str:
    key = hashlib.sha256(f"public-form-rate-limit:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def public_attempt_admit(*, address: str | None) -> None:
    """Count one submission of the public form from `address`, or refuse it (429) past the limits."""
    now = timezone.now()
    PublicAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
    key = _address_hash(address or "")
    recent = PublicAttempt.objects.filter(address_hash=key)
    if (recent.filter(at__gte=now - timedelta(hours=1)).count() >= policy.PUBLIC_ATTEMPTS_PER_HOUR
            or recent.count() >= policy.PUBLIC_ATTEMPTS_PER_DAY):
        raise RateLimited({NON_FIELD: [TOO_MANY_SUBMISSIONS]})
    PublicAttempt.objects.create(address_hash=key, at=now)
