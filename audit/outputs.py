"""The timeline's rows as the API answers them (api.md, "Audit history")."""

from rest_framework import serializers


class ChangeOutput(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class AuditRowOutput(serializers.Serializer):
    at = serializers.CharField(help_text="ISO 8601 with the CoC's offset.")
    kind = serializers.ChoiceField(choices=["access", "change"])
    user = serializers.CharField(allow_blank=True)
    action = serializers.CharField()
    model = serializers.CharField(allow_blank=True)
    object_id = serializers.CharField(allow_blank=True)
    object_label = serializers.CharField(allow_blank=True)
    client_label = serializers.CharField(allow_blank=True)
    changes = ChangeOutput(many=True)
    reason = serializers.CharField(allow_blank=True)
    ip = serializers.CharField(allow_blank=True)


class AuditPageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    count_capped = serializers.BooleanField(help_text="True when more rows match than are counted (1,000).")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = AuditRowOutput(many=True)
