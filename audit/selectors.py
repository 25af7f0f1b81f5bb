"""Reads of the audit timeline (roles-privacy-audit.md "Audit history", api.md "Audit history").

The timeline is `audit_auditevent` (one indexed row per look and per change,
written by triggers: audit.sources). A page is one indexed query; the rows of
the page are then completed with who, which person (label), and for changes
the field-by-field difference against the previous version of the record —
a bounded number of queries per page, whatever the size of the history.

Personal values are shown only where the viewer may see the person
(ces.access): for records of a victim service provider, or of a person who
did not consent, a non-holding admin sees that events happened, by whom and
when, with the person as a label and every old/new value and free-text
reason redacted.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import connection
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.sources import history_models, tracked_label
from ces import roles
from ces.access import client_is_visible_to
from ces.models import Client, User
from ces.sealed import history_row_open

PAGE_SIZE = 50
# Complaints and grievances hold complainants' data, which only CoC staff and the committee see
# (grievances.md): in the timeline their values are redacted for everyone else.
COMPLAINT_MODELS = ("grievances.",)
COMPLAINANTS_PERMISSION = "grievances.view_titlevicomplaint"
COUNT_CAP = 1_000
REDACTED = _("[redacted]")
REDACTED_REASON = _("[redacted: you may not see this person's data]")
# Bookkeeping columns whose changes say nothing to a reviewer.
# Ciphertext and keyed hashes (the SSN; a VSP's seals and search hashes, ces.sealed) say nothing to a reader.
IGNORED_FIELDS = {"updated_at", "draft_ciphertext", "draft_saved_at", "ssn_ciphertext", "ssn_hash", "vsp_sealed",
                  "vsp_search_hashes", "signature_ciphertext", "wrapped_key"}
_LABEL = re.compile(r"^\s*([A-Za-z]{2,5})-0*([0-9]{1,18})\s*$")


def may_review_audit(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(roles.HMIS_ADMIN))


def client_id_from(value: str) -> int | None:
    """A client filter: an id ("42") or a label ("CP-000042"); None when it names nobody."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    match = _LABEL.match(value)
    if match:
        client = Client.objects.filter(pk=int(match[2]), holding_agency__initials=match[1].upper()).only("pk").first()
        return client.pk if client else 0
    return None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    *,
    client: int | None = None,
    user: str = "",
    kind: str = "",
    model: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
    q: str = "",
) -> QuerySet[AuditEvent]:
    """The filtered timeline, newest first. Dates are inclusive days in the CoC's time zone."""
    events = AuditEvent.objects.all()
    if client is not None:
        events = events.filter(client_id=client)
    if user:
        user_id = User.objects.filter(username=user).values_list("pk", flat=True).first()
        events = events.filter(user_id=user_id) if user_id else events.none()
    if kind:
        events = events.filter(kind=kind)
    if model:
        events = events.filter(model=model.lower())
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__gte=_start_of(since))
    if until:
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    if q:
        events = events.filter(search__contains=q.lower())
    return events.order_by("-at", "-id")


def capped_count(events: QuerySet[AuditEvent]) -> tuple[int, bool]:
    """How many rows match, counted up to COUNT_CAP (an exact count of millions is slow and useless)."""
    n = events[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


# --- completing a page --------------------------------------------------------


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class TimelineRow:
    event: AuditEvent
    at: datetime
    kind: str
    user: str
    user_name: str
    action: str
    model: str
    model_name: str
    object_id: str
    object_label: str
    client_id: int | None
    client_label: str
    client_visible: bool
    reason: str
    ip: str
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "at": timezone.localtime(self.at).isoformat(),
            "kind": self.kind,
            "user": self.user,
            "action": self.action,
            "model": self.model,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "client_label": self.client_label,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in self.changes],
            "reason": self.reason,
            "ip": self.ip,
        }


def _history_model(table: str):
    for model in apps.get_models():
        if model._meta.db_table == table:
            return model
    return None


def _previous_versions(table: str, events: list[AuditEvent]) -> dict[int, int]:
    """For each change event, the history id of the version before it: one indexed query per table,
    over the timeline itself (auditevent_versions_idx), whatever the history table's indexes."""
    keys = [(e.history_id, e.object_id, e.at) for e in events]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT cur.history_id, prev.history_id
               FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[]) AS cur(history_id, object_id, at)
               JOIN LATERAL (SELECT e.history_id FROM audit_auditevent e
                             WHERE e.kind = 'change' AND e.history_table = %s AND e.object_id = cur.object_id
                               AND (e.at, e.history_id) < (cur.at, cur.history_id)
                             ORDER BY e.at DESC, e.history_id DESC LIMIT 1) prev ON true""",
            [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], table],
        )
        return dict(cursor.fetchall())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    return str(value)


def _changes_by_history_id(events: list[AuditEvent]) -> dict[tuple[str, int], list[Change]]:
    by_table: dict[str, list[AuditEvent]] = {}
    for event in events:
        if event.kind == AuditEvent.Kind.CHANGE and event.history_id and event.history_table:
            by_table.setdefault(event.history_table, []).append(event)
    result: dict[tuple[str, int], list[Change]] = {}
    for table, table_events in by_table.items():
        model = _history_model(table)
        if model is None:
            continue
        ids = [event.history_id for event in table_events]
        previous = _previous_versions(table, table_events)
        rows = {row.history_id: row for row in model.objects.filter(history_id__in=[*ids, *previous.values()])}
        for row in rows.values():  # a VSP's sealed values, for that VSP's own reviewer only (ces.sealed)
            history_row_open(row, model.instance_type)
        tracked = [f.name for f in model.instance_type._meta.concrete_fields if f.name not in IGNORED_FIELDS]
        for history_id in ids:
            current = rows.get(history_id)
            if current is None:
                continue
            before = rows.get(previous.get(history_id))
            changes = []
            for name in tracked:
                new = getattr(current, name if not _is_fk(model, name) else f"{name}_id", None)
                old = getattr(before, name if not _is_fk(model, name) else f"{name}_id", None) if before else None
                if before is None and new in (None, ""):
                    continue
                if before is not None and old == new:
                    continue
                changes.append(Change(field=name, old=_text(old) if before else "", new=_text(new)))
            result[(table, history_id)] = changes
    return result


def _is_fk(model, name: str) -> bool:
    field_ = model.instance_type._meta.get_field(name)
    return field_.is_relation


def timeline_rows(events: list[AuditEvent], *, viewer: User) -> list[TimelineRow]:
    """Complete a page of events: names, labels, differences, redaction for the viewer."""
    user_ids = {e.user_id for e in events if e.user_id}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids).only("pk", "username", "first_name", "last_name")}
    client_ids = {e.client_id for e in events if e.client_id}
    clients = {c.pk: c for c in Client.objects.filter(pk__in=client_ids).select_related("holding_agency")}
    visible = {pk: client_is_visible_to(user=viewer, client=c) for pk, c in clients.items()}
    changes = _changes_by_history_id(events)
    rows = []
    may_see_complainants = viewer.has_perm(COMPLAINANTS_PERMISSION)
    for event in events:
        person = clients.get(event.client_id)
        may_see = person is None or visible.get(person.pk, False)
        if event.model.startswith(COMPLAINT_MODELS) and not may_see_complainants:
            may_see = False  # grievances.md: only CoC staff and the committee see complainants' data
        actor = users.get(event.user_id)
        model_class = _tracked_model(event.model)
        row = TimelineRow(
            event=event,
            at=event.at,
            kind=event.kind,
            user=actor.username if actor else "",
            user_name=(actor.get_full_name() or actor.username) if actor else "",
            action=event.action,
            model=event.model,
            model_name=str(model_class._meta.verbose_name) if model_class else event.model,
            object_id=event.object_id,
            object_label=_object_label(event, model_class, person),
            client_id=event.client_id,
            client_label=person.label if person else "",
            client_visible=may_see,
            reason=event.reason if may_see else (str(REDACTED_REASON) if event.reason else ""),
            ip=event.ip or "",
            changes=changes.get((event.history_table, event.history_id), []),
        )
        if not may_see:
            row.changes = [Change(field=c.field, old=str(REDACTED) if c.old else "", new=str(REDACTED) if c.new else "")
                           for c in row.changes]
        rows.append(row)
    return rows


def _tracked_model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _object_label(event: AuditEvent, model_class, person: Client | None) -> str:
    if event.model == "ces.client" and person is not None:
        return person.label
    name = str(model_class._meta.verbose_name) if model_class else (event.model or str(_("record")))
    return f"{name} #{event.object_id}" if event.object_id else name


# --- retention ---------------------------------------------------------------

RETENTION_YEARS = 7  # "Personal data is kept at least 7 years after last activity (HUD)."


def retention_due(*, now: datetime | None = None) -> QuerySet:
    """People whose last recorded change is more than RETENTION_YEARS ago, oldest first."""
    now = now or timezone.now()
    cutoff = now.replace(year=now.year - RETENTION_YEARS)
    last = (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE, client__isnull=False)
        .values("client_id")
        .annotate(last=Max("at"))
        .filter(last__lt=cutoff)
    )
    return last.order_by("last")


def retention_summary(*, now: datetime | None = None) -> list[dict]:
    """Per holding agency: how many people are past the retention period."""
    due = {row["client_id"]: row["last"] for row in retention_due(now=now)}
    counts: dict[str, dict] = {}
    for client in Client.objects.filter(pk__in=due).select_related("holding_agency"):
        agency = client.holding_agency
        entry = counts.setdefault(agency.name, {"agency": agency.name, "initials": agency.initials, "people": 0,
                                                "oldest": due[client.pk]})
        entry["people"] += 1
        entry["oldest"] = min(entry["oldest"], due[client.pk])
    return sorted(counts.values(), key=lambda row: row["agency"])


def filter_models() -> list[tuple[str, str]]:
    """The record types the timeline can be filtered by (label, readable name)."""
    labels = sorted({tracked_label(m) for m in history_models()})
    return [(label, str(apps.get_model(label)._meta.verbose_name)) for label in labels]

