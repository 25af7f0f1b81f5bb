"""GET /api/v1/bnl/ and POST /api/v1/bnl/<id>/case-management-points/ (api.md, "By-Name List")."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from bnl.eligibility import eligible_program_ids
from bnl.models import BnlEntry
from bnl.policy import BNL_PAGE_SIZE
from bnl.selectors import FLAG_FILTERS, bnl_entries_for, bnl_entry_get_for_user, housing_programs, may_see_bnl
from bnl.services import BnlInvalid, bnl_case_management_set
from ces.api.errors import errors_response
from ces.choices import County
from ces.models import Program

PROGRAM_UNKNOWN = "No such program."
STATUS_UNKNOWN = "Choose one of: active, on_referral, inactive, housed, exited."
COUNTY_UNKNOWN = "Choose placer or nevada."
FLAG_NOT_BOOLEAN = "Use true or false."
NOT_A_CASE_MANAGER = "Only a case manager who may see this person can change case-management points."


class CanSeeBnl(permissions.BasePermission):
    def has_permission(self, request, view):
        return may_see_bnl(request.user)


class BnlPagination(PageNumberPagination):
    page_size = BNL_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200


def entry_json(entry: BnlEntry, *, rank: int | None, programs: list[Program]) -> dict:
    data = {
        "id": entry.pk,
        "rank": rank,
        "score": entry.score,
        "status": entry.status,
        "label": entry.label,
        "county": entry.county,
        "flags": {"chronic": entry.chronic, "veteran": entry.veteran, "youth": entry.youth, "family": entry.family, "dv": entry.dv},
        "placed_on_list_at": entry.placed_on_list_at.isoformat(),
        "length_of_time_homeless_days": entry.length_of_time_homeless_days,
        "eligible_program_ids": eligible_program_ids(entry, programs),
    }
    if entry.client_id is not None:
        data["worker_alert"] = entry.client.worker_alert
    if entry.client_id is not None and getattr(entry, "pii_visible", False):
        client = entry.client
        data["client"] = {
            "id": client.pk,
            "first_name": client.first_name,
            "middle_name": client.middle_name,
            "last_name": client.last_name,
            "dob": client.dob.isoformat() if client.dob else None,
            "phone_primary": str(client.phone_primary or ""),
            "holding_agency_id": client.holding_agency_id,
        }
    if entry.client_id is None:
        data["contact_vsp"] = {"agency_id": entry.vsp_id, "name": entry.vsp.name}
    return data


def _bool(value: str | None):
    if value in (None, ""):
        return None
    lowered = value.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueError(value)


def bnl_filters_from(params) -> tuple[dict, dict]:
    """Query parameters → selector filters, or errors keyed by parameter."""
    errors, filters = {}, {"flags": {}}
    if params.get("program"):
        program = Program.objects.select_related("agency").filter(pk=params["program"]).first() if params["program"].isdigit() else None
        if program is None:
            errors["program"] = [PROGRAM_UNKNOWN]
        filters["program"] = program
    status = params.get("status") or None
    if status and status not in BnlEntry.Status.values:
        errors["status"] = [STATUS_UNKNOWN]
    filters["status"] = status
    county = params.get("county") or None
    if county and county not in (County.PLACER, County.NEVADA):
        errors["county"] = [COUNTY_UNKNOWN]
    filters["county"] = county
    for flag in FLAG_FILTERS:
        try:
            filters["flags"][flag] = _bool(params.get(flag))
        except ValueError:
            errors[flag] = [FLAG_NOT_BOOLEAN]
    filters["vsp_list"] = params.get("list") == "vsp"
    return filters, errors


class BnlList(APIView):
    """The By-Name List in list order, filtered; personal data only where the user may see it."""

    permission_classes = [CanSeeBnl]

    @extend_schema(
        parameters=[OpenApiParameter(name, str, required=False) for name in
                    ("program", "status", "county", "chronic", "veteran", "youth", "family", "dv", "list", "page", "page_size")],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="bnl_list",
    )
    def get(self, request):
        filters, errors = bnl_filters_from(request.query_params)
        if errors:
            return errors_response(errors)
        entries = bnl_entries_for(user=request.user, **filters)
        paginator = BnlPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        offset = (paginator.page.number - 1) * paginator.get_page_size(request)
        programs = housing_programs()
        results = [entry_json(entry, rank=offset + i + 1, programs=programs) for i, entry in enumerate(page)]
        return paginator.get_paginated_response(results)


class BnlDetail(APIView):
    permission_classes = [CanSeeBnl]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="bnl_retrieve")
    def get(self, request, pk: int):
        entry = bnl_entry_get_for_user(user=request.user, pk=pk)
        return Response(entry_json(entry, rank=None, programs=housing_programs()))


CaseManagementRequest = inline_serializer(
    "CaseManagementRequest",
    {"item": serializers.IntegerField(), "points": serializers.IntegerField(), "justification": serializers.CharField()},
)


def may_manage_case(user, entry: BnlEntry) -> bool:
    if not user.has_perm("bnl.add_casemanagementpoint"):
        return False
    if entry.client_id is None:
        return entry.vsp_id == user.agency_id
    return bool(getattr(entry, "pii_visible", False))


class CaseManagementPoints(APIView):
    permission_classes = [CanSeeBnl]

    @extend_schema(request=CaseManagementRequest, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        entry = bnl_entry_get_for_user(user=request.user, pk=pk)
        if not may_manage_case(request.user, entry):
            return errors_response({"non_field_errors": [NOT_A_CASE_MANAGER]}, 403)
        body = request.data if isinstance(request.data, dict) else {}
        errors = {}
        values = {}
        for name in ("item", "points"):
            raw = body.get(name)
            if isinstance(raw, bool) or not str(raw).lstrip("-").isdigit():
                errors[name] = ["Send a whole number."]
            else:
                values[name] = int(raw)
        if errors:
            return errors_response(errors)
        try:
            entry = bnl_case_management_set(entry=entry, actor=request.user, justification=str(body.get("justification") or ""),
                                            **values)
        except BnlInvalid as invalid:
            return errors_response(invalid.errors)
        entry = bnl_entry_get_for_user(user=request.user, pk=entry.pk)
        return Response(entry_json(entry, rank=None, programs=housing_programs()))


urlpatterns = [
    path("bnl/", BnlList.as_view(), name="api-bnl-list"),
    path("bnl/<int:pk>/", BnlDetail.as_view(), name="api-bnl-detail"),
    path("bnl/<int:pk>/case-management-points/", CaseManagementPoints.as_view(), name="api-bnl-cm-points"),
]
