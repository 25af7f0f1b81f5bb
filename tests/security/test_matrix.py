"""The authorization matrix: every URL of the project, as every persona, against people they may
and may not see (issue "Trust boundary").

URLs are discovered from the URLconf, so a new URL is covered without anyone remembering: a URL
name missing from MATRIX (or an admin model missing from ADMIN_MODELS) fails the test. For each
URL the table says which roles may use it and whether it is about a person; the expected status
follows from that and from MAY_SEE (tests/security/world.py: who may see whose data). Whatever
the status, the bytes of every response are searched for the name, DOB, SSN and phone of each
person the persona may not see.
"""

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client as WebClient
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEvent
from ces.models import AccessLog
from tests.security.world import MAY_SEE, PERSONAS, SECRETS, World, build_world

pytestmark = pytest.mark.django_db

ALL_STAFF = frozenset(PERSONAS) - {"anonymous"}
# Anyone at an agency may open the page of a person they may see (ces.access decides whose).
CLIENT_VIEWERS = frozenset({"call_agent", "case_worker", "supervisor", "coc_staff", "program_staff", "program_staff_b",
                            "vsp_advocate", "nonhmis_list_holder", "committee", "hmis_admin"})
BNL_VIEWERS = ALL_STAFF
INTAKE_VIEWERS = frozenset({"call_agent", "supervisor", "vsp_advocate", "program_staff_b", "hmis_admin"})
# The agency holding each person's intake (tests/security/world.py), and each persona's agency.
HOLDER = {"shared": "cp", "private": "hb", "survivor": "vsp"}
AGENCY_OF = {"call_agent": "cp", "case_worker": "cp", "supervisor": "cp", "nonhmis_list_holder": "cp", "program_staff": "ha",
             "program_staff_b": "hb", "vsp_advocate": "vsp", "coc_staff": "coc", "committee": "coc", "hmis_admin": "coc"}
INTAKE_TAKERS = frozenset({"call_agent", "vsp_advocate", "program_staff_b"})
CASE_MANAGERS = frozenset({"case_worker", "supervisor", "program_staff", "program_staff_b", "vsp_advocate"})
PROGRAM_STAFF = frozenset({"program_staff", "program_staff_b", "vsp_advocate"})
REASSIGNERS = frozenset({"case_worker", "supervisor", "coc_staff", "nonhmis_list_holder", "hmis_admin"})
ENGAGERS = frozenset({"case_worker", "supervisor"})
SSN_REVEALERS = frozenset({"supervisor", "coc_staff", "hmis_admin"})
GRIEVANCE_WORKERS = frozenset({"coc_staff", "committee"})
REPORT_READERS = frozenset({"committee", "coc_staff", "hmis_admin"})
NOBODY = frozenset()


@dataclass(frozen=True)
class Row:
    """One URL: the method probed, what fills its <pk> ("client", "entry"... of each person, or a
    fixed world object), who may use it, the status they get, and the status everyone else gets.
    `person`: the URL is about a person — it also needs MAY_SEE, and refusals are 404."""

    method: str
    target: str | None
    allowed: frozenset
    ok: int | tuple = 200
    denied: int | tuple = 403
    person: bool = False
    agency: bool = False  # only staff of the agency that holds the record (intakes: "the call centre sees its own calls")
    api: bool = False
    data: dict | None = None


G, P = "GET", "POST"
MATRIX: dict[str, Row] = {
    # --- public and shell ---
    "dashboard": Row(G, None, ALL_STAFF),
    "healthz": Row(G, None, frozenset(PERSONAS), ok=(200, 503)),
    "login": Row(G, None, frozenset(PERSONAS), ok=(200, 302)),
    "logout": Row(P, None, frozenset(PERSONAS), ok=302),
    "set_language": Row(P, None, frozenset(PERSONAS), ok=302, data={"language": "es", "next": "/"}),
    "network": Row(G, None, ALL_STAFF),
    "notification-read": Row(P, "notification:call_agent", frozenset({"call_agent"}), ok=302, denied=404),
    # --- clients ---
    "client-list": Row(G, None, CLIENT_VIEWERS - {"committee"}),
    "client-detail": Row(G, "client", CLIENT_VIEWERS, person=True),
    "client-reveal-ssn": Row(P, "client", SSN_REVEALERS, person=True, denied=(403, 404)),
    "client-document": Row(G, "document", CLIENT_VIEWERS, person=True),
    # --- consent (ces.access decides whose; recording needs ces.add_consentrecord / consent.add_disclosure) ---
    "consent-page": Row(G, "client", CLIENT_VIEWERS, person=True),
    "consent-withdraw": Row(P, "client", CLIENT_VIEWERS, ok=404, person=True, denied=(403, 404)),  # no such consent
    "consent-copy": Row(P, "client", CLIENT_VIEWERS, ok=404, person=True, denied=(403, 404)),
    "consent-disclosure": Row(P, "client", CLIENT_VIEWERS, ok=(400, 403), person=True, denied=(403, 404)),
    "api-client-consents": Row(G, "client", CLIENT_VIEWERS, person=True, api=True, denied=404),
    "api-consent-withdraw": Row(P, "client", CLIENT_VIEWERS, ok=404, person=True, api=True, denied=(403, 404)),
    "api-client-disclosures": Row(G, "client", CLIENT_VIEWERS, person=True, api=True, denied=404),
    # --- intake ---
    "intake-home": Row(G, None, INTAKE_TAKERS),
    "intake-new": Row(P, None, INTAKE_TAKERS, ok=302),
    "intake-detail": Row(G, "intake", INTAKE_VIEWERS, person=True, agency=True, denied=(403, 404)),
    "intake-autosave": Row(P, "draft:call_agent", frozenset({"call_agent"}), ok=200, denied=(403, 404)),
    "intake-complete": Row(P, "draft:call_agent", frozenset({"call_agent"}), ok=(200, 302), denied=(403, 404)),
    "intake-discard": Row(P, "draft:call_agent", frozenset({"call_agent"}), ok=(302, 400), denied=(403, 404)),
    "dv-referral-inbox": Row(G, None, frozenset({"vsp_advocate"})),
    "dv-referral-mark": Row(P, "dvreferral:vsp", frozenset({"vsp_advocate"}), ok=302, denied=(403, 404), data={"status": "contacted"}),
    "intake-amend": Row(G, "intake", frozenset({"call_agent", "supervisor", "program_staff_b", "vsp_advocate"}), person=True,
                        agency=True, denied=(403, 404)),
    # --- the list ---
    "bnl-list": Row(G, None, BNL_VIEWERS, denied=(403, 404)),
    "bnl-export": Row(G, None, BNL_VIEWERS, denied=(403, 404)),
    "bnl-detail": Row(G, "entry", BNL_VIEWERS, denied=(403, 404)),
    "bnl-case-management": Row(P, "entry", CASE_MANAGERS, ok=(302, 400), denied=(403, 404)),
    "bnl-status": Row(P, "entry", frozenset({"coc_staff", "hmis_admin"}), ok=(302, 400), denied=(403, 404)),
    "bnl-place-on-coc": Row(P, "entry:survivor", frozenset({"vsp_advocate"}), ok=(302, 400), denied=(403, 404)),
    # Program staff may record a failed RRH placement; the world's entries are not housed: 400.
    "bnl-rrh-placement-failed": Row(P, "entry", PROGRAM_STAFF, ok=400, denied=(403, 404)),
    # --- referrals ---
    "referrals-home": Row(G, None, PROGRAM_STAFF, ok=(200, 302), denied=(403, 404)),
    "program-detail": Row(G, "program:a", frozenset({"program_staff"}), denied=404),
    "vacancy-new": Row(P, "program:a", frozenset({"program_staff"}), ok=(302, 400), denied=404),
    "vacancy-detail": Row(G, "vacancy:a", frozenset({"program_staff"}), denied=404),
    "vacancy-pull": Row(P, "vacancy:a", frozenset({"program_staff"}), ok=(302, 400), denied=404),
    "referral-decision": Row(P, "referral", frozenset({"program_staff"}), ok=(302, 400), denied=404),
    "referral-chronic-documentation": Row(P, "referral", frozenset({"program_staff"}), ok=(302, 400), denied=404),
    "referrals-rejections": Row(G, None, frozenset({"coc_staff"}), denied=403),
    # CoC staff only; the world's referral is not a rejection: 404 to them.
    "referral-rejection-review": Row(P, "referral", frozenset({"coc_staff"}), ok=404, denied=403),
    "shelter-detail": Row(G, "shelter:b", frozenset({"program_staff_b"}), denied=404),
    "shelter-walk-in": Row(P, "shelter:b", frozenset({"program_staff_b"}), ok=(302, 400), denied=404),
    "shelter-list-download": Row(G, None, NOBODY, denied=404),  # no list made in this world: 404 for all
    "shelter-referral-status": Row(P, None, NOBODY, denied=404),
    # --- reassignment ---
    "reassignment-list": Row(G, None, REASSIGNERS, denied=(403, 404)),
    "reassignment-detail": Row(G, "reassignment:shared", REASSIGNERS, denied=404),
    "reassignment-action": Row(P, "reassignment:shared", frozenset({"coc_staff"}), ok=(302, 400), denied=(403, 404)),
    "client-reassignment-new": Row(P, "client", frozenset({"case_worker", "supervisor"}), ok=(302, 400), denied=(403, 404), person=True),
    "client-safety-transfer": Row(P, "client", frozenset({"supervisor"}), ok=(302, 400), denied=(403, 404), person=True),
    "client-assign": Row(P, "client", frozenset({"supervisor"}), ok=(302, 400), denied=(403, 404), person=True),
    "client-worker-alert": Row(P, "client", frozenset({"supervisor"}), ok=(302, 400), denied=(403, 404), person=True),
    # --- engagement ---
    "engagement-home": Row(G, None, ENGAGERS),
    "engagement-staff-meeting": Row(G, None, ENGAGERS),
    "engagement-case": Row(G, "case:shared", ENGAGERS, denied=404),
    "engagement-attempt": Row(P, "case:shared", ENGAGERS, ok=(302, 400), denied=404),
    "engagement-letter": Row(P, "case:shared", ENGAGERS, ok=(302, 400), denied=404),
    "engagement-letter-preview": Row(G, "case:shared", ENGAGERS, ok=(200, 404), denied=404),
    "engagement-form": Row(P, "case:shared", ENGAGERS, ok=(302, 400), denied=404),
    "engagement-form-sign": Row(P, None, NOBODY, denied=404),
    "engagement-service": Row(P, "case:shared", ENGAGERS, ok=(302, 400), denied=404),
    "engagement-lost-contact": Row(P, "case:shared", ENGAGERS, ok=(302, 400), denied=404),
    "engagement-referral": Row(P, "case:shared", ENGAGERS, ok=(302, 400), denied=404),
    "engagement-open": Row(P, "client", frozenset({"case_worker", "supervisor"}), ok=(302, 400), denied=(403, 404), person=True),
    # --- reports (committee, CoC staff, HMIS admin); the export is the HMIS admin's ---
    "reports-home": Row(G, None, REPORT_READERS, denied=404),
    "reports-detail": Row(G, None, REPORT_READERS, denied=404),
    "reports-pdf": Row(G, None, REPORT_READERS, denied=404),
    "reports-csv": Row(G, None, REPORT_READERS, denied=404),
    "reports-what-if": Row(G, None, REPORT_READERS, denied=404),
    "reports-what-if-pdf": Row(G, None, REPORT_READERS, denied=404),
    "reports-exports": Row(G, None, frozenset({"hmis_admin"}), denied=404),
    "reports-export-create": Row(P, None, frozenset({"hmis_admin"}), ok=(302, 400), denied=404),
    "reports-export-progress": Row(G, None, NOBODY, denied=404),  # no export in this world
    "reports-export-download": Row(G, None, NOBODY, denied=404),
    "api-report": Row(G, None, REPORT_READERS, api=True),
    "api-report-what-if": Row(G, None, REPORT_READERS, api=True, ok=(200, 400)),
    "api-export-hmis": Row(P, None, frozenset({"hmis_admin"}), ok=400, api=True),
    "api-export-detail": Row(G, None, NOBODY, api=True, denied=(403, 404)),
    "api-export-download": Row(G, None, NOBODY, api=True, denied=(403, 404)),
    # --- grievances and Title VI (CoC staff and the committee; records are about the complainant) ---
    "grievances-home": Row(G, None, GRIEVANCE_WORKERS, denied=(403, 404)),
    "grievances-complaint-new": Row(G, None, GRIEVANCE_WORKERS, denied=(403, 404)),
    "grievances-complaint": Row(G, "complaint", GRIEVANCE_WORKERS, person=True),
    "grievances-complaint-action": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(302, 400), person=True, denied=(403, 404)),
    "grievances-grievance-new": Row(G, None, GRIEVANCE_WORKERS, denied=(403, 404)),
    "grievances-grievance": Row(G, "grievance", GRIEVANCE_WORKERS, person=True),
    "grievances-grievance-action": Row(P, "grievance", GRIEVANCE_WORKERS, ok=(302, 400), person=True, denied=(403, 404)),
    "grievances-meetings": Row(G, None, GRIEVANCE_WORKERS, denied=(403, 404)),
    "grievances-meeting-new": Row(P, None, GRIEVANCE_WORKERS, ok=(302, 400), denied=(403, 404)),
    "grievances-meeting": Row(G, "meeting:coc", GRIEVANCE_WORKERS, denied=(403, 404)),
    "grievances-letter": Row(G, "letter", GRIEVANCE_WORKERS, person=True),
    "grievances-letter-sent": Row(P, "letter", GRIEVANCE_WORKERS, ok=(302, 400), person=True, denied=(403, 404)),
    "grievances-letter-new-version": Row(P, "letter", GRIEVANCE_WORKERS, ok=(302, 400), person=True, denied=(403, 404)),
    "grievances-attachment": Row(G, None, NOBODY, denied=(403, 404)),  # no attachment in this world
    "grievances-flag-review": Row(P, None, NOBODY, denied=(403, 404)),
    "complaint-public": Row(G, None, frozenset(PERSONAS)),
    "complaint-public-thanks": Row(G, None, frozenset(PERSONAS), ok=(200, 302)),
    "api-title-vi-list": Row(G, None, GRIEVANCE_WORKERS, api=True),
    "api-title-vi-detail": Row(G, "complaint", GRIEVANCE_WORKERS, person=True, api=True),
    "api-grievance-list": Row(G, None, GRIEVANCE_WORKERS, api=True),
    "api-grievance-detail": Row(G, "grievance", GRIEVANCE_WORKERS, person=True, api=True),
    "api-meeting-list": Row(G, None, GRIEVANCE_WORKERS, api=True),
    "api-meeting-detail": Row(G, "meeting:coc", GRIEVANCE_WORKERS, api=True, denied=(403, 404)),
    "api-grievances-letter": Row(G, "letter", GRIEVANCE_WORKERS, person=True, api=True),
    "api-grievances-letter-sent": Row(P, "letter", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-grievances-letter-regenerate": Row(P, "letter", GRIEVANCE_WORKERS, ok=(200, 201, 400), person=True, api=True),
    "api-retaliation-flag-review": Row(P, None, NOBODY, api=True, denied=(403, 404)),
    "api-title-vi-accept": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-decline": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-request-info": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-info-received": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-close": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-withdraw": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-appeal": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-appeal-decision": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-amend": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-title-vi-link-client": Row(P, "complaint", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-grievance-respond": Row(P, "grievance", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-grievance-vote": Row(P, "grievance", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-grievance-appeal": Row(P, "grievance", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-grievance-withdraw": Row(P, "grievance", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-grievance-amend": Row(P, "grievance", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    "api-grievance-link-client": Row(P, "grievance", GRIEVANCE_WORKERS, ok=(200, 400), person=True, api=True),
    # --- audit ---
    "audit-timeline": Row(G, None, frozenset({"hmis_admin"})),
    "audit-export": Row(G, None, frozenset({"hmis_admin"})),
    "audit-retention": Row(G, None, frozenset({"hmis_admin"})),
    "api-audit": Row(G, None, frozenset({"hmis_admin"}), api=True),
    # --- API ---
    "api-root": Row(G, None, ALL_STAFF, api=True),
    "api-token": Row(P, None, frozenset(PERSONAS), ok=400, api=True),
    "api-agency-list": Row(G, None, ALL_STAFF, api=True),
    "api-agency-detail": Row(G, "agency:vsp", ALL_STAFF, api=True),
    "api-program-list": Row(G, None, ALL_STAFF, api=True),
    "api-program-detail": Row(G, "program:a", ALL_STAFF, api=True),
    "api-client-detail": Row(G, "client", CLIENT_VIEWERS, person=True, api=True, denied=404),
    "api-intake-create": Row(P, None, INTAKE_TAKERS, ok=400, api=True),
    "api-client-duplicates": Row(G, None, INTAKE_TAKERS, api=True, data={"first_name": "Zebulonix", "last_name": "Privatelle",
                                                                           "dob": "1972-02-11"}),
    "api-bnl-list": Row(G, None, BNL_VIEWERS, api=True),
    "api-bnl-detail": Row(G, "entry", BNL_VIEWERS, api=True, denied=(403, 404)),
    "api-bnl-cm-points": Row(P, "entry", CASE_MANAGERS, ok=(400, 403), api=True, denied=(403, 404)),
    "api-vacancy-create": Row(P, "program:a", frozenset({"program_staff"}), ok=201, api=True, denied=404),
    "api-vacancy-pull": Row(P, "vacancy:a", frozenset({"program_staff"}), ok=(201, 400), api=True, denied=404),
    "api-referral-list": Row(G, None, ALL_STAFF, api=True),
    "api-referral-decision": Row(P, "referral", frozenset({"program_staff"}), ok=400, api=True, denied=404),
    "api-referral-chronic-documentation": Row(P, "referral", frozenset({"program_staff"}), ok=400, api=True, denied=404),
    "api-referral-rejections": Row(G, None, frozenset({"coc_staff"}), api=True, denied=403),
    "api-referral-rejection-review": Row(P, "referral", frozenset({"coc_staff"}), ok=404, api=True, denied=403),
    "api-shelter-referral-status": Row(P, None, NOBODY, api=True, denied=404),
    "api-reassignment-list": Row(G, None, ALL_STAFF, api=True),
    "api-reassignment-safety": Row(P, None, frozenset({"supervisor"}), ok=(400, 404), api=True, denied=(400, 403, 404)),
    "api-reassignment-detail": Row(G, "reassignment:shared", REASSIGNERS, api=True, denied=404),
    "api-reassignment-approve": Row(P, "reassignment:shared", frozenset({"coc_staff"}), ok=(200, 400), api=True,
                                    denied=(400, 403, 404)),
    "api-reassignment-deny": Row(P, "reassignment:shared", frozenset({"coc_staff"}), ok=(200, 400), api=True,
                                 denied=(400, 403, 404)),
    "api-reassignment-step": Row(P, "reassignment:shared", NOBODY, api=True, denied=(400, 403, 404)),
    "api-reassignment-propose": Row(P, "reassignment:shared", NOBODY, api=True, denied=(400, 403, 404)),
    "api-reassignment-complete": Row(P, "reassignment:shared", NOBODY, api=True, denied=(400, 403, 404)),
    "api-reassignment-acknowledge": Row(P, "reassignment:shared", NOBODY, api=True, denied=(400, 403, 404)),
    "api-reassignment-handoff": Row(P, "reassignment:shared", NOBODY, api=True, denied=(400, 403, 404)),
    "api-reassignment-lom": Row(P, "reassignment:shared", NOBODY, api=True, denied=(400, 403, 404)),
    "api-client-worker-alert": Row(P, "client", frozenset({"supervisor"}), ok=(200, 400), person=True, api=True,
                                   denied=(403, 404)),
    "api-engagement-list": Row(G, None, ALL_STAFF, api=True),
    "api-engagement-detail": Row(G, "case:shared", ENGAGERS, api=True, denied=404),
    "api-engagement-attempt": Row(P, "case:shared", ENGAGERS, ok=400, api=True, denied=404),
    "api-engagement-letter": Row(P, "case:shared", ENGAGERS, ok=400, api=True, denied=404),
    "api-engagement-form": Row(P, "case:shared", ENGAGERS, ok=400, api=True, denied=404),
    "api-engagement-form-sign": Row(P, None, NOBODY, api=True, denied=404),
    "api-engagement-service": Row(P, "case:shared", ENGAGERS, ok=(200, 201, 400), api=True, denied=404),
    "api-engagement-lost-contact": Row(P, "case:shared", ENGAGERS, ok=(200, 201, 400), api=True, denied=404),
    "api-engagement-referral": Row(P, "case:shared", ENGAGERS, ok=(200, 201, 400), api=True, denied=404),
    "api-bnl-status": Row(P, "entry", frozenset({"coc_staff", "hmis_admin"}), ok=400, api=True, denied=(403, 404)),
    "api-bnl-place-on-coc": Row(P, "entry:survivor", frozenset({"vsp_advocate"}), ok=400, api=True, denied=(403, 404)),
    "api-bnl-rrh-placement-failed": Row(P, "entry", PROGRAM_STAFF, ok=400, api=True, denied=(403, 404)),
    "api-client-assign": Row(P, "client", frozenset({"supervisor"}), ok=400, person=True, api=True, denied=(403, 404)),
    "api-shelter-walk-in": Row(P, "shelter:b", frozenset({"program_staff_b"}), ok=400, api=True, denied=404),
    "api-schema": Row(G, None, frozenset(PERSONAS), api=True),
    "api-docs": Row(G, None, frozenset(PERSONAS)),
}

# Every model in the Django admin, and whether its rows are about a person (then scoped by ces.access).
ADMIN_MODELS = {
    "ces.agency": "config", "ces.program": "config", "ces.closureday": "config", "ces.user": "config",
    "ces.client": "person", "ces.consentrecord": "person", "ces.accesslog": "log", "ces.deadline": "config",
    "ces.notification": "config", "intake.shelter": "config", "intake.povertyguidelineyear": "config",
    "intake.vspcoverage": "config",
    "intake.intake": "person", "intake.assessment": "person",
    "auth.group": "config", "axes.accessattempt": "log", "axes.accessfailurelog": "log", "axes.accesslog": "log",
    "knox.authtoken": "secret", "grievances.outsideagency": "config",
}
ADMIN_PERSON_OBJECTS = {"ces.client": "client", "ces.consentrecord": "consent", "intake.intake": "intake",
                        "intake.assessment": "assessment"}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), (f"{namespace}:" if namespace else "") + (pattern.name or ""), pattern


def project_urls() -> list[tuple[str, str]]:
    return [(route, name) for route, name, _p in _walk(get_resolver().url_patterns) if not route.startswith("admin/")]


def test_every_url_is_in_the_matrix():
    names = {name for _route, name in project_urls()}
    unlisted = sorted(names - set(MATRIX))
    assert not unlisted, f"URLs without a row in MATRIX (add who may use them): {unlisted}"
    gone = sorted(set(MATRIX) - names)
    assert not gone, f"MATRIX rows for URLs that no longer exist: {gone}"


def test_every_admin_model_is_classified():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered <= set(ADMIN_MODELS), f"admin models without a classification: {sorted(registered - set(ADMIN_MODELS))}"


def _targets(world: World, row: Row) -> list[tuple[str | None, int | None]]:
    """(person the target is about, its pk) for each probe of the row."""
    if row.target is None:
        return [(None, None)]
    if ":" in row.target:
        obj = world.objects[row.target]
        person = row.target.split(":")[1] if row.target.split(":")[1] in SECRETS else None
        return [(person, obj.pk)]
    probes = []
    for person in (*SECRETS, "survivor_coc"):
        key = f"{row.target}:{person}"
        if key in world.objects:
            probes.append((person, world.objects[key].pk))
    return probes


def _url(name: str, pk) -> str:
    route = next(route for route, n in project_urls() if n == name)
    kwargs = {}
    if "<id:pk>" in route or "<id:client_pk>" in route:
        kwargs["client_pk" if "<id:client_pk>" in route else "pk"] = pk or 1
    for extra in ("document_pk", "list_pk", "form_pk", "consent_pk"):
        if f"<id:{extra}>" in route:
            kwargs[extra] = 999_999
    if "<str:action>" in route:
        kwargs["action"] = "approve"
    if "<slug:name>" in route:
        kwargs["name"] = "equity"
    if "<slug:action>" in route:
        kwargs["action"] = "accept" if "title-vi" in route else "vote"
    return reverse(name, kwargs=kwargs)


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _expected(row: Row, persona: str, person: str | None) -> tuple:
    """What `persona` gets for `row` about `person`.

    - A person they may not see: 404 (403 only when their role may never use this URL at all,
      which is the same answer for every id and so reveals nothing).
    - A URL their role may use: `row.ok` (for actions: the empty body is refused with 400, or a
      redirect/201 when the action needs no input).
    - Otherwise `row.denied`; an action may also be refused for its empty input first (400).
    """
    if persona == "anonymous" and "anonymous" not in row.allowed:
        return (401,) if row.api else (302,)
    allowed = persona in row.allowed
    hidden = person is not None and (row.person or person == "survivor") and person.split("_")[0] not in MAY_SEE[persona]
    if not hidden and row.agency and person is not None:
        hidden = AGENCY_OF.get(persona) != HOLDER.get(person.split("_")[0])
    if hidden:
        return (404,) if allowed else (403, 404)
    if allowed:
        return _as_tuple(row.ok)
    if row.method == "POST":
        return tuple(sorted({400, *_as_tuple(row.denied)}))
    return _as_tuple(row.denied)


def _client_for(world: World, persona: str) -> WebClient:
    web = WebClient()
    if persona != "anonymous":
        web.force_login(world.users[persona])
    return web


def _leaks(persona: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    found = []
    for key, secret in SECRETS.items():
        if key in MAY_SEE[persona]:
            continue
        found += [f"{key}:{needle}" for needle in secret.needles() if needle in text]
    return found


def _shows_someone(persona: str, body: bytes) -> bool:
    """True when the response holds the name of a person (or complainant) the persona may see."""
    text = body.decode("utf-8", errors="replace")
    return any(SECRETS[key].last_name in text for key in MAY_SEE[persona])


def _document_target(world: World, name: str, pk: int) -> str:
    document = world.objects[next(k for k, v in world.objects.items() if k.startswith("document:") and v.pk == pk)]
    return reverse(name, kwargs={"pk": document.client_id, "document_pk": document.pk})


def test_every_door_as_every_persona():
    world = build_world()  # once: building it takes longer than walking every URL as one persona
    problems = []
    for persona in PERSONAS:
        problems += _walk_every_door(world, persona)
    assert not problems, "\n".join(problems)


def _walk_every_door(world: World, persona: str) -> list[str]:
    web = _client_for(world, persona)
    problems = []
    for name, row in MATRIX.items():
        for person, pk in _targets(world, row):
            url = _document_target(world, name, pk) if name == "client-document" else _url(name, pk)
            data = dict(row.data or {})
            changes = AuditEvent.objects.filter(kind="change").count()
            looks = AccessLog.objects.count()
            if row.method == G:
                response = web.get(url, data, HTTP_ACCEPT="application/json" if row.api else "text/html")
            elif row.api:
                response = web.post(url, data, content_type="application/json")
            else:
                response = web.post(url, data)
            expected = _expected(row, persona, person)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            refused = persona not in row.allowed or 404 in expected and len(expected) == 1
            if refused and AuditEvent.objects.filter(kind="change").count() != changes:
                problems.append(f"{row.method} {url} ({name}, {person or '-'}): refused, yet it changed a record")
            if response.status_code not in expected:
                problems.append(f"{row.method} {url} ({name}, {person or '-'}): {response.status_code}, expected {expected}")
            if response.status_code >= 500:
                problems.append(f"{row.method} {url}: server error")
            if leaks := _leaks(persona, body):
                problems.append(f"{row.method} {url} ({name}): shows {leaks}")
            # Access-log completeness: a page that shows a person's data leaves exactly one row.
            if row.method == G and response.status_code == 200 and _shows_someone(persona, body):
                logged = AccessLog.objects.count() - looks
                if logged != 1:
                    problems.append(f"GET {url} ({name}): shows personal data, {logged} access-log rows (expected 1)")
            web = _client_for(world, persona)  # logout, language and session changes never carry over
    return [f"{persona}: {problem}" for problem in problems]


def _admin_object_ids(world: World, label: str) -> list[tuple[str, int]]:
    from ces.models import ConsentRecord
    from intake.models import Assessment

    kind = ADMIN_PERSON_OBJECTS[label]
    ids = []
    for person, client in world.clients.items():
        if kind == "client":
            ids.append((person, client.pk))
        elif kind == "consent":
            ids += [(person, pk) for pk in ConsentRecord.objects.filter(client=client).values_list("pk", flat=True)[:1]]
        elif kind == "intake":
            ids.append((person, world.objects[f"intake:{person}"].pk))
        elif kind == "assessment":
            ids += [(person, pk) for pk in Assessment.objects.filter(client=client).values_list("pk", flat=True)[:1]]
    return ids


def test_the_admin_shows_nobody_a_person_they_may_not_see():
    world = build_world()
    problems = []
    for persona in ("hmis_admin", "coc_staff", "call_agent", "anonymous"):
        problems += [f"{persona}: {problem}" for problem in _walk_the_admin(world, persona)]
    assert not problems, "\n".join(problems)


def _walk_the_admin(world: World, persona: str) -> list[str]:
    web = _client_for(world, persona)
    problems = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        info = model._meta.app_label, model._meta.model_name
        pages = [reverse("admin:%s_%s_changelist" % info), reverse("admin:%s_%s_changelist" % info) + "?q=Vesper"]
        if ADMIN_MODELS[label] == "person":
            for _person, pk in _admin_object_ids(world, label):
                pages += [reverse("admin:%s_%s_change" % info, args=[pk]), reverse("admin:%s_%s_history" % info, args=[pk])]
                history = model.history.filter(id=pk).order_by("history_id").first() if hasattr(model, "history") else None
                if history is not None:
                    try:
                        pages.append(reverse("admin:%s_%s_simple_history" % info, args=[pk, history.history_id]))
                    except NoReverseMatch:  # this admin offers no history versions at all
                        pass
        for url in pages:
            response = web.get(url)
            if response.status_code >= 500:
                problems.append(f"GET {url}: {response.status_code}")
            if persona != "hmis_admin" and response.status_code == 200:
                problems.append(f"GET {url}: 200 for {persona}")
            if leaks := _leaks(persona, response.content):
                problems.append(f"GET {url}: shows {leaks}")
    return problems


def test_no_admin_history_form_can_move_a_survivor_to_another_agency():
    world = build_world()
    web = _client_for(world, "hmis_admin")
    survivor = world.clients["survivor"]
    history = survivor.history.order_by("history_id").first()
    url = reverse("admin:ces_client_simple_history", args=[survivor.pk, history.history_id])
    response = web.post(url, {"holding_agency": world.agencies["ha"].pk, "_save": "Revert"})
    survivor.refresh_from_db()
    assert response.status_code in (403, 404, 302)
    assert survivor.holding_agency_id == world.agencies["vsp"].pk

