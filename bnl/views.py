"""The By-Name List screens: the list, an entry, its actions, the CSV export.

Reads bind the list's declared filter (bnl.inputs.BnlFilter) and leave one access-log row when
they show anyone's personal data; forms bind their action's input and call one service, and
ces.web.screen_action shows what the service refused.
"""

from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bnl.eligibility import eligibility_explain
from bnl.inputs import LIST_COUNTIES, BnlFilter, CaseManagementInput, PlaceOnCocInput, StatusInput
from bnl.models import BnlEntry
from bnl.policy import BNL_PAGE_SIZE, EXIT_REASONS, FLAG_FILTERS, FLAG_LABELS
from bnl.selectors import (
    bnl_access_require,
    bnl_case_management_items_for,
    bnl_entries_for,
    bnl_entries_ranked,
    bnl_entry_get_for_user,
    bnl_entry_history_for,
    bnl_entry_person_visible,
    bnl_list_rows,
    bnl_list_values,
    bnl_score_breakdown_for,
    housing_programs,
    may_manage_bnl,
    may_manage_case,
    may_place_on_coc_list,
    own_vsp_list_owner,
)
from bnl.services import (
    bnl_case_management_set,
    bnl_entry_status_set,
    bnl_export_record,
    bnl_place_deidentified_on_coc_list,
    bnl_read_record,
)
from ces.choices import County
from ces.csv_export import csv_response
from ces.inputs import bind, check
from ces.models import AccessLog
from ces.web import screen_action

CSV_HEADER = ["rank", "label", "score", "status", "county", "days_homeless", *FLAG_FILTERS, "placed_on_list_at",
              "eligible_programs", "first_name", "last_name", "dob"]
CSV_CHUNK = 2000


def _list_rows_html(rows) -> str:
    """The list screen's table rows. A page has 50 to 200 of them, and a template would resolve
    every variable, translate every word, reverse every link and format every date once a row:
    here each word is translated once a page, the link reversed once, each date formatted once,
    and every value is escaped with the replacements of django.utils.html.escape."""
    statuses = {code: escape(str(label)) for code, label in BnlEntry.Status.choices}
    chronic_title = _("Chronic homelessness from the caller's own answers; documented before a chronic-dedicated program enrols")
    flag_tags = [
        ("chronic", f'<li title="{escape(chronic_title)}">{escape(_("likely chronic (self-reported)"))}</li>'),
        ("veteran", f"<li>{escape(_('veteran'))}</li>"), ("youth", f"<li>{escape(_('youth'))}</li>"),
        ("family", f"<li>{escape(_('family'))}</li>"), ("dv", f"<li>{escape(_('DV'))}</li>"),
    ]
    alert = escape(_("WORKER ALERT"))
    alert = f'<span class="flag flag-urgent worker-alert" role="img" aria-label="{alert}">⚠ {alert}</span>'
    via = escape(_("via"))
    link = reverse("bnl-detail", args=[2**31 - 1])  # one reverse a page: each row puts its id in place
    head, tail = (escape(part) for part in link.split(str(2**31 - 1), 1))
    date_format = formats.get_format("DATE_FORMAT")
    dates, program_tags, today = {}, {}, timezone.localdate()
    html = []
    for row in rows:
        client = row.client
        if client is None:
            person = f"<br><small>{via} {escape(row.vsp.name)}</small>"
        else:
            person = (alert if client.worker_alert else "") + (f"<br>{escape(client.full_name)}" if row.pii_visible else "")
        programs = "".join(program_tags.get(program.pk) or program_tags.setdefault(
            program.pk, f'<span class="tag">{escape(program.name)}</span> ') for program in row.eligible_programs) or "—"
        day = timezone.localtime(row.placed_on_list_at).date()
        placed = dates.get(day) or dates.setdefault(day, escape(dateformat.format(day, date_format)))
        flags = "".join(tag for flag, tag in flag_tags if getattr(row, flag))
        html.append(
            f'<tr><td>{row.rank}</td><td><a href="{head}{row.id}{tail}">{escape(row.label)}</a>{person}</td>'
            f'<td class="num"><strong>{row.score}</strong></td><td class="num">{max(0, (today - row.homeless_since).days)}</td>'
            f'<td><ul class="tags">{flags}</ul></td><td>{escape(row.county.title())}</td>'
            f'<td>{statuses.get(row.status) or escape(row.status)}</td><td>{placed}</td><td>{programs}</td></tr>\n'
        )
    return mark_safe("".join(html))  # noqa: S308 — every value above is escaped


@login_required
def bnl_list(request):
    bnl_access_require(request.user)
    programs = housing_programs()
    filters, errors = check(BnlFilter, request.GET, programs=programs)
    page_number = filters.pop("page", 1)
    entries = bnl_list_values(bnl_entries_for(user=request.user, **filters)) if not errors else []
    page = Paginator(entries, BNL_PAGE_SIZE).get_page(page_number)
    rows = bnl_list_rows(page, offset=(page.number - 1) * BNL_PAGE_SIZE, programs=programs)
    bnl_read_record(user=request.user, request=request, entries=rows, action=AccessLog.Action.VIEW_LIST)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "bnl/list.html", {
        "page": page, "rows": rows, "rows_html": _list_rows_html(rows), "programs": [(program, program.get_type_display()) for program in programs],
        "errors": errors, "filters": filters,
        "statuses": BnlEntry.Status.choices, "counties": [(code, County(code).label) for code in LIST_COUNTIES],
        "flag_names": [(flag, FLAG_LABELS[flag]) for flag in FLAG_FILTERS], "query": query.urlencode(), "has_vsp_list": own_vsp_list_owner(request.user) is not None,
    }, status=400 if errors else 200)


@login_required
def bnl_export(request):
    """The filtered list as CSV, in list order; personal columns only where allowed. Logged."""
    bnl_access_require(request.user)
    filters, errors = check(BnlFilter, request.GET)
    if errors:
        problem = " ".join(f"{field}: {' '.join(texts)}" for field, texts in errors.items())
        return render(request, "400.html", {"problem": problem}, status=400)
    del filters["page"]
    entries = bnl_entries_for(user=request.user, **filters)
    bnl_export_record(user=request.user, request=request, filters=filters)
    programs = housing_programs()

    def rows():
        chunk = []
        rank = 0
        for entry in entries.iterator(chunk_size=CSV_CHUNK):
            chunk.append(entry)
            if len(chunk) == CSV_CHUNK:
                yield from _csv_rows(chunk, rank, programs)
                rank += len(chunk)
                chunk = []
        yield from _csv_rows(chunk, rank, programs)

    return csv_response(CSV_HEADER, rows(), filename=f"bnl-{timezone.localdate():%Y-%m-%d}.csv")


def _csv_rows(entries, offset, programs):
    for entry in bnl_entries_ranked(entries, offset=offset, programs=programs):
        client = entry.client if entry.client_id is not None and entry.pii_visible else None
        yield [
            entry.rank, entry.label, entry.score, entry.status, entry.county, entry.length_of_time_homeless_days,
            *(int(getattr(entry, flag)) for flag in FLAG_FILTERS),
            entry.placed_on_list_at,  # local time to the second (ces.csv_export)
            "; ".join(program.name for program in entry.eligible_programs),
            client.first_name if client else "", client.last_name if client else "",
            client.dob.isoformat() if client and client.dob else "",
        ]


@login_required
def bnl_detail(request, pk: int):
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    bnl_read_record(user=request.user, request=request, entries=[entry], action=AccessLog.Action.VIEW_CLIENT)
    user = request.user
    return render(request, "bnl/detail.html", {
        "entry": entry,
        "pii": entry.client_id is not None and entry.pii_visible,
        "private": bnl_entry_person_visible(user=user, entry=entry),
        "breakdown": bnl_score_breakdown_for(user=user, entry=entry),
        "cm_items": bnl_case_management_items_for(user=user, entry=entry),
        "can_manage_case": may_manage_case(user, entry),
        "can_manage_bnl": may_manage_bnl(user) and entry.status in BnlEntry.MANUAL_STATUSES,
        "can_place_on_coc": may_place_on_coc_list(user, entry),
        # The form for RRH program staff; the service checks that their program housed the person.
        "can_record_placement_failed": entry.status == BnlEntry.Status.HOUSED and user.has_perm("bnl.record_placement_failed"),
        "eligibility": [
            {"program": p, "results": results, "eligible": all(r.passed for r in results)}
            for p in housing_programs() for results in [eligibility_explain(p, entry)]
        ],
        "cm_total": entry.score - entry.subtotal,
        "history": bnl_entry_history_for(user=user, entry=entry),
        "positions": entry.positions.order_by("-at")[:60],
        "referrals": entry.referrals.select_related("program__agency", "vacancy").order_by("-created_at"),
        "statuses": [(code, BnlEntry.Status(code).label) for code in BnlEntry.MANUAL_STATUSES],
        "exit_reasons": EXIT_REASONS,
    })


@login_required
@require_POST
@screen_action(fallback="bnl-list")
def bnl_case_management(request, pk: int):
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    bnl_case_management_set(entry=entry, actor=request.user, **bind(CaseManagementInput, request.POST))
    messages.success(request, _("Case-management points updated; the score and the list order changed at once."))
    return redirect("bnl-detail", pk=entry.pk)


@login_required
@require_POST
@screen_action(fallback="bnl-list")
def bnl_status(request, pk: int):
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    bnl_entry_status_set(entry=entry, actor=request.user, **bind(StatusInput, request.POST))
    messages.success(request, _("Status changed."))
    return redirect("bnl-detail", pk=entry.pk)


@login_required
@require_POST
@screen_action(fallback="bnl-list")
def bnl_place_on_coc(request, pk: int):
    entry = bnl_entry_get_for_user(user=request.user, pk=pk)
    copy = bnl_place_deidentified_on_coc_list(source=entry, actor=request.user, **bind(PlaceOnCocInput, request.POST))
    messages.success(request, _("Placed on the CoC list as %(label)s, without personal data.") % {"label": copy.label})
    return redirect("bnl-detail", pk=entry.pk)
