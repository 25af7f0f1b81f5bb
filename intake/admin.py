"""Shelters with their screening rules, and the poverty guidelines: data an HMIS admin edits
(no deploy to change a rule). Intakes and assessments are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ces.access import clients_visible_to
from ces.admin import ReadOnlyAdmin
from intake.models import Assessment, Intake, PovertyGuideline, PovertyGuidelineYear, Shelter, ShelterRule


class ShelterRuleInline(admin.TabularInline):
    model = ShelterRule
    extra = 1
    fields = ["code", "match", "answer", "unless_code", "unless_answer", "reason", "reason_es"]


@admin.register(Shelter)
class ShelterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "county", "program", "intake_time", "is_active"]
    list_filter = ["county", "is_active"]
    inlines = [ShelterRuleInline]


class PovertyGuidelineInline(admin.TabularInline):
    model = PovertyGuideline
    extra = 0


@admin.register(PovertyGuidelineYear)
class PovertyGuidelineYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "additional_person_annual", "in_force"]
    inlines = [PovertyGuidelineInline]


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["pk", "status", "outcome", "csr", "agency", "collected_at", "is_late"]
    list_filter = ["status", "outcome", "is_late", "county"]
    exclude = ["draft_ciphertext"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["pk", "client", "assessed_at", "total", "chronically_homeless"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(client__in=clients_visible_to(request.user))
