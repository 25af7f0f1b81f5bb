"""Reports and the HMIS export (api.md, "Reports", "HMIS export").

Each endpoint binds its declared input (reports.inputs), reads through the
selectors or calls one service; refusals are ces.errors, answered by ces.api.errors
(403 for a role that may not, 404 for what does not exist).
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.inputs import bind
from reports.inputs import HmisExportInput, PeriodInput, WhatIfInput
from reports.outputs import ExportOutput, ExportQueued, ReportOutput, WhatIfOutput
from reports.selectors import exports_access_check, hmis_export_get_for_user, report_figures, reports_access_check
from reports.services import hmis_export_download, hmis_export_request
from reports.whatif import whatif_compare


class ReportDetail(APIView):
    @extend_schema(parameters=[PeriodInput, OpenApiParameter("name", str, OpenApiParameter.PATH)],
                   responses={200: ReportOutput}, operation_id="reports_detail")
    def get(self, request, name: str):
        reports_access_check(request.user)
        period = bind(PeriodInput, request.query_params)["period"]
        return Response(report_figures(user=request.user, name=name, period=period))


class WhatIf(APIView):
    @extend_schema(parameters=[WhatIfInput], responses={200: WhatIfOutput}, operation_id="reports_what_if")
    def get(self, request):
        reports_access_check(request.user)
        return Response(whatif_compare(**bind(WhatIfInput, request.query_params)))


class ExportCreate(APIView):
    @extend_schema(request=HmisExportInput, responses={202: ExportQueued}, operation_id="exports_hmis_create")
    def post(self, request):
        exports_access_check(request.user)
        job = hmis_export_request(actor=request.user, **bind(HmisExportInput, request.data))
        return Response(ExportQueued(job).data, status=202)


class ExportDetail(APIView):
    @extend_schema(responses={200: ExportOutput}, operation_id="exports_detail")
    def get(self, request, pk: int):
        job = hmis_export_get_for_user(user=request.user, pk=pk)
        return Response(ExportOutput(job, context={"request": request}).data)


class ExportDownload(APIView):
    @extend_schema(responses={(200, "application/zip"): bytes}, operation_id="exports_download")
    def get(self, request, pk: int):
        job = hmis_export_get_for_user(user=request.user, pk=pk)
        return hmis_export_download(job=job, user=request.user, request=request)


urlpatterns = [
    path("reports/what-if/", WhatIf.as_view(), name="api-report-what-if"),
    path("reports/<slug:name>/", ReportDetail.as_view(), name="api-report"),
    path("exports/hmis/", ExportCreate.as_view(), name="api-export-hmis"),
    path("exports/<id:pk>/", ExportDetail.as_view(), name="api-export-detail"),
    path("exports/<id:pk>/download/", ExportDownload.as_view(), name="api-export-download"),
]
