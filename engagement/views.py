"""The case worker's screens: what to do today, a case's timeline, attempts, letters, forms.

Each form-handling view binds the action's declared input (engagement.inputs), fetches
through the access helper and calls one service; refusals come back through
ces.web.screen_action. What a page offers comes from engagement.selectors' predicates.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework import serializers

from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.documents import pdf_render
from ces.inputs import Choice, bind, check
from ces.models import AccessLog
from ces.web import screen_action
from engagement import policy
from engagement.disengagement import status_form_countersign, status_form_file
from engagement.inputs import (
    ContactAttemptInput,
    CountersignInput,
    EngagementOpenInput,
    LostContactInput,
    NoContactLetterInput,
    ReferralLinkInput,
    ServiceInput,
    StatusFormInput,
)
from engagement.models import ContactAttempt
from engagement.selectors import case_get_for_user, case_page, flagged_cases, status_form_get, task_list, weekly_report
from engagement.services import (
    attempt_record,
    engagement_lost_contact,
    engagement_open,
    engagement_referral_link,
    letter_send,
    service_record,
)

ATTEMPTS_SHOWN = 50


class StaffMeetingQuery(serializers.Serializer):
    format = Choice(["html", "pdf"], default="html")


@login_required
@permission_required("engagement.view_engagementcase", raise_exception=True)
def engagement_home(request):
    return render(request, "engagement/home.html", {"steps": task_list(request.user), "flagged": flagged_cases(request.user),
                                                     "today": timezone.localdate()})


@login_required
def case_detail(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_FILE, request=request, client=case.client, obj=case)
    return render(request, "engagement/case.html", {
        "case": case, **case_page(user=request.user, case=case),
        "attempts": case.attempts.select_related("by")[:ATTEMPTS_SHOWN], "letters": case.letters.select_related("document"),
        "channels": ContactAttempt.Channel.choices, "outcomes": ContactAttempt.Outcome.choices,
        "reasons": policy.STEP1_REASONS, "requestors": policy.REQUESTORS,
    })


@login_required
@require_POST
@screen_action(fallback="engagement-home")
def case_attempt(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    attempt_record(case=case, actor=request.user, **bind(ContactAttemptInput, request.POST))
    messages.success(request, _("Attempt recorded."))
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
@screen_action(fallback="engagement-home")
def case_service(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    service_record(case=case, actor=request.user, **bind(ServiceInput, request.POST))
    messages.success(request, _("Service recorded."))
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
@screen_action(fallback="engagement-home")
def case_lost_contact(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    bind(LostContactInput, request.POST)
    engagement_lost_contact(case=case, actor=request.user)
    messages.success(request, _("Contact lost: outreach to an existing client started."))
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
@screen_action(fallback="engagement-home")
def case_referral(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    values = bind(ReferralLinkInput, request.POST)
    engagement_referral_link(case=case, referral=values["referral_id"], actor=request.user)
    messages.success(request, _("Linked to the referral: the referral source is told when the no-contact letter is sent."))
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
@screen_action(fallback="engagement-home")
def case_letter(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    letter_send(case=case, actor=request.user, **bind(NoContactLetterInput, request.POST))
    messages.success(request, _("No-contact letter made and recorded as sent. The file closes once %(n)s business days have passed "
                                "without contact.") % {"n": policy.CLOSE_AFTER_LETTER_DAYS})
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
@screen_action(fallback="engagement-home")
def case_form(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    status_form_file(case=case, actor=request.user, **bind(StatusFormInput, request.POST))
    messages.success(request, _("Form filed and signed by you. It takes effect when the second person signs."))
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
@screen_action(fallback="engagement-home")
def form_countersign(request, pk: int, form_pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    form = status_form_get(case=case, pk=form_pk)
    bind(CountersignInput, request.POST)
    status_form_countersign(form=form, actor=request.user)
    messages.success(request, _("Signed. The status changed."))
    return redirect("engagement-case", pk=case.pk)


@login_required
@require_POST
@screen_action
def case_open(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    values = bind(EngagementOpenInput, request.POST)
    case = engagement_open(client=client, program=values["program_id"], worker=request.user, actor=request.user, kind=values["kind"],
                           referral=values["referral_id"])
    return redirect("engagement-case", pk=case.pk)


@login_required
@permission_required("engagement.view_engagementcase", raise_exception=True)
def staff_meeting(request):
    """The weekly staff meeting report, on screen or as PDF: one access-log row per look."""
    query, errors = check(StaffMeetingQuery, request.GET)
    if errors:
        return render(request, "400.html", {"problem": " ".join(text for texts in errors.values() for text in texts)}, status=400)
    cases = weekly_report(request.user)
    context = {"cases": cases, "today": timezone.localdate(), "quiet_days": policy.STAFF_MEETING_QUIET_DAYS}
    if query["format"] == "pdf":
        access_log_record(user=request.user, action=AccessLog.Action.DOWNLOAD_PDF, request=request,
                          detail=f"weekly staff meeting report ({len(cases)} clients)")
        pdf = pdf_render("engagement/staff_meeting_pdf.html", context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="staff-meeting-{timezone.localdate():%Y-%m-%d}.pdf"'
        return response
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request,
                      detail=f"weekly staff meeting report ({len(cases)} clients)")
    return render(request, "engagement/staff_meeting.html", context)
