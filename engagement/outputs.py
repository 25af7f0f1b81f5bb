"""What the engagement endpoints answer (api.md, "Reassignment, engagement, grievances"), as
serializers so the OpenAPI schema states exactly what is sent."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from engagement.models import ContactAttempt, EngagementCase, Letter, OutreachStep, ServiceRecord, StatusForm
from engagement.selectors import current_step

ATTEMPTS_SHOWN = 50
SERVICES_SHOWN = 50


class OutreachNextStepOutput(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField(source="get_number_display")
    due_on = serializers.DateField()
    not_before = serializers.DateField(allow_null=True)


class ServiceOutput(serializers.ModelSerializer):
    by_id = serializers.IntegerField()

    class Meta:
        model = ServiceRecord
        fields = ["at", "kind", "note", "by_id"]


class OutreachStepOutput(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = OutreachStep
        fields = ["number", "due_on", "not_before", "done_at", "cancelled", "overdue"]

    def get_overdue(self, step: OutreachStep) -> bool:
        return step.overdue_since is not None


class ContactAttemptOutput(serializers.ModelSerializer):
    by_id = serializers.IntegerField()

    class Meta:
        model = ContactAttempt
        fields = ["at", "channel", "outcome", "by_id"]


class StatusFormOutput(serializers.ModelSerializer):
    worker_signed_by_id = serializers.IntegerField()
    second_signed_by_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = StatusForm
        fields = ["id", "step", "status_change_date", "requestor", "reason", "team_consensus_date", "worker_signed_by_id",
                  "worker_signed_at", "second_signed_by_id", "second_signed_at"]


class LetterSentOutput(serializers.ModelSerializer):
    class Meta:
        model = Letter
        fields = ["kind", "language", "sent_at", "sent_channel"]


class EngagementCaseOutput(serializers.ModelSerializer):
    client_id = serializers.IntegerField()
    program_id = serializers.IntegerField()
    worker_id = serializers.IntegerField()
    referral_id = serializers.IntegerField(allow_null=True)
    next_step = serializers.SerializerMethodField()
    steps = OutreachStepOutput(many=True, read_only=True)
    attempts = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    service_count = serializers.SerializerMethodField()
    forms = StatusFormOutput(many=True, read_only=True)
    letters = LetterSentOutput(many=True, read_only=True)

    class Meta:
        model = EngagementCase
        fields = ["id", "client_id", "program_id", "worker_id", "referral_id", "policy", "kind", "status", "opened_on",
                  "ceiling_on", "lost_contact_at", "last_contact_at", "next_step", "steps", "attempts", "services",
                  "service_count", "forms", "letters", "closed_at", "closure_reason"]

    @extend_schema_field(OutreachNextStepOutput(allow_null=True))
    def get_next_step(self, case: EngagementCase) -> dict | None:
        step = current_step(case)
        return OutreachNextStepOutput(step).data if step else None

    @extend_schema_field(ContactAttemptOutput(many=True))
    def get_attempts(self, case: EngagementCase) -> list:
        return ContactAttemptOutput(case.attempts.all()[:ATTEMPTS_SHOWN], many=True).data

    @extend_schema_field(ServiceOutput(many=True))
    def get_services(self, case: EngagementCase) -> list:
        return ServiceOutput(case.services.all()[:SERVICES_SHOWN], many=True).data

    def get_service_count(self, case: EngagementCase) -> int:
        return case.services.count()


class FiledFormOutput(EngagementCaseOutput):
    """The case after a form was filed, with the new form's id (pass `context={"form": form}`)."""

    form_id = serializers.SerializerMethodField()

    class Meta(EngagementCaseOutput.Meta):
        fields = ["form_id", *EngagementCaseOutput.Meta.fields]

    def get_form_id(self, case: EngagementCase) -> int:
        return self.context["form"].pk
