"""The committee's and CoC staff's screens, and the public complaint page /complaints/.

Each form-handling view: bind the action's declared input, fetch the record through its access
helper, call one service (ces.web.screen_action shows refusals on the page the form was on and
keeps what was typed). Every view of complainants' data is access-logged.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ces import roles
from ces.audit import access_log_record
from ces.documents import document_response
from ces.inputs import bind, parse_id
from ces.models import AccessLog
from ces.selectors import agencies_list, programs_list, users_with_role
from ces.web import screen_action
from grievances import inputs, policy, services
from grievances.completeness import case_missing
from grievances.letters import letter_mark_sent, letter_regenerate
from grievances.models import Channel, Grievance, Language, Letter, TitleViComplaint
from grievances.retaliation import flag_review
from grievances.selectors import (
    attachment_get_for_user,
    complaint_get_for_user,
    complaints_visible_to,
    due_this_week,
    flag_get_for_user,
    flags_open_for,
    grievance_get_for_user,
    grievances_visible_to,
    letter_get_for_user,
    may_see_any,
    may_see_meetings,
    meeting_get_for_user,
    meetings_list_for,
    outside_agencies,
)
from grievances.uploads import public_attempt_admit

PUBLIC_REFERENCE_KEY = "grievances_public_reference"
NAV_LABEL = gettext_lazy("Complaints")  # the link to these screens in templates/base.html

COMPLAINT_ACTIONS = {
    "accept": (inputs.AcceptInput, services.complaint_accept, gettext_lazy("Jurisdiction accepted. The acknowledgment letter is ready.")),
    "decline": (inputs.DeclineInput, services.complaint_decline, gettext_lazy("Closed: not ours to investigate. The letter is ready.")),
    "request-info": (inputs.RequestInfoInput, services.complaint_request_info, gettext_lazy("Request for information made. The letter is ready.")),
    "info-received": (inputs.InfoReceivedInput, services.complaint_info_received, gettext_lazy("Information recorded: back to the investigation.")),
    "close": (inputs.CloseInput, services.complaint_close, gettext_lazy("Closed. The letter is ready.")),
    "withdraw": (inputs.WithdrawInput, services.complaint_withdraw, gettext_lazy("Withdrawn. The letter is ready.")),
    "appeal": (inputs.AppealInput, services.complaint_appeal, gettext_lazy("Appeal recorded.")),
    "appeal-decision": (inputs.AppealDecisionInput, services.complaint_appeal_decide, gettext_lazy("Appeal decided. The letter is ready.")),
    "amend": (inputs.TitleViAmendInput, services.title_vi_complaint_amend, gettext_lazy("Saved.")),
    "link-client": (inputs.LinkClientInput, services.title_vi_complaint_link_client, gettext_lazy("Saved.")),
}
GRIEVANCE_ACTIONS = {
    "respond": (inputs.RespondInput, services.grievance_respond, gettext_lazy("Response recorded. The letter is ready.")),
    "vote": (inputs.VoteInput, services.grievance_vote, gettext_lazy("Vote recorded. The decision letter is ready.")),
    "appeal": (inputs.GrievanceAppealInput, services.grievance_appeal, gettext_lazy("Appeal to the funder recorded.")),
    "withdraw": (inputs.WithdrawInput, services.grievance_withdraw, gettext_lazy("Withdrawn. The letter is ready.")),
    "amend": (inputs.GrievanceAmendInput, services.grievance_amend, gettext_lazy("Saved.")),
    "link-client": (inputs.LinkClientInput, services.grievance_link_client, gettext_lazy("Saved.")),
}


def _logged(request, case, detail: str) -> None:
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_FILE, request=request, client=case.client, obj=case,
                      detail=detail)


def _prefill(case) -> dict:
    """The case's answers as a form would send them (strings; lists for the checkboxes)."""
    values = {}
    for field in case._meta.concrete_fields:
        value = getattr(case, field.attname)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif value is None:
            value = ""
        elif isinstance(value, date):
            value = value.isoformat()
        elif not isinstance(value, list):
            value = str(value)
        values[field.attname] = value
    values["phone"] = values.get("phone_cell", "")
    return values


def _form_choices() -> dict:
    return {
        "bases": policy.BASES, "other_filings": policy.OTHER_FILINGS, "languages": Language.choices,
        "agencies": agencies_list(), "outside_agencies": outside_agencies(),
        "channels": [(code, label) for code, label in Channel.choices if code != Channel.PUBLIC_WEB],
        "today": timezone.localdate(), "office": policy.COMPLAINT_OFFICE,
    }


# --- the committee's screen -------------------------------------------------------------------


@login_required
def home(request):
    """What is due this week, the open cases, flags and the next meetings."""
    if not may_see_any(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    complaints = complaints_visible_to(request.user)
    grievances = grievances_visible_to(request.user)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request, detail="complaints and grievances")
    return render(request, "grievances/home.html", {
        "today": today,
        "due": due_this_week(user=request.user, today=today),
        "complaints": complaints.filter(status__in=TitleViComplaint.OPEN_STATUSES).order_by("received_on", "pk"),
        "grievances": grievances.filter(status__in=Grievance.OPEN_STATUSES).order_by("received_on", "pk"),
        "flagged_information": complaints.filter(status=TitleViComplaint.Status.AWAITING_INFORMATION,
                                                 information_overdue_at__isnull=False),
        "flags": flags_open_for(request.user),
        "closed_complaints": complaints.exclude(status__in=TitleViComplaint.OPEN_STATUSES).order_by("-received_on", "-pk")[:20],
        "closed_grievances": grievances.exclude(status__in=Grievance.OPEN_STATUSES).order_by("-received_on", "-pk")[:20],
        "meetings": meetings_list_for(request.user).filter(date__gte=today)[:4] if may_see_meetings(request.user) else [],
    })


# --- Title VI complaints ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@screen_action(fallback="grievances-home")
def complaint_new(request):
    if request.method == "POST":
        values = bind(inputs.TitleViInput, request.POST)
        complaint = services.title_vi_complaint_file(actor=request.user, attachments=request.FILES.getlist("attachments"), **values)
        messages.success(request, _("Complaint %(ref)s recorded: %(status)s.") % {"ref": complaint.reference,
                                                                                   "status": complaint.get_status_display()})
        return redirect("grievances-complaint", pk=complaint.pk)
    if not request.user.has_perm("grievances.add_titlevicomplaint"):
        raise PermissionDenied
    return render(request, "grievances/complaint_form.html", {**_form_choices(), "staff": True})


@login_required
def complaint_detail(request, pk: int):
    complaint = complaint_get_for_user(user=request.user, pk=pk)
    _logged(request, complaint, f"Title VI complaint {complaint.reference}")
    return render(request, "grievances/complaint.html", {
        **_form_choices(),
        "case": complaint, "missing": case_missing(complaint),
        "letters": complaint.letters.select_related("document", "sent_by"),
        "attachments": complaint.attachments.all(),
        "flags": complaint.retaliation_flags.select_related("changed_by", "reviewed_by"),
        "history": complaint.history.select_related("history_user")[:30],
        "close_outcomes": inputs.CLOSE_OUTCOMES, "sent_channels": Letter.SentChannel.choices,
        "may_change": request.user.has_perm("grievances.change_titlevicomplaint"),
        "may_review_flags": request.user.has_perm("grievances.change_retaliationflag"),
        "investigators": users_with_role(roles.COC_STAFF, roles.COMMITTEE).order_by("last_name", "username"),
        "open_statuses": TitleViComplaint.OPEN_STATUSES, "prefill": _prefill(complaint),
        "contact_only": complaint.status not in (TitleViComplaint.Status.INCOMPLETE, TitleViComplaint.Status.RECEIVED),
        "amend_action": reverse("grievances-complaint-action", args=[complaint.pk, "amend"]),
        "link_action": reverse("grievances-complaint-action", args=[complaint.pk, "link-client"]),
        "appealable": complaint.status in (TitleViComplaint.Status.CLOSED_NO_VIOLATION, TitleViComplaint.Status.CLOSED_FINDING),
        "administrative_possible": complaint.status == TitleViComplaint.Status.AWAITING_INFORMATION and (
            complaint.information_overdue_at is not None or timezone.localdate() > complaint.information_due),
    })


@login_required
@require_POST
@screen_action(fallback="grievances-home")
def complaint_action(request, pk: int, action: str):
    if action not in COMPLAINT_ACTIONS:
        raise Http404
    input_class, service, done = COMPLAINT_ACTIONS[action]
    complaint = complaint_get_for_user(user=request.user, pk=pk)
    service(complaint=complaint, actor=request.user, **bind(input_class, request.POST))
    messages.success(request, done)
    return redirect("grievances-complaint", pk=complaint.pk)


# --- CE grievances --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@screen_action(fallback="grievances-home")
def grievance_new(request):
    if request.method == "POST":
        values = bind(inputs.GrievanceInput, request.POST)
        grievance = services.grievance_file(actor=request.user, attachments=request.FILES.getlist("attachments"), **values)
        messages.success(request, _("Grievance %(ref)s recorded: %(status)s.") % {"ref": grievance.reference,
                                                                                  "status": grievance.get_status_display()})
        return redirect("grievances-grievance", pk=grievance.pk)
    if not request.user.has_perm("grievances.add_grievance"):
        raise PermissionDenied
    referral_id = parse_id(request.GET.get("referral", ""))
    initial = {"language": "en", "referral_id": str(referral_id or "")}
    return render(request, "grievances/grievance_form.html", {**_form_choices(), "initial": initial, "programs": programs_list()})


@login_required
def grievance_detail(request, pk: int):
    grievance = grievance_get_for_user(user=request.user, pk=pk)
    _logged(request, grievance, f"CE grievance {grievance.reference}")
    return render(request, "grievances/grievance.html", {
        **_form_choices(),
        "case": grievance, "missing": case_missing(grievance),
        "letters": grievance.letters.select_related("document", "sent_by"),
        "attachments": grievance.attachments.all(),
        "flags": grievance.retaliation_flags.select_related("changed_by", "reviewed_by"),
        "history": grievance.history.select_related("history_user")[:30],
        "outcomes": Grievance.Outcome.choices, "sent_channels": Letter.SentChannel.choices,
        "may_change": request.user.has_perm("grievances.change_grievance"),
        "may_review_flags": request.user.has_perm("grievances.change_retaliationflag"),
        "programs": programs_list(agency=grievance.agency) if grievance.agency_id else programs_list(),
        "prefill": _prefill(grievance),
        "contact_only": grievance.status not in Grievance.OPEN_STATUSES,
        "amend_action": reverse("grievances-grievance-action", args=[grievance.pk, "amend"]),
        "link_action": reverse("grievances-grievance-action", args=[grievance.pk, "link-client"]),
    })


@login_required
@require_POST
@screen_action(fallback="grievances-home")
def grievance_action(request, pk: int, action: str):
    if action not in GRIEVANCE_ACTIONS:
        raise Http404
    input_class, service, done = GRIEVANCE_ACTIONS[action]
    grievance = grievance_get_for_user(user=request.user, pk=pk)
    service(grievance=grievance, actor=request.user, **bind(input_class, request.POST))
    messages.success(request, done)
    return redirect("grievances-grievance", pk=grievance.pk)


# --- meetings ---------------------------------------------------------------------------------


@login_required
def meetings(request):
    if not may_see_meetings(request.user):
        raise PermissionDenied
    listed = meetings_list_for(request.user).prefetch_related("agenda")
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request, detail="committee meetings")
    return render(request, "grievances/meetings.html", {"meetings": listed, "today": timezone.localdate(),
                                                        "may_add": request.user.has_perm("grievances.add_committeemeeting")})


@login_required
@require_POST
@screen_action(fallback="grievances-meetings")
def meeting_new(request):
    meeting = services.meeting_create(actor=request.user, **bind(inputs.MeetingInput, request.POST))
    messages.success(request, _("Meeting of %(date)s scheduled; %(n)s grievance(s) on its agenda.")
                     % {"date": meeting.date, "n": meeting.agenda.count()})
    return redirect("grievances-meeting", pk=meeting.pk)


@login_required
def meeting_detail(request, pk: int):
    meeting = meeting_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request, obj=meeting, detail=f"agenda of {meeting}")
    agenda = grievances_visible_to(request.user).filter(meeting=meeting).order_by("received_on", "pk")
    return render(request, "grievances/meeting.html", {"meeting": meeting, "agenda": agenda, "outcomes": Grievance.Outcome.choices})


# --- letters, attachments, flags ------------------------------------------------------------


def _case_url(case) -> str:
    name = "grievances-grievance" if isinstance(case, Grievance) else "grievances-complaint"
    return reverse(name, args=[case.pk])


@login_required
def letter_download(request, pk: int):
    letter = letter_get_for_user(user=request.user, pk=pk)
    return document_response(document=letter.document, user=request.user, request=request)


@login_required
@require_POST
@screen_action(fallback="grievances-home")
def letter_sent(request, pk: int):
    letter = letter_get_for_user(user=request.user, pk=pk)
    letter_mark_sent(letter=letter, actor=request.user, **bind(inputs.LetterSentInput, request.POST))
    messages.success(request, _("Sending recorded."))
    return redirect(_case_url(letter.case))


@login_required
@require_POST
@screen_action(fallback="grievances-home")
def letter_new_version(request, pk: int):
    letter = letter_get_for_user(user=request.user, pk=pk)
    letter = letter_regenerate(letter=letter, actor=request.user)
    messages.success(request, _("New version %(v)s made from the case as it is now.") % {"v": letter.document.version})
    return redirect(_case_url(letter.case))


@login_required
def attachment_download(request, pk: int):
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    case = attachment.complaint or attachment.grievance
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_FILE, request=request, client=case.client, obj=attachment,
                      detail=f"attachment {attachment.original_name} of {case.reference}")
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=True,
                        filename=attachment.original_name)


@login_required
@require_POST
@screen_action(fallback="grievances-home")
def flag_review_view(request, pk: int):
    flag = flag_get_for_user(user=request.user, pk=pk)
    flag_review(flag=flag, actor=request.user, **bind(inputs.FlagReviewInput, request.POST))
    messages.success(request, _("Review recorded."))
    return redirect(_case_url(flag.case))


# --- the public page -------------------------------------------------------------------------


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@never_cache
@require_http_methods(["GET", "POST"])
@screen_action(fallback="complaint-public")
def complaint_public(request):
    """The complaint form anyone can use without an account, in English or Spanish."""
    if request.method == "POST":
        public_attempt_admit(address=_client_address(request))
        values = bind(inputs.PublicTitleViInput, request.POST)
        complaint = services.title_vi_complaint_file_public(attachments=request.FILES.getlist("attachments"), **values)
        request.session[PUBLIC_REFERENCE_KEY] = {"reference": complaint.reference,
                                                 "untimely": complaint.status == TitleViComplaint.Status.CLOSED_UNTIMELY}
        return redirect("complaint-public-thanks")
    return render(request, "grievances/public_form.html", {
        **_form_choices(), "language": translation.get_language(), "max_mb": policy.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "max_files": policy.ATTACHMENTS_MAX, "timely_days": policy.COMPLAINT_TIMELY_DAYS,
    })


@never_cache
def complaint_public_thanks(request):
    filed = request.session.pop(PUBLIC_REFERENCE_KEY, None)
    if filed is None:
        return redirect("complaint-public")
    return render(request, "grievances/public_thanks.html", {"filed": filed, "outside_agencies": outside_agencies(),
                                                             "timely_days": policy.COMPLAINT_TIMELY_DAYS})
