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
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ces.access import client_is_visible_to
from ces.audit import access_log_record
from ces.inputs import bind, parse_id
from ces.models import AccessLog, Client, ClientDocument
from ces.web import screen_action
from intake import policy
from intake.duplicates import duplicate_search
from intake.inputs import AmendInput, CallFormInput, CallStartInput, DiscardInput, DvReferralMarkInput, stop_box_query
from intake.models import DvReferral, Intake
from intake.pdf import VAT_ROWS
from intake.presentation import (
    STOP_BOX_LABELS,
    WATCHED_FOR_COMPARISON,
    context_answers,
    form_order,
    live_score,
    section_views,
    visibility,
)
from intake.questions import BY_CODE, DECLINED, PERSONAL_CODES, dv_offer_place
from intake.selectors import (
    drafts_for,
    dv_hotlines,
    dv_referral_get_for_user,
    dv_referrals_for,
    intake_get_for_user,
    intake_may_amend,
    poverty_table_in_force,
    vsps_for_county,
)
from intake.services import (
    AMENDABLE_SECTIONS,
    CONSENT_CODES,
    IDENTITY_GROUP_CODES,
    dv_referral_mark,
    dv_referral_shared,
    identity_groups_differing,
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
from intake.validation import answer_view

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


DV_REFERRAL_MARKED = _("Referral updated.")
IDENTITY_GROUP_TITLES = {"name": _("Name"), "dob": _("Date of birth"), "ssn": _("Social Security number")}


def _ref_options(county: str = "") -> dict[str, list[dict]]:
    """The VSPs offered to this caller: those serving their county (data), else all."""
    return {"dv_referral_agency": [{"value": str(a.pk), "label": a.name} for a in vsps_for_county(county)]}


def _county(answers: dict) -> str:
    county = answers.get("county")
    return county if isinstance(county, str) else ""


def _stop_box(request, answers: dict):
    """The duplicate check at the form's STOP point: None while there is nothing to check yet."""
    query = stop_box_query(answers)
    if query is None:
        return None
    return duplicate_search(user=request.user, request=request, **query)


def _identity_display(values: dict, group: str, language: str) -> str:
    """One identity group as the agent reads it: the values and their data quality."""
    codes = IDENTITY_GROUP_CODES[group]
    shown = []
    for code in codes:
        value = values.get(code)
        if value in (None, ""):
            continue
        if code == "ssn":
            shown.append(f"***-**-{str(value)[-4:]}")
        elif code == "dob":
            shown.append(date_format(value, "DATE_FORMAT") if hasattr(value, "year") else str(value))
        elif code.endswith("_data_quality"):
            shown.append(f"({BY_CODE[code].choice_label(str(value), language)})")
        else:
            shown.append(str(value))
    return " ".join(shown) or "—"


def _comparison(request, intake: Intake, answers: dict, cleaned: dict, errors: dict | None = None, *, log: bool = True) -> dict | None:
    """The STOP box's side by side: the chosen person's record and the caller's answers, group by
    group (name, DOB, SSN), with the agent's choice of which to keep. Only for a person the agent
    may see (each showing is one access-log row); others are left alone and say so."""
    client_id = answers.get("_client_id")
    if client_id in (None, "", "new"):
        return None
    client = Client.objects.filter(pk=parse_id(client_id) or 0).select_related("holding_agency").first()
    if client is None or (client.holding_agency.is_vsp and client.holding_agency_id != request.user.agency_id):
        return None
    if not client_is_visible_to(user=request.user, client=client):
        return {"client": client, "visible": False}
    if log:
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=client, obj=intake,
                          detail="STOP box: record compared with the caller's answers")
    differing = identity_groups_differing(client, cleaned)
    on_file = {code: getattr(client, code, "") for group in IDENTITY_GROUP_CODES.values() for code in group if code != "ssn"}
    on_file["ssn"] = client.ssn_last4 or ""
    rows = [
        {"group": group, "title": IDENTITY_GROUP_TITLES[group], "differs": group in differing,
         "file": _identity_display(on_file, group, intake.call_language),
         "caller": _identity_display(cleaned, group, intake.call_language),
         "keep": answers.get(f"_keep_{group}", ""), "errors": (errors or {}).get(f"_keep_{group}", [])}
        for group in IDENTITY_GROUP_CODES
    ]
    needs_reason = any(row["differs"] and row["keep"] == "caller" for row in rows)
    reason = answers.get("_identity_reason")
    return {"client": client, "visible": True, "rows": rows, "differs": bool(differing), "needs_reason": needs_reason,
            "reason": reason if isinstance(reason, str) else ""}


def _form_context(request, intake: Intake, answers: dict, errors: dict | None = None, *, duplicates: bool = True,
                  unstored: dict | None = None, comparison: bool = True, focus: bool = False) -> dict:
    """The call form for these answers. Without `errors` (finishing refused), the answers that
    would be refused are marked anyway, so a reopened draft shows what needs checking."""
    language = intake.call_language
    at_vsp = intake.agency.is_vsp
    cleaned, validation_errors, shelters = intake_validate(answers, complete=False, language=language, at_vsp=at_vsp)
    shown_errors = dict(errors) if errors is not None else {**validation_errors}
    for code, problems in (unstored or {}).items():
        shown_errors.setdefault(code, []).extend(problems)
    collected = cleaned.get("collected_at") or timezone.localtime()
    ordered = sorted(shown_errors.items(), key=lambda item: form_order(item[0]))
    county = _county(answers)
    view = answer_view(context_answers(answers, at_vsp))
    sections = section_views(answers, shown_errors, language, _ref_options(county), at_vsp=at_vsp)
    return {
        "intake": intake,
        "language": language,
        "answers": answers,
        "sections": sections,
        "errors": shown_errors,
        "error_list": [
            (code, BY_CODE[code].wording(language) if code in BY_CODE else STOP_BOX_LABELS.get(code, code), msgs)
            for code, msgs in ordered
        ],
        "shelters": shelters,
        "shelter_choice": str(answers.get("shelter_choice", "")),
        "score": live_score(answers, cleaned, collected_at=collected, poverty=poverty_table_in_force(), errors=validation_errors,
                            at_vsp=at_vsp),
        "duplicates": _stop_box(request, answers) if duplicates else None,
        "comparison": _comparison(request, intake, answers, cleaned, shown_errors) if comparison else None,
        "chosen_client": str(answers.get("_client_id", "")),
        "declined": DECLINED,
        "dv_place": dv_offer_place(view),
        "dv_section": next(s for s in sections if s.code == "dv"),
        "dv_hotlines": dv_hotlines(county),
        "national_dv_hotline": policy.NATIONAL_DV_HOTLINE,
        "national_dv_hotline_tty": policy.NATIONAL_DV_HOTLINE_TTY,
        "at_vsp": at_vsp,
        "autofocus": _first_unanswered(sections, answers) if focus else "",
    }


def _first_unanswered(sections, answers: dict) -> str:
    """The question the agent asks next when a call opens: the first shown one without an answer
    (the call's date and method have their defaults)."""
    for section in sections:
        for q in section.questions:
            if q.visible and q.widget != "carried" and section.code != "meta" and answers.get(q.code) in (None, ""):
                return q.code
    return ""


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
    return render(request, "intake/form.html", _form_context(request, intake, intake_draft_answers(intake), focus=True))


def _shelter_state(answers: dict, language: str, at_vsp: bool) -> list:
    return [(r.shelter.pk, r.eligible, tuple(r.reasons))
            for r in intake_validate(answers, complete=False, language=language, at_vsp=at_vsp)[2]]


def _live_errors(answers: dict, language: str, at_vsp: bool) -> dict:
    """The answers that would be refused, as the agent goes (not what finishing needs)."""
    return {code: [str(m) for m in msgs]
            for code, msgs in intake_validate(answers, complete=False, language=language, at_vsp=at_vsp)[1].items()}


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
    at_vsp = intake.agency.is_vsp

    def differs(codes) -> bool:
        return any(str(before.get(code, "")) != str(after.get(code, "")) for code in codes)

    shown_before, shown_after = visibility(before, at_vsp=at_vsp), visibility(after, at_vsp=at_vsp)
    changed = {block for block, shown in shown_after.items() if shown_before.get(block) != shown}
    personal_redrawn = "section-personal" in changed  # it holds the STOP box: redraw that with it
    # The STOP box is redrawn only when what it searches for changed (not for each key of a DOB).
    duplicates_changed = stop_box_query(before) != stop_box_query(after) or personal_redrawn
    comparison_changed = differs(WATCHED_FOR_COMPARISON) or personal_redrawn
    context = _form_context(request, intake, after, duplicates=duplicates_changed, unstored=saved.unstored,
                            comparison=comparison_changed)
    dv_changed = bool(changed & {"dv-place", "section-dv"}) or (shown_after["dv-place"] is not None and differs(["county"]))
    sections = {s.code: s for s in context["sections"]}
    questions = {q.code: q for s in context["sections"] for q in s.questions}
    parts = [render_to_string("intake/_saved.html", {**context, "saved_at": timezone.localtime()}, request=request)]
    swapped = set()
    for block in sorted(changed):
        kind, _sep, code = block.partition("-")
        if kind == "section" and code in sections and code != "dv":
            parts.append(render_to_string("intake/_section.html", {**context, "section": sections[code], "oob": True}, request=request))
            swapped.update(q.code for q in sections[code].questions)
        elif (kind == "q" and code in questions and f"section-{questions[code].question.section}" not in changed
              and not (dv_changed and questions[code].question.section == "dv")):
            parts.append(render_to_string("intake/_question.html", {**context, "q": questions[code], "oob": True}, request=request))
            swapped.add(code)
    if dv_changed:
        for place in ("safety", "vi"):
            parts.append(render_to_string("intake/_dv_slot.html", {**context, "place": place, "oob": True}, request=request))
        swapped.update(q.code for q in sections["dv"].questions)
        if changed & {"dv-place"}:
            parts.append(render_to_string("intake/_dv_announce.html", {**context, "oob": True}, request=request))
    # Validate as the agent goes: each question whose messages changed shows them now (only the
    # messages are swapped, so the field being typed in keeps its focus and cursor).
    errors_before = _live_errors(before, intake.call_language, at_vsp)
    errors_after = {code: [str(m) for m in msgs] for code, msgs in context["errors"].items()}
    for code in sorted(set(errors_before) | set(errors_after), key=form_order):
        if (code in questions and questions[code].visible and code not in swapped
                and errors_before.get(code) != errors_after.get(code)):
            parts.append(render_to_string("intake/_field_errors.html", {"q": questions[code], "oob": True}, request=request))
    if errors_before != errors_after:  # the list at the top follows (only where it is shown: static/js/ces.js)
        parts.append(render_to_string("intake/_error_summary.html", {**context, "oob": True}, request=request))
    parts.append(render_to_string("intake/_score.html", {**context, "oob": True}, request=request))
    if _shelter_state(before, intake.call_language, at_vsp) != _shelter_state(after, intake.call_language, at_vsp):
        parts.append(render_to_string("intake/_shelters.html", {**context, "oob": True}, request=request))
    if duplicates_changed:
        parts.append(render_to_string("intake/_duplicates.html", {**context, "oob": True}, request=request))
    if comparison_changed:
        parts.append(render_to_string("intake/_compare.html", {**context, "oob": True}, request=request))
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
    _cleaned, _errors, shelters = intake_validate(answers, complete=False, language=request.LANGUAGE_CODE,
                                                  at_vsp=intake.agency.is_vsp)
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
            "can_amend": intake_may_amend(request.user, intake),
            "dv_referral": getattr(intake, "dv_referral", None),
            "dv_hotlines": dv_hotlines(intake.county),
            "national_dv_hotline": policy.NATIONAL_DV_HOTLINE,
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
    for section in section_views(current, errors, request.LANGUAGE_CODE, _ref_options(_county(current)), at_vsp=intake.agency.is_vsp):
        section.questions = [q for q in section.questions if q.code not in hidden]
        if section.code in AMENDABLE_SECTIONS and any(q.visible for q in section.questions):
            sections.append(section)
    error_list = [(code, BY_CODE[code].wording(request.LANGUAGE_CODE), texts) for code, texts in errors.items() if code in BY_CODE]
    return render(request, "intake/amend.html", {"intake": intake, "sections": sections, "errors": errors, "reason": reason,
                                                 "error_list": error_list, "declined": DECLINED, "person_hidden": not sees_person})


# --- the VSP's inbox of warm referrals ----------------------------------------


@login_required
@permission_required("intake.view_dvreferral", raise_exception=True)
def dv_referral_inbox(request):
    """The warm referrals to the user's own VSP, newest first, with what the caller agreed to pass.

    Reading them is one access-log row (they may hold a name and a callback number)."""
    referrals = list(dv_referrals_for(request.user).select_related("handled_by").order_by("status", "-created_at")[:200])
    for referral in referrals:
        referral.shared = dv_referral_shared(referral)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request,
                      detail=f"VSP warm referral inbox: {len(referrals)} referrals")
    return render(request, "intake/dv_inbox.html", {"referrals": referrals, "statuses": DvReferral.Status})


@login_required
@require_POST
@screen_action(fallback="dv-referral-inbox")
def dv_referral_mark_view(request, pk: int):
    referral = dv_referral_get_for_user(user=request.user, pk=pk)
    values = bind(DvReferralMarkInput, request.POST)
    dv_referral_mark(referral=referral, actor=request.user, status=values["status"])
    messages.success(request, DV_REFERRAL_MARKED)
    return redirect("dv-referral-inbox")
