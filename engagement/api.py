"""/api/v1/engagement-cases/ (read-only) and the actions the screens offer, as POST endpoints."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.access import client_get_for_user
from ces.api.errors import errors_response
from ces.models import Program
from engagement.disengagement import FormInvalid, status_form_countersign, status_form_file
from engagement.models import EngagementCase, StatusForm
from engagement.selectors import case_get_for_user, cases_visible_to
from engagement.services import EngagementInvalid, attempt_record, current_step, engagement_open, letter_send


def case_json(case: EngagementCase) -> dict:
    step = current_step(case)
    return {
        "id": case.pk, "client_id": case.client_id, "program_id": case.program_id, "worker_id": case.worker_id,
        "policy": case.policy, "kind": case.kind, "status": case.status, "opened_on": case.opened_on.isoformat(),
        "ceiling_on": case.ceiling_on.isoformat() if case.ceiling_on else None,
        "next_step": {"number": step.number, "label": step.get_number_display(), "due_on": step.due_on.isoformat(),
                      "not_before": step.not_before.isoformat() if step.not_before else None} if step else None,
        "steps": [{"number": s.number, "due_on": s.due_on.isoformat(), "done_at": s.done_at.isoformat() if s.done_at else None,
                   "cancelled": s.cancelled, "overdue": s.overdue_since is not None} for s in case.steps.order_by("due_on", "id")],
        "attempts": [{"at": a.at.isoformat(), "channel": a.channel, "outcome": a.outcome, "by_id": a.by_id} for a in case.attempts.all()[:50]],
        "closed_at": case.closed_at.isoformat() if case.closed_at else None, "closure_reason": case.closure_reason,
    }


def _body(request) -> dict:
    return request.data if isinstance(request.data, dict) else {}


class CaseList(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="engagement_cases_list")
    def get(self, request):
        return Response([case_json(c) for c in cases_visible_to(request.user).prefetch_related("steps", "attempts")[:500]])

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT}, operation_id="engagement_cases_create")
    def post(self, request):
        body = _body(request)
        client = client_get_for_user(user=request.user, pk=body.get("client_id"))
        program = get_object_or_404(Program, pk=body.get("program_id") if str(body.get("program_id")).isdigit() else 0)
        try:
            case = engagement_open(client=client, program=program, worker=request.user, actor=request.user,
                                   kind=str(body.get("kind") or EngagementCase.Kind.NEW_REFERRAL))
        except EngagementInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(case_json(case), status=201)


class CaseDetail(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="engagement_cases_retrieve")
    def get(self, request, pk: int):
        return Response(case_json(case_get_for_user(user=request.user, pk=pk)))


class CaseAttempt(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, operation_id="engagement_cases_attempt")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        body = _body(request)
        try:
            attempt_record(case=case, channel=str(body.get("channel") or ""), outcome=str(body.get("outcome") or ""),
                           note=str(body.get("note") or ""), actor=request.user)
        except EngagementInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(case_json(case_get_for_user(user=request.user, pk=pk)))


class CaseLetter(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, operation_id="engagement_cases_letter")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        try:
            letter_send(case=case, channel=str(_body(request).get("channel") or "mail"), actor=request.user)
        except EngagementInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(case_json(case_get_for_user(user=request.user, pk=pk)))


class CaseForm(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT}, operation_id="engagement_cases_form")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        body = _body(request)

        def day(name):
            try:
                return date.fromisoformat(str(body.get(name)))
            except ValueError:
                return None

        try:
            form = status_form_file(case=case, step=int(body.get("step") or 0) if str(body.get("step")).isdigit() else 0,
                                    status_change_date=day("status_change_date") or date.today(), requestor=str(body.get("requestor") or ""),
                                    reason=str(body.get("reason") or ""), comments=str(body.get("comments") or ""),
                                    team_consensus_date=day("team_consensus_date"), actor=request.user)
        except FormInvalid as invalid:
            return errors_response(invalid.errors)
        return Response({"form_id": form.pk, **case_json(case_get_for_user(user=request.user, pk=pk))}, status=201)


class FormSign(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, operation_id="engagement_cases_form_sign")
    def post(self, request, pk: int, form_pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        form = get_object_or_404(StatusForm, pk=form_pk, case=case)
        try:
            status_form_countersign(form=form, actor=request.user)
        except FormInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(case_json(case_get_for_user(user=request.user, pk=pk)))


urlpatterns = [
    path("engagement-cases/", CaseList.as_view(), name="api-engagement-list"),
    path("engagement-cases/<int:pk>/", CaseDetail.as_view(), name="api-engagement-detail"),
    path("engagement-cases/<int:pk>/attempts/", CaseAttempt.as_view(), name="api-engagement-attempt"),
    path("engagement-cases/<int:pk>/letter/", CaseLetter.as_view(), name="api-engagement-letter"),
    path("engagement-cases/<int:pk>/forms/", CaseForm.as_view(), name="api-engagement-form"),
    path("engagement-cases/<int:pk>/forms/<int:form_pk>/sign/", FormSign.as_view(), name="api-engagement-form-sign"),
]
