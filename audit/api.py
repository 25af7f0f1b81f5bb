"""GET /api/v1/audit/ (api.md, "Audit history"): the timeline for the HMIS admin, paginated like the BNL."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from audit.inputs import AuditFilter
from audit.outputs import AuditPageOutput
from audit.services import audit_review
from ces.inputs import bind


class AuditTimeline(APIView):
    @extend_schema(parameters=[AuditFilter], responses={200: AuditPageOutput}, operation_id="audit_list")
    def get(self, request):
        filters = bind(AuditFilter, request.query_params)
        page = audit_review(viewer=request.user, filters=filters, request=request._request)
        url = request.build_absolute_uri()
        data = {
            "count": page.count,
            "count_capped": page.capped,
            "next": replace_query_param(url, "page", page.page + 1) if page.has_next else None,
            "previous": (replace_query_param(url, "page", page.page - 1) if page.page > 2 else remove_query_param(url, "page"))
            if page.page > 1 else None,
            "results": [row.as_dict() for row in page.rows],
        }
        return Response(AuditPageOutput(data).data)


urlpatterns = [path("audit/", AuditTimeline.as_view(), name="api-audit")]
