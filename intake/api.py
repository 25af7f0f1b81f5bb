"""POST /api/v1/intakes/ and the duplicate check (api.md, "Intake").

Each endpoint binds its declared input (intake.inputs), calls one service and
answers with an output serializer (intake.outputs). Refusals are
ces.errors.ServiceError, answered by ces.api.errors.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.inputs import bind
from intake.duplicates import duplicate_search
from intake.inputs import DuplicateQuery, IntakeInput
from intake.outputs import CandidateOutput, IntakeOutput
from intake.services import intake_submit


class CanTakeIntakes(permissions.BasePermission):
    """The roles that take intakes (the services check the same permission)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("intake.add_intake"))


class IntakeCreate(APIView):
    """Submit a whole intake in one request. Bad input: 400, messages keyed by question code, nothing saved."""

    permission_classes = [CanTakeIntakes]

    @extend_schema(
        request=IntakeInput,
        responses={201: IntakeOutput, 400: OpenApiResponse(description='{"errors": {"<question code>": ["message"]}}')},
        operation_id="intakes_create",
    )
    def post(self, request):
        result = intake_submit(actor=request.user, **bind(IntakeInput, request.data))
        return Response(IntakeOutput(result).data, status=status.HTTP_201_CREATED)


class DuplicateCheck(APIView):
    """Likely existing clients, ranked by likeness (same SSN; similar names with a DOB within a year).

    GET takes the query string (api.md); POST takes the same fields as a JSON body, so an
    integration can keep an SSN out of URLs and their logs. Each check is one access-log row
    that records which fields were given, never their values."""

    permission_classes = [CanTakeIntakes]

    @extend_schema(parameters=[DuplicateQuery], responses={200: CandidateOutput(many=True)}, operation_id="clients_duplicates")
    def get(self, request):
        return self._answer(request, bind(DuplicateQuery, request.query_params))

    @extend_schema(request=DuplicateQuery, responses={200: CandidateOutput(many=True)}, operation_id="clients_duplicates_search")
    def post(self, request):
        return self._answer(request, bind(DuplicateQuery, request.data))

    def _answer(self, request, query: dict) -> Response:
        candidates = duplicate_search(user=request.user, request=request, **query)
        return Response(CandidateOutput(candidates, many=True).data)


urlpatterns = [
    path("intakes/", IntakeCreate.as_view(), name="api-intake-create"),
    path("clients/duplicates/", DuplicateCheck.as_view(), name="api-client-duplicates"),
]
