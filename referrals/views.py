"""Program staff's screens (vacancies, pulls, referral decisions) and the shelters' screen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ces.access import client_is_visible_to
from ces.feedback import errors_to_messages
from referrals import policy
from referrals.models import Referral, ShelterDailyList
from referrals.selectors import (
    contact_instruction,
    program_get_for_staff,
    programs_run_by,
    referral_get_for_staff,
    shelter_get_for_staff,
    shelter_referral_get_for_staff,
    shelters_run_by,
    vacancy_get_for_staff,
)
from referrals.services import (
    ReferralInvalid,
    referral_decide,
    shelter_list_window,
    shelter_referral_status_set,
    shelter_walk_in_record,
    vacancy_create,
    vacancy_pull,
)
from referrals.shelter_lists import shelter_referrals_between


def _referral_rows(user, referrals) -> list[dict]:
    return [
        {"referral": r, "contact": contact_instruction(user=user, entry=r.entry),
         "name": r.entry.client.full_name if r.entry.client_id and client_is_visible_to(user=user, client=r.entry.client) else ""}
        for r in referrals
    ]


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
    vacancies = list(program.vacancies.filter(status="open").order_by("-created_at"))
    for vacancy in vacancies:
        vacancy.rows = _referral_rows(request.user, vacancy.referrals.select_related("entry__client__holding_agency", "entry__vsp").order_by("rank"))
        vacancy.open_count = sum(1 for row in vacancy.rows if row["referral"].status in Referral.OPEN_STATUSES)
    recent = _referral_rows(request.user, program.referrals.exclude(status__in=Referral.OPEN_STATUSES)
                            .select_related("entry__client__holding_agency", "entry__vsp").order_by("-decided_at")[:20])
    return render(request, "referrals/program.html", {
        "program": program, "vacancies": vacancies, "recent": recent, "rejection_reasons": policy.REJECTION_REASONS,
        "max_open": policy.MAX_OPEN_REFERRALS_PER_VACANCY,
    })


@login_required
@require_POST
def vacancy_new(request, pk: int):
    program = program_get_for_staff(user=request.user, pk=pk)
    try:
        units = int(request.POST.get("units") or 1)
        vacancy_create(program=program, actor=request.user, units=units, note=request.POST.get("note", ""))
        messages.success(request, _("Vacancy recorded. Pull from the list to refer people to it."))
    except ValueError:
        messages.error(request, _("Units must be a whole number."))
    except ReferralInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("program-detail", pk=program.pk)


@login_required
@require_POST
def vacancy_pull_view(request, pk: int):
    vacancy = vacancy_get_for_staff(user=request.user, pk=pk)
    try:
        pull = vacancy_pull(vacancy=vacancy, actor=request.user, count=int(request.POST.get("count") or policy.MAX_OPEN_REFERRALS_PER_VACANCY))
        if pull.pulled_count:
            messages.success(request, _("%(n)s people referred from the top of the list.") % {"n": pull.pulled_count})
        else:
            messages.info(request, _("Nobody eligible and active is waiting on the list for this program (or the vacancy already has five open referrals)."))
    except ValueError:
        messages.error(request, _("Choose how many to pull (1 to 5)."))
    except ReferralInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("program-detail", pk=vacancy.program_id)


@login_required
def vacancy_detail(request, pk: int):
    vacancy = vacancy_get_for_staff(user=request.user, pk=pk)
    pulls = vacancy.pulls.select_related("pulled_by").order_by("pulled_at")
    return render(request, "referrals/vacancy.html", {"vacancy": vacancy, "pulls": pulls})


@login_required
@require_POST
def referral_decision(request, pk: int):
    referral = referral_get_for_staff(user=request.user, pk=pk)
    try:
        referral_decide(referral=referral, actor=request.user, outcome=request.POST.get("outcome", ""),
                        reason=request.POST.get("reason", ""), justification=request.POST.get("justification", ""))
        messages.success(request, _("Decision recorded for %(label)s.") % {"label": referral.entry.label})
    except ReferralInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("program-detail", pk=referral.program_id)


@login_required
def shelter_detail(request, pk: int):
    shelter = shelter_get_for_staff(user=request.user, pk=pk)
    now = timezone.now()
    start = now - timezone.timedelta(hours=policy.SHELTER_LIST_WINDOW_HOURS)
    referrals = list(shelter_referrals_between(shelter, start, now + timezone.timedelta(minutes=1)))
    rows = [{"referral": r, "name": (r.client.full_name if r.client and client_is_visible_to(user=request.user, client=r.client) else r.walk_in_name),
             "label": r.client.label if r.client else _("walk-in")} for r in referrals]
    return render(request, "referrals/shelter.html", {
        "shelter": shelter, "rows": rows, "lists": shelter.daily_lists.order_by("-date")[:14], "prompt": policy.CALL_CE_PROMPT,
        "window": shelter_list_window(now),
    })


@login_required
@require_POST
def shelter_referral_status(request, pk: int):
    referral = shelter_referral_get_for_staff(user=request.user, pk=pk)
    try:
        shelter_referral_status_set(referral=referral, status=request.POST.get("status", ""), actor=request.user,
                                    reason=request.POST.get("reason", ""))
        messages.success(request, _("Status saved."))
    except ReferralInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("shelter-detail", pk=referral.shelter_id)


@login_required
@require_POST
def shelter_walk_in(request, pk: int):
    shelter = shelter_get_for_staff(user=request.user, pk=pk)
    try:
        shelter_walk_in_record(shelter=shelter, name=request.POST.get("name", ""), note=request.POST.get("note", ""), actor=request.user)
        messages.success(request, _("Walk-in recorded. %(prompt)s") % {"prompt": policy.CALL_CE_PROMPT})
    except ReferralInvalid as invalid:
        errors_to_messages(request, invalid.errors)
    return redirect("shelter-detail", pk=shelter.pk)


@login_required
def shelter_list_download(request, pk: int, list_pk: int):
    shelter = shelter_get_for_staff(user=request.user, pk=pk)
    daily = get_object_or_404(ShelterDailyList, pk=list_pk, shelter=shelter)
    from ces.audit import access_log_record
    from ces.models import AccessLog

    access_log_record(user=request.user, action=AccessLog.Action.DOWNLOAD_PDF, request=request, obj=daily,
                      detail=f"shelter list {shelter.name} {daily.date}")
    return FileResponse(daily.file.open("rb"), content_type="application/pdf", filename=f"{shelter.name}-{daily.date}.pdf")
