"""The roles of roles-privacy-audit.md as Django groups with permissions.

ROLE_PERMISSIONS is the single statement of what each role may do. Groups
are created and kept in step by migrations (`roles_sync` in a RunPython
step), never by hand: every app whose migration adds permissions a role
needs ends with a roles_sync step of its own.

Data scope (whose clients a user sees) is not a permission: it is decided
by ces.access from the user's agency and roles.
"""

from django.utils.translation import gettext_lazy as _

CALL_AGENT = "call_agent"
CASE_WORKER = "case_worker"
SUPERVISOR = "supervisor"
COC_STAFF = "coc_staff"
PROGRAM_STAFF = "program_staff"
VSP_ADVOCATE = "vsp_advocate"
NONHMIS_LIST_HOLDER = "nonhmis_list_holder"
COMMITTEE = "committee"
HMIS_ADMIN = "hmis_admin"

ROLE_LABELS = {
    CALL_AGENT: _("Call agent"),
    CASE_WORKER: _("Case worker"),
    SUPERVISOR: _("Supervisor"),
    COC_STAFF: _("CoC staff"),
    PROGRAM_STAFF: _("Program staff"),
    VSP_ADVOCATE: _("VSP advocate"),
    NONHMIS_LIST_HOLDER: _("Non-HMIS list holder"),
    COMMITTEE: _("O&M Committee"),
    HMIS_ADMIN: _("HMIS admin"),
}

_READ_DIRECTORY = ["ces.view_agency", "ces.view_program"]
_CLIENT_WORK = ["ces.view_client", "ces.change_client", "ces.view_consentrecord", "ces.add_consentrecord"]

_SEE_BNL = ["bnl.view_bnlentry"]
_CM_POINTS = ["bnl.add_casemanagementpoint", "bnl.delete_casemanagementpoint", "bnl.view_casemanagementpoint"]
_PROGRAM_WORK = [
    "bnl.record_placement_failed",
    "referrals.view_vacancy", "referrals.add_vacancy", "referrals.change_vacancy",
    "referrals.view_referral", "referrals.add_referral", "referrals.change_referral", "referrals.view_pull",
    "referrals.view_shelterreferral", "referrals.add_shelterreferral", "referrals.change_shelterreferral",
    "referrals.view_shelterdailylist",
]
_OVERSIGHT = ["referrals.view_vacancy", "referrals.view_referral", "referrals.view_pull", "referrals.view_ceevent",
              "referrals.view_shelterreferral", "referrals.view_shelterdailylist"]
_REASSIGN_VIEW = ["reassignment.view_reassignmentrequest", "reassignment.view_caseassignment"]
_REASSIGN_WORK = _REASSIGN_VIEW + ["reassignment.add_reassignmentrequest", "reassignment.change_reassignmentrequest"]
_ENGAGEMENT_WORK = [
    "engagement.view_engagementcase", "engagement.add_engagementcase", "engagement.change_engagementcase",
    "engagement.view_contactattempt", "engagement.add_contactattempt", "engagement.view_statusform",
    "engagement.add_statusform", "engagement.change_statusform", "engagement.view_letter", "engagement.add_letter",
]
_GRIEVANCE_WORK = [f"grievances.{p}" for p in ("view_titlevicomplaint", "add_titlevicomplaint", "change_titlevicomplaint",
                   "view_grievance", "add_grievance", "change_grievance", "view_committeemeeting", "add_committeemeeting",
                   "view_letter", "view_outsideagency", "view_retaliationflag")]
# consent: the log of disclosures made without consent (consent.Disclosure).
_DISCLOSE = ["consent.view_disclosure", "consent.add_disclosure"]
_INTAKE_WORK = ["intake.add_intake", "intake.change_intake", "intake.view_intake", "intake.view_assessment", "intake.view_shelter"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CALL_AGENT: _READ_DIRECTORY + _CLIENT_WORK + _INTAKE_WORK + _SEE_BNL + ["ces.add_client", "referrals.view_shelterreferral"],
    CASE_WORKER: _READ_DIRECTORY + _CLIENT_WORK + _SEE_BNL + _CM_POINTS + _REASSIGN_WORK + _ENGAGEMENT_WORK
    + ["intake.view_assessment"] + _DISCLOSE,
    SUPERVISOR: _READ_DIRECTORY + _CLIENT_WORK + _SEE_BNL + _CM_POINTS + _REASSIGN_WORK + _ENGAGEMENT_WORK
    + ["ces.reveal_client_ssn", "intake.view_intake", "intake.view_assessment", "intake.amend_intake", "reassignment.add_caseassignment",
       "reassignment.change_caseassignment"] + _DISCLOSE,
    COC_STAFF: _READ_DIRECTORY + _SEE_BNL + _OVERSIGHT
    + _REASSIGN_WORK
    + ["ces.view_client", "ces.view_consentrecord", "ces.reveal_client_ssn", "intake.view_assessment", "bnl.manage_bnl",
       "referrals.review_rejection"]
    + _GRIEVANCE_WORK + ["grievances.change_retaliationflag"] + _DISCLOSE,
    PROGRAM_STAFF: _READ_DIRECTORY + _SEE_BNL + _CM_POINTS + _PROGRAM_WORK + ["ces.view_client", "intake.view_assessment"],
    VSP_ADVOCATE: _READ_DIRECTORY + _CLIENT_WORK + _INTAKE_WORK + _SEE_BNL + _CM_POINTS + _PROGRAM_WORK + ["ces.add_client"]
    + ["intake.view_dvreferral", "intake.change_dvreferral"] + _DISCLOSE,  # the VSP's inbox of warm referrals (its own only)
    NONHMIS_LIST_HOLDER: _READ_DIRECTORY + _SEE_BNL + _REASSIGN_WORK + ["ces.view_client"],
    COMMITTEE: _READ_DIRECTORY + _SEE_BNL + _GRIEVANCE_WORK,
    HMIS_ADMIN: [
        "ces.view_agency",
        "ces.add_agency",
        "ces.change_agency",
        "ces.view_program",
        "ces.add_program",
        "ces.change_program",
        "ces.view_closureday",
        "ces.add_closureday",
        "ces.change_closureday",
        "ces.delete_closureday",
        "ces.view_user",
        "ces.add_user",
        "ces.change_user",
        "ces.view_accesslog",
        "ces.view_client",
        "ces.view_consentrecord",
        "consent.view_disclosure",
        "ces.reveal_client_ssn",
        "ces.view_deadline",
        "ces.view_clientdocument",
        "reassignment.view_reassignmentrequest",
        "reassignment.view_caseassignment",
        "bnl.view_bnlentry",
        "bnl.manage_bnl",
        "referrals.view_vacancy",
        "referrals.view_referral",
        "referrals.view_pull",
        "referrals.view_ceevent",
        "referrals.view_shelterreferral",
        "referrals.view_shelterdailylist",
        "intake.view_intake",
        "intake.view_assessment",
        "intake.amend_intake",
        "intake.view_shelter",
        "intake.add_shelter",
        "intake.change_shelter",
        "intake.view_shelterrule",
        "intake.add_shelterrule",
        "intake.change_shelterrule",
        "intake.delete_shelterrule",
        "intake.view_vspcoverage",
        "intake.add_vspcoverage",
        "intake.change_vspcoverage",
        "intake.delete_vspcoverage",
        "intake.view_povertyguidelineyear",
        "intake.add_povertyguidelineyear",
        "intake.change_povertyguidelineyear",
        "intake.view_povertyguideline",
        "intake.add_povertyguideline",
        "intake.change_povertyguideline",
        # API tokens: listed by prefix and revoked; never issued for someone else (ces.admin).
        "knox.view_authtoken",
        "knox.delete_authtoken",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
        "grievances.view_outsideagency", "grievances.add_outsideagency", "grievances.change_outsideagency",
    ],
}

# Roles whose users may use the Django admin (configuration screens).
ADMIN_SITE_ROLES = frozenset({HMIS_ADMIN})


def roles_sync(apps, schema_editor=None) -> None:
    """Create every role group and give it exactly its permissions.

    Runs inside migrations with the historical `apps`. Permissions of models
    not migrated yet are skipped; the migration that adds them syncs again.
    """
    from django.contrib.auth.management import create_permissions  # noqa: PLC0415 (runs inside migrations; importing it at module level loads the auth app early)

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
