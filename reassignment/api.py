"""/api/v1/reassignments/ (read-only) and the actions the screens offer, as POST endpoints."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.access import client_get_for_user
from ces.api.errors import errors_response
from ces.models import User
from reassignment import services
from reassignment.models import ReassignmentRequest
from reassignment.selectors import reassignment_get_for_user, reassignments_visible_to

UNKNOWN_WORKER = "No such worker."


def request_json(request: ReassignmentRequest) -> dict:
    return {
        "id": request.pk, "client_id": request.client_id, "client_label": request.client.label, "track": request.track,
        "reason": request.reason, "explanation": request.explanation, "status": request.status,
        "current_worker_id": request.current_worker_id, "proposed_worker_id": request.proposed_worker_id,
        "requested_by_id": request.requested_by_id, "requested_at": request.requested_at.isoformat(),
        "decision": request.decision, "decided_by_id": request.decided_by_id,
        "steps": [{"number": s.number, "outcome": s.outcome, "note": s.note, "recorded_by_id": s.recorded_by_id,
                   "recorded_at": s.recorded_at.isoformat()} for s in request.steps.all()],
        "next_step": services.next_step(request),
        "caseload_bypassed": request.caseload_bypassed,
        "worker_alert": request.client.worker_alert,
        "acknowledged_at": request.acknowledged_at.isoformat() if request.acknowledged_at else None,
        "handoff_at": request.handoff_at.isoformat() if request.handoff_at else None,
        "lom_assessed_at": request.lom_assessed_at.isoformat() if request.lom_assessed_at else None,
    }


def _worker(value) -> User | None:
    return User.objects.select_related("agency").filter(pk=value).first() if str(value).isdigit() else None


class Action(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def run(self, call):
        try:
            result = call()
        except services.ReassignmentInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(request_json(reassignment_get_for_user(user=self.request.user, pk=result.pk)))


class ReassignmentList(Action):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="reassignments_list")
    def get(self, request):
        return Response([request_json(r) for r in reassignments_visible_to(request.user).prefetch_related("steps")[:500]])

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, operation_id="reassignments_create")
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        client = client_get_for_user(user=request.user, pk=body.get("client_id"))
        worker = _worker(body.get("proposed_worker_id"))
        return self.run(lambda: services.reassignment_request(
            client=client, reason=str(body.get("reason") or ""), explanation=str(body.get("explanation") or ""),
            proposed_worker=worker, actor=request.user))


class ReassignmentDetail(Action):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="reassignments_retrieve")
    def get(self, request, pk: int):
        return Response(request_json(reassignment_get_for_user(user=request.user, pk=pk)))


def _action(name: str, fn):
    class View(Action):
        @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, operation_id=f"reassignments_{name}")
        def post(self, request, pk: int):
            item = reassignment_get_for_user(user=request.user, pk=pk)
            body = request.data if isinstance(request.data, dict) else {}
            return self.run(lambda: fn(item, body, request.user))

    View.__name__ = f"Reassignment{name.title().replace('_', '')}"
    return View.as_view()


def _step(item, body, user):
    number = body.get("number")
    if not str(number).isdigit():
        raise services.ReassignmentInvalid({"number": ["Send the step number (1 to 5)."]})
    return services.reassignment_step_record(request=item, number=int(number), outcome=str(body.get("outcome") or ""),
                                             note=str(body.get("note") or ""), actor=user)


class SafetyTransferCreate(Action):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, operation_id="reassignments_safety_create")
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        client = client_get_for_user(user=request.user, pk=body.get("client_id"))
        return self.run(lambda: services.safety_transfer_start(
            client=client, new_worker=_worker(body.get("new_worker_id")), explanation=str(body.get("explanation") or ""),
            court_obligations=str(body.get("court_obligations") or ""), actor=request.user))


class WorkerAlert(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, operation_id="clients_worker_alert")
    def post(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        body = request.data if isinstance(request.data, dict) else {}
        try:
            client = services.client_worker_alert_set(client=client, plan=str(body.get("safety_plan") or ""), actor=request.user)
        except services.ReassignmentInvalid as invalid:
            return errors_response(invalid.errors)
        return Response({"client_id": client.pk, "worker_alert": client.worker_alert, "safety_plan": client.safety_plan})


urlpatterns = [
    path("reassignments/", ReassignmentList.as_view(), name="api-reassignment-list"),
    path("reassignments/safety/", SafetyTransferCreate.as_view(), name="api-reassignment-safety"),
    path("reassignments/<int:pk>/", ReassignmentDetail.as_view(), name="api-reassignment-detail"),
    path("reassignments/<int:pk>/approve/", _action("approve", lambda r, b, u: services.reassignment_decide(
        request=r, approve=True, decision=str(b.get("decision") or ""), actor=u)), name="api-reassignment-approve"),
    path("reassignments/<int:pk>/deny/", _action("deny", lambda r, b, u: services.reassignment_decide(
        request=r, approve=False, decision=str(b.get("decision") or ""), actor=u)), name="api-reassignment-deny"),
    path("reassignments/<int:pk>/steps/", _action("step", _step), name="api-reassignment-step"),
    path("reassignments/<int:pk>/propose-worker/", _action("propose_worker", lambda r, b, u: services.reassignment_propose_another(
        request=r, worker=_worker(b.get("proposed_worker_id")), actor=u)), name="api-reassignment-propose"),
    path("reassignments/<int:pk>/complete-transfer/", _action("complete_transfer", lambda r, b, u: services.safety_transfer_complete(
        request=r, actor=u)), name="api-reassignment-complete"),
    path("reassignments/<int:pk>/acknowledge/", _action("acknowledge", lambda r, b, u: services.safety_transfer_acknowledge(
        request=r, actor=u)), name="api-reassignment-acknowledge"),
    path("reassignments/<int:pk>/handoff/", _action("handoff", lambda r, b, u: services.safety_handoff_record(
        request=r, note=str(b.get("note") or ""), actor=u)), name="api-reassignment-handoff"),
    path("reassignments/<int:pk>/lom-assessment/", _action("lom_assessment", lambda r, b, u: services.safety_lom_assessment_record(
        request=r, text=str(b.get("assessment") or ""), actor=u)), name="api-reassignment-lom"),
    path("clients/<int:pk>/worker-alert/", WorkerAlert.as_view(), name="api-client-worker-alert"),
]
