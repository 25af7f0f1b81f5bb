"""The By-Name List's API (api.md, "By-Name List"): GET /api/v1/bnl/, GET /api/v1/bnl/<id>/,
POST /api/v1/bnl/<id>/case-management-points/, and the actions its screens offer:
POST /api/v1/bnl/<id>/status/ (CoC staff) and POST /api/v1/bnl/<id>/place-on-coc-list/ (a VSP).

Each endpoint: bind the declared input (bnl.inputs), fetch through the access helper, call one
service, answer with an output serializer (bnl.outputs). Refusals are ces.errors, answered by
ces.api.errors. A read that shows anyone's personal data leaves one access-log row.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from bnl.inputs import BnlApiFilter, CaseManagementInput, PlaceOnCocInput, StatusInput
from bnl.outputs import BnlEntryDetailOutput, BnlPageOutput, bnl_list_row_data
from bnl.policy import BNL_MAX_PAGE_SIZE, BNL_PAGE_SIZE
from bnl.selectors import (
    bnl_entries_for,
    bnl_entries_ranked,
    bnl_entry_get_for_user,
    bnl_list_rows,
    bnl_list_values,
    housing_programs,
    may_see_bnl,
)
from bnl.services import (
    bnl_case_management_set,
    bnl_entry_status_set,
    bnl_place_deidentified_on_coc_list,
    bnl_read_record,
)
from ces.inputs import bind
from ces.models import AccessLog


class CanSeeBnl(permissions.BasePermission):
    def has_permission(self, request, view):
        return may_see_bnl(request.user)


class BnlPagination(PageNumberPagination):
    page_size = BNL_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = BNL_MAX_PAGE_SIZE


def _entry_answer(request, entry, *, action: str) -> Response:
    entry = bnl_entries_ranked([entry], offset=None, programs=housing_programs())[0]
    bnl_read_record(user=request.user, request=request._request, entries=[entry], action=action)
    return Response(BnlEntryDetailOutput(entry, context={"user": request.user}).data)


class BnlList(APIView):
    """The By-Name List in list order, filtered; personal data only where the user may see it."""

    permission_classes = [CanSeeBnl]

    @extend_schema(parameters=[BnlApiFilter], responses={200: BnlPageOutput}, operation_id="bnl_list")
    def get(self, request):
        programs = housing_programs()
        filters = bind(BnlApiFilter, request.query_params, programs=programs)
        del filters["page"], filters["page_size"]  # read by the paginator, checked above
        entries = bnl_list_values(bnl_entries_for(user=request.user, **filters))
        paginator = BnlPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        offset = (paginator.page.number - 1) * paginator.get_page_size(request)
        rows = bnl_list_rows(page, offset=offset, programs=programs)
        bnl_read_record(user=request.user, request=request._request, entries=rows, action=AccessLog.Action.VIEW_LIST)
        # BnlPageOutput's shape (the schema's), each row written out by bnl_list_row_data.
        return Response({"count": paginator.page.paginator.count, "next": paginator.get_next_link(),
                         "previous": paginator.get_previous_link(), "results": [bnl_list_row_data(row) for row in rows]})


class BnlDetail(APIView):
    permission_classes = [CanSeeBnl]

    @extend_schema(responses={200: BnlEntryDetailOutput}, operation_id="bnl_retrieve")
    def get(self, request, pk: int):
        entry = bnl_entry_get_for_user(user=request.user, pk=pk)
        return _entry_answer(request, entry, action=AccessLog.Action.API_READ)


class CaseManagementPoints(APIView):
    permission_classes = [CanSeeBnl]

    @extend_schema(request=CaseManagementInput, responses={200: BnlEntryDetailOutput})
    def post(self, request, pk: int):
        entry = bnl_entry_get_for_user(user=request.user, pk=pk)
        entry = bnl_case_management_set(entry=entry, actor=request.user, **bind(CaseManagementInput, request.data))
        entry = bnl_entry_get_for_user(user=request.user, pk=entry.pk)
        return _entry_answer(request, entry, action=AccessLog.Action.API_READ)


class EntryStatus(APIView):
    permission_classes = [CanSeeBnl]

    @extend_schema(request=StatusInput, responses={200: BnlEntryDetailOutput}, operation_id="bnl_status")
    def post(self, request, pk: int):
        entry = bnl_entry_get_for_user(user=request.user, pk=pk)
        entry = bnl_entry_status_set(entry=entry, actor=request.user, **bind(StatusInput, request.data))
        entry = bnl_entry_get_for_user(user=request.user, pk=entry.pk)
        return _entry_answer(request, entry, action=AccessLog.Action.API_READ)


class PlaceOnCocList(APIView):
    permission_classes = [CanSeeBnl]

    @extend_schema(request=PlaceOnCocInput, responses={201: BnlEntryDetailOutput}, operation_id="bnl_place_on_coc_list")
    def post(self, request, pk: int):
        source = bnl_entry_get_for_user(user=request.user, pk=pk)
        copy = bnl_place_deidentified_on_coc_list(source=source, actor=request.user, **bind(PlaceOnCocInput, request.data))
        copy = bnl_entry_get_for_user(user=request.user, pk=copy.pk)
        response = _entry_answer(request, copy, action=AccessLog.Action.API_READ)
        response.status_code = 201
        return response


urlpatterns = [
    path("bnl/", BnlList.as_view(), name="api-bnl-list"),
    path("bnl/<id:pk>/", BnlDetail.as_view(), name="api-bnl-detail"),
    path("bnl/<id:pk>/case-management-points/", CaseManagementPoints.as_view(), name="api-bnl-cm-points"),
    path("bnl/<id:pk>/status/", EntryStatus.as_view(), name="api-bnl-status"),
    path("bnl/<id:pk>/place-on-coc-list/", PlaceOnCocList.as_view(), name="api-bnl-place-on-coc"),
]
