"""What the By-Name List endpoints answer (api.md, "By-Name List"), as serializers so the OpenAPI
schema states exactly what is sent.

Keys that only some readers get are absent (not null) for the others, as api.md says of `client`:
- `client`: only when the user may see the person's data;
- `worker_alert`: entries of a person (not de-identified ones);
- `contact_vsp`: de-identified entries (whom to contact instead of the person);
- `breakdown` (one entry): the VAT indicators behind the score, only for those who may see the person.
Pass `context={"user": ...}`; entries come from bnl.selectors (annotated `pii_visible`, and
`rank` / `eligible_programs` from bnl_entries_ranked).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bnl.models import BnlEntry
from bnl.selectors import bnl_score_breakdown_for


class BnlFlagsOutput(serializers.Serializer):
    chronic = serializers.BooleanField(help_text="Likely chronic (self-reported): documentation is checked at enrolment.")
    veteran = serializers.BooleanField()
    youth = serializers.BooleanField()
    family = serializers.BooleanField()
    dv = serializers.BooleanField()


class BnlClientOutput(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    last_name = serializers.CharField()
    dob = serializers.DateField(allow_null=True)
    phone_primary = serializers.CharField()
    holding_agency_id = serializers.IntegerField()

    def to_representation(self, client):
        data = super().to_representation(client)
        data["phone_primary"] = str(client.phone_primary or "")
        return data


class ContactVspOutput(serializers.Serializer):
    agency_id = serializers.IntegerField()
    name = serializers.CharField()


class BreakdownRowOutput(serializers.Serializer):
    code = serializers.CharField()
    wording = serializers.CharField()
    points = serializers.IntegerField()


class BnlEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True, help_text="Position in the filtered list; null outside a list.")
    score = serializers.IntegerField()
    # A plain string in the schema: a named enum here would collide with the other "status" enums.
    status = serializers.CharField(help_text="One of: " + ", ".join(BnlEntry.Status.values) + ".")
    label = serializers.CharField()
    county = serializers.CharField()
    flags = serializers.SerializerMethodField()
    placed_on_list_at = serializers.DateTimeField()
    homeless_since = serializers.DateField(help_text="The date homelessness began (assessment date less the answered length).")
    length_of_time_homeless_days = serializers.IntegerField(help_text="Days homeless up to today.")
    eligible_program_ids = serializers.SerializerMethodField()
    # Present for some readers only (not read-only, so the schema does not call them required).
    worker_alert = serializers.BooleanField(required=False)
    client = BnlClientOutput(required=False)
    contact_vsp = ContactVspOutput(required=False)

    @extend_schema_field(BnlFlagsOutput)
    def get_flags(self, entry: BnlEntry) -> dict:
        return {"chronic": entry.chronic, "veteran": entry.veteran, "youth": entry.youth, "family": entry.family,
                "dv": entry.dv}

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_eligible_program_ids(self, entry: BnlEntry) -> list[int]:
        return [program.pk for program in entry.eligible_programs]

    CONDITIONAL = ("worker_alert", "client", "contact_vsp")

    def to_representation(self, entry: BnlEntry) -> dict:
        data = {}
        for field in self._readable_fields:
            if field.field_name in self.CONDITIONAL or field.field_name == "breakdown":
                continue
            value = field.get_attribute(entry)
            data[field.field_name] = None if value is None else field.to_representation(value)
        if entry.client_id is None:
            data["contact_vsp"] = {"agency_id": entry.vsp_id, "name": entry.vsp.name}
            return data
        data["worker_alert"] = entry.client.worker_alert
        if getattr(entry, "pii_visible", False):
            data["client"] = self.fields["client"].to_representation(entry.client)
        return data


_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def bnl_list_row_data(row) -> dict:
    """What BnlEntryOutput answers for a row of a page (bnl.selectors.BnlListRow), written out:
    a serializer's fields a row cost more than the page's SQL. The same keys in the same order and
    the same values (tests/bnl/test_list.py compares the two for every kind of reader)."""
    data = {
        "id": row.id, "rank": row.rank, "score": row.score, "status": row.status, "label": row.label,
        "county": row.county,
        "flags": {"chronic": row.chronic, "veteran": row.veteran, "youth": row.youth, "family": row.family, "dv": row.dv},
        "placed_on_list_at": _DATETIME.to_representation(row.placed_on_list_at),
        "homeless_since": _DATE.to_representation(row.homeless_since),
        "length_of_time_homeless_days": row.length_of_time_homeless_days,
        "eligible_program_ids": [program.pk for program in row.eligible_programs],
    }
    client = row.client
    if client is None:
        data["contact_vsp"] = {"agency_id": row.vsp_id, "name": row.vsp.name}
        return data
    data["worker_alert"] = client.worker_alert
    if row.pii_visible:
        data["client"] = {
            "id": client.pk, "first_name": client.first_name, "middle_name": client.middle_name,
            "last_name": client.last_name, "dob": None if client.dob is None else _DATE.to_representation(client.dob),
            "phone_primary": str(client.phone_primary or ""), "holding_agency_id": client.holding_agency_id,
        }
    return data


class BnlEntryDetailOutput(BnlEntryOutput):
    breakdown = BreakdownRowOutput(many=True, required=False,
                                   help_text="The VAT indicators behind the score; only for those who may see the person.")

    def to_representation(self, entry: BnlEntry) -> dict:
        data = super().to_representation(entry)
        breakdown = bnl_score_breakdown_for(user=self.context["user"], entry=entry)
        if breakdown is not None:
            data["breakdown"] = breakdown
        return data


class BnlPageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BnlEntryOutput(many=True)
