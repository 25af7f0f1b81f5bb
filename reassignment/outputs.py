"""What the reassignment endpoints answer (api.md, "Reassignment, engagement, grievances"), as
serializers so the OpenAPI schema states exactly what is sent."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reassignment.models import CaseAssignment, ReassignmentRequest, ReassignmentStep
from reassignment.selectors import step_next


class ReassignmentStepOutput(serializers.ModelSerializer):
    recorded_by_id = serializers.IntegerField()

    class Meta:
        model = ReassignmentStep
        fields = ["number", "outcome", "note", "recorded_by_id", "recorded_at"]


class ReassignmentOutput(serializers.ModelSerializer):
    client_id = serializers.IntegerField()
    client_label = serializers.CharField(source="client.label")
    current_worker_id = serializers.IntegerField()
    proposed_worker_id = serializers.IntegerField()
    requested_by_id = serializers.IntegerField()
    decided_by_id = serializers.IntegerField(allow_null=True)
    steps = ReassignmentStepOutput(many=True, read_only=True)
    next_step = serializers.SerializerMethodField()
    worker_alert = serializers.BooleanField(source="client.worker_alert")

    class Meta:
        model = ReassignmentRequest
        fields = ["id", "client_id", "client_label", "track", "reason", "client_situation", "explanation", "status", "current_worker_id",
                  "proposed_worker_id", "requested_by_id", "requested_at", "decision", "decided_by_id", "decided_at",
                  "completed_at", "steps", "next_step", "caseload_bypassed", "worker_alert", "acknowledged_at",
                  "handoff_at", "lom_assessed_at", "court_obligations"]

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=1, max_value=5))
    def get_next_step(self, request: ReassignmentRequest) -> int | None:
        return step_next(request)


class FirstAssignmentOutput(serializers.ModelSerializer):
    client_id = serializers.IntegerField()
    worker_id = serializers.IntegerField()
    assigned_by_id = serializers.IntegerField()

    class Meta:
        model = CaseAssignment
        fields = ["client_id", "worker_id", "since", "assigned_by_id", "ended_at", "ended_because"]


class WorkerAlertOutput(serializers.Serializer):
    client_id = serializers.IntegerField(source="pk")
    worker_alert = serializers.BooleanField()
    safety_plan = serializers.CharField()
