"""The declared input of each intake action (docs/architecture.md, "The path of an action").

One class per action, bound by its screen (request.POST) or its API endpoint
(request.data, request.query_params) with ces.inputs.bind, and read by the
OpenAPI schema. The intake's *answers* are driven by the question catalogue:
these inputs collect them as posted, and intake.validation parses each one
strictly (the services call it), so no view parses an answer itself.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ces.inputs import Choice, Day, IdOrNull, Text, check
from ces.ssn import SSN_NOT_NINE_DIGITS, ssn_normalize
from intake.questions import BY_CODE, FLAG
from intake.validation import DRAFT_ONLY_CODES, plausible_dob

CALL_LANGUAGES = ["en", "es"]
ANSWERS_NOT_AN_OBJECT = _("Send the answers as an object of question codes, e.g. {\"county\": \"nevada\"}.")
NAME_LIMIT = 100
REASON_LIMIT = 1000


def posted_answers(data) -> dict:
    """The call form's answers as typed: every question code present, plus the duplicate
    decision. A ticked checkbox posts its hidden 'false' and then 'true': the last one counts."""
    answers = {}
    many = hasattr(data, "getlist")
    for code in data:
        if code in BY_CODE:
            values = data.getlist(code) if many else [data[code]]
            if values:
                answers[code] = values[-1] if BY_CODE[code].type == FLAG else values[0]
        elif code in DRAFT_ONLY_CODES:
            answers[code] = data.getlist(code)[0] if many else data[code]
    return answers


class CallStartInput(serializers.Serializer):
    """Start a call: the language the questions are read in (default: the agent's own)."""

    call_language = Choice(CALL_LANGUAGES, required=False)


class CallFormInput(serializers.Serializer):
    """The call form as posted by autosave, Save and Finish: the answers typed so far."""

    call_language = Choice(CALL_LANGUAGES, required=False)
    action = Choice(["save", "complete"], required=False)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        values["answers"] = posted_answers(data)
        return values


class DiscardInput(serializers.Serializer):
    """Discard a draft: nothing to say but the draft itself (its id is in the URL)."""


class DvReferralMarkInput(serializers.Serializer):
    """The VSP's advocate records what became of a warm referral."""

    status = Choice(["new", "contacted", "closed"])


class AmendInput(serializers.Serializer):
    """Amend a completed intake: why, and the answers as corrected."""

    reason = Text(max_length=REASON_LIMIT)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        values["changes"] = {code: value for code, value in posted_answers(data).items() if code in BY_CODE}
        return values


@extend_schema_field({"type": "object", "additionalProperties": True,
                      "description": "Answers under the question codes of intake-and-vat.md."})
class AnswersObject(serializers.Field):
    """The intake's answers: one JSON object of question codes (each parsed by intake.validation)."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(ANSWERS_NOT_AN_OBJECT)  # not self.fail: the message holds braces
        return dict(data)

    def to_representation(self, value):
        return value


class IntakeInput(serializers.Serializer):
    """POST /api/v1/intakes/ (api.md, "Intake")."""

    client_id = IdOrNull(help_text="An existing client (the duplicate check's answer), or null for a new person.")
    answers = AnswersObject()
    update_identity = serializers.BooleanField(
        default=False,
        help_text="With client_id: replace the name, DOB and SSN on file when the answers differ "
                  "(only for a person the user may see). Otherwise differing identity answers are kept "
                  "as on file and listed in identity_kept.",
    )


class SsnQuery(Text):
    """An SSN to look for: digits with optional spaces or dashes, nine digits in all."""

    def __init__(self, **kwargs):
        super().__init__(max_length=20, **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data).strip()
        if not text:
            return ""
        digits = ssn_normalize(text)
        if len(digits) != 9 or any(ch not in "0123456789 -" for ch in text):
            raise serializers.ValidationError(SSN_NOT_NINE_DIGITS)
        return digits


class DuplicateQuery(serializers.Serializer):
    """The duplicate check (intake-and-vat.md, "Duplicate check"): the API's query and the form's STOP box."""

    first_name = Text(max_length=NAME_LIMIT)
    last_name = Text(max_length=NAME_LIMIT)
    dob = Day(past_only=True, required=False, allow_null=True, default=None)
    ssn = SsnQuery()


def stop_box_query(answers: Mapping[str, object]) -> dict | None:
    """The duplicate check's query from a draft's answers, or None while there is nothing to check yet.

    Partial input shows nothing yet: a date of birth that is not yet a whole, plausible
    date (1900..today) waits; an SSN counts once it has nine digits."""
    raw_dob = answers.get("dob")
    dob = plausible_dob(raw_dob)
    if raw_dob not in (None, "") and dob is None:
        return None
    ssn = ssn_normalize(answers.get("ssn") if isinstance(answers.get("ssn"), str) else "")
    query = {
        "first_name": answers.get("first_name") if isinstance(answers.get("first_name"), str) else "",
        "last_name": answers.get("last_name") if isinstance(answers.get("last_name"), str) else "",
        "dob": dob.isoformat() if dob else None,
        "ssn": ssn if len(ssn) == 9 else "",
    }
    if not (query["first_name"].strip() or query["last_name"].strip() or query["ssn"]):
        return None
    values, errors = check(DuplicateQuery, query)
    return None if errors else values
