"""Reviewing the audit history: who may, what one look returns, and that every look is itself logged."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.selectors import (
    PAGE_SIZE,
    TimelineRow,
    audit_events,
    capped_count,
    client_id_from,
    may_review_audit,
    retention_summary,
    timeline_rows,
)
from ces.audit import access_log_record
from ces.errors import Forbidden
from ces.models import AccessLog, User

NOT_AN_AUDITOR = _("Only the HMIS admin reviews the audit history.")
EXPORT_CHUNK = 500


@dataclass
class AuditPage:
    rows: list[TimelineRow]
    count: int  # exact up to COUNT_CAP; beyond it `capped` is True
    capped: bool
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def pages(self) -> int | None:
        return None if self.capped else max(1, -(-self.count // PAGE_SIZE))


def _query(filters: dict):
    client = None
    if filters.get("client"):
        client = client_id_from(filters["client"])
        if client is None:
            client = 0  # names nobody: an empty timeline, not every row
    return audit_events(
        client=client, user=filters.get("user") or "", kind=filters.get("kind") or "", model=filters.get("model") or "",
        action=filters.get("action") or "", since=filters.get("since"), until=filters.get("until"), q=filters.get("q") or "",
    )


def _describe(filters: dict) -> str:
    """What the look was for, without personal search terms (the free text is not logged)."""
    shown = {k: v for k, v in filters.items() if k not in ("q", "page") and v not in (None, "")}
    parts = [f"{key}={value}" for key, value in sorted(shown.items())]
    if filters.get("q"):
        parts.append("text search")
    return "audit " + (", ".join(parts) or "all")


def auditor_require(viewer: User) -> None:
    """The one rule of who reviews the audit history (the HMIS admin); Forbidden for anyone else."""
    if not may_review_audit(viewer):
        raise Forbidden(NOT_AN_AUDITOR)


def audit_review(*, viewer: User, filters: dict, request: HttpRequest | None = None) -> AuditPage:
    """One page of the timeline for an HMIS admin; the look is written to the access log."""
    auditor_require(viewer)
    events = _query(filters)
    count, capped = capped_count(events)
    page = filters.get("page") or 1
    if not capped:
        page = min(page, max(1, -(-count // PAGE_SIZE)))
    window = list(events[(page - 1) * PAGE_SIZE: page * PAGE_SIZE + 1])  # one more: is there a next page?
    rows = timeline_rows(window[:PAGE_SIZE], viewer=viewer)
    access_log_record(user=viewer, action=AccessLog.Action.VIEW_AUDIT, request=request, detail=_describe(filters))
    return AuditPage(rows=rows, count=count, capped=capped, page=page, has_next=len(window) > PAGE_SIZE)


def audit_export(*, viewer: User, filters: dict, request: HttpRequest | None = None) -> Iterator[TimelineRow]:
    """Every row of the filtered timeline, a chunk at a time (for the CSV); the export is logged."""
    auditor_require(viewer)
    access_log_record(user=viewer, action=AccessLog.Action.EXPORT, request=request, detail=_describe(filters) + " (CSV)")
    return _export_rows(viewer=viewer, events=_query(filters))


def _export_rows(*, viewer: User, events) -> Iterator[TimelineRow]:
    last = None
    while True:
        chunk_query = events
        if last is not None:  # keyset: strictly after the last row, in (-at, -id) order
            chunk_query = chunk_query.filter(Q(at__lt=last.at) | Q(at=last.at, id__lt=last.id))
        chunk = list(chunk_query[:EXPORT_CHUNK])
        if not chunk:
            return
        yield from timeline_rows(chunk, viewer=viewer)
        last = chunk[-1]


def retention_review(*, viewer: User, request: HttpRequest | None = None) -> list[dict]:
    """People past the 7-year retention period, per agency; the look is logged."""
    auditor_require(viewer)
    access_log_record(user=viewer, action=AccessLog.Action.VIEW_AUDIT, request=request, detail="retention report")
    return retention_summary()
