from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ces import roles
from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.business_days import add_business_days, upcoming_non_business_days
from ces.forms import ClientSearchForm
from ces.models import AccessLog, ClientDocument, Notification
from ces.notifications import notification_mark_read
from ces.selectors import client_search, notifications_for, programs_list
from ces.services import client_ssn_reveal

CLIENTS_PER_PAGE = 25


@login_required
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    context = {
        "roles": sorted(user.roles),
        "role_labels": roles.ROLE_LABELS,
        "notifications": notifications_for(user=user)[:10],
        "agency_programs": programs_list(agency=user.agency) if user.agency_id else [],
        "closures": upcoming_non_business_days(today, 45),
        "today": today,
        "five_business_days": add_business_days(today, 5),
        "search_form": ClientSearchForm(),
        "can_search_clients": user.has_perm("ces.view_client"),
        "can_take_calls": user.has_perm("intake.add_intake"),
    }
    if context["can_take_calls"]:
        from intake.selectors import drafts_for

        context["drafts"] = drafts_for(user)
    return render(request, "ces/dashboard.html", context)


@login_required
def client_list(request):
    if not request.user.has_perm("ces.view_client"):
        raise PermissionDenied
    form = ClientSearchForm(request.GET or None)
    clients = None
    if form.is_bound and form.is_valid():
        clients = client_search(
            user=request.user, query=form.cleaned_data["q"], dob=form.cleaned_data["dob"]
        ).order_by("last_name", "first_name", "id")
        access_log_record(
            user=request.user, action=AccessLog.Action.SEARCH, request=request, detail=form.cleaned_data["q"][:100]
        )
        clients = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    template = "ces/_client_results.html" if request.htmx else "ces/client_list.html"
    return render(request, template, {"form": form, "clients": clients})


@login_required
def client_detail(request, pk: int):
    client = client_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=client, obj=client)
    return render(request, "ces/client_detail.html", _client_detail_context(request, client))


def _client_detail_context(request, client, revealed_ssn: str = "") -> dict:
    from reassignment.models import ReassignmentRequest
    from reassignment.policy import STANDARD_REASONS
    from reassignment.selectors import is_lom_for, workers_of
    from reassignment.services import current_worker_of

    user = request.user
    assigned = current_worker_of(client)
    return {
        "assigned": assigned,
        "open_reassignment": client.reassignments.filter(status__in=ReassignmentRequest.OPEN_STATUSES).first(),
        "can_assign": user.has_perm("reassignment.add_caseassignment") and user.agency_id == client.holding_agency_id,
        "can_request": user.has_perm("reassignment.add_reassignmentrequest"),
        "is_lom": assigned is not None and is_lom_for(user, assigned),
        "agency_workers": workers_of(assigned.agency_id if assigned else client.holding_agency_id),
        "all_workers": workers_of(user.agency_id) if user.agency_id else [],
        "reasons": [(code, ReassignmentRequest.Reason(code).label) for code in STANDARD_REASONS],
        "notes": client.notes.select_related("author")[:30],
        "engagement_cases": client.engagement_cases.select_related("program").order_by("-created_at")[:10],
        "can_open_engagement": user.has_perm("engagement.add_engagementcase") and user.agency_id is not None,
        "engagement_programs": programs_list(agency=user.agency) if user.agency_id else [],
        "client": client,
        "consents": client.consents.select_related("taken_by", "agency")[:20],
        "can_reveal_ssn": request.user.has_perm("ces.reveal_client_ssn") and bool(client.ssn_last4),
        "revealed_ssn": revealed_ssn,
        # intake-and-vat.md: a minor without an adult is flagged on every later screen.
        "youth_urgent": client.intakes.filter(youth_urgent=True).exists(),
        "documents": client.documents.order_by("-created_at")[:20],
    }


@login_required
@require_POST
def client_reveal_ssn(request, pk: int):
    client = client_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("ces.reveal_client_ssn"):
        raise PermissionDenied
    ssn = client_ssn_reveal(client=client, actor=request.user, request=request)
    formatted = f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}" if len(ssn) == 9 else ssn
    if request.htmx:
        return render(request, "ces/_ssn_revealed.html", {"client": client, "ssn": formatted})
    return render(request, "ces/client_detail.html", _client_detail_context(request, client, revealed_ssn=formatted))


@login_required
def client_document_download(request, pk: int, document_pk: int):
    """A file on the client's record, for those who may see the person. Logged."""
    client = client_get_for_user(user=request.user, pk=pk)
    document = get_object_or_404(ClientDocument, pk=document_pk, client=client)
    access_log_record(
        user=request.user, action=AccessLog.Action.DOWNLOAD_PDF, request=request, client=client, obj=document,
        detail=f"{document.title} v{document.version}",
    )
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=document.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, actor=request.user)
    return redirect(notification.link or "dashboard")
