"""Strict parsing in one place: the declared inputs of every action.

Each action has one input class (a DRF serializer built from these fields)
that its screen binds to `request.POST`, its API endpoint to `request.data`,
and drf-spectacular reads for the OpenAPI schema. The fields here refuse
what the database cannot store or a person cannot mean:

- ids: ASCII digits only, 1 to 18 of them (no "²", no "٣", no 4,000-digit numbers);
- whole numbers and amounts within stated bounds;
- text without NUL bytes or lone surrogates, always with a maximum length;
- dates between 1900 and 2100 (a date of birth also not after today), and
  timestamps with offsets that PostgreSQL can store.

`bind(Input, data)` validates and returns the values, or raises
ces.errors.Invalid with the messages keyed by field.
"""

import re
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from ces.errors import NON_FIELD, Invalid

ID_PATTERN = r"[0-9]{1,18}"
_ID = re.compile(rf"^{ID_PATTERN}$")
_WHOLE = re.compile(r"^-?[0-9]{1,18}$")
MAX_ID = 10**18 - 1
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)

NOT_AN_ID = _("Send the number of an existing record (digits only).")
NOT_A_WHOLE_NUMBER = _("Enter a whole number.")
NUMBER_TOO_SMALL = _("Enter a number of at least {low}.")
NUMBER_TOO_LARGE = _("Enter a number of at most {high}.")
NOT_A_DATE = _("Enter a date as YYYY-MM-DD, e.g. 2026-03-04.")
DATE_TOO_EARLY = _("This date is too far in the past: check the year.")
DATE_TOO_LATE = _("This date is too far in the future: check the year.")
DATE_IN_FUTURE = _("This date is in the future.")
NOT_A_MOMENT = _("Enter a date and time as YYYY-MM-DDTHH:MM, with an offset such as -08:00 if you can.")
BAD_CHARACTERS = _("This text contains characters that cannot be stored (a NUL byte or a broken character).")
NOT_TEXT = _("Send text here.")


def text_is_storable(value: str) -> bool:
    """False for NUL bytes and lone surrogates (PostgreSQL refuses both)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_id(value: Any) -> int | None:
    """An id from a URL, a form or JSON: ASCII digits (or a JSON integer) in range; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if isinstance(value, str) and _ID.match(value):
        number = int(value)
        return number if number >= 1 else None
    return None


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class Id(serializers.Field):
    """The id of a record, as a JSON integer or a string of ASCII digits."""

    default_error_messages = {"invalid": NOT_AN_ID}

    def to_internal_value(self, data):
        number = parse_id(data)
        if number is None:
            self.fail("invalid")
        return number

    def to_representation(self, value):
        return int(value)


class IdOrNull(Id):
    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":  # an empty <select> in a form
            return (True, None)
        return super().validate_empty_values(data)


class WholeNumber(serializers.IntegerField):
    """A whole number between `min_value` and `max_value` (both required), ASCII digits only."""

    default_error_messages = {
        "invalid": NOT_A_WHOLE_NUMBER,
        "min_value": NUMBER_TOO_SMALL,
        "max_value": NUMBER_TOO_LARGE,
    }

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        self.error_messages["min_value"] = str(NUMBER_TOO_SMALL).format(low=min_value)
        self.error_messages["max_value"] = str(NUMBER_TOO_LARGE).format(high=max_value)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            number = data
        elif isinstance(data, str) and _WHOLE.match(data.strip()):
            number = int(data.strip())
        else:
            self.fail("invalid")
        if number < self.min_value:
            self.fail("min_value")
        if number > self.max_value:
            self.fail("max_value")
        return number


class Text(serializers.CharField):
    """Text with a maximum length (required). NUL bytes and lone surrogates are refused
    (DRF's CharField already refuses both; stated here so no input forgets a length)."""

    default_error_messages = {"invalid": NOT_TEXT}

    def __init__(self, *, max_length: int, required: bool = False, **kwargs):
        kwargs.setdefault("allow_blank", not required)
        if not required:
            kwargs.setdefault("default", "")
        super().__init__(max_length=max_length, required=required, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, (bool, dict, list)):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not text_is_storable(value):
            raise serializers.ValidationError(BAD_CHARACTERS)
        return value


class Day(serializers.DateField):
    """A date between 1900 and 2100 (`past_only`: not after today), as YYYY-MM-DD."""

    default_error_messages = {"invalid": NOT_A_DATE, "datetime": NOT_A_DATE}

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "" and not self.required:  # an empty date input of a form
            if self.default is not serializers.empty:
                return (True, self.get_default())
            if self.allow_null:
                return (True, None)
            raise SkipField()
        return super().validate_empty_values(data)

    def to_internal_value(self, value):
        if not isinstance(value, (str, date)) or isinstance(value, datetime):
            self.fail("invalid")
        day = super().to_internal_value(value.strip() if isinstance(value, str) else value)
        if day < EARLIEST_DATE:
            raise serializers.ValidationError(DATE_TOO_EARLY)
        if day > LATEST_DATE:
            raise serializers.ValidationError(DATE_TOO_LATE)
        if self.past_only and day > timezone.localdate():
            raise serializers.ValidationError(DATE_IN_FUTURE)
        return day


class Moment(serializers.DateTimeField):
    """A timestamp between 1900 and 2100, ISO 8601; without an offset it is read in the CoC's time zone."""

    default_error_messages = {"invalid": NOT_A_MOMENT, "date": NOT_A_MOMENT, "overflow": DATE_TOO_EARLY}

    def to_internal_value(self, value):
        if not isinstance(value, (str, datetime)):
            self.fail("invalid")
        moment = super().to_internal_value(value)
        local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        if local.date() < EARLIEST_DATE:
            raise serializers.ValidationError(DATE_TOO_EARLY)
        if local.date() > LATEST_DATE:
            raise serializers.ValidationError(DATE_TOO_LATE)
        return moment


class Choice(serializers.ChoiceField):
    """One of the listed codes; the message names them."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, **kwargs)
        codes = ", ".join(str(code) for code in self.choices)
        self.error_messages["invalid_choice"] = _("Choose one of: {codes}.").format(codes=codes)


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"field": ["message"]}.

    Nested objects are keyed "outer.inner"; errors of a list's items stay under the list's name.
    """
    flat: dict[str, list[str]] = {}

    def add(name: str, message) -> None:
        flat.setdefault(name or NON_FIELD, []).append(str(message))

    def walk(value, name: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                    walk(item, name)  # an item of a list
                elif key in ("non_field_errors", "__all__"):
                    walk(item, name)
                else:
                    walk(item, f"{name}.{key}" if name else str(key))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, name)
        else:
            add(name, value)

    walk(detail, prefix)
    return flat


def bind(input_class: type[serializers.Serializer], data, **context) -> dict:
    """Validate `data` (a QueryDict from a form, or parsed JSON) against the declared input.

    Returns the validated values; raises ces.errors.Invalid with messages keyed by field.
    """
    if not hasattr(data, "get"):  # JSON that is not an object
        raise Invalid({NON_FIELD: [_("Send a JSON object with the fields of this action.")]})
    serializer = input_class(data=data, context=context)
    if not serializer.is_valid():
        raise Invalid(_flatten(serializer.errors))
    return dict(serializer.validated_data)


def check(input_class: type[serializers.Serializer], data, **context) -> tuple[dict, dict[str, list[str]]]:
    """Like bind, for filters of a page that shows its own errors: (values, errors)."""
    try:
        return bind(input_class, data, **context), {}
    except Invalid as invalid:
        return {}, invalid.texts()
