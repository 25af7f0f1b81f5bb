"""The By-Name List screens: the list, an entry, its actions, the CSV export."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bnl.api import bnl_filters_from, may_manage_case
from bnl.eligibility import eligibility_explain, eligible_program_ids
from bnl.models import BnlEntry
from bnl.policy import BNL_PAGE_SIZE, CASE_MANAGEMENT_ITEMS, EXIT_REASONS
from bnl.selectors import FLAG_FILTERS, bnl_entries_for, bnl_entry_get_for_user, housing_programs, may_see_bnl, own_vsp_list_owner
from bnl.services import BnlInvalid, bnl_case_management_set, bnl_entry_status_set, bnl_place_deidentified_on_coc_list
from ces.audit import access_log_record
from ces.choices import County
from ces.models import AccessLog
from ces.feedback import errors_to_messages
from intake.pdf import VAT_ROWS


def _require_bnl(request):
    if not may_see_bnl(request.user):
        raise Http404


@login_required
def bnl_list(request):
    _require_bnl(request)
    filters, errors = bnl_filters_from(request.GET)
    entries = bnl_entries_for(user=request.user, **filters) if not errors else BnlEntry.objects.none()
    page = Paginator(entries, BNL_PAGE_SIZE).get_page(request.GET.get("page"))
    programs = housing_programs()
    names = {p.pk: p for p in programs}
    offset = (page.number - 1) * BNL_PAGE_SIZE
    rows = [
        {"entry": entry, "rank": offset + i + 1, "programs": [names[pk] for pk in eligible_program_ids(entry, programs)]}
        for i, entry in enumerate(page)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "bnl/list.html", {
        "page": page, "rows": rows, "programs": programs, "errors": errors, "filters": filters,
        "statuses": BnlEntry.Status.choices, "counties": [(County.PLACER, County.PLACER.label), (County.NEVADA, County.NEVADA.label)],
        "flag_names": FLAG_FILTERS, "query": query.urlencode(), "has_vsp_list": own_vsp_list_owner(request.user) is not None,
    })


class _Echo:
    def write(self, value):
        return value


@login_required
def bnl_export(request):
    """The filtered list as CSV, in list order; personal columns only where allowed. Logged."""
    _require_bnl(request)
    filters, errors = bnl_filters_from(request.GET)
    if errors:
        raise Http404
    entries = bnl_entries_for(user=request.user, **filters)
    access_log_record(user=request.user, action=AccessLog.Action.EXPORT, request=request, detail=f"BNL CSV {request.GET.urlencode()}"[:500])
    programs = housing_programs()
    names = {p.pk: p.name for p in programs}
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["rank", "label", "score", "status", "county", "days_homeless", "chronic", "veteran", "youth",
                               "family", "dv", "placed_on_list_at", "eligible_programs", "first_name", "last_name", "dob"])
        for rank, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
            visible = entry.client_id is not None and entry.pii_visible
            client = entry.client if visible else None
            yield writer.writerow([
                rank, entry.label, entry.score, entry.status, entry.county, entry.length_of_time_homeless_days,
                *(int(getattr(entry, flag)) for flag in FLAG_FILTERS),
                timezone.localtime(entry.placed_on_list_at).isoformat(),
                "; ".join(names[pk] for pk in eligible_program_ids(entry, programs)),
                client.first_name if client else "", client.last_name if client else "",
                client.dob.isoformat() if client and client.dob else "",
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="bnl-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def _history_rows(entry: BnlEntry) -> list[dict]:
    records = list(entry.history.select_related("history_user").order_by("history_date", "history_id"))
    rows, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field != "updated_at":
                    changes.append(f"{change.field}: {change.old} → {change.new}")
        rows.append({"record": record, "changes": changes})
        previous = record
    return list(reversed(rows))


@login_required
def bnl_detail(request, pk: int):
    _require_bnl(request)
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    if entry.client_id and entry.pii_visible:
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=entry.client, obj=entry)
    programs = housing_programs()
    assessment = entry.assessment
    points = {p.item: p for p in entry.case_management_points.select_related("added_by")}
    return render(request, "bnl/detail.html", {
        "entry": entry,
        "pii": entry.client_id is not None and entry.pii_visible,
        "breakdown": [{"wording": w, "points": assessment.indicators.get(code, 0)} for code, w in VAT_ROWS] if assessment else [],
        "cm_items": [{"item": i, "point": points.get(i)} for i in CASE_MANAGEMENT_ITEMS],
        "can_manage_case": may_manage_case(request.user, entry),
        "can_manage_bnl": request.user.has_perm("bnl.manage_bnl"),
        "can_place_on_coc": entry.list_owner_id is not None and entry.list_owner_id == request.user.agency_id and not hasattr(entry, "coc_entry"),
        "eligibility": [
            {"program": p, "results": results, "eligible": all(r.passed for r in results)}
            for p in programs for results in [eligibility_explain(p, entry)]
        ],
        "cm_total": entry.score - entry.subtotal,
        "history": _history_rows(entry),
        "positions": entry.positions.order_by("-at")[:60],
        "referrals": entry.referrals.select_related("program", "vacancy").order_by("-created_at"),
        "statuses": [s for s in BnlEntry.Status.choices if s[0] != "on_referral"],
        "exit_reasons": EXIT_REASONS,
    })


@login_required
@require_POST
def bnl_case_management(request, pk: int):
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    if not may_manage_case(request.user, entry):
        raise PermissionDenied
    try:
        bnl_case_management_set(entry=entry, actor=request.user, item=int(request.POST.get("item", 0)),
                                points=int(request.POST.get("points", -1)), justification=request.POST.get("justification", ""))
        messages.success(request, _("Case-management points updated; the score and the list order changed at once."))
    except (BnlInvalid, ValueError) as problem:
        errors_to_messages(request, getattr(problem, "errors", {"non_field_errors": [_("Choose an item and points.")]}))
    return redirect("bnl-detail", pk=entry.pk)


@login_required
@require_POST
def bnl_status(request, pk: int):
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("bnl.manage_bnl"):
        raise PermissionDenied
    try:
        bnl_entry_status_set(entry=entry, status=request.POST.get("status", ""), actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Status changed."))
    except BnlInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("bnl-detail", pk=entry.pk)


@login_required
@require_POST
def bnl_place_on_coc(request, pk: int):
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    try:
        copy = bnl_place_deidentified_on_coc_list(source=entry, vsp_client_number=request.POST.get("vsp_client_number", ""), actor=request.user)
        messages.success(request, _("Placed on the CoC list as %(label)s, without personal data.") % {"label": copy.label})
    except BnlInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("bnl-detail", pk=entry.pk)
