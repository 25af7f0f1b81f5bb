"""The committee's screens: reports with charts, PDF and CSV; the policy what-if; HMIS exports.

Anyone the rule refuses gets 404 (reports.selectors). Figures come from the same
selectors as the API; every PDF, CSV and export download is in the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ces.inputs import bind, check
from ces.web import screen_action
from intake.policy import INDICATOR_POINTS
from reports import policy
from reports.catalogue import REPORTS
from reports.csv_output import report_csv_lines
from reports.inputs import HmisExportInput, PeriodInput, WhatIfInput
from reports.periods import default_period, presets
from reports.selectors import (
    hmis_export_get_for_user,
    hmis_exports_for,
    may_export,
    may_see_reports,
    report_figures,
    screen_404_unless,
)
from reports.services import (
    hmis_export_download,
    hmis_export_request,
    report_csv_logged,
    report_download,
    report_pdf_make,
    whatif_pdf_make,
)
from reports.summary import headline_figures
from reports.whatif import INDICATOR_LABELS, key_label, policy_keys, tie_breaker_codes, whatif_compare


def _period_from(request):
    values, errors = check(PeriodInput, request.GET)
    return (values["period"] if values else default_period()), errors


def _preset_links(path: str) -> list[dict]:
    return [{"label": label, "url": f"{path}?{urlencode(period.as_params())}", "period": period}
            for label, period in presets()]


@login_required
def reports_home(request):
    screen_404_unless(may_see_reports(request.user))
    period, errors = _period_from(request)
    return render(request, "reports/home.html", {
        "reports": REPORTS.values(), "period": period, "errors": errors, "headline": headline_figures(period),
        "presets": _preset_links(request.path), "may_export": may_export(request.user),
    })


@login_required
def report_detail(request, name: str):
    screen_404_unless(may_see_reports(request.user) and name in REPORTS)
    period, errors = _period_from(request)
    figures = report_figures(user=request.user, name=name, period=period)
    query = urlencode(period.as_params())
    return render(request, "reports/report.html", {
        "report": figures, "kind": REPORTS[name], "period": period, "errors": errors, "query": query,
        "presets": _preset_links(request.path), "reports": REPORTS.values(),
    })


@login_required
@screen_action(fallback="reports-home")
def report_pdf(request, name: str):
    screen_404_unless(may_see_reports(request.user) and name in REPORTS)
    period = bind(PeriodInput, request.GET)["period"]
    document = report_pdf_make(name=name, period=period, actor=request.user, language=translation.get_language() or "en")
    return report_download(document=document, user=request.user, request=request)


@login_required
@screen_action(fallback="reports-home")
def report_csv(request, name: str):
    screen_404_unless(may_see_reports(request.user) and name in REPORTS)
    period = bind(PeriodInput, request.GET)["period"]
    figures = report_csv_logged(name=name, period=period, user=request.user, request=request)
    response = StreamingHttpResponse(report_csv_lines(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{name}-{period.start}-{period.end}.csv"'
    return response


def _whatif_form_context(values: dict) -> dict:
    live = tie_breaker_codes()
    chosen = values.get("tie_breakers") or live
    return {
        "live_order": [key_label(name) for name, _order in policy_keys()],
        "tie_breaker_slots": [
            {"position": index + 1, "chosen": chosen[index] if index < len(chosen) else "",
             "options": [(code, key_label(code)) for code in live]} for index in range(len(live))
        ],
        "indicators": [(code, INDICATOR_LABELS.get(code, code), points) for code, points in INDICATOR_POINTS.items()],
        "points_range": range(policy.WHATIF_POINTS_MAX + 1),
        "values": values,
    }


def _whatif_values(request) -> tuple[dict, dict]:
    data = request.GET.copy()
    slots = [data.get(f"tie_breaker_{n}", "") for n in range(1, len(tie_breaker_codes()) + 1)]
    if any(slots) and not data.get("tie_breakers"):
        data["tie_breakers"] = ",".join(slot for slot in slots if slot)
    return check(WhatIfInput, data)


@login_required
def whatif(request):
    screen_404_unless(may_see_reports(request.user))
    values, errors = _whatif_values(request)
    result = whatif_compare(**values) if values and request.GET else None
    query = urlencode({**request.GET.dict()}) if request.GET else ""
    return render(request, "reports/whatif.html", {
        **_whatif_form_context(values or {}), "result": result, "errors": errors, "query": query,
    })


@login_required
@screen_action(fallback="reports-what-if")
def whatif_pdf(request):
    screen_404_unless(may_see_reports(request.user))
    values, errors = _whatif_values(request)
    if errors:  # the page shows what is wrong with the proposal; no PDF of a refused one
        messages.error(request, _("Correct the proposal first."))
        return redirect(f"{reverse('reports-what-if')}?{urlencode(request.GET.dict())}")
    document = whatif_pdf_make(proposal=values, actor=request.user, language=translation.get_language() or "en")
    return report_download(document=document, user=request.user, request=request)


@login_required
def exports(request):
    screen_404_unless(may_export(request.user))
    jobs = list(hmis_exports_for(request.user)[:20])
    period = default_period()
    return render(request, "reports/exports.html", {"jobs": jobs, "default_start": period.start, "default_end": period.end})


@login_required
@require_POST
@screen_action(fallback="reports-exports")
def export_create(request):
    screen_404_unless(may_export(request.user))
    hmis_export_request(actor=request.user, **bind(HmisExportInput, request.POST))
    messages.success(request, _("Export queued. The progress bar below shows how far it is; the file stays here for download."))
    return redirect("reports-exports")


@login_required
def export_progress(request, pk: int):
    screen_404_unless(may_export(request.user))
    job = hmis_export_get_for_user(user=request.user, pk=pk)
    return render(request, "reports/_export_row.html", {"job": job})


@login_required
@screen_action(fallback="reports-exports")
def export_download(request, pk: int):
    screen_404_unless(may_export(request.user))
    job = hmis_export_get_for_user(user=request.user, pk=pk)
    return hmis_export_download(job=job, user=request.user, request=request)
