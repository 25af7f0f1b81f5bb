"""The call agent's screens: drafts, the one-page form, completion, the summary, amendments."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ces.models import ClientDocument
from intake.duplicates import duplicate_candidates
from intake.models import Intake
from intake.pdf import VAT_ROWS
from intake.presentation import WATCHED_FOR_DUPLICATES, live_score, section_views, visibility
from intake.questions import BY_CODE, DECLINED, FLAG
from intake.selectors import drafts_for, intake_get_for_user, poverty_table_in_force, victim_service_providers
from intake.services import (
    IntakeInvalid,
    intake_amend,
    intake_answers,
    intake_autosave,
    intake_complete,
    intake_discard,
    intake_draft_answers,
    intake_start,
    intake_validate,
)

AMENDABLE_SECTIONS = ("meta", "personal", "shelter_nevada", "shelter_placer", "vi")


def _posted_answers(request) -> dict:
    """The form's answers as typed: every known code present in the POST, plus the
    duplicate decision. Unticked checkboxes post their hidden 'false'."""
    answers = {}
    for code in request.POST:
        if code in BY_CODE:
            values = request.POST.getlist(code)
            answers[code] = values[-1] if BY_CODE[code].type == FLAG else values[0]
        elif code in ("_client_id", "_new_person"):
            answers[code] = request.POST[code]
    return answers


def _ref_options() -> dict[str, list[dict]]:
    return {"dv_referral_agency": [{"value": str(a.pk), "label": a.name} for a in victim_service_providers()]}


def _form_context(intake: Intake, answers: dict, errors: dict | None = None, *, user) -> dict:
    language = intake.call_language
    cleaned, validation_errors, shelters = intake_validate(answers, complete=False, language=language)
    shown_errors = errors if errors is not None else {}
    collected = cleaned.get("collected_at") or timezone.localtime()
    duplicates = None
    if any(answers.get(code) for code in ("first_name", "last_name")) or len(str(answers.get("ssn", ""))) >= 9:
        duplicates = duplicate_candidates(
            user=user,
            first_name=str(answers.get("first_name", "")),
            last_name=str(answers.get("last_name", "")),
            dob=cleaned.get("dob") if isinstance(cleaned.get("dob"), date) else None,
            ssn=str(answers.get("ssn", "")),
        )
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
        "duplicates": duplicates,
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
def intake_new(request):
    intake = intake_start(actor=request.user, call_language=request.POST.get("call_language", request.LANGUAGE_CODE))
    return redirect("intake-detail", pk=intake.pk)


@login_required
def intake_detail(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    if intake.status != Intake.Status.DRAFT:
        return _summary(request, intake)
    if intake.csr_id != request.user.pk:
        raise PermissionDenied
    answers = intake_draft_answers(intake)
    errors = None
    if request.method == "POST":  # the form without JavaScript: save, then finish if asked
        answers = intake_autosave(intake=intake, actor=request.user, answers=_posted_answers(request))
        if request.POST.get("action") == "complete":
            return _complete(request, intake)
        messages.success(request, _("Saved."))
    return render(request, "intake/form.html", _form_context(intake, answers, errors, user=request.user))


@login_required
@require_POST
def intake_autosave_view(request, pk: int):
    """HTMX: save what was typed; swap in only the blocks whose visibility changed."""
    intake = intake_get_for_user(user=request.user, pk=pk)
    if intake.status != Intake.Status.DRAFT or intake.csr_id != request.user.pk:
        raise PermissionDenied
    before = intake_draft_answers(Intake.objects.get(pk=intake.pk))
    language_changed = request.POST.get("call_language") not in (None, intake.call_language)
    after = intake_autosave(
        intake=intake, actor=request.user, answers=_posted_answers(request), call_language=request.POST.get("call_language")
    )
    if language_changed:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    intake.call_language = request.POST.get("call_language") or intake.call_language
    context = _form_context(intake, after, user=request.user)
    shown_before, shown_after = visibility(before), visibility(after)
    changed = {block for block, shown in shown_after.items() if shown_before.get(block) != shown}
    sections = {s.code: s for s in context["sections"]}
    questions = {q.code: q for s in context["sections"] for q in s.questions}
    parts = [render_to_string("intake/_saved.html", {"saved_at": timezone.localtime()}, request=request)]
    for block in sorted(changed):
        kind, _sep, code = block.partition("-")
        if kind == "section" and code in sections:
            parts.append(render_to_string("intake/_section.html", {**context, "section": sections[code], "oob": True}, request=request))
        elif kind == "q" and code in questions and f"section-{questions[code].question.section}" not in changed:
            parts.append(render_to_string("intake/_question.html", {**context, "q": questions[code], "oob": True}, request=request))
        elif kind == "dv":
            parts.append(render_to_string("intake/_dv_banner.html", {**context, "oob": True}, request=request))
    parts.append(render_to_string("intake/_score.html", {**context, "oob": True}, request=request))
    shelter_state = lambda answers: [(r.shelter.pk, r.eligible, tuple(r.reasons)) for r in intake_validate(answers, complete=False)[2]]  # noqa: E731
    if shelter_state(before) != shelter_state(after):
        parts.append(render_to_string("intake/_shelters.html", {**context, "oob": True}, request=request))
    if any(str(before.get(code, "")) != str(after.get(code, "")) for code in WATCHED_FOR_DUPLICATES):
        parts.append(render_to_string("intake/_duplicates.html", {**context, "oob": True}, request=request))
    return HttpResponse("".join(parts))


@login_required
@require_POST
def intake_complete_view(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    if intake.status != Intake.Status.DRAFT or intake.csr_id != request.user.pk:
        raise PermissionDenied
    intake_autosave(intake=intake, actor=request.user, answers=_posted_answers(request))
    return _complete(request, intake)


def _complete(request, intake: Intake):
    try:
        intake_complete(intake=intake, actor=request.user)
    except IntakeInvalid as invalid:
        answers = intake_draft_answers(intake)
        context = _form_context(intake, answers, invalid.errors, user=request.user)
        response = render(request, "intake/form.html", context, status=200)
        if request.htmx:
            response["HX-Retarget"] = "body"
            response["HX-Reswap"] = "innerHTML"
        return response
    messages.success(request, _("Intake completed."))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = intake_url(intake)
        return response
    return redirect("intake-detail", pk=intake.pk)


def intake_url(intake: Intake) -> str:
    from django.urls import reverse

    return reverse("intake-detail", args=[intake.pk])


@login_required
@require_POST
def intake_discard_view(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    try:
        intake_discard(intake=intake, actor=request.user)
    except PermissionError:
        raise PermissionDenied from None
    messages.success(request, _("Draft discarded."))
    return redirect("intake-home")


def _summary(request, intake: Intake):
    from ces.access import client_is_visible_to

    assessment = getattr(intake, "assessment", None) if intake.outcome == Intake.Outcome.ASSESSED else None
    client = intake.client
    can_see_client = client is not None and client_is_visible_to(user=request.user, client=client)
    documents = (
        ClientDocument.objects.filter(source_type="intake.assessment", source_id=str(assessment.pk)).order_by("-version")
        if assessment and can_see_client
        else []
    )
    answers = intake_answers(intake)
    _cleaned, _errors, shelters = intake_validate(answers, complete=False, language=request.LANGUAGE_CODE)
    rows = (
        [{"wording": wording, "points": assessment.indicators.get(code, 0)} for code, wording in VAT_ROWS]
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
            "can_amend": _may_amend(request.user, intake),
            "dv_referral": getattr(intake, "dv_referral", None),
        },
    )


def _may_amend(user, intake: Intake) -> bool:
    return intake.outcome not in ("", Intake.Outcome.DV_REFERRED) and (
        intake.csr_id == user.pk or user.has_perm("intake.amend_intake")
    )


@login_required
def intake_amend_view(request, pk: int):
    intake = intake_get_for_user(user=request.user, pk=pk)
    if intake.status != Intake.Status.COMPLETED or not _may_amend(request.user, intake):
        raise PermissionDenied
    current = intake_answers(intake)
    errors: dict = {}
    reason = ""
    if request.method == "POST":
        posted = _posted_answers(request)
        reason = request.POST.get("reason", "")
        changes = {
            code: value for code, value in posted.items()
            if code in BY_CODE and BY_CODE[code].section in AMENDABLE_SECTIONS and str(current.get(code, "")) != str(value)
        }
        try:
            intake_amend(intake=intake, actor=request.user, changes=changes, reason=reason)
        except IntakeInvalid as invalid:
            errors = invalid.errors
            current = {**current, **posted}
        else:
            messages.success(request, _("Intake amended; the history keeps the previous answers."))
            return redirect("intake-detail", pk=intake.pk)
    sections = [s for s in section_views(current, errors, request.LANGUAGE_CODE, _ref_options()) if s.code in AMENDABLE_SECTIONS and s.visible]
    return render(request, "intake/amend.html", {"intake": intake, "sections": sections, "errors": errors, "reason": reason,
                                                 "declined": DECLINED})
