"""The declared input of each consent action, bound by its screen (request.POST) and its API
endpoint (request.data). The API's kind and method names (api.md) map to the stored codes."""

import base64
import binascii

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ces.choices import YesNo
from ces.inputs import Choice, Day, Id, Moment, Text
from ces.models import ConsentRecord
from consent import policy
from consent.models import Disclosure

NOT_BASE64 = _("Send the signature image as base64 (PNG or JPEG).")
_ANSWERS = [YesNo.YES, YesNo.NO, YesNo.REFUSED]


class KindChoice(Choice):
    def to_internal_value(self, data):
        return policy.API_KINDS[super().to_internal_value(data)]


class MethodChoice(Choice):
    def to_internal_value(self, data):
        return policy.API_METHODS[super().to_internal_value(data)]


@extend_schema_field({"type": "string", "format": "byte", "description": "PNG or JPEG, base64"})
class SignatureImage(serializers.Field):
    """An uploaded image (the screen) or base64 text (the API): the bytes."""

    default_error_messages = {"invalid": NOT_BASE64}

    def to_internal_value(self, data) -> bytes:
        if hasattr(data, "read"):
            return data.read(policy.SIGNATURE_MAX_BYTES + 1)
        if not isinstance(data, str):
            self.fail("invalid")
        if not data:
            return b""
        try:
            return base64.b64decode(data.split(",", 1)[-1], validate=True)
        except (binascii.Error, ValueError):
            self.fail("invalid")

    def to_representation(self, value):
        return ""


class ConsentInput(serializers.Serializer):
    """POST /api/v1/clients/<id>/consents/ and the consent page's form (api.md "Consent")."""

    kind = KindChoice(list(policy.API_KINDS))
    answer = Choice(_ANSWERS)
    method = MethodChoice(list(policy.API_METHODS))
    effective_on = Day(required=False, allow_null=True, default=None)
    expires_on = Day(required=False, allow_null=True, default=None)
    scope = Choice(ConsentRecord.Scope.values, required=False, default=ConsentRecord.Scope.HMIS_PARTICIPATING)
    scope_agency_ids = serializers.ListField(child=Id(), required=False, default=list, max_length=200)
    typed_name = Text(max_length=200)
    signature_image = SignatureImage(required=False, default=b"")
    script_language = Choice(["en", "es"], required=False, default="en")
    script_read = serializers.BooleanField(required=False, default=False)
    dv_offer_read = serializers.BooleanField(required=False, default=False)
    disability_notice_read = serializers.BooleanField(required=False, default=False)
    note = Text(max_length=2000)


class ConsentWithdrawInput(serializers.Serializer):
    method = MethodChoice(list(policy.API_METHODS))
    note = Text(max_length=2000)


class CopyInput(serializers.Serializer):
    """No fields: making a copy needs only the record."""


class DisclosureInput(serializers.Serializer):
    basis = Choice(Disclosure.Basis.values)
    disclosed_to = Text(max_length=300, required=True)
    information = Text(max_length=4000, required=True)
    reason = Text(max_length=4000, required=True)
    reference = Text(max_length=200)
    disclosed_at = Moment(required=False, allow_null=True, default=None)
