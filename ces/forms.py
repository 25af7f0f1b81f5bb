"""The declared inputs of the shared core's own actions (docs/architecture.md, "The path of an
action"), built from the strict fields of ces.inputs and bound with ces.inputs.bind / check by
the screen (request.POST) and the API (request.data); drf-spectacular reads them for the schema."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ces.inputs import Day, Text, WholeNumber

SEARCH_MAX_PAGE = 10_000


class ClientSearchInput(serializers.Serializer):
    """The client search: by name, label (CP-000123) or SSN, and/or date of birth.

    The screen's form posts it, so an SSN is never part of a URL (docs/security.md, "Logs")."""

    q = Text(max_length=100, label=_("Name, label (e.g. CP-000123) or SSN"))
    dob = Day(
        past_only=True, required=False, allow_null=True, default=None, label=_("Date of birth"),
        error_messages={"invalid": _("Enter the date of birth as YYYY-MM-DD."), "datetime": _("Enter the date of birth as YYYY-MM-DD.")},
    )
    page = WholeNumber(min_value=1, max_value=SEARCH_MAX_PAGE, required=False, default=1)


class TokenInput(serializers.Serializer):
    """`POST /api/v1/auth/token/` (api.md): the person's own username and password."""

    username = Text(max_length=150, required=True)
    password = Text(max_length=256, required=True, trim_whitespace=False, style={"input_type": "password"})
