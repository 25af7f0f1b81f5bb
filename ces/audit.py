"""Audit helpers: who did it, and who looked (roles-privacy-audit.md, "Audit history").

- `history_save` saves a model through full_clean() with its history row
  attributed to `actor` (a person, or the system user for scheduled jobs)
  and the reason the form asked for.
- `access_log_record` writes one AccessLog row for a read of personal data.
  The row never holds what was searched for: the path is stored without its
  query string, and anything shaped like an SSN in `detail` is masked
  (docs/security.md, "Logs").
- `client_ip` is the person's address, behind the trusted proxies: django-axes
  (lock-out) and the access log both use it.
"""

import ipaddress
import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import HttpRequest

from ces.models import AccessLog, Client, User

# Nine digits, with or without dashes or spaces: what an SSN looks like in free text.
_SSN_SHAPED = re.compile(r"(?<!\d)\d{3}[-\s]?\d{2}[-\s]?\d{4}(?!\d)")
MASK = "…"


def _validate(instance: models.Model) -> None:
    """`full_clean()`, less one query per foreign key whose target the caller holds loaded.

    Django checks that a foreign key's row exists with a query per key on every clean; a
    service that sets `intake.csr = actor` holds that row already, and the database's
    foreign-key constraint still refuses a vanished one. Keys set by id alone are checked
    as before; field checks, clean(), unique and constraint checks are all unchanged.
    """
    held = {
        field.name for field in instance._meta.concrete_fields
        if field.many_to_one and field.is_cached(instance) and getattr(instance, field.name) is not None
    }
    errors: dict = {}
    for step in (lambda: instance.clean_fields(exclude=held), instance.clean):
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    failed = {name for name in errors if name != NON_FIELD_ERRORS}
    for step in (lambda: instance.validate_unique(exclude=failed), lambda: instance.validate_constraints(exclude=failed)):
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def history_save(instance: models.Model, *, actor: User, reason: str = "", validate: bool = True):
    if validate:
        _validate(instance)
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


def _ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person's browser.

    With TRUSTED_PROXY_COUNT = 0, REMOTE_ADDR. Behind N trusted proxies, each
    appends the address it received the request from to X-Forwarded-For, so
    the person is the N-th address from the right; whatever the browser wrote
    there itself is further left and ignored. A request that did not pass all
    N proxies (fewer addresses) falls back to REMOTE_ADDR.
    """
    if request is None:
        return None
    remote = _ip_or_none(request.META.get("REMOTE_ADDR", "") or "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _ip_or_none(forwarded[-count]) or remote


def log_safe(text: str) -> str:
    """`text` with anything shaped like an SSN replaced by "…"."""
    return _SSN_SHAPED.sub(MASK, text)


def access_log_record(
    *,
    user: User,
    action: str,
    request: HttpRequest | None = None,
    client: Client | None = None,
    obj: models.Model | None = None,
    detail: str = "",
) -> AccessLog:
    """One row for one read. `detail` says what kind of read it was; never put search terms in it."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        client=client,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=log_safe(detail)[:500],
        # The path only: query strings carry what was searched for (names, dates of birth, SSNs).
        path=(log_safe(request.path)[:500] if request is not None else ""),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
    )
