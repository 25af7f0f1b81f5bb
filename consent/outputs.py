"""What the consent endpoints answer (api.md "Consent")."""

from rest_framework import serializers

from ces.models import ConsentRecord
from consent import policy
from consent.models import Disclosure


class ConsentOutput(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    method = serializers.SerializerMethodField()
    recorded_by = serializers.SerializerMethodField()
    recorded_by_agency = serializers.CharField(source="agency.initials")
    recorded_at = serializers.DateTimeField(source="taken_at")
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = ConsentRecord
        fields = ["id", "kind", "answer", "method", "effective_on", "expires_on", "recorded_by", "recorded_by_agency",
                  "recorded_at", "revoked_at", "expired_at", "scope", "scope_agency_ids", "script_read", "dv_offer_read",
                  "disability_notice_read", "in_force"]

    def get_kind(self, record: ConsentRecord) -> str:
        return policy.API_KIND_OF.get(record.kind, record.kind)

    def get_method(self, record: ConsentRecord) -> str:
        return policy.API_METHOD_OF.get(record.method, record.method)

    def get_recorded_by(self, record: ConsentRecord) -> str:
        return record.taken_by.get_full_name() or record.taken_by.username

    def get_in_force(self, record: ConsentRecord) -> bool:
        return record.in_force_on(self.context["today"])


class DisclosureOutput(serializers.ModelSerializer):
    disclosed_by = serializers.SerializerMethodField()

    class Meta:
        model = Disclosure
        fields = ["id", "basis", "disclosed_at", "disclosed_to", "information", "reason", "reference", "disclosed_by",
                  "recorded_at"]

    def get_disclosed_by(self, disclosure: Disclosure) -> str:
        return disclosure.disclosed_by.get_full_name() or disclosure.disclosed_by.username
