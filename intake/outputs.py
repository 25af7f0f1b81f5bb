"""What the intake endpoints answer (api.md, "Intake"), as serializers so the OpenAPI schema
states exactly what is sent. Personal data only where ces.access allows (the duplicate
check's candidates carry a name, DOB and SSN last 4 only for people the user may see)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from intake.policy import INDICATOR_POINTS

# Appendix B order: one integer per indicator, exactly these keys (api.md).
IndicatorsOutput = type(
    "IndicatorsOutput",
    (serializers.Serializer,),
    {code: serializers.IntegerField(default=0) for code in INDICATOR_POINTS},
)


class ScoreOutput(serializers.Serializer):
    total = serializers.IntegerField()
    subtotal = serializers.IntegerField()
    case_management = serializers.IntegerField()
    indicators = serializers.SerializerMethodField()

    @extend_schema_field(IndicatorsOutput)
    def get_indicators(self, assessment) -> dict:
        return {code: assessment.indicators.get(code, 0) for code in INDICATOR_POINTS}


class AssessmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    score = ScoreOutput(source="*")
    chronically_homeless = serializers.BooleanField()


class ClientRef(serializers.Serializer):
    id = serializers.IntegerField()


class BnlEntryRef(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class ShelterEligibilityOutput(serializers.Serializer):
    shelter_id = serializers.IntegerField(source="shelter.pk")
    name = serializers.CharField(source="shelter.name")
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class IntakeOutput(serializers.Serializer):
    """201 of POST /api/v1/intakes/ (an intake.services.IntakeResult)."""

    intake_id = serializers.IntegerField(source="intake.pk")
    client = ClientRef(allow_null=True)
    assessment = AssessmentOutput(allow_null=True)
    bnl_entry = BnlEntryRef(allow_null=True)
    shelter_eligibility = ShelterEligibilityOutput(many=True)
    outcome = serializers.CharField(source="intake.outcome")
    is_late = serializers.BooleanField(source="intake.is_late")
    identity_kept = serializers.ListField(
        child=serializers.CharField(),
        help_text="Identity answers (names, DOB, SSN and their data quality) that were not applied to the "
                  "existing person: they differ from the record and update_identity was not true, or the "
                  "user may not see the person (then every identity answer given is listed, whatever the record holds).",
    )
    person_left_alone = serializers.BooleanField(
        help_text="True when client_id names a person the user may not see: the assessment is attached, "
                  "but none of their personal data or consents were changed.",
    )


class CandidateOutput(serializers.Serializer):
    """One likely existing client. `name`, `dob` and `ssn_last4` only when the user may see the person."""

    client_id = serializers.IntegerField(source="client.pk")
    score = serializers.FloatField()
    label = serializers.CharField(source="client.label")
    name = serializers.CharField(source="client.full_name", required=False)
    dob = serializers.DateField(source="client.dob", allow_null=True, required=False)
    ssn_last4 = serializers.CharField(source="client.ssn_last4", required=False)

    def to_representation(self, candidate):
        data = super().to_representation(candidate)
        data["score"] = round(candidate.score, 3)
        if not candidate.visible:
            for name in ("name", "dob", "ssn_last4"):
                data.pop(name, None)
        return data
