"""The case worker's screens: what to do today, a case's timeline, attempts, letters, forms."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ces.access import client_get_for_user
from ces.models import Program
from ces.feedback import errors_to_messages
from engagement import policy
from engagement.disengagement import FormInvalid, status_form_countersign, status_form_file
from engagement.models import ContactAttempt, EngagementCase, StatusForm
from engagement.selectors import case_get_for_user, flagged_cases, task_list, weekly_report
from engagement.services import EngagementInvalid, attempt_record, current_step, engagement_open, letter_send


@login_required
@permission_required("engagement.view_engagementcase", raise_exception=True)
def engagement_home(request):
    return render(request, "engagement/home.html", {"steps": task_list(request.user), "flagged": flagged_cases(request.user),
                                                     "today": timezone.localdate()})


@login_required
def case_detail(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    step = current_step(case)
    return render(request, "engagement/case.html", {
        "case": case, "steps": case.steps.order_by("due_on", "id"), "current": step,
        "attempts": case.attempts.select_related("by")[:50], "letters": case.letters.select_related("document"),
        "forms": case.forms.select_related("worker_signed_by", "second_signed_by"),
        "channels": ContactAttempt.Channel.choices, "outcomes": ContactAttempt.Outcome.choices,
        "letter_due": step is not None and step.number == 7, "reasons": policy.STEP1_REASONS, "requestors": policy.REQUESTORS,
        "form_step": 1 if case.status == "due_for_engagement" else 2 if case.status == "due_for_hold" else None,
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def case_attempt(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    try:
        attempt_record(case=case, channel=request.POST.get("channel", ""), outcome=request.POST.get("outcome", ""),
                       note=request.POST.get("note", ""), actor=request.user)
        messages.success(request, _("Attempt recorded."))
    except EngagementInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
def case_letter(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    try:
        letter_send(case=case, channel=request.POST.get("channel", "mail"), actor=request.user)
        messages.success(request, _("No-contact letter made and recorded as sent. The file closes in 5 business days without contact."))
    except EngagementInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("engagement-case", pk=case.pk)


def _date(value: str):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def case_form(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    try:
        status_form_file(case=case, step=int(request.POST.get("step") or 0), status_change_date=_date(request.POST.get("status_change_date"))
                         or timezone.localdate(), requestor=request.POST.get("requestor", ""), reason=request.POST.get("reason", ""),
                         comments=request.POST.get("comments", ""), team_consensus_date=_date(request.POST.get("team_consensus_date")),
                         actor=request.user)
        messages.success(request, _("Form filed and signed by you. It takes effect when the second person signs."))
    except FormInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
def form_countersign(request, pk: int, form_pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    form = get_object_or_404(StatusForm, pk=form_pk, case=case)
    try:
        status_form_countersign(form=form, actor=request.user)
        messages.success(request, _("Signed. The status changed."))
    except FormInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
def case_open(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    program = get_object_or_404(Program, pk=request.POST.get("program") or 0)
    try:
        case = engagement_open(client=client, program=program, worker=request.user, actor=request.user,
                               kind=request.POST.get("kind") or EngagementCase.Kind.NEW_REFERRAL)
    except EngagementInvalid as invalid:
        errors_to_messages(request, invalid.errors)
        return redirect("client-detail", pk=client.pk)
    return redirect("engagement-case", pk=case.pk)


@login_required
@permission_required("engagement.view_engagementcase", raise_exception=True)
def staff_meeting(request):
    cases = weekly_report(request.user)
    context = {"cases": cases, "today": timezone.localdate(), "quiet_days": policy.STAFF_MEETING_QUIET_DAYS}
    if request.GET.get("format") == "pdf":
        from weasyprint import HTML

        pdf = HTML(string=render_to_string("engagement/staff_meeting_pdf.html", context)).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="staff-meeting-{timezone.localdate():%Y-%m-%d}.pdf"'
        return response
    return render(request, "engagement/staff_meeting.html", context)


