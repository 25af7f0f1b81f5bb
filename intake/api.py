"""POST /api/v1/intakes/ and GET /api/v1/clients/duplicates/ (api.md, "Intake")."""

from datetime import date

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.api.errors import errors_response
from intake.duplicates import duplicate_candidates
from intake.policy import INDICATOR_POINTS
from intake.services import IntakeInvalid, IntakeResult, intake_submit
from intake.validation import DATE_IN_FUTURE, NOT_A_DATE

ANSWERS_NOT_AN_OBJECT = "Send the answers as an object of question codes, e.g. {\"county\": \"nevada\"}."
CLIENT_ID_NOT_A_NUMBER = "client_id is the number of an existing client, or null."


class CanTakeIntakes(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("intake.add_intake"))


def intake_result_json(result: IntakeResult) -> dict:
    assessment = result.assessment
    return {
        "intake_id": result.intake.pk,
        "client": {"id": result.client.pk} if result.client else None,
        "assessment": {
            "id": assessment.pk,
            "score": {
                "total": assessment.total,
                "subtotal": assessment.subtotal,
                "case_management": assessment.case_management,
                # Appendix B order (jsonb does not keep key order).
                "indicators": {code: assessment.indicators.get(code, 0) for code in INDICATOR_POINTS},
            },
            "chronically_homeless": assessment.chronically_homeless,
        }
        if assessment
        else None,
        "bnl_entry": {"id": result.bnl_entry.pk, "status": result.bnl_entry.status} if result.bnl_entry else None,
        "shelter_eligibility": [item.as_dict() for item in result.shelter_eligibility],
        "outcome": result.intake.outcome,
        "is_late": result.intake.is_late,
    }


IntakeRequest = inline_serializer(
    "IntakeRequest",
    {"client_id": serializers.IntegerField(allow_null=True, required=False), "answers": serializers.DictField()},
)


class IntakeCreate(APIView):
    """Submit a whole intake in one request. Bad input: 400, messages keyed by question code, nothing saved."""

    permission_classes = [CanTakeIntakes]

    @extend_schema(request=IntakeRequest, responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        answers = body.get("answers")
        client_id = body.get("client_id")
        errors = {}
        if not isinstance(answers, dict):
            errors["answers"] = [ANSWERS_NOT_AN_OBJECT]
        if client_id is not None and (isinstance(client_id, bool) or not str(client_id).isdigit()):
            errors["client_id"] = [CLIENT_ID_NOT_A_NUMBER]
        if errors:
            return errors_response(errors)
        try:
            result = intake_submit(actor=request.user, answers=answers, client_id=int(client_id) if client_id is not None else None)
        except IntakeInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(intake_result_json(result), status=status.HTTP_201_CREATED)


class DuplicateCheck(APIView):
    """Likely existing clients, ranked by likeness (same SSN; similar names with a DOB within a year)."""

    permission_classes = [CanTakeIntakes]

    @extend_schema(
        parameters=[OpenApiParameter(name, str, required=False) for name in ("first_name", "last_name", "dob", "ssn")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        params = request.query_params
        dob = None
        if params.get("dob"):
            try:
                dob = date.fromisoformat(params["dob"])
            except ValueError:
                return errors_response({"dob": [NOT_A_DATE]})
            if dob > date.today():
                return errors_response({"dob": [DATE_IN_FUTURE]})
        candidates = duplicate_candidates(
            user=request.user,
            first_name=params.get("first_name", "")[:100],
            last_name=params.get("last_name", "")[:100],
            dob=dob,
            ssn=params.get("ssn", "")[:20],
        )
        return Response([candidate.as_dict() for candidate in candidates])


urlpatterns = [
    path("intakes/", IntakeCreate.as_view(), name="api-intake-create"),
    path("clients/duplicates/", DuplicateCheck.as_view(), name="api-client-duplicates"),
]
