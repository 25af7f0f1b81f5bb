"""Vacancies, pulls and referral decisions (api.md, "Vacancies, pulls and referrals"), and the
shelters' actions: a referral's status and a walk-in (the shelter screen's two forms).

Each endpoint: fetch through the access helper, bind the action's declared
input (referrals.inputs), call one service, answer with an output serializer.
Refusals are ces.errors.ServiceError, answered by ces.api.errors.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.errors import Forbidden
from ces.inputs import bind
from referrals.inputs import (
    ChronicDocumentationInput,
    DecisionInput,
    PullInput,
    ReferralFilter,
    RejectionReviewFilter,
    RejectionReviewInput,
    ShelterStatusInput,
    VacancyInput,
    WalkInInput,
)
from referrals.outputs import PullOutput, ReferralOutput, RejectionRow, ShelterReferralOutput, VacancyOutput
from referrals.selectors import (
    program_get_for_staff,
    referral_get_for_staff,
    referral_rows_for,
    referrals_visible_to,
    rejection_get_for_reviewer,
    rejections_for_review,
    shelter_get_for_staff,
    shelter_referral_get_for_staff,
    vacancy_get_for_staff,
)
from referrals.services import (
    NOT_A_REVIEWER,
    may_review_rejections,
    referral_chronic_documentation_set,
    referral_decide,
    referral_rejection_review,
    referrals_read_record,
    shelter_referral_status_set,
    shelter_walk_in_record,
    vacancy_create,
    vacancy_pull,
)

REFERRAL_LIST_LIMIT = 500


class VacancyCreate(APIView):
    @extend_schema(request=VacancyInput, responses={201: VacancyOutput}, operation_id="vacancies_create")
    def post(self, request, pk: int):
        program = program_get_for_staff(user=request.user, pk=pk)
        vacancy = vacancy_create(program=program, actor=request.user, **bind(VacancyInput, request.data))
        return Response(VacancyOutput(vacancy).data, status=201)


class VacancyPull(APIView):
    @extend_schema(request=PullInput, responses={201: PullOutput}, operation_id="vacancies_pull")
    def post(self, request, pk: int):
        vacancy = vacancy_get_for_staff(user=request.user, pk=pk)
        pull = vacancy_pull(vacancy=vacancy, actor=request.user, **bind(PullInput, request.data))
        referrals = pull.referrals.select_related("entry__client__holding_agency", "entry__vsp").order_by("rank")
        data = PullOutput({"pull_id": pull.pk, "referrals": referrals}, context={"user": request.user}).data
        return Response(data, status=201)


class ReferralDecision(APIView):
    @extend_schema(request=DecisionInput, responses={200: ReferralOutput}, operation_id="referrals_decision")
    def post(self, request, pk: int):
        referral = referral_get_for_staff(user=request.user, pk=pk)
        referral = referral_decide(referral=referral, actor=request.user, **bind(DecisionInput, request.data))
        referral = referral_get_for_staff(user=request.user, pk=referral.pk)
        referrals_read_record(user=request.user, request=request._request,
                              rows=referral_rows_for(user=request.user, referrals=[referral]), single=True)
        return Response(ReferralOutput(referral, context={"user": request.user}).data)


class ReferralChronicDocumentation(APIView):
    @extend_schema(request=ChronicDocumentationInput, responses={200: ReferralOutput},
                   operation_id="referrals_chronic_documentation")
    def post(self, request, pk: int):
        referral = referral_get_for_staff(user=request.user, pk=pk)
        referral = referral_chronic_documentation_set(referral=referral, actor=request.user,
                                                      **bind(ChronicDocumentationInput, request.data))
        referral = referral_get_for_staff(user=request.user, pk=referral.pk)
        return Response(ReferralOutput(referral, context={"user": request.user}).data)


class RejectionList(APIView):
    """Providers' rejections for CoC staff's review ("justified and rare")."""

    @extend_schema(parameters=[RejectionReviewFilter], responses={200: RejectionRow(many=True)},
                   operation_id="referrals_rejections_list")
    def get(self, request):
        if not may_review_rejections(request.user):
            raise Forbidden(NOT_A_REVIEWER)
        filters = bind(RejectionReviewFilter, request.query_params)
        rejections = list(rejections_for_review(user=request.user, reviewed=filters.get("reviewed", "no"))[:REFERRAL_LIST_LIMIT])
        referrals_read_record(user=request.user, request=request._request,
                              rows=referral_rows_for(user=request.user, referrals=rejections))
        return Response(RejectionRow(rejections, many=True, context={"user": request.user}).data)


class RejectionReview(APIView):
    @extend_schema(request=RejectionReviewInput, responses={200: RejectionRow}, operation_id="referrals_rejection_review")
    def post(self, request, pk: int):
        if not may_review_rejections(request.user):
            raise Forbidden(NOT_A_REVIEWER)
        referral = rejection_get_for_reviewer(user=request.user, pk=pk)
        referral_rejection_review(referral=referral, actor=request.user, **bind(RejectionReviewInput, request.data))
        referral = rejection_get_for_reviewer(user=request.user, pk=pk)
        return Response(RejectionRow(referral, context={"user": request.user}).data)


class ReferralList(APIView):
    @extend_schema(parameters=[ReferralFilter], responses={200: ReferralOutput(many=True)}, operation_id="referrals_list")
    def get(self, request):
        filters = bind(ReferralFilter, request.query_params)
        referrals = referrals_visible_to(request.user)
        if "program" in filters:
            referrals = referrals.filter(program_id=filters["program"])
        if "status" in filters:
            referrals = referrals.filter(status=filters["status"])
        referrals = list(referrals.order_by("-pull_id", "rank")[:REFERRAL_LIST_LIMIT])
        referrals_read_record(user=request.user, request=request._request,
                              rows=referral_rows_for(user=request.user, referrals=referrals))
        return Response(ReferralOutput(referrals, many=True, context={"user": request.user}).data)


class ShelterReferralStatus(APIView):
    @extend_schema(request=ShelterStatusInput, responses={200: ShelterReferralOutput}, operation_id="shelter_referrals_status")
    def post(self, request, pk: int):
        referral = shelter_referral_get_for_staff(user=request.user, pk=pk)
        referral = shelter_referral_status_set(referral=referral, actor=request.user, **bind(ShelterStatusInput, request.data))
        return Response(ShelterReferralOutput(referral).data)


class ShelterWalkIn(APIView):
    @extend_schema(request=WalkInInput, responses={201: ShelterReferralOutput}, operation_id="shelter_walk_ins_create")
    def post(self, request, pk: int):
        shelter = shelter_get_for_staff(user=request.user, pk=pk)
        referral = shelter_walk_in_record(shelter=shelter, actor=request.user, **bind(WalkInInput, request.data))
        return Response(ShelterReferralOutput(referral).data, status=201)


urlpatterns = [
    path("programs/<id:pk>/vacancies/", VacancyCreate.as_view(), name="api-vacancy-create"),
    path("vacancies/<id:pk>/pull/", VacancyPull.as_view(), name="api-vacancy-pull"),
    path("referrals/", ReferralList.as_view(), name="api-referral-list"),
    path("referrals/<id:pk>/decision/", ReferralDecision.as_view(), name="api-referral-decision"),
    path("referrals/<id:pk>/chronic-documentation/", ReferralChronicDocumentation.as_view(),
         name="api-referral-chronic-documentation"),
    path("referrals/rejections/", RejectionList.as_view(), name="api-referral-rejections"),
    path("referrals/<id:pk>/rejection-review/", RejectionReview.as_view(), name="api-referral-rejection-review"),
    path("shelter-referrals/<id:pk>/status/", ShelterReferralStatus.as_view(), name="api-shelter-referral-status"),
    path("shelters/<id:pk>/walk-ins/", ShelterWalkIn.as_view(), name="api-shelter-walk-in"),
]
