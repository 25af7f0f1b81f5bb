"""What the referral endpoints answer (api.md, "Vacancies, pulls and referrals"), as serializers
so the OpenAPI schema states exactly what is sent. Personal data only where ces.access allows:
pass `context={"user": ...}`."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ces.access import client_is_visible_to
from referrals import policy
from referrals.models import Referral, ShelterReferral, Vacancy
from referrals.selectors import appeal_route, contact_instruction


class VacancyOutput(serializers.ModelSerializer):
    program_id = serializers.IntegerField()

    class Meta:
        model = Vacancy
        fields = ["id", "program_id", "units", "note", "status", "created_at"]


class ReferredClient(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone_primary = serializers.CharField()


class AppealRouteOutput(serializers.Serializer):
    agency_id = serializers.IntegerField(help_text="First appeal: with this agency, under its appeal protocol.")
    agency_name = serializers.CharField()
    grievance_url = serializers.CharField(help_text="Then: a CE grievance to the Outcomes and Measurements Committee.")


class ReferralOutput(serializers.ModelSerializer):
    vacancy_id = serializers.IntegerField()
    program_id = serializers.IntegerField()
    bnl_entry_id = serializers.IntegerField(source="entry_id")
    label = serializers.CharField(source="entry.label")
    score = serializers.IntegerField(source="entry.score")
    contact = serializers.SerializerMethodField()
    client = serializers.SerializerMethodField()
    chronic_documentation = serializers.ListField(child=serializers.CharField())
    chronic_documentation_missing = serializers.SerializerMethodField()
    appeal = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "vacancy_id", "program_id", "bnl_entry_id", "rank", "label", "score", "status", "reason",
                  "justification", "created_at", "decided_at", "contact", "client", "chronic_documentation",
                  "chronic_documentation_missing", "appeal", "rejection_review", "rejection_review_note",
                  "rejection_reviewed_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_chronic_documentation_missing(self, referral: Referral) -> list[str]:
        """Checklist items still needed before a chronic-dedicated program may enrol (empty otherwise)."""
        done = set(referral.chronic_documentation or [])
        if not referral.program.requires_chronic:
            return []
        return [code for code in policy.CHRONIC_DOCUMENTATION_CODES if code not in done]

    @extend_schema_field(AppealRouteOutput(allow_null=True))
    def get_appeal(self, referral: Referral) -> dict | None:
        return appeal_route(referral)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact(self, referral: Referral) -> str | None:
        return contact_instruction(user=self.context["user"], entry=referral.entry) or None

    @extend_schema_field(ReferredClient(allow_null=True))
    def get_client(self, referral: Referral) -> dict | None:
        client = referral.entry.client
        if client is None or not client_is_visible_to(user=self.context["user"], client=client):
            return None
        return {"id": client.pk, "first_name": client.first_name, "last_name": client.last_name,
                "phone_primary": str(client.phone_primary or "")}


class RejectionRow(ReferralOutput):
    program_name = serializers.CharField(source="program.name")
    agency_name = serializers.CharField(source="program.agency.name")

    class Meta(ReferralOutput.Meta):
        fields = [*ReferralOutput.Meta.fields, "program_name", "agency_name"]


class PulledReferral(serializers.ModelSerializer):
    bnl_entry_id = serializers.IntegerField(source="entry_id")
    label = serializers.CharField(source="entry.label")
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "bnl_entry_id", "rank", "label", "contact"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact(self, referral: Referral) -> str | None:
        return contact_instruction(user=self.context["user"], entry=referral.entry) or None


class PullOutput(serializers.Serializer):
    pull_id = serializers.IntegerField()
    referrals = PulledReferral(many=True)


class ShelterReferralOutput(serializers.ModelSerializer):
    shelter_id = serializers.IntegerField()

    class Meta:
        model = ShelterReferral
        fields = ["id", "shelter_id", "status", "denied_reason"]
