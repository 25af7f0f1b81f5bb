"""The declared input of each referral action: one class per action, bound by its screen
(request.POST), its API endpoint (request.data) and read by the OpenAPI schema."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import html

from ces.inputs import Choice, Id, Text, WholeNumber
from referrals import policy
from referrals.models import Referral


class WholeNumberOrDefault(WholeNumber):
    """Absent: the default. Sent empty (a form's cleared box, or "" in JSON): refused at both doors
    alike, like any other text that is not a number (DRF would take a form's "" as absent)."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class VacancyInput(serializers.Serializer):
    units = WholeNumberOrDefault(min_value=policy.VACANCY_MIN_UNITS, max_value=policy.VACANCY_MAX_UNITS, default=1)
    note = Text(max_length=500)


class PullInput(serializers.Serializer):
    # Absent: as many as the vacancy has room for (five per open bed/unit).
    count = WholeNumberOrDefault(min_value=1, max_value=policy.MAX_OPEN_REFERRALS_PER_UNIT * policy.VACANCY_MAX_UNITS,
                                 required=False)


class Codes(serializers.MultipleChoiceField):
    """Several codes from a list (a JSON list, or a form's repeated checkboxes); none is an empty list."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(choices=choices, **kwargs)
        codes = ", ".join(str(code) for code in self.choices)
        self.error_messages["invalid_choice"] = _("Choose from: {codes}.").format(codes=codes)
        self.error_messages["not_a_list"] = _("Send a list of codes from: {codes}.").format(codes=codes)

    def to_internal_value(self, data):
        return sorted(super().to_internal_value(data))


class ChronicDocumentationInput(serializers.Serializer):
    items = Codes(policy.CHRONIC_DOCUMENTATION_CODES)
    note = Text(max_length=2000)


class RejectionReviewInput(serializers.Serializer):
    finding = Choice(policy.REJECTION_REVIEW_CODES)
    note = Text(max_length=2000)


class RejectionReviewFilter(serializers.Serializer):
    reviewed = Choice(["yes", "no", "all"], required=False)


class DecisionInput(serializers.Serializer):
    outcome = Choice(policy.DECISION_OUTCOMES)
    reason = Text(max_length=40)
    justification = Text(max_length=2000)


class ShelterStatusInput(serializers.Serializer):
    status = Choice(policy.SHELTER_OUTCOMES)
    reason = Text(max_length=300)


class WalkInInput(serializers.Serializer):
    name = Text(max_length=200, required=True)
    note = Text(max_length=2000)


class ReferralFilter(serializers.Serializer):
    program = Id(required=False)
    status = Choice(Referral.Status.values, required=False)
