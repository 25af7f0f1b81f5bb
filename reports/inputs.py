"""The declared input of each reports action, bound by its screen and its API endpoint alike."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ces.inputs import Choice, Day, WholeNumber
from intake.policy import INDICATOR_POINTS
from reports import policy
from reports.periods import Period, default_period
from reports.whatif import tie_breaker_codes

START_AFTER_END = _("The start is after the end: swap the dates.")
PERIOD_TOO_LONG = _("Choose a period of at most ten years.")
EXPORT_PERIOD_NEEDED = _("Give both the first and the last day of the export.")


class PeriodInput(serializers.Serializer):
    """`start` and `end` (YYYY-MM-DD, both included); both omitted: the last twelve months."""

    start = Day(required=False, allow_null=True, default=None)
    end = Day(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start is None and end is None:
            fallback = default_period()
            start, end = fallback.start, fallback.end
        elif start is None:
            start = end.replace(day=1)
        elif end is None:
            end = max(start, default_period().end)
        if start > end:
            raise serializers.ValidationError({"start": [START_AFTER_END]})
        if (end - start).days + 1 > policy.MAX_PERIOD_DAYS:
            raise serializers.ValidationError({"end": [PERIOD_TOO_LONG]})
        return {"period": Period(start, end)}


class Flag(serializers.BooleanField):
    """A checkbox: "on", "true", "1" are yes; absent or empty is no."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return (True, False)
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if data == "on":
            return True
        return super().to_internal_value(data)


class WhatIfInput(serializers.Serializer):
    """A change to the list's policy to try out (nothing is saved, the live list is untouched).

    `tie_breakers`: the list policy's tie-breaker keys in the order to try
    (comma-separated, e.g. "placed_on_list_at,homeless_since");
    `indicator` + `points`: give a VAT indicator other points when it is scored;
    `chronic_first`: chronically homeless people above everyone else, then the order;
    `top`: how many places count as "the top" in the equity comparison.
    """

    tie_breakers = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    indicator = Choice(["", *INDICATOR_POINTS], required=False, default="")
    points = WholeNumber(min_value=0, max_value=policy.WHATIF_POINTS_MAX, required=False, allow_null=True, default=None)
    chronic_first = Flag()
    top = WholeNumber(min_value=1, max_value=policy.WHATIF_TOP_MAX, required=False, default=policy.WHATIF_TOP_DEFAULT)

    def validate(self, attrs):
        known = tie_breaker_codes()
        order = [code.strip() for code in attrs.get("tie_breakers", "").split(",") if code.strip()]
        if order and sorted(order) != sorted(known):
            raise serializers.ValidationError({"tie_breakers": [
                _("List each tie-breaker once, in the order to try: {codes}.").format(codes=", ".join(known))]})
        attrs["tie_breakers"] = order or list(known)
        if attrs.get("indicator") and attrs.get("points") is None:
            raise serializers.ValidationError({"points": [_("Give the points the indicator should be worth.")]})
        if not attrs.get("indicator"):
            attrs["points"] = None
        return attrs


class HmisExportInput(serializers.Serializer):
    start = Day()
    end = Day()
    include_unconsented = Flag()

    def validate(self, attrs):
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"start": [START_AFTER_END]})
        if (attrs["end"] - attrs["start"]).days + 1 > policy.MAX_PERIOD_DAYS:
            raise serializers.ValidationError({"end": [PERIOD_TOO_LONG]})
        return attrs
