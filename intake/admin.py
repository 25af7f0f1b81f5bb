"""Shelters with their screening rules, and the poverty guidelines: data an HMIS admin edits
(no deploy to change a rule). Intakes and assessments hold a person's answers (health, safety):
they are read-only here, scoped by the screens' selectors and logged (ces.admin.ClientDataAdmin)."""

from django.contrib import admin

from ces.access import clients_visible_to
from ces.admin import ClientDataAdmin, HistoryAdmin
from intake.models import Assessment, Intake, PovertyGuideline, PovertyGuidelineYear, Shelter, ShelterRule, VspCoverage
from intake.selectors import intakes_visible_to


class ShelterRuleInline(admin.TabularInline):
    model = ShelterRule
    extra = 1
    fields = ["code", "match", "answer", "unless_code", "unless_answer", "reason", "reason_es"]


@admin.register(Shelter)
class ShelterAdmin(HistoryAdmin):
    list_display = ["name", "county", "program", "intake_time", "is_active"]
    list_filter = ["county", "is_active"]
    inlines = [ShelterRuleInline]


@admin.register(VspCoverage)
class VspCoverageAdmin(HistoryAdmin):
    """Which victim service provider serves which county, and its hotline (the DV pathway's offer)."""

    list_display = ["vsp", "county", "hotline", "hours", "is_active"]
    list_filter = ["county", "is_active"]


class PovertyGuidelineInline(admin.TabularInline):
    model = PovertyGuideline
    extra = 0


@admin.register(PovertyGuidelineYear)
class PovertyGuidelineYearAdmin(HistoryAdmin):
    list_display = ["year", "additional_person_annual", "in_force"]
    inlines = [PovertyGuidelineInline]


@admin.register(Intake)
class IntakeAdmin(ClientDataAdmin):
    list_display = ["pk", "status", "outcome", "csr", "agency", "collected_at", "is_late"]
    list_filter = ["status", "outcome", "is_late", "county"]
    exclude = ["draft_ciphertext"]

    def visible_to(self, user):
        # The intake screens' rule (the agency's own calls), and never a person the user may not see.
        intakes = intakes_visible_to(user)
        visible_people = clients_visible_to(user)
        return (intakes.filter(client__isnull=True) | intakes.filter(client__in=visible_people)).select_related(
            "client__holding_agency", "csr", "agency"
        )

    def client_of(self, obj):
        return obj.client


@admin.register(Assessment)
class AssessmentAdmin(ClientDataAdmin):
    list_display = ["pk", "client", "assessed_at", "total", "chronically_homeless"]

    def visible_to(self, user):
        return Assessment.objects.filter(client__in=clients_visible_to(user)).select_related("client__holding_agency")

    def client_of(self, obj):
        return obj.client
