"""What the complaint, grievance and meeting endpoints answer (api.md, "Grievances and Title VI
complaints"). Only CoC staff and the committee reach these (the selectors refuse everyone else).
Pass `context={"request": request}` for absolute letter URLs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from grievances.completeness import case_missing
from grievances.models import Attachment, CommitteeMeeting, Grievance, Letter, RetaliationFlag, TitleViComplaint

DEADLINE_FIELDS_COMPLAINT = {"investigation": "investigation_due", "information": "information_due", "appeal": "appeal_due"}
DEADLINE_FIELDS_GRIEVANCE = {"committee_response": "committee_response_due"}


class LetterOutput(serializers.ModelSerializer):
    date = serializers.DateField(source="dated")
    version = serializers.IntegerField(source="document.version")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = ["id", "kind", "language", "date", "version", "url", "sent_at", "sent_channel"]

    @extend_schema_field(serializers.CharField())
    def get_url(self, letter: Letter) -> str:
        return reverse("api-grievances-letter", args=[letter.pk], request=self.context.get("request"))


class MissingOutput(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class AttachmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "created_at"]


class FlagOutput(serializers.ModelSerializer):
    class Meta:
        model = RetaliationFlag
        fields = ["id", "record_type", "record_id", "changed_at", "change", "reason", "reviewed_at", "review_note"]


class _CaseOutput(serializers.ModelSerializer):
    deadlines = serializers.SerializerMethodField()
    letters = LetterOutput(many=True, read_only=True)
    missing = serializers.SerializerMethodField()
    attachments = AttachmentOutput(many=True, read_only=True)
    retaliation_flags = FlagOutput(many=True, read_only=True)
    reference = serializers.CharField()
    client_id = serializers.IntegerField(allow_null=True)
    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    assisted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    deadline_fields: dict[str, str] = {}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "date"}})
    def get_deadlines(self, case) -> dict:
        return {name: getattr(case, field).isoformat() for name, field in self.deadline_fields.items() if getattr(case, field)}

    @extend_schema_field(MissingOutput(many=True))
    def get_missing(self, case) -> list[dict]:
        return [{"field": field, "message": str(message)} for field, message in case_missing(case)]


CONTACT = ["complainant_name", "address", "phone_home", "phone_work", "phone_cell", "email", "language", "accessible_format",
           "interpreter"]
FILING = ["description", "signature_name", "signed_on", "received_on", "channel", "filed_by", "assisted_by", "client_id",
          "closed_on", "created_at"]


class ComplaintOutput(_CaseOutput):
    agency_id = serializers.IntegerField(allow_null=True)
    investigator = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    deadline_fields = DEADLINE_FIELDS_COMPLAINT

    class Meta:
        model = TitleViComplaint
        fields = ["id", "reference", "status", "deadlines", "letters", "missing", *CONTACT, *FILING, "on_own_behalf",
                  "third_party_name", "third_party_relationship", "third_party_reason", "third_party_permission", "bases",
                  "incident_date", "people_involved", "accommodation_request", "agency_id", "previously_filed_here",
                  "filed_elsewhere", "filed_elsewhere_with", "other_contact_name", "other_contact_title", "other_contact_agency",
                  "other_contact_address", "other_contact_phone", "investigator", "accepted_on", "jurisdiction_note",
                  "information_requested", "information_requested_on", "information_overdue_at", "information_received_on",
                  "summary", "interviews", "actions", "outcome_letter_on", "appeal_received_on", "appeal_grounds",
                  "appeal_decision", "appeal_decided_on", "closure_note", "attachments", "retaliation_flags"]


class GrievanceOutput(_CaseOutput):
    agency_id = serializers.IntegerField(allow_null=True)
    program_id = serializers.IntegerField(allow_null=True)
    referral_id = serializers.IntegerField(allow_null=True)
    meeting_id = serializers.IntegerField(allow_null=True)
    meeting_date = serializers.DateField(source="meeting.date", allow_null=True, default=None)
    vote = serializers.SerializerMethodField()
    responded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    deadline_fields = DEADLINE_FIELDS_GRIEVANCE

    class Meta:
        model = Grievance
        fields = ["id", "reference", "status", "deadlines", "meeting_id", "meeting_date", "letters", "missing", *CONTACT, *FILING,
                  "agency_id", "program_id", "referral_id", "denial_date", "communicated_by", "previously_filed",
                  "previously_filed_dates", "tried_with_program", "program_answer", "responded_on", "responded_by",
                  "response_note", "vote", "appeal_to", "appeal_on", "closure_note", "attachments", "retaliation_flags"]

    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "for": {"type": "integer"}, "against": {"type": "integer"}, "abstain": {"type": "integer"},
        "decision": {"type": "string"}, "outcome": {"type": "string"}, "on": {"type": "string", "format": "date"}}})
    def get_vote(self, grievance: Grievance) -> dict | None:
        if grievance.decided_on is None:
            return None
        return {"for": grievance.votes_for, "against": grievance.votes_against, "abstain": grievance.votes_abstain,
                "decision": grievance.decision, "outcome": grievance.outcome, "on": grievance.decided_on.isoformat()}


class AgendaItemOutput(serializers.ModelSerializer):
    grievance_id = serializers.IntegerField(source="id")
    status = serializers.CharField(help_text="The grievance's status (see GrievanceOutput).")
    reference = serializers.CharField()
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)

    class Meta:
        model = Grievance
        fields = ["grievance_id", "reference", "status", "complainant_name", "agency", "received_on", "decided_on"]


class MeetingOutput(serializers.ModelSerializer):
    agenda = AgendaItemOutput(many=True, read_only=True)

    class Meta:
        model = CommitteeMeeting
        fields = ["id", "date", "location", "note", "agenda"]
