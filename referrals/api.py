"""Vacancies, pulls and referral decisions (api.md, "Vacancies, pulls and referrals")."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.access import client_is_visible_to
from ces.api.errors import errors_response
from referrals.models import Referral, Vacancy
from referrals.selectors import (
    contact_instruction,
    program_get_for_staff,
    referral_get_for_staff,
    referrals_visible_to,
    shelter_referral_get_for_staff,
    vacancy_get_for_staff,
)
from referrals.services import ReferralInvalid, referral_decide, shelter_referral_status_set, vacancy_create, vacancy_pull

WHOLE_NUMBER = "Send a whole number."


def _int(body: dict, name: str, default: int, errors: dict) -> int:
    raw = body.get(name, default)
    if isinstance(raw, bool) or not str(raw).isdigit():
        errors[name] = [WHOLE_NUMBER]
        return default
    return int(raw)


def vacancy_json(vacancy: Vacancy) -> dict:
    return {"id": vacancy.pk, "program_id": vacancy.program_id, "units": vacancy.units, "note": vacancy.note,
            "status": vacancy.status, "created_at": vacancy.created_at.isoformat()}


def referral_json(referral: Referral, *, user) -> dict:
    entry = referral.entry
    data = {
        "id": referral.pk, "vacancy_id": referral.vacancy_id, "program_id": referral.program_id, "bnl_entry_id": entry.pk,
        "rank": referral.rank, "label": entry.label, "score": entry.score, "status": referral.status,
        "reason": referral.reason, "justification": referral.justification, "created_at": referral.created_at.isoformat(),
        "decided_at": referral.decided_at.isoformat() if referral.decided_at else None,
        "contact": contact_instruction(user=user, entry=entry) or None,
    }
    if entry.client_id and client_is_visible_to(user=user, client=entry.client):
        data["client"] = {"id": entry.client_id, "first_name": entry.client.first_name, "last_name": entry.client.last_name,
                          "phone_primary": str(entry.client.phone_primary or "")}
    return data


class VacancyCreate(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=inline_serializer("VacancyRequest", {"units": serializers.IntegerField(), "note": serializers.CharField()}),
                   responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        program = program_get_for_staff(user=request.user, pk=pk)
        body = request.data if isinstance(request.data, dict) else {}
        errors = {}
        units = _int(body, "units", 1, errors)
        if not errors and not 1 <= units <= 500:
            errors["units"] = ["Record between 1 and 500 units."]
        if errors:
            return errors_response(errors)
        try:
            vacancy = vacancy_create(program=program, actor=request.user, units=units, note=str(body.get("note") or ""))
        except ReferralInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(vacancy_json(vacancy), status=201)


class VacancyPull(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=inline_serializer("PullRequest", {"count": serializers.IntegerField()}), responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        vacancy = vacancy_get_for_staff(user=request.user, pk=pk)
        body = request.data if isinstance(request.data, dict) else {}
        errors = {}
        count = _int(body, "count", 5, errors)
        if errors:
            return errors_response(errors)
        try:
            pull = vacancy_pull(vacancy=vacancy, actor=request.user, count=count)
        except ReferralInvalid as invalid:
            return errors_response(invalid.errors)
        referrals = pull.referrals.select_related("entry__client__holding_agency", "entry__vsp").order_by("rank")
        return Response(
            {"pull_id": pull.pk, "referrals": [
                {"id": r.pk, "bnl_entry_id": r.entry_id, "rank": r.rank, "label": r.entry.label,
                 "contact": contact_instruction(user=request.user, entry=r.entry) or None}
                for r in referrals
            ]},
            status=201,
        )


class ReferralDecision(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=inline_serializer("DecisionRequest", {"outcome": serializers.CharField(), "reason": serializers.CharField(),
                                                                  "justification": serializers.CharField()}),
                   responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        referral = referral_get_for_staff(user=request.user, pk=pk)
        body = request.data if isinstance(request.data, dict) else {}
        try:
            referral = referral_decide(referral=referral, actor=request.user, outcome=str(body.get("outcome") or ""),
                                       reason=str(body.get("reason") or ""), justification=str(body.get("justification") or ""))
        except ReferralInvalid as invalid:
            return errors_response(invalid.errors)
        return Response(referral_json(referral_get_for_staff(user=request.user, pk=referral.pk), user=request.user))


class ReferralList(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("program", int, required=False), OpenApiParameter("status", str, required=False)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        referrals = referrals_visible_to(request.user)
        program, status = request.query_params.get("program"), request.query_params.get("status")
        if program:
            if not program.isdigit():
                return errors_response({"program": [WHOLE_NUMBER]})
            referrals = referrals.filter(program_id=int(program))
        if status:
            if status not in Referral.Status.values:
                return errors_response({"status": [f"Choose one of: {', '.join(Referral.Status.values)}."]})
            referrals = referrals.filter(status=status)
        return Response([referral_json(r, user=request.user) for r in referrals.order_by("-pull_id", "rank")[:500]])


class ShelterReferralStatus(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=inline_serializer("ShelterStatusRequest", {"status": serializers.CharField(), "reason": serializers.CharField()}),
                   responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        referral = shelter_referral_get_for_staff(user=request.user, pk=pk)
        body = request.data if isinstance(request.data, dict) else {}
        try:
            referral = shelter_referral_status_set(referral=referral, status=str(body.get("status") or ""), actor=request.user,
                                                   reason=str(body.get("reason") or ""))
        except ReferralInvalid as invalid:
            return errors_response(invalid.errors)
        return Response({"id": referral.pk, "shelter_id": referral.shelter_id, "status": referral.status,
                         "denied_reason": referral.denied_reason})


urlpatterns = [
    path("programs/<int:pk>/vacancies/", VacancyCreate.as_view(), name="api-vacancy-create"),
    path("vacancies/<int:pk>/pull/", VacancyPull.as_view(), name="api-vacancy-pull"),
    path("referrals/", ReferralList.as_view(), name="api-referral-list"),
    path("referrals/<int:pk>/decision/", ReferralDecision.as_view(), name="api-referral-decision"),
    path("shelter-referrals/<int:pk>/status/", ShelterReferralStatus.as_view(), name="api-shelter-referral-status"),
]
