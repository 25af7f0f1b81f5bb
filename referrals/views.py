"""Program staff's screens (vacancies, pulls, referral decisions) and the shelters' screen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ces.errors import Forbidden
from ces.inputs import bind, check
from ces.web import screen_action
from referrals import policy
from referrals.inputs import (
    ChronicDocumentationInput,
    DecisionInput,
    PullInput,
    RejectionReviewFilter,
    RejectionReviewInput,
    ShelterStatusInput,
    VacancyInput,
    WalkInInput,
)
from referrals.selectors import (
    program_get_for_staff,
    programs_run_by,
    referral_get_for_staff,
    referral_rows_for,
    referrals_decided_recently,
    rejection_get_for_reviewer,
    rejection_rates_by_program,
    rejections_for_review,
    shelter_daily_list_get_for_staff,
    shelter_get_for_staff,
    shelter_referral_get_for_staff,
    shelter_rows_for,
    shelters_run_by,
    vacancies_open_with_rows,
    vacancy_get_for_staff,
)
from referrals.services import (
    NOT_A_REVIEWER,
    may_review_rejections,
    referral_chronic_documentation_set,
    referral_decide,
    referral_rejection_review,
    referrals_read_record,
    shelter_daily_list_download_record,
    shelter_list_window,
    shelter_referral_status_set,
    shelter_walk_in_record,
    vacancy_create,
    vacancy_pull,
)


@login_required
def programs_home(request):
    programs = programs_run_by(request.user)
    shelters = shelters_run_by(request.user)
    if not programs and not shelters:
        raise Http404
    if len(programs) == 1 and not shelters:
        return redirect("program-detail", pk=programs[0].pk)
    return render(request, "referrals/programs.html", {"programs": programs, "shelters": shelters})


@login_required
def program_detail(request, pk: int):
    program = program_get_for_staff(user=request.user, pk=pk)
    vacancies = vacancies_open_with_rows(user=request.user, program=program)
    recent = referrals_decided_recently(user=request.user, program=program)
    referrals_read_record(user=request.user, request=request,
                          rows=[row for vacancy in vacancies for row in vacancy.rows] + recent)
    return render(request, "referrals/program.html", {
        "program": program, "vacancies": vacancies, "recent": recent, "rejection_reasons": policy.REJECTION_REASONS,
        "per_unit": policy.MAX_OPEN_REFERRALS_PER_UNIT,
    })


@login_required
@require_POST
@screen_action
def vacancy_new(request, pk: int):
    program = program_get_for_staff(user=request.user, pk=pk)
    vacancy_create(program=program, actor=request.user, **bind(VacancyInput, request.POST))
    messages.success(request, _("Vacancy recorded. Pull from the list to refer people to it."))
    return redirect("program-detail", pk=program.pk)


@login_required
@require_POST
@screen_action
def vacancy_pull_view(request, pk: int):
    vacancy = vacancy_get_for_staff(user=request.user, pk=pk)
    pull = vacancy_pull(vacancy=vacancy, actor=request.user, **bind(PullInput, request.POST))
    if pull.pulled_count:
        messages.success(request, _("%(n)s people referred from the top of the list.") % {"n": pull.pulled_count})
    else:
        messages.info(request, _("Nobody eligible and active is waiting on the list for this program (or the vacancy already has five open referrals for each open bed or unit)."))
    return redirect("program-detail", pk=vacancy.program_id)


@login_required
def vacancy_detail(request, pk: int):
    vacancy = vacancy_get_for_staff(user=request.user, pk=pk)
    pulls = vacancy.pulls.select_related("pulled_by").order_by("pulled_at")
    return render(request, "referrals/vacancy.html", {"vacancy": vacancy, "pulls": pulls})


@login_required
@require_POST
@screen_action
def referral_decision(request, pk: int):
    referral = referral_get_for_staff(user=request.user, pk=pk)
    referral_decide(referral=referral, actor=request.user, **bind(DecisionInput, request.POST))
    messages.success(request, _("Decision recorded for %(label)s.") % {"label": referral.entry.label})
    return redirect("program-detail", pk=referral.program_id)


@login_required
@require_POST
@screen_action
def referral_chronic_documentation(request, pk: int):
    referral = referral_get_for_staff(user=request.user, pk=pk)
    referral_chronic_documentation_set(referral=referral, actor=request.user, **bind(ChronicDocumentationInput, request.POST))
    messages.success(request, _("Documentation checklist saved for %(label)s.") % {"label": referral.entry.label})
    return redirect("program-detail", pk=referral.program_id)


REJECTIONS_SHOWN = 200


@login_required
def rejections_review(request):
    """CoC staff: providers' rejections to review ("justified and rare"), with each program's share."""
    if not may_review_rejections(request.user):
        raise Forbidden(NOT_A_REVIEWER)
    filters, errors = check(RejectionReviewFilter, request.GET)
    reviewed = filters.get("reviewed", "no")
    rejections = list(rejections_for_review(user=request.user, reviewed=reviewed)[:REJECTIONS_SHOWN])
    rows = referral_rows_for(user=request.user, referrals=rejections)
    referrals_read_record(user=request.user, request=request, rows=rows)
    return render(request, "referrals/rejections.html", {
        "rows": rows, "reviewed": reviewed, "errors": errors, "rates": rejection_rates_by_program(user=request.user),
        "findings": policy.REJECTION_REVIEW_FINDINGS, "reasons": dict(policy.REJECTION_REASONS),
    })


@login_required
@require_POST
@screen_action(fallback="referrals-rejections")
def rejection_review(request, pk: int):
    if not may_review_rejections(request.user):
        raise Forbidden(NOT_A_REVIEWER)
    referral = rejection_get_for_reviewer(user=request.user, pk=pk)
    referral_rejection_review(referral=referral, actor=request.user, **bind(RejectionReviewInput, request.POST))
    messages.success(request, _("Review of the rejection of %(label)s saved.") % {"label": referral.entry.label})
    return redirect("referrals-rejections")


@login_required
def shelter_detail(request, pk: int):
    shelter = shelter_get_for_staff(user=request.user, pk=pk)
    now = timezone.now()
    rows = shelter_rows_for(user=request.user, shelter=shelter, now=now)
    referrals_read_record(user=request.user, request=request, rows=rows)
    return render(request, "referrals/shelter.html", {
        "shelter": shelter, "rows": rows, "lists": shelter.daily_lists.order_by("-date")[:14], "prompt": policy.CALL_CE_PROMPT,
        "window": shelter_list_window(now),
    })


@login_required
@require_POST
@screen_action
def shelter_referral_status(request, pk: int):
    referral = shelter_referral_get_for_staff(user=request.user, pk=pk)
    shelter_referral_status_set(referral=referral, actor=request.user, **bind(ShelterStatusInput, request.POST))
    messages.success(request, _("Status saved."))
    return redirect("shelter-detail", pk=referral.shelter_id)


@login_required
@require_POST
@screen_action
def shelter_walk_in(request, pk: int):
    shelter = shelter_get_for_staff(user=request.user, pk=pk)
    shelter_walk_in_record(shelter=shelter, actor=request.user, **bind(WalkInInput, request.POST))
    messages.success(request, _("Walk-in recorded. %(prompt)s") % {"prompt": policy.CALL_CE_PROMPT})
    return redirect("shelter-detail", pk=shelter.pk)


@login_required
def shelter_list_download(request, pk: int, list_pk: int):
    daily = shelter_daily_list_get_for_staff(user=request.user, shelter_pk=pk, pk=list_pk)
    shelter_daily_list_download_record(user=request.user, request=request, daily=daily)
    return FileResponse(daily.file.open("rb"), content_type="application/pdf", filename=f"{daily.shelter.name}-{daily.date}.pdf")
