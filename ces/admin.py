"""Configuration screens for the HMIS admin (Django admin), behind the same trust boundary as
the screens (docs/security.md, "The admin").

- Audit rows (AccessLog, history) are read-only here: nobody edits or deletes them, and no
  history version is ever written back ("revert" is off and its POST refused).
- Every admin of a model that holds a person's data is a `ClientDataAdmin`: its rows come from
  the screens' selectors (ces.access), a record outside them is a 404 on every URL (change,
  history, history version), nothing is added, changed or deleted, and every look is an
  access-log row.
- The user admin never lets an admin give more than roles: superuser status and single
  permissions are for superusers; staff status follows the admin role; nobody changes their
  own roles; only a superuser changes a superuser.
- API tokens are listed by their prefix (knox stores only a hash) and can be revoked, never
  issued here: a token comes from `POST /api/v1/auth/token/` with the person's own password.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from simple_history.admin import SimpleHistoryAdmin

from ces.access import clients_visible_to
from ces.audit import access_log_record
from ces.inputs import parse_id
from ces.models import AccessLog, Agency, Client, ClosureDay, ConsentRecord, Deadline, Notification, Program, User
from ces.selectors import agency_vsp_change_refused, groups_grantable_by
from ces.services import (
    AGENCY_VSP_LOCKED,
    api_tokens_revoke,
    user_admin_access_sync,
    user_may_be_changed_by,
    user_may_change_own_privileges,
)

READ_METHODS = ("GET", "HEAD")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin with django-simple-history's history pages, read-only.

    SIMPLE_HISTORY_REVERT_DISABLED hides the revert button, but the version page's POST still
    saves the old version; it is refused here for every model."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in READ_METHODS:
            return HttpResponseNotAllowed(READ_METHODS)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ClientDataAdmin(HistoryAdmin):
    """An admin of a model holding a person's data: read-only, scoped, logged.

    Subclasses give `visible_to(user)` (the screens' selector) and `client_of(obj)`.
    """

    def visible_to(self, user: User):
        raise NotImplementedError

    def client_of(self, obj) -> Client | None:
        return None

    def get_queryset(self, request):
        return self.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def _visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))  # through get_queryset: None if not visible
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        return obj

    def _log(self, request, obj) -> None:
        if request.method in READ_METHODS:
            access_log_record(
                user=request.user, action=AccessLog.Action.ADMIN_VIEW, request=request, client=self.client_of(obj), obj=obj
            )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method in READ_METHODS and response.status_code == 200:
            access_log_record(
                user=request.user,
                action=AccessLog.Action.VIEW_LIST,
                request=request,
                detail=f"admin list of {self.model._meta.verbose_name_plural}",
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self._visible_or_404(request, object_id)
        self._log(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self._visible_or_404(request, object_id)
        self._log(request, obj)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._visible_or_404(request, object_id)
        version = parse_id(version_id)
        versions = self.model.history.filter(**{self.model._meta.pk.attname: obj.pk})
        if version is None or not versions.filter(history_id=version).exists():
            raise Http404
        if request.method in READ_METHODS:
            self._log(request, obj)
        return super().history_form_view(request, object_id, str(version), extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)


class AgencyAdminForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "initials", "kind", "is_vsp", "hmis_participating", "phone", "address", "is_active", "caseload_limit"]

    def clean_is_vsp(self):
        is_vsp = self.cleaned_data["is_vsp"]
        if agency_vsp_change_refused(agency=self.instance, is_vsp=is_vsp):
            raise forms.ValidationError(AGENCY_VSP_LOCKED)
        return is_vsp


@admin.register(Agency)
class AgencyAdmin(HistoryAdmin):
    form = AgencyAdminForm
    list_display = ["name", "initials", "kind", "is_vsp", "hmis_participating", "is_active"]
    list_filter = ["kind", "is_vsp", "hmis_participating", "is_active"]
    search_fields = ["name", "initials"]


@admin.register(Program)
class ProgramAdmin(HistoryAdmin):
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
        (_("Engagement"), {"fields": ["engagement_policy", "lost_contact_months"]}),
    ]


@admin.register(ClosureDay)
class ClosureDayAdmin(HistoryAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


class PasswordChangeRevokingTokens(AdminPasswordChangeForm):
    """The admin's password form: a new password also revokes every API token of the user."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            api_tokens_revoke(user=user)
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active", "is_staff"]
    list_filter = ["agency", "groups", "is_active", "is_staff"]
    change_password_form = PasswordChangeRevokingTokens
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Agency"), {"fields": ("agency", "preferred_language")}),
        (_("Roles"), {"fields": ("is_active", "groups", "is_staff", "is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Agency"), {"fields": ("agency", "groups")}),)
    # Staff status follows the role (ces.services.user_admin_access_sync): never typed in.
    readonly_fields = ["is_staff", "last_login", "date_joined"]

    _SUPERUSER_ONLY = ("is_superuser", "user_permissions")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in self._SUPERUSER_ONLY)})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not user_may_change_own_privileges(actor=request.user, user=obj):
            fields += ["groups", "is_active"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = groups_grantable_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and user_may_be_changed_by(actor=request.user, user=obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and user_may_be_changed_by(actor=request.user, user=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_admin_access_sync(user=form.instance, actor=request.user)


class ClientAdmin(ClientDataAdmin):
    list_display = ["label", "last_name", "first_name", "dob", "holding_agency", "hmis_consent"]
    list_filter = ["holding_agency", "hmis_consent"]
    search_fields = ["last_name", "first_name"]
    exclude = ["ssn_ciphertext", "ssn_hash"]
    readonly_fields = ["holding_agency", "ssn_display", "created_at", "updated_at", "created_by"]

    def visible_to(self, user):
        return clients_visible_to(user).select_related("holding_agency")

    def client_of(self, obj):
        return obj

    @admin.display(description=_("SSN"))
    def ssn_display(self, obj):
        return obj.ssn_display


admin.site.register(Client, ClientAdmin)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ClientDataAdmin):
    list_display = ["client", "kind", "answer", "method", "taken_by", "taken_at"]
    list_filter = ["kind", "answer", "method"]

    def visible_to(self, user):
        return ConsentRecord.objects.filter(client__in=clients_visible_to(user)).select_related(
            "client__holding_agency", "taken_by"
        )

    def client_of(self, obj):
        return obj.client


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Who looked at what. A person appears by their de-identified label only, never by name,
    and the rows hold no search terms (ces.audit)."""

    list_display = ["at", "user", "action", "client_label", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "user", ("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "detail", "path"]
    date_hierarchy = "at"
    fields = ["at", "user", "action", "client_label", "object_type", "object_id", "detail", "path", "ip_address", "user_agent"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "client__holding_agency")

    @admin.display(description=_("client"))
    def client_label(self, obj):
        return obj.client.label if obj.client_id else ""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method in READ_METHODS and response.status_code == 200:
            access_log_record(user=request.user, action=AccessLog.Action.VIEW_AUDIT, request=request, detail="admin access log")
        return response


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["kind", "subject_type", "subject_id", "due_at", "state", "failures", "done_at"]
    list_filter = ["kind", "state"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at", "emailed_at"]
    list_filter = ["read_at", "emailed_at"]


if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)  # knox's own admin lists digests and issues tokens for anyone


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens by their prefix (the first characters of the key; knox stores only a hash).
    Revoking is deleting; issuing is not offered here."""

    list_display = ["token_key", "user", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["user__username"]
    fields = ["token_key", "user", "created", "expiry"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
