"""The call agent's screens: drafts, the one-page form, completion, the summary, amendments.

Each action follows docs/architecture.md ("The path of an action"): bind the
declared input (intake.inputs), fetch the intake through its access helper
(intake.selectors, 404 for what the user may not see), call one service;
refusals (ces.errors) are shown by ces.web.screen_action. The form and the
amendment screen show each problem at its question: they ask the service
which answers it would refuse (intake_completion_errors, intake_amend_errors)
before asking it to act.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ces.access import client_is_visible_to
from ces.audit import access_log_record
from ces.inputs import bind
from ces.models import AccessLog, ClientDocument
from ces.web import screen_action
from intake.duplicates import duplicate_search
from intake.inputs import AmendInput, CallFormInput, CallStartInput, DiscardInput, stop_box_query
from intake.models import Intake
from intake.pdf import INDICATOR_LABELS, VAT_ROWS
from intake.presentation import WATCHED_FOR_DUPLICATES, live_score, section_views, visibility
from intake.questions import BY_CODE, DECLINED, PERSONAL_CODES
from intake.selectors import drafts_for, intake_get_for_user, intake_may_amend, poverty_table_in_force, victim_service_providers
from intake.services import (
    AMENDABLE_SECTIONS,
    CONSENT_CODES,
    intake_amend,
    intake_amend_errors,
    intake_amendable,
    intake_answers,
    intake_autosave,
    intake_complete,
    intake_completion_errors,
    intake_discard,
    intake_draft_answers,
    intake_start,
    intake_validate,
)

SAVED = _("Saved.")
COMPLETED = _("Intake completed.")
IDENTITY_KEPT = _(
    "The person's {fields} on file differ from the caller's answers and were kept. To correct the "
    "record, amend this intake with a reason."
)
PERSON_LEFT_ALONE = _(
    "The assessment was added to this person's record; their details and consents are held by another "
    "agency and were not changed."
)
IDENTITY_LABELS = {
    "first_name": _("first name"), "middle_name": _("middle name"), "last_name": _("last name"),
    "name_data_quality": _("name data quality"), "dob": _("date of birth"), "dob_data_quality": _("DOB data quality"),
    "ssn": _("Social Security number"), "ssn_data_quality": _("SSN data quality"),
}
DISCARDED = _("Draft discarded.")
AMENDED = _("Intake amended; the history keeps the previous answers.")


def _ref_options() -> dict[str, list[dict]]:
    return {"dv_referral_agency": [{"value": str(a.pk), "label": a.name} for a in victim_service_providers()]}


def _stop_box(request, answers: dict):
    """The duplicate check at the form's STOP point: None while there is nothing to check yet."""
    query = stop_box_query(answers)
    if query is None:
        return None
    return duplicate_search(user=request.user, request=request, **query)


def _form_context(request, intake: Intake, answers: dict, errors: dict | None = None, *, duplicates: bool = True,
                  unstored: dict | None = None) -> dict:
    """The call form for these answers. Without `errors` (finishing refused), the answers that
    would be refused are marked anyway, so a reopened draft shows what needs checking."""
    language = intake.call_language
    cleaned, validation_errors, shelters = intake_validate(answers, complete=False, language=language)
    shown_errors = dict(errors) if errors is not None else {**validation_errors}
    for code, problems in (unstored or {}).items():
        shown_errors.setdefault(code, []).extend(problems)
    collected = cleaned.get("collected_at") or timezone.localtime()
    return {
        "intake": intake,
        "language": language,
        "answers": answers,
        "sections": section_views(answers, shown_errors, language, _ref_options()),
        "errors": shown_errors,
        "error_list": [(code, BY_CODE[code].wording(language) if code in BY_CODE else code, msgs) for code, msgs in shown_errors.items()],
        "shelters": shelters,
        "shelter_choice": str(answers.get("shelter_choice", "")),
        "score": live_score(answers, cleaned, collected_at=collected, poverty=poverty_table_in_force()),
        "duplicates": _stop_box(request, answers) if duplicates else None,
        "chosen_client": str(answers.get("_client_id", "")),
        "new_person": answers.get("_new_person") == "yes",
        "declined": DECLINED,
    }


@login_required
@permission_required("intake.add_intake", raise_exception=True)
def intake_home(request):
    return render(request, "intake/home.html", {"drafts": drafts_for(request.user)})


@login_required
@permission_required("intake.add_intake", raise_exception=True)
@require_POST
@screen_action(fallback="intake-home")
def intake_new(request):
    values = bind(CallStartInput, request.POST)
    intake = intake_start(actor=request.user, call_language=values.get("call_language") or request.LANGUAGE_CODE)
    return redirect("intake-detail", pk=intake.pk)


@login_required
@screen_action(fallback="intake-home")
def intake_detail(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    if intake.status != Intake.Status.DRAFT:
        return _summary(request, intake)
    if request.method == "POST":  # the form without JavaScript: save, then finish if asked
        values = bind(CallFormInput, request.POST)
        saved = intake_autosave(intake=intake, actor=request.user, answers=values["answers"])
        if values.get("action") == "complete":
            return _complete(request, intake)
        messages.success(request, SAVED)
        return render(request, "intake/form.html", _form_context(request, intake, saved.answers, unstored=saved.unstored))
    return render(request, "intake/form.html", _form_context(request, intake, intake_draft_answers(intake)))


def _shelter_state(answers: dict, language: str) -> list:
    return [(r.shelter.pk, r.eligible, tuple(r.reasons)) for r in intake_validate(answers, complete=False, language=language)[2]]


@login_required
@require_POST
@screen_action(fallback="intake-home")
def intake_autosave_view(request, pk: int):
    """HTMX: save what was typed; swap in only the blocks whose visibility changed."""
    intake = intake_get_for_user(user=request.user, pk=pk)
    values = bind(CallFormInput, request.POST)
    before = intake_draft_answers(intake)
    language = values.get("call_language")
    language_changed = language is not None and language != intake.call_language
    saved = intake_autosave(intake=intake, actor=request.user, answers=values["answers"], call_language=language)
    if language_changed:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    after = saved.answers
    duplicates_changed = any(str(before.get(code, "")) != str(after.get(code, "")) for code in WATCHED_FOR_DUPLICATES)
    context = _form_context(request, intake, after, duplicates=duplicates_changed, unstored=saved.unstored)
    shown_before, shown_after = visibility(before), visibility(after)
    changed = {block for block, shown in shown_after.items() if shown_before.get(block) != shown}
    sections = {s.code: s for s in context["sections"]}
    questions = {q.code: q for s in context["sections"] for q in s.questions}
    parts = [render_to_string("intake/_saved.html", {**context, "saved_at": timezone.localtime()}, request=request)]
    for block in sorted(changed):
        kind, _sep, code = block.partition("-")
        if kind == "section" and code in sections:
            parts.append(render_to_string("intake/_section.html", {**context, "section": sections[code], "oob": True}, request=request))
        elif kind == "q" and code in questions and f"section-{questions[code].question.section}" not in changed:
            parts.append(render_to_string("intake/_question.html", {**context, "q": questions[code], "oob": True}, request=request))
        elif kind == "dv":
            parts.append(render_to_string("intake/_dv_banner.html", {**context, "oob": True}, request=request))
    parts.append(render_to_string("intake/_score.html", {**context, "oob": True}, request=request))
    if _shelter_state(before, intake.call_language) != _shelter_state(after, intake.call_language):
        parts.append(render_to_string("intake/_shelters.html", {**context, "oob": True}, request=request))
    if duplicates_changed:
        parts.append(render_to_string("intake/_duplicates.html", {**context, "oob": True}, request=request))
    return HttpResponse("".join(parts))


@login_required
@require_POST
@screen_action(fallback="intake-home")
def intake_complete_view(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    values = bind(CallFormInput, request.POST)
    intake_autosave(intake=intake, actor=request.user, answers=values["answers"])
    return _complete(request, intake)


def _complete(request, intake: Intake):
    problems = intake_completion_errors(intake=intake, actor=request.user)
    if problems:
        context = _form_context(request, intake, intake_draft_answers(intake), problems)
        response = render(request, "intake/form.html", context, status=200)
        if request.htmx:
            response["HX-Retarget"] = "body"
            response["HX-Reswap"] = "innerHTML"
        return response
    result = intake_complete(intake=intake, actor=request.user)
    messages.success(request, COMPLETED)
    if result.person_left_alone:
        messages.info(request, PERSON_LEFT_ALONE)
    elif result.identity_kept:
        fields = ", ".join(str(IDENTITY_LABELS[code]) for code in result.identity_kept)
        messages.info(request, format_lazy(IDENTITY_KEPT, fields=fields))
    url = reverse("intake-detail", args=[intake.pk])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
@screen_action(fallback="intake-home")
def intake_discard_view(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    bind(DiscardInput, request.POST)
    intake_discard(intake=intake, actor=request.user)
    messages.success(request, DISCARDED)
    return redirect("intake-home")


def _summary(request, intake: Intake):
    assessment = getattr(intake, "assessment", None) if intake.outcome == Intake.Outcome.ASSESSED else None
    client = intake.client
    can_see_client = client is not None and client_is_visible_to(user=request.user, client=client)
    if can_see_client:
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=client,
                          obj=intake, detail="intake summary")
    documents = (
        ClientDocument.objects.filter(source_type="intake.assessment", source_id=str(assessment.pk)).order_by("-version")
        if assessment and can_see_client
        else []
    )
    answers = intake_answers(intake, personal=False)
    _cleaned, _errors, shelters = intake_validate(answers, complete=False, language=request.LANGUAGE_CODE)
    rows = (
        [{"wording": INDICATOR_LABELS[code], "points": assessment.indicators.get(code, 0)} for code, _wording in VAT_ROWS]
        if assessment
        else []
    )
    return render(
        request,
        "intake/summary.html",
        {
            "intake": intake,
            "assessment": assessment,
            "rows": rows,
            "client": client,
            "can_see_client": can_see_client,
            "bnl_entry": client.bnl_entries.filter(assessment=assessment).first() if assessment else None,
            "shelter_referrals": intake.shelter_referrals.select_related("shelter"),
            "shelters": shelters,
            "documents": documents,
            "can_amend": intake_may_amend(request.user, intake),
            "dv_referral": getattr(intake, "dv_referral", None),
        },
    )


@login_required
@screen_action(fallback="intake-home")
def intake_amend_view(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    intake_amendable(intake=intake, actor=request.user)
    client = intake.client
    sees_person = client is not None and client_is_visible_to(user=request.user, client=client)
    current = intake_answers(intake, personal=sees_person)
    errors: dict = {}
    reason = ""
    if request.method == "POST":
        values = bind(AmendInput, request.POST)
        reason = values["reason"]
        errors = intake_amend_errors(intake=intake, actor=request.user, changes=values["changes"], reason=reason)
        if not errors:
            intake_amend(intake=intake, actor=request.user, changes=values["changes"], reason=reason)
            messages.success(request, AMENDED)
            return redirect("intake-detail", pk=intake.pk)
        current = {**current, **values["changes"]}
    if sees_person:
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=client,
                          obj=intake, detail="intake amendment form")
    hidden = set() if sees_person else set(PERSONAL_CODES) | set(CONSENT_CODES)
    sections = []
    for section in section_views(current, errors, request.LANGUAGE_CODE, _ref_options()):
        section.questions = [q for q in section.questions if q.code not in hidden]
        if section.code in AMENDABLE_SECTIONS and any(q.visible for q in section.questions):
            sections.append(section)
    error_list = [(code, BY_CODE[code].wording(request.LANGUAGE_CODE), texts) for code, texts in errors.items() if code in BY_CODE]
    return render(request, "intake/amend.html", {"intake": intake, "sections": sections, "errors": errors, "reason": reason,
                                                 "error_list": error_list, "declined": DECLINED, "person_hidden": not sees_person})
