"""The audit timeline's filters: one declaration for the screen, the CSV and the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from audit.models import AuditEvent
from ces.inputs import Choice, Day, Text, WholeNumber

UNTIL_BEFORE_SINCE = _("The end date is before the start date.")


class AuditFilter(serializers.Serializer):
    client = Text(max_length=30, help_text="A client id (42) or label (CP-000042).")
    user = Text(max_length=150, help_text="A username.")
    kind = Choice(AuditEvent.Kind.values, required=False, allow_blank=True)
    model = Text(max_length=100, help_text="app_label.model, e.g. bnl.bnlentry.")
    action = Text(max_length=30)
    since = Day(required=False, allow_null=True, default=None)
    until = Day(required=False, allow_null=True, default=None)
    q = Text(max_length=200)
    page = WholeNumber(min_value=1, max_value=100_000, default=1)

    def validate(self, values):
        if values.get("since") and values.get("until") and values["since"] > values["until"]:
            raise serializers.ValidationError({"until": [UNTIL_BEFORE_SINCE]})
        return values
