"""/api/v1/reassignments/ (read-only lists) and the actions the screens offer, as POST endpoints.

Each endpoint: bind the action's declared input (reassignment.inputs), fetch through the
access helper, call one service (reassignment.actions for the actions on a request),
answer with an output serializer. Refusals are ces.errors, answered by ces.api.errors.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.inputs import bind
from ces.models import AccessLog
from reassignment import services
from reassignment.actions import ACTIONS
from reassignment.inputs import FirstAssignmentInput, ReassignmentCreateInput, SafetyTransferCreateInput, WorkerAlertInput
from reassignment.outputs import FirstAssignmentOutput, ReassignmentOutput, WorkerAlertOutput
from reassignment.selectors import reassignment_get_for_user, reassignments_visible_to

LIST_LIMIT = 500


def _answer(request) -> Response:
    """The request as it is after an action (the service's own copy: the actor just acted on it)."""
    return Response(ReassignmentOutput(request).data)


class ReassignmentList(APIView):
    @extend_schema(responses={200: ReassignmentOutput(many=True)}, operation_id="reassignments_list")
    def get(self, request):
        items = reassignments_visible_to(request.user).prefetch_related("steps")[:LIST_LIMIT]
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request._request, detail="reassignments (API)")
        return Response(ReassignmentOutput(items, many=True).data)

    @extend_schema(request=ReassignmentCreateInput, responses={200: ReassignmentOutput}, operation_id="reassignments_create")
    def post(self, request):
        values = bind(ReassignmentCreateInput, request.data)
        client = client_get_for_user(user=request.user, pk=values["client_id"])
        return _answer(services.reassignment_request(
            client=client, reason=values["reason"], client_situation=values["client_situation"], explanation=values["explanation"],
            proposed_worker=values["proposed_worker_id"], actor=request.user))


class ReassignmentDetail(APIView):
    @extend_schema(responses={200: ReassignmentOutput}, operation_id="reassignments_retrieve")
    def get(self, request, pk: int):
        item = reassignment_get_for_user(user=request.user, pk=pk)
        access_log_record(user=request.user, action=AccessLog.Action.API_READ, request=request._request, client=item.client, obj=item)
        return Response(ReassignmentOutput(item).data)


def _action_view(name: str, operation_id: str):
    action = ACTIONS[name]

    class ActionView(APIView):
        @extend_schema(request=action.input, responses={200: ReassignmentOutput}, operation_id=operation_id)
        def post(self, request, pk: int):
            item = reassignment_get_for_user(user=request.user, pk=pk)
            values = bind(action.input, request.data)
            return _answer(action.run(item, request.user, **values))

    ActionView.__name__ = ActionView.__qualname__ = f"Reassignment{name.title()}"
    return ActionView.as_view()


class SafetyTransferCreate(APIView):
    @extend_schema(request=SafetyTransferCreateInput, responses={200: ReassignmentOutput},
                   operation_id="reassignments_safety_create")
    def post(self, request):
        values = bind(SafetyTransferCreateInput, request.data)
        client = client_get_for_user(user=request.user, pk=values["client_id"])
        return _answer(services.safety_transfer_start(
            client=client, new_worker=values["new_worker_id"], explanation=values["explanation"],
            court_obligations=values["court_obligations"], actor=request.user))


class WorkerAlert(APIView):
    @extend_schema(request=WorkerAlertInput, responses={200: WorkerAlertOutput}, operation_id="clients_worker_alert")
    def post(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        values = bind(WorkerAlertInput, request.data)
        client = services.client_worker_alert_set(client=client, plan=values["safety_plan"], actor=request.user)
        return Response(WorkerAlertOutput(client).data)


class FirstAssignment(APIView):
    @extend_schema(request=FirstAssignmentInput, responses={201: FirstAssignmentOutput}, operation_id="clients_assign")
    def post(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        values = bind(FirstAssignmentInput, request.data)
        assignment = services.case_assignment_set(client=client, worker=values["worker_id"], actor=request.user)
        return Response(FirstAssignmentOutput(assignment).data, status=201)


urlpatterns = [
    path("reassignments/", ReassignmentList.as_view(), name="api-reassignment-list"),
    path("reassignments/safety/", SafetyTransferCreate.as_view(), name="api-reassignment-safety"),
    path("reassignments/<id:pk>/", ReassignmentDetail.as_view(), name="api-reassignment-detail"),
    path("reassignments/<id:pk>/approve/", _action_view("approve", "reassignments_approve"), name="api-reassignment-approve"),
    path("reassignments/<id:pk>/deny/", _action_view("deny", "reassignments_deny"), name="api-reassignment-deny"),
    path("reassignments/<id:pk>/steps/", _action_view("step", "reassignments_step"), name="api-reassignment-step"),
    path("reassignments/<id:pk>/propose-worker/", _action_view("propose", "reassignments_propose_worker"),
         name="api-reassignment-propose"),
    path("reassignments/<id:pk>/complete-transfer/", _action_view("complete", "reassignments_complete_transfer"),
         name="api-reassignment-complete"),
    path("reassignments/<id:pk>/acknowledge/", _action_view("acknowledge", "reassignments_acknowledge"),
         name="api-reassignment-acknowledge"),
    path("reassignments/<id:pk>/handoff/", _action_view("handoff", "reassignments_handoff"), name="api-reassignment-handoff"),
    path("reassignments/<id:pk>/lom-assessment/", _action_view("assessment", "reassignments_lom_assessment"),
         name="api-reassignment-lom"),
    path("clients/<id:pk>/worker-alert/", WorkerAlert.as_view(), name="api-client-worker-alert"),
    path("clients/<id:pk>/assign/", FirstAssignment.as_view(), name="api-client-assign"),
]
