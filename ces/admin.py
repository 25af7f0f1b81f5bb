"""Configuration screens for the HMIS admin (Django admin).

Audit rows (AccessLog, history) are read-only here: nobody edits or deletes them.
Clients are listed through ces.access, like everywhere else.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ces.access import clients_visible_to
from ces.audit import access_log_record
from ces.models import AccessLog, Agency, Client, ClosureDay, ConsentRecord, Deadline, Notification, Program, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "initials", "kind", "is_vsp", "hmis_participating", "is_active"]
    list_filter = ["kind", "is_vsp", "hmis_participating", "is_active"]
    search_fields = ["name", "initials"]


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "type", "counties", "is_active"]
    list_filter = ["type", "agency", "is_active", "requires_chronic", "requires_veteran", "requires_dv"]
    search_fields = ["name", "agency__name"]
    fieldsets = [
        (None, {"fields": ["agency", "name", "type", "counties", "is_active"]}),
        (
            _("Eligibility criteria"),
            {
                "fields": [
                    "requires_chronic",
                    "requires_veteran",
                    "requires_disability",
                    "requires_family",
                    "requires_youth",
                    "requires_dv",
                    ("min_household_size", "max_household_size"),
                    "excludes_sex_offenders",
                ]
            },
        ),
    ]


@admin.register(ClosureDay)
class ClosureDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active", "is_staff"]
    list_filter = ["agency", "groups", "is_active", "is_staff"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Agency"), {"fields": ("agency", "preferred_language")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Agency"), {"fields": ("agency", "groups")}),)


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ["label", "last_name", "first_name", "dob", "holding_agency", "hmis_consent"]
    list_filter = ["holding_agency", "hmis_consent"]
    search_fields = ["last_name", "first_name"]
    readonly_fields = ["ssn_display", "created_at", "updated_at", "created_by"]
    exclude = ["ssn_ciphertext", "ssn_hash"]

    def get_queryset(self, request):
        return clients_visible_to(request.user).select_related("holding_agency")

    def has_add_permission(self, request):
        return False  # clients come in through intake

    def has_delete_permission(self, request, obj=None):
        return False  # retention rules decide (7 years, HUD)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        client = self.get_object(request, object_id)
        if client is not None:
            access_log_record(
                user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=client, obj=client
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("SSN"))
    def ssn_display(self, obj):
        return obj.ssn_display


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["client", "kind", "answer", "method", "taken_by", "taken_at"]
    list_filter = ["kind", "answer", "method"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(client__in=clients_visible_to(request.user))


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "client", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "user", ("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "detail", "path"]
    date_hierarchy = "at"


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["kind", "subject_type", "subject_id", "due_at", "state", "failures", "done_at"]
    list_filter = ["kind", "state"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at", "emailed_at"]
    list_filter = ["read_at", "emailed_at"]
