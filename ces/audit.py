"""Audit helpers: who did it, and who looked (roles-privacy-audit.md, "Audit history").

- `history_save` saves a model through full_clean() with its history row
  attributed to `actor` (a person, or the system user for scheduled jobs)
  and the reason the form asked for.
- `access_log_record` writes one AccessLog row for a read of personal data.
"""

from django.db import models
from django.http import HttpRequest

from ces.models import AccessLog, Client, User


def history_save(instance: models.Model, *, actor: User, reason: str = "", validate: bool = True):
    if validate:
        instance.full_clean()
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    user: User,
    action: str,
    request: HttpRequest | None = None,
    client: Client | None = None,
    obj: models.Model | None = None,
    detail: str = "",
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        action=action,
        client=client,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:500],
        path=(request.get_full_path()[:500] if request is not None else ""),
        ip_address=_client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
    )
