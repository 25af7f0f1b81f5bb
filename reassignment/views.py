"""Each role's part of a reassignment, on one page per request, plus the client page's forms.

Each form-handling view binds the action's declared input (reassignment.inputs), fetches
through the access helper and calls one service; refusals come back through
ces.web.screen_action. What a person may do on a page comes from the selectors'
predicates, the same rules the services enforce.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.inputs import bind
from ces.models import AccessLog
from ces.web import screen_action
from reassignment import services
from reassignment.actions import ACTIONS
from reassignment.inputs import FirstAssignmentInput, ReassignmentRequestInput, SafetyTransferInput, WorkerAlertInput
from reassignment.models import ReassignmentRequest
from reassignment.selectors import reassignment_get_for_user, reassignment_page, reassignments_visible_to, workers_of

CLOSED_SHOWN = 50


@login_required
def reassignment_list(request):
    if not request.user.has_perm("reassignment.view_reassignmentrequest"):
        raise Http404
    items = reassignments_visible_to(request.user)
    return render(request, "reassignment/list.html", {
        "waiting": items.filter(status=ReassignmentRequest.Status.REQUESTED),
        "open": items.filter(status__in=ReassignmentRequest.OPEN_STATUSES).exclude(status=ReassignmentRequest.Status.REQUESTED),
        "closed": items.exclude(status__in=ReassignmentRequest.OPEN_STATUSES)[:CLOSED_SHOWN],
    })


@login_required
def reassignment_detail(request, pk: int):
    item = reassignment_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_FILE, request=request, client=item.client, obj=item)
    page = reassignment_page(user=request.user, request=item)
    workers = workers_of(request.user.agency_id) if page["may_propose"] and request.user.agency_id else []
    return render(request, "reassignment/detail.html", {
        "item": item, "steps": item.steps.select_related("recorded_by", "proposed_worker"), "workers": workers, **page,
    })


@login_required
@require_POST
@screen_action(fallback="reassignment-list")
def reassignment_action(request, pk: int, action: str):
    item = reassignment_get_for_user(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    chosen = ACTIONS[action]
    chosen.run(item, request.user, **bind(chosen.input, request.POST))
    messages.success(request, str(chosen.done))
    return redirect("reassignment-detail", pk=item.pk)


@login_required
@require_POST
@screen_action
def client_reassignment_new(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    values = bind(ReassignmentRequestInput, request.POST)
    item = services.reassignment_request(client=client, reason=values["reason"], client_situation=values["client_situation"],
                                         explanation=values["explanation"], proposed_worker=values["proposed_worker_id"],
                                         actor=request.user)
    messages.success(request, _("Reassignment requested: CoC staff decide."))
    return redirect("reassignment-detail", pk=item.pk)


@login_required
@require_POST
@screen_action
def client_safety_transfer(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    values = bind(SafetyTransferInput, request.POST)
    item = services.safety_transfer_start(client=client, new_worker=values["new_worker_id"], explanation=values["explanation"],
                                          court_obligations=values["court_obligations"], actor=request.user)
    return redirect("reassignment-detail", pk=item.pk)


@login_required
@require_POST
@screen_action
def client_assign(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    values = bind(FirstAssignmentInput, request.POST)
    services.case_assignment_set(client=client, worker=values["worker_id"], actor=request.user)
    messages.success(request, _("Worker assigned."))
    return redirect("client-detail", pk=client.pk)


@login_required
@require_POST
@screen_action
def client_worker_alert(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    values = bind(WorkerAlertInput, request.POST)
    services.client_worker_alert_set(client=client, plan=values["safety_plan"], actor=request.user)
    messages.success(request, _("WORKER ALERT and safety plan recorded."))
    return redirect("client-detail", pk=client.pk)
