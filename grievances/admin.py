"""Outside agencies are data an HMIS admin edits (grievances.md). Complaints and grievances are
not in the admin: only CoC staff and the committee see them, on their own screens."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grievances.models import OutsideAgency


@admin.register(OutsideAgency)
class OutsideAgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phone", "website", "is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_es"]
