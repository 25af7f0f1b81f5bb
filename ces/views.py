"""The shared core's screens: the dashboard, client search and a client's page, the SSN reveal,
a client's files, notices. Each takes the path of an action (docs/architecture.md): declared
input (ces.forms), access helper (ces.access / ces.selectors), service, response; every look at
a person's data is one access-log row."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ces import roles
from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.business_days import add_business_days, upcoming_non_business_days
from ces.forms import ClientSearchInput
from ces.inputs import check
from ces.models import AccessLog
from ces.notifications import notification_mark_read
from ces.panels import client_panels_for, dashboard_panels_for
from ces.selectors import (
    agencies_list,
    client_document_get_for_user,
    client_search,
    client_search_kind,
    notification_get_for_user,
    notifications_for,
    programs_list,
)
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
        "can_search_clients": user.has_perm("ces.view_client"),
        "panels": dashboard_panels_for(user=user),
    }
    return render(request, "ces/dashboard.html", context)


@login_required
@permission_required("ces.view_program", raise_exception=True)
def network(request):
    """The CA-515 network on a screen: every agency and its active programs with their eligibility criteria."""
    programs = list(programs_list())
    agencies = [{"agency": agency, "programs": [p for p in programs if p.agency_id == agency.pk]} for agency in agencies_list()]
    return render(request, "ces/network.html", {"agencies": agencies})


def _search_log_detail(values: dict, count: int) -> str:
    """What the access log keeps of a search: its kind and how many were found, never the terms."""
    kinds = [kind for kind in (client_search_kind(values["q"]), "dob" if values["dob"] else "") if kind]
    return f"{'+'.join(kinds)} search ({count} results)"


@login_required
@permission_required("ces.view_client", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def client_list(request):
    """Find a person. The screen's form posts, so an SSN never becomes part of a URL (browser
    history, proxy and server logs); a GET with the same fields still answers."""
    typed = request.POST if request.method == "POST" else request.GET
    values, errors = check(ClientSearchInput, typed)
    clients = None
    if values.get("q") or values.get("dob"):
        found = client_search(user=request.user, query=values["q"], dob=values["dob"]).order_by("last_name", "first_name", "id")
        clients = Paginator(found, CLIENTS_PER_PAGE).get_page(values["page"])
        access_log_record(
            user=request.user,
            action=AccessLog.Action.SEARCH,
            request=request,
            detail=_search_log_detail(values, clients.paginator.count),
        )
    template = "ces/_client_results.html" if request.htmx else "ces/client_list.html"
    return render(request, template, {"typed": typed, "errors": errors, "clients": clients})


@login_required
def client_detail(request, pk: int):
    client = client_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=client, obj=client)
    return render(request, "ces/client_detail.html", _client_detail_context(request, client))


def _client_detail_context(request, client, revealed_ssn: str = "") -> dict:
    return {
        # Each app contributes its own panel of the client page (ces.panels); ces imports none of them.
        "panels": client_panels_for(user=request.user, client=client),
        "notes": client.notes.select_related("author")[:30],
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
@permission_required("ces.reveal_client_ssn", raise_exception=True)
def client_reveal_ssn(request, pk: int):
    """The full SSN of a client the user may see (404 otherwise); the service checks the
    permission again and writes the access-log row."""
    client = client_get_for_user(user=request.user, pk=pk)
    ssn = client_ssn_reveal(client=client, actor=request.user, request=request)
    if request.htmx:
        return render(request, "ces/_ssn_revealed.html", {"client": client, "ssn": ssn})
    return render(request, "ces/client_detail.html", _client_detail_context(request, client, revealed_ssn=ssn))


@login_required
def client_document_download(request, pk: int, document_pk: int):
    """A file on the client's record, for those who may see the person (404 otherwise). Logged.
    The only way to a stored file: nothing under MEDIA_URL is served in any mode."""
    document = client_document_get_for_user(user=request.user, client_pk=pk, pk=document_pk)
    access_log_record(
        user=request.user, action=AccessLog.Action.DOWNLOAD_PDF, request=request, client=document.client, obj=document,
        detail=f"{document.get_kind_display()} v{document.version}",
    )
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=document.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = notification_get_for_user(user=request.user, pk=pk)
    notification_mark_read(notification=notification, actor=request.user)
    return redirect(notification.link or "dashboard")
