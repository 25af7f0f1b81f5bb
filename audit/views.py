"""The HMIS admin's audit screens: the timeline with filters and differences, its CSV, the retention report."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from audit.inputs import AuditFilter
from audit.models import AuditEvent
from audit.selectors import PAGE_SIZE, RETENTION_YEARS, filter_models
from audit.services import audit_export, audit_review, auditor_require, retention_review
from ces.csv_export import csv_response
from ces.inputs import check
from ces.web import screen_action

CSV_HEADER = ["at", "kind", "user", "action", "model", "object_id", "object_label", "client_label", "field", "old", "new",
              "reason", "ip"]


@login_required
@screen_action
def audit_timeline(request):
    filters, errors = check(AuditFilter, request.GET)
    if errors:
        auditor_require(request.user)
    page = None if errors else audit_review(viewer=request.user, filters=filters, request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/timeline.html", {
        "page": page, "errors": errors, "values": request.GET, "kinds": AuditEvent.Kind.choices, "models": filter_models(),
        "query": query.urlencode(), "page_size": PAGE_SIZE,
    })


def _csv_rows(rows):
    for row in rows:
        at = timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S %z")
        base = [at, row.kind, row.user, row.action, row.model, row.object_id, row.object_label, row.client_label]
        if not row.changes:
            yield [*base, "", "", "", row.reason, row.ip]
        for change in row.changes:
            yield [*base, change.field, change.old, change.new, row.reason, row.ip]


@login_required
@screen_action
def audit_export_csv(request):
    filters, errors = check(AuditFilter, request.GET)
    if errors:
        auditor_require(request.user)
        return audit_timeline(request)
    rows = audit_export(viewer=request.user, filters=filters, request=request)
    return csv_response(CSV_HEADER, _csv_rows(rows), filename=f"audit-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
@screen_action
def retention_report(request):
    summary = retention_review(viewer=request.user, request=request)
    return render(request, "audit/retention.html", {"summary": summary, "years": RETENTION_YEARS,
                                                    "total": sum(row["people"] for row in summary)})
