"""The completed Vulnerability Assessment Tool as a PDF, in the Appendix B layout.

Rendering sits below the services that ask for it (intake completion and
amendment, bnl's case-management points): this module imports no app above
intake, so `bnl` can ask for a new version without importing intake.services.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ces.deadlines import deadline_pending, deadline_schedule
from ces.documents import document_keep, pdf_render
from ces.models import ClientDocument, User
from ces.tasks import enqueue_or_leave_to_sweep
from intake import policy
from intake.models import Assessment
from intake.selectors import poverty_table_in_force
from intake.tasks import assessment_pdf_render

PDF_KIND = "intake.assessment_pdf"

# The rows of Appendix B, in its order and words: (indicator code, wording).
VAT_ROWS = [
    ("age", "Individual is less than 25 years of age - OR - over 59 years of age"),
    ("unaccompanied_youth", "Individual is unaccompanied youth under 18 years of age"),
    ("gender", "Self is Female - or - Self or HH Member is Transgender or Gender Non-Conforming"),
    ("pregnant", "Self or HH Member is Pregnant"),
    ("children", "Household has children under 18"),
    ("sleep_location", "Slept most frequently in last 30 days = literally homeless - OR - institutional setting"),
    ("unstable_housing", "Current length of time in unstable housing: 1 - 3 years = 1 point; 3 - 5 years = 2 points; 5 + years = 3 points"),
    ("er_visits", "Self or HH Member has been hospitalized or visited an emergency room 3 or more times in last 6 months"),
    ("police", "Self or HH Member had an interaction with police 6 or more times in last 6 months"),
    ("health_mental", "Self has health conditions related to: Mental Health"),
    ("health_substance_alcohol", "Substance and/or Alcohol Abuse"),
    ("health_physical_sensory", "Physical / Sensory Disability"),
    ("health_developmental", "Developmental Disability"),
    ("health_hiv_aids", "HIV/Aids"),
    ("health_chronic", "Chronic Health Conditions (ie. diabetes or complications with heart, liver, kidney, stomach, or brain)"),
    ("health_three_or_more", "If yes to 3 or more of above categories, add 1 point"),
    ("household_member_health", "HH Member has one or more of the above listed health conditions"),
    ("attacked", "Self or HH Member has been attacked, hurt, or threatened since becoming homeless"),
    ("self_harm", "Self or HH Member has threatened to or tried to end their own life"),
    ("dv_experienced", "Self or HH Member has experienced domestic violence, sexual assault, or human trafficking"),
    ("dv_fleeing", "Self or HH Member is currently fleeing, or attempting to flee, a DV/SA/HT/Stalking situation"),
    ("income", "Household Income is at - OR - below federal guidelines for household size (2017 Federal Poverty Guidelines)"),
]
INDICATOR_WORDING = dict(VAT_ROWS)
# The same rows on the screens, in the reader's language (the PDF keeps Appendix B's English words).
INDICATOR_LABELS = {
    "age": _("Individual is less than 25 years of age - OR - over 59 years of age"),
    "unaccompanied_youth": _("Individual is unaccompanied youth under 18 years of age"),
    "gender": _("Self is Female - or - Self or HH Member is Transgender or Gender Non-Conforming"),
    "pregnant": _("Self or HH Member is Pregnant"),
    "children": _("Household has children under 18"),
    "sleep_location": _("Slept most frequently in last 30 days = literally homeless - OR - institutional setting"),
    "unstable_housing": _("Current length of time in unstable housing: 1 - 3 years = 1 point; 3 - 5 years = 2 points; 5 + years = 3 points"),
    "er_visits": _("Self or HH Member has been hospitalized or visited an emergency room 3 or more times in last 6 months"),
    "police": _("Self or HH Member had an interaction with police 6 or more times in last 6 months"),
    "health_mental": _("Self has health conditions related to: Mental Health"),
    "health_substance_alcohol": _("Substance and/or Alcohol Abuse"),
    "health_physical_sensory": _("Physical / Sensory Disability"),
    "health_developmental": _("Developmental Disability"),
    "health_hiv_aids": _("HIV/Aids"),
    "health_chronic": _("Chronic Health Conditions (ie. diabetes or complications with heart, liver, kidney, stomach, or brain)"),
    "health_three_or_more": _("If yes to 3 or more of above categories, add 1 point"),
    "household_member_health": _("HH Member has one or more of the above listed health conditions"),
    "attacked": _("Self or HH Member has been attacked, hurt, or threatened since becoming homeless"),
    "self_harm": _("Self or HH Member has threatened to or tried to end their own life"),
    "dv_experienced": _("Self or HH Member has experienced domestic violence, sexual assault, or human trafficking"),
    "dv_fleeing": _("Self or HH Member is currently fleeing, or attempting to flee, a DV/SA/HT/Stalking situation"),
    "income": _("Household Income is at - OR - below federal guidelines for household size (2017 Federal Poverty Guidelines)"),
}


def assessment_pdf_bytes(assessment: Assessment) -> bytes:
    client = assessment.client
    poverty = poverty_table_in_force()
    rows = [
        {"code": code, "wording": wording, "available": policy.INDICATOR_POINTS[code],
         "assigned": assessment.indicators.get(code, 0)}
        for code, wording in VAT_ROWS
    ]
    return pdf_render(
        "intake/assessment_pdf.html",
        {
            "assessment": assessment,
            "client": client,
            "rows": rows,
            "case_management": [1 if i < assessment.case_management else 0 for i in range(policy.CASE_MANAGEMENT_ITEMS)],
            "subtotal_max": policy.SUBTOTAL_MAX,
            "score_max": policy.SCORE_MAX,
            "poverty_rows": [(size, *poverty.rows[size]) for size in sorted(poverty.rows)],
            "poverty": poverty,
            "generated_at": timezone.localtime(),
        },
        language="en",  # the VAT form of Appendix B, in its own words
    )


def assessment_pdf_store(*, assessment: Assessment, actor: User) -> ClientDocument:
    """Render and keep a new version of the assessment PDF on the client's file (ces.documents)."""
    return document_keep(
        content=assessment_pdf_bytes(assessment), source=assessment, kind=ClientDocument.Kind.ASSESSMENT,
        title=f"Vulnerability Assessment {assessment.assessed_at:%Y-%m-%d} (score {assessment.total})",
        actor=actor, client=assessment.client, filename=f"vat-{assessment.pk}",
    )


# Bulk work (the demo's 300 synthetic callers) must not queue its PDFs ahead of the users' own: inside
# `assessment_pdfs_in_background()` no task is queued and the render is left to the periodic sweep, due
# a little later, so every PDF a person asks for goes first (docs/operations.md, "Demo data").
_BACKGROUND: ContextVar[bool] = ContextVar("assessment_pdfs_in_background", default=False)
BACKGROUND_DELAY = timedelta(minutes=2)


@contextmanager
def assessment_pdfs_in_background():
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


def assessment_pdf_schedule(*, assessment: Assessment, created: bool = False, deadlines_to: list | None = None) -> None:
    """Render the assessment PDF off the request: a deadline row due now (so a dead
    broker only delays it), and a task queued after commit to do it at once. An assessment
    `created` in this transaction has no pending render yet (nothing to look up); its deadline
    goes to `deadlines_to` when given (scheduled there with others in one statement)."""
    background = _BACKGROUND.get()
    due_at = timezone.now() + (BACKGROUND_DELAY if background else timedelta())
    if created and deadlines_to is not None:
        deadlines_to.append((PDF_KIND, assessment, due_at))
    elif created or not deadline_pending(kind=PDF_KIND, subject=assessment):  # a pending render shows the latest state
        deadline_schedule(kind=PDF_KIND, subject=assessment, due_at=due_at)
    if not background:
        transaction.on_commit(lambda: enqueue_or_leave_to_sweep(assessment_pdf_render, assessment.pk))
