"""Each role's part of a reassignment, on one page per request, plus the client page's forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ces import roles
from ces.access import client_get_for_user
from ces.models import User
from ces.feedback import errors_to_messages
from reassignment import policy, services
from reassignment.models import ReassignmentRequest, ReassignmentStep
from reassignment.selectors import is_lom_for, reassignment_get_for_user, reassignments_visible_to


def _worker(value) -> User | None:
    return User.objects.select_related("agency").filter(pk=value).first() if str(value).isdigit() else None


@login_required
def reassignment_list(request):
    items = reassignments_visible_to(request.user)
    if not request.user.has_perm("reassignment.view_reassignmentrequest"):
        raise Http404
    return render(request, "reassignment/list.html", {
        "waiting": items.filter(status=ReassignmentRequest.Status.REQUESTED),
        "open": items.filter(status__in=ReassignmentRequest.OPEN_STATUSES).exclude(status=ReassignmentRequest.Status.REQUESTED),
        "closed": items.exclude(status__in=ReassignmentRequest.OPEN_STATUSES)[:50],
    })


@login_required
def reassignment_detail(request, pk: int):
    item = reassignment_get_for_user(user=request.user, pk=pk)
    user = request.user
    step = services.next_step(item)
    owner = services._step_owner(item, step)[1](user) if step else False
    return render(request, "reassignment/detail.html", {
        "item": item,
        "steps": item.steps.select_related("recorded_by", "proposed_worker"),
        "next_step": step,
        "next_step_label": ReassignmentStep.Number(step).label if step else "",
        "next_step_outcomes": services.STEP_OUTCOMES.get(step, ()),
        "may_record_step": owner,
        "may_decide": item.status == ReassignmentRequest.Status.REQUESTED and user.has_role(roles.COC_STAFF),
        "may_propose": item.status == ReassignmentRequest.Status.RECEIVING_DECLINED and user.pk in (item.requested_by_id, item.current_worker_id),
        "is_lom": is_lom_for(user, item.current_worker),
        "is_new_worker": user.pk == item.proposed_worker_id,
        "is_previous_worker": user.pk == item.current_worker_id,
        "court_reminder": policy.COURT_OBLIGATIONS_REMINDER,
        "nonhmis": services.needs_nonhmis_list_holder(item.client),
        "workers": User.objects.filter(is_active=True, groups__name__in=[roles.CASE_WORKER, roles.SUPERVISOR]).distinct().select_related("agency"),
    })


ACTIONS = {
    "approve": lambda item, post, user: services.reassignment_decide(request=item, approve=True, decision=post.get("decision", ""), actor=user),
    "deny": lambda item, post, user: services.reassignment_decide(request=item, approve=False, decision=post.get("decision", ""), actor=user),
    "step": lambda item, post, user: services.reassignment_step_record(
        request=item, number=int(post.get("number") or 0), outcome=post.get("outcome", ""), note=post.get("note", ""), actor=user),
    "propose": lambda item, post, user: services.reassignment_propose_another(request=item, worker=_worker(post.get("proposed_worker")), actor=user),
    "complete": lambda item, post, user: services.safety_transfer_complete(request=item, actor=user),
    "acknowledge": lambda item, post, user: services.safety_transfer_acknowledge(request=item, actor=user),
    "handoff": lambda item, post, user: services.safety_handoff_record(request=item, note=post.get("note", ""), actor=user),
    "assessment": lambda item, post, user: services.safety_lom_assessment_record(request=item, text=post.get("assessment", ""), actor=user),
}


@login_required
@require_POST
def reassignment_action(request, pk: int, action: str):
    item = reassignment_get_for_user(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](item, request.POST, request.user)
        messages.success(request, _("Saved."))
    except services.ReassignmentInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("reassignment-detail", pk=item.pk)


@login_required
@require_POST
def client_reassignment_new(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    try:
        item = services.reassignment_request(client=client, reason=request.POST.get("reason", ""), explanation=request.POST.get("explanation", ""),
                                             proposed_worker=_worker(request.POST.get("proposed_worker")), actor=request.user)
    except services.ReassignmentInvalid as invalid:
        errors_to_messages(request, invalid.errors)
        return redirect("client-detail", pk=client.pk)
    messages.success(request, _("Reassignment requested: CoC staff decide."))
    return redirect("reassignment-detail", pk=item.pk)


@login_required
@require_POST
def client_safety_transfer(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    try:
        item = services.safety_transfer_start(client=client, new_worker=_worker(request.POST.get("new_worker")),
                                              explanation=request.POST.get("explanation", ""),
                                              court_obligations=request.POST.get("court_obligations", ""), actor=request.user)
    except services.ReassignmentInvalid as invalid:
        errors_to_messages(request, invalid.errors)
        return redirect("client-detail", pk=client.pk)
    return redirect("reassignment-detail", pk=item.pk)


@login_required
@require_POST
def client_assign(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    if not request.user.has_perm("reassignment.add_caseassignment") or services.current_worker_of(client) is not None:
        messages.error(request, _("A client's worker changes only through a reassignment request."))
        return redirect("client-detail", pk=client.pk)
    try:
        services.case_assignment_set(client=client, worker=_worker(request.POST.get("worker")), actor=request.user, reason="first assignment")
        messages.success(request, _("Worker assigned."))
    except services.ReassignmentInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("client-detail", pk=client.pk)


@login_required
@require_POST
def client_worker_alert(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    try:
        services.client_worker_alert_set(client=client, plan=request.POST.get("safety_plan", ""), actor=request.user)
        messages.success(request, _("WORKER ALERT and safety plan recorded."))
    except services.ReassignmentInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("client-detail", pk=client.pk)
