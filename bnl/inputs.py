"""The declared input of each By-Name List action: one class per action, bound by its screen
(request.GET / request.POST), its API endpoint (request.query_params / request.data) and read by
the OpenAPI schema (docs/architecture.md, "The path of an action")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

from bnl import policy
from bnl.models import BnlEntry
from ces.choices import County
from ces.inputs import Choice, IdOrNull, Text, WholeNumber
from ces.models import Program

PROGRAM_UNKNOWN = _("No such program.")
FLAG_NOT_BOOLEAN = _("Use true or false.")

LIST_COUNTIES = [County.PLACER, County.NEVADA]


class Flag(serializers.BooleanField):
    """A filter flag: true or false (also 1/0, yes/no); absent or empty means "either"."""

    default_error_messages = {"invalid": FLAG_NOT_BOOLEAN}
    default_empty_html = empty  # an unticked checkbox is "either", not false

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)


class BnlFilter(serializers.Serializer):
    """Which part of the list to show: the screen, its CSV and the API take the same filter."""

    program = IdOrNull(help_text="Only entries eligible for this program.")
    status = Choice(BnlEntry.Status.values, required=False, allow_blank=True,
                    help_text="Empty: active, on referral and inactive.")
    county = Choice(LIST_COUNTIES, required=False, allow_blank=True)
    chronic = Flag()
    veteran = Flag()
    youth = Flag()
    family = Flag()
    dv = Flag()
    list = Choice(["vsp"], required=False, allow_blank=True, help_text="vsp: the VSP's own list (VSP advocates).")
    page = WholeNumber(min_value=1, max_value=policy.BNL_MAX_PAGE, required=False, default=1)

    def validate_program(self, pk: int | None) -> Program | None:
        """Any program (not only the housing programs the screen offers); from `programs` in the
        context when the caller has read them already (bnl.selectors.housing_programs)."""
        if pk is None:
            return None
        program = next((known for known in self.context.get("programs", ()) if known.pk == pk), None)
        if program is None:
            program = Program.objects.select_related("agency").filter(pk=pk).first()
        if program is None:
            raise serializers.ValidationError(PROGRAM_UNKNOWN)
        return program

    def validate(self, values: dict) -> dict:
        """The values as the selector takes them (bnl.selectors.bnl_entries_for), plus the page."""
        return {
            "program": values.get("program"),
            "status": values.get("status") or None,
            "county": values.get("county") or None,
            "flags": {flag: values.get(flag) for flag in policy.FLAG_FILTERS},
            "vsp_list": values.get("list") == "vsp",
            "page": values.get("page", 1),
        }


class BnlApiFilter(BnlFilter):
    page_size = WholeNumber(min_value=1, max_value=policy.BNL_MAX_PAGE_SIZE, required=False,
                            default=policy.BNL_PAGE_SIZE)

    def validate(self, values: dict) -> dict:
        return {**super().validate(values), "page_size": values.get("page_size", policy.BNL_PAGE_SIZE)}


class CaseManagementInput(serializers.Serializer):
    """Add (points 1, with a justification) or remove (points 0) one Case Management Entry item."""

    item = WholeNumber(min_value=min(policy.CASE_MANAGEMENT_ITEMS), max_value=max(policy.CASE_MANAGEMENT_ITEMS))
    points = WholeNumber(min_value=0, max_value=1)
    justification = Text(max_length=2000)


class StatusInput(serializers.Serializer):
    """CoC staff's status correction; an exit names its reason from the list ("other": explained)."""

    status = Choice(BnlEntry.MANUAL_STATUSES)
    exit_reason = Choice(policy.EXIT_REASON_CODES, required=False, allow_blank=True, default="")
    reason = Text(max_length=250)


class PlaceOnCocInput(serializers.Serializer):
    """A VSP places its own entry on the CoC list, de-identified, under its internal number."""

    vsp_client_number = Text(max_length=30, required=True)

