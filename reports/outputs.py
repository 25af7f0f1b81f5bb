"""What the reports endpoints answer (api.md, "Reports" and "HMIS export")."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from reports.models import HmisExport


class ExportQueued(serializers.ModelSerializer):
    status = serializers.CharField(help_text="queued, running, done or failed")

    class Meta:
        model = HmisExport
        fields = ["id", "status"]


class ExportOutput(serializers.ModelSerializer):
    status = serializers.CharField(help_text="queued, running, done or failed")
    download = serializers.SerializerMethodField()

    class Meta:
        model = HmisExport
        fields = ["id", "status", "progress", "download", "step", "start", "end", "include_unconsented", "requested_at",
                  "finished_at", "row_counts", "sha256"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download(self, job: HmisExport) -> str | None:
        if job.status != HmisExport.Status.DONE or not job.file:
            return None
        return reverse("api-export-download", kwargs={"pk": job.pk}, request=self.context.get("request"))


class ReportOutput(serializers.Serializer):
    """The figures of one report: headline figures, tables and chart data (reports.figures)."""

    report = serializers.CharField()
    title = serializers.CharField()
    period = serializers.DictField()
    figures = serializers.ListField(child=serializers.DictField())
    tables = serializers.ListField(child=serializers.DictField())
    charts = serializers.ListField(child=serializers.DictField())
    notes = serializers.ListField(child=serializers.CharField())


class WhatIfOutput(serializers.Serializer):
    """The what-if: the proposal, the live order, and the same figures, tables and charts as a report."""

    report = serializers.CharField()
    title = serializers.CharField()
    proposal = serializers.DictField()
    proposal_text = serializers.ListField(child=serializers.CharField())
    live_order = serializers.ListField(child=serializers.CharField())
    figures = serializers.ListField(child=serializers.DictField())
    tables = serializers.ListField(child=serializers.DictField())
    charts = serializers.ListField(child=serializers.DictField())
    notes = serializers.ListField(child=serializers.CharField())
