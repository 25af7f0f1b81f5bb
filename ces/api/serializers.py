"""What the core's API endpoints answer (and the agencies' and programs' editable shapes)."""

from rest_framework import serializers

from ces.models import Agency, Client, Program


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="The key, shown this once: only a hash of it is stored.")
    expiry = serializers.DateTimeField(allow_null=True, help_text="When the token stops working.")


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "initials", "kind", "is_vsp", "hmis_participating", "phone", "address", "is_active"]


class ProgramCriteriaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = list(Program.CRITERIA_FIELDS)


class ProgramSerializer(serializers.ModelSerializer):
    agency_id = serializers.PrimaryKeyRelatedField(source="agency", queryset=Agency.objects.all())
    counties = serializers.ListField(
        child=serializers.ChoiceField(choices=Program._meta.get_field("counties").base_field.choices),
        allow_empty=True,
    )
    criteria = ProgramCriteriaSerializer(source="*", required=False)

    class Meta:
        model = Program
        fields = ["id", "name", "type", "agency_id", "counties", "criteria", "is_active", "engagement_policy", "lost_contact_months"]


class ClientOutput(serializers.ModelSerializer):
    """A client's personal data: only ever built for a client fetched through ces.access."""

    label = serializers.CharField(read_only=True)
    holding_agency_id = serializers.IntegerField(read_only=True)
    ssn_last4 = serializers.CharField(read_only=True)
    phone_primary = serializers.CharField(read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "label",
            "holding_agency_id",
            "first_name",
            "middle_name",
            "last_name",
            "name_data_quality",
            "dob",
            "dob_data_quality",
            "ssn_last4",
            "ssn_data_quality",
            "phone_primary",
            "email",
            "preferred_language",
            "hmis_consent",
            "voicemail_consent",
            "text_consent",
            "worker_alert",
        ]
        read_only_fields = fields
