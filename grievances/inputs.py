"""The declared input of each complaint and grievance action: one class per action, bound by its
screen (request.POST), its API endpoint (request.data) and read by the OpenAPI schema.

Free text is plain text: anything that looks like HTML or script (`<script>`, `<img ...>`,
`javascript:`) is refused with a message, on the public page and for staff alike.
"""

import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

from ces.inputs import Choice, Day, IdOrNull, Text, WholeNumber
from grievances import policy
from grievances.models import Channel, Grievance, Language, Letter, TitleViComplaint

LOOKS_LIKE_CODE = _("Remove the code from this text (for example <script> or other text between < and >): write in plain words.")
NOT_YES_OR_NO = _("Answer yes or no.")
NOT_A_PHONE = _("Write a phone number with digits, spaces, ( ) + - or x only.")
NOT_AN_EMAIL = _("Write an email address such as name@example.org.")
UNKNOWN_CODES = _("Choose from: {codes}.")

# The names ces.web.show_errors puts before a field's message ("Bases: ..."), translated there.
FIELD_NAMES = (
    _("Complainant name"), _("Address"), _("Phone home"), _("Phone work"), _("Phone cell"), _("Phone"), _("Email"),
    _("Language"), _("Accessible format"), _("Interpreter"), _("Description"), _("Signature name"), _("Signed on"),
    _("On own behalf"), _("Third party name"), _("Third party relationship"), _("Third party reason"),
    _("Third party permission"), _("Bases"), _("Incident date"), _("People involved"), _("Accommodation request"),
    _("Agency id"), _("Program id"), _("Referral id"), _("Client id"), _("Investigator id"), _("Previously filed here"),
    _("Filed elsewhere"), _("Filed elsewhere with"), _("Other contact name"), _("Other contact title"),
    _("Other contact agency"), _("Other contact address"), _("Other contact phone"), _("Confirmation"), _("Attachments"),
    _("Received on"), _("Channel"), _("Denial date"), _("Communicated by"), _("Tried with program"), _("Program answer"),
    _("Previously filed"), _("Previously filed dates"), _("On"), _("Note"), _("Requested"), _("Outcome"), _("Summary"),
    _("Interviews"), _("Actions"), _("Grounds"), _("Decision"), _("For"), _("Against"), _("Abstain"), _("To"), _("Date"),
    _("Location"), _("Reason"), _("Status"),
)

# A tag (<b, </p, <!--, <?php), an event handler or a javascript: link: not something a complaint needs.
_CODE = re.compile(r"<\s*[a-zA-Z/!?]|\bjavascript\s*:|\bon[a-z]+\s*=\s*[\"']", re.IGNORECASE)
_PHONE = re.compile(r"^[0-9 ()+.\-xX]*$")


class PlainText(Text):
    """Text without markup or script (and, like every Text, without NUL bytes, with a length limit)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip()
        if _CODE.search(value):
            raise serializers.ValidationError(LOOKS_LIKE_CODE)
        return value


class Phone(PlainText):
    def __init__(self, **kwargs):
        super().__init__(max_length=40, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not _PHONE.match(value) or (value and not re.search(r"\d", value)):
            raise serializers.ValidationError(NOT_A_PHONE)
        return value


class Email(serializers.EmailField):
    default_error_messages = {"invalid": NOT_AN_EMAIL}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(max_length=254, **kwargs)


class YesNo(serializers.BooleanField):
    """Yes or no (a JSON boolean, or a form's yes/no/true/false/on)."""

    default_error_messages = {"invalid": NOT_YES_OR_NO}


class YesNoOrNull(YesNo):
    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":  # the "not answered" choice of a form
            return (True, None)
        return super().validate_empty_values(data)


class Codes(serializers.MultipleChoiceField):
    """Several codes from a list (a JSON list, or a form's repeated checkboxes)."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(choices=choices, **kwargs)
        codes = ", ".join(str(code) for code in self.choices)
        self.error_messages["invalid_choice"] = str(UNKNOWN_CODES).format(codes=codes)
        self.error_messages["not_a_list"] = str(UNKNOWN_CODES).format(codes=codes)


def _today():
    return timezone.localdate()


def _letter_date(**kwargs):
    """The date of the letter an action makes. Not given: today, or the case's last event if that
    is later (grievances.services._on_or_after)."""
    return Day(required=False, allow_null=True, default=None, **kwargs)


# --- filing ---------------------------------------------------------------------------


class ContactInput(serializers.Serializer):
    """Section I of both forms: who is complaining and how to reach them."""

    complainant_name = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    address = PlainText(max_length=1000)
    phone_home = Phone()
    phone_work = Phone()
    phone_cell = Phone()
    email = Email()
    language = Choice(Language.choices, required=False, default=Language.ENGLISH)
    accessible_format = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)
    interpreter = PlainText(max_length=100)
    description = PlainText(max_length=policy.DESCRIPTION_MAX_CHARS)
    signature_name = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    signed_on = Day(past_only=True, required=False, allow_null=True, default=None)


class StaffFilingInput(serializers.Serializer):
    """What staff add when they enter a form: when and how it came, who helped, whose record it is."""

    received_on = Day(required=False, default=_today, help_text="Today if not given.")
    channel = Choice(Channel.choices, required=False, default=Channel.IN_PERSON,
                     help_text="How the form reached us (public_web is for the public page only).")
    assisted = YesNo(required=False, default=False, help_text="Staff wrote the complaint for someone unable to write it.")
    client_id = IdOrNull()


class TitleViFormInput(ContactInput):
    """Sections II–V of the Title VI / discrimination complaint form."""

    on_own_behalf = YesNo(required=False, default=True)
    third_party_name = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    third_party_relationship = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    third_party_reason = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)
    third_party_permission = YesNoOrNull()
    bases = Codes(policy.BASES)
    incident_date = Day(required=False, allow_null=True, default=None, help_text="Not after the day it was received.")
    people_involved = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)
    accommodation_request = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)
    agency_id = IdOrNull()
    previously_filed_here = YesNoOrNull()
    filed_elsewhere = YesNoOrNull()
    filed_elsewhere_with = Codes(policy.OTHER_FILINGS)
    other_contact_name = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    other_contact_title = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    other_contact_agency = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    other_contact_address = PlainText(max_length=1000)
    other_contact_phone = Phone()


class TitleViInput(TitleViFormInput, StaffFilingInput):
    """A complaint entered by CoC staff or the committee (screen and API)."""


class PublicTitleViInput(TitleViFormInput):
    """The same form on the public page /complaints/, without an account."""

    confirmation = YesNo(required=False, default=False,
                         help_text="I believe the above information is true and correct to the best of my knowledge.")
    leave_blank = Text(max_length=200, help_text="Left empty by people; filled by robots.")


class GrievanceFormInput(ContactInput):
    """The Coordinated Entry grievance form (Appendix E)."""

    phone = Phone()
    agency_id = IdOrNull()
    program_id = IdOrNull()
    referral_id = IdOrNull()
    denial_date = Day(required=False, allow_null=True, default=None, help_text="Not after the day it was received.")
    communicated_by = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)
    previously_filed = YesNoOrNull()
    previously_filed_dates = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    tried_with_program = YesNoOrNull()
    program_answer = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)


class GrievanceInput(GrievanceFormInput, StaffFilingInput):
    """A grievance entered by CoC staff or the committee (screen and API)."""


def amend_input(base: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The same fields, each optional without a default: only what is sent changes."""
    fields = {}
    for field_name, field in base().fields.items():
        if field_name in ("received_on", "channel", "assisted", "client_id", "confirmation", "leave_blank"):
            continue
        kwargs = {**field._kwargs, "required": False, "default": empty}
        fields[field_name] = type(field)(*field._args, **kwargs)
    fields["reason"] = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS, help_text="Why the record is changed (kept in its history).")
    return type(name, (serializers.Serializer,), fields)


TitleViAmendInput = amend_input(TitleViFormInput, "TitleViAmendInput")
GrievanceAmendInput = amend_input(GrievanceFormInput, "GrievanceAmendInput")


# --- Title VI actions -------------------------------------------------------------------


class AcceptInput(serializers.Serializer):
    on = _letter_date(help_text="The date of the acknowledgment letter (today if not given).")
    investigator_id = IdOrNull()
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)


class DeclineInput(serializers.Serializer):
    on = _letter_date()
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS, help_text="Why this office has no jurisdiction.")


class RequestInfoInput(serializers.Serializer):
    on = _letter_date(help_text="The date of the letter; the 15 business days count from it.")
    requested = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS, help_text="What the complainant is asked to send.")


class InfoReceivedInput(serializers.Serializer):
    on = _letter_date()
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)


CLOSE_OUTCOMES = ["no_violation", "finding", "administrative"]


class CloseInput(serializers.Serializer):
    outcome = Choice(CLOSE_OUTCOMES)
    on = _letter_date()
    summary = PlainText(max_length=policy.DESCRIPTION_MAX_CHARS, help_text="The allegations, as the letter summarises them.")
    interviews = PlainText(max_length=policy.DESCRIPTION_MAX_CHARS, help_text="Letter of finding: the interviews.")
    actions = PlainText(max_length=policy.DESCRIPTION_MAX_CHARS,
                        help_text="Letter of finding: disciplinary action, training or other action.")
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)


class WithdrawInput(serializers.Serializer):
    on = _letter_date()
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)


class AppealInput(serializers.Serializer):
    received_on = _letter_date(help_text="When the appeal was received (today if not given).")
    grounds = PlainText(max_length=policy.DESCRIPTION_MAX_CHARS)


class AppealDecisionInput(serializers.Serializer):
    on = _letter_date()
    decision = PlainText(max_length=policy.DESCRIPTION_MAX_CHARS, required=True)


class LinkClientInput(serializers.Serializer):
    client_id = IdOrNull(help_text="The complainant's record (empty to unlink).")


# --- grievance actions --------------------------------------------------------------------


class RespondInput(serializers.Serializer):
    on = _letter_date()
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS, help_text="What the committee answers (in the letter).")


class VoteInput(serializers.Serializer):
    """The Board vote: counts for, against and abstaining, and the decision. ("for" is the JSON key.)"""

    against = WholeNumber(min_value=0, max_value=policy.VOTES_MAX)
    abstain = WholeNumber(min_value=0, max_value=policy.VOTES_MAX, required=False, default=0)
    decision = PlainText(max_length=policy.DESCRIPTION_MAX_CHARS, required=True)
    outcome = Choice(Grievance.Outcome.choices, required=False, default=Grievance.Outcome.OTHER)
    on = _letter_date(help_text="The date of the vote (today if not given).")

    def get_fields(self):
        fields = super().get_fields()
        return {"for": WholeNumber(min_value=0, max_value=policy.VOTES_MAX), **fields}

    def validate(self, attrs):
        attrs = dict(attrs)
        attrs["votes_for"] = attrs.pop("for")
        attrs["votes_against"] = attrs.pop("against")
        attrs["votes_abstain"] = attrs.pop("abstain")
        return attrs


class GrievanceAppealInput(serializers.Serializer):
    to = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS, required=True,
                   help_text="The funding agency or board the person appealed to.")
    on = _letter_date(help_text="When (today if not given).")


class MeetingInput(serializers.Serializer):
    date = Day()
    location = PlainText(max_length=policy.SHORT_TEXT_MAX_CHARS)
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS)


# --- letters and flags ----------------------------------------------------------------------


class LetterSentInput(serializers.Serializer):
    sent_channel = Choice(Letter.SentChannel.choices)


class FlagReviewInput(serializers.Serializer):
    note = PlainText(max_length=policy.LONG_TEXT_MAX_CHARS, required=True, help_text="What the review found.")


class ComplaintFilter(serializers.Serializer):
    status = Choice(TitleViComplaint.Status.choices, required=False)


class GrievanceFilter(serializers.Serializer):
    status = Choice(Grievance.Status.choices, required=False)
