"""/api/v1/engagement-cases/ (read-only lists) and the actions the screens offer, as POST endpoints.

Each endpoint: fetch through the access helper, bind the action's declared input
(engagement.inputs), call one service, answer with an output serializer. Refusals are
ces.errors, answered by ces.api.errors.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.inputs import bind
from ces.models import AccessLog
from engagement.disengagement import status_form_countersign, status_form_file
from engagement.inputs import (
    ContactAttemptInput,
    CountersignInput,
    EngagementCreateInput,
    LostContactInput,
    NoContactLetterInput,
    ReferralLinkInput,
    ServiceInput,
    StatusFormInput,
)
from engagement.outputs import EngagementCaseOutput, FiledFormOutput
from engagement.selectors import case_get_for_user, cases_visible_to, status_form_get
from engagement.services import (
    attempt_record,
    engagement_lost_contact,
    engagement_open,
    engagement_referral_link,
    letter_send,
    service_record,
)

LIST_LIMIT = 500


def _case(request, pk: int) -> Response:
    """The case as the caller sees it now."""
    return Response(EngagementCaseOutput(case_get_for_user(user=request.user, pk=pk)).data)


class CaseList(APIView):
    @extend_schema(responses={200: EngagementCaseOutput(many=True)}, operation_id="engagement_cases_list")
    def get(self, request):
        cases = cases_visible_to(request.user).prefetch_related("steps", "attempts", "services", "forms", "letters")[:LIST_LIMIT]
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request._request,
                          detail="engagement cases (API)")
        return Response(EngagementCaseOutput(cases, many=True).data)

    @extend_schema(request=EngagementCreateInput, responses={201: EngagementCaseOutput}, operation_id="engagement_cases_create")
    def post(self, request):
        values = bind(EngagementCreateInput, request.data)
        client = client_get_for_user(user=request.user, pk=values["client_id"])
        case = engagement_open(client=client, program=values["program_id"], worker=request.user, actor=request.user,
                               kind=values["kind"], referral=values["referral_id"])
        return Response(EngagementCaseOutput(case).data, status=201)


class CaseDetail(APIView):
    @extend_schema(responses={200: EngagementCaseOutput}, operation_id="engagement_cases_retrieve")
    def get(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        access_log_record(user=request.user, action=AccessLog.Action.API_READ, request=request._request, client=case.client, obj=case)
        return Response(EngagementCaseOutput(case).data)


class CaseAttempt(APIView):
    @extend_schema(request=ContactAttemptInput, responses={200: EngagementCaseOutput}, operation_id="engagement_cases_attempt")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        attempt_record(case=case, actor=request.user, **bind(ContactAttemptInput, request.data))
        return _case(request, pk)


class CaseService(APIView):
    @extend_schema(request=ServiceInput, responses={200: EngagementCaseOutput}, operation_id="engagement_cases_service")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        service_record(case=case, actor=request.user, **bind(ServiceInput, request.data))
        return _case(request, pk)


class CaseLostContact(APIView):
    @extend_schema(request=LostContactInput, responses={200: EngagementCaseOutput}, operation_id="engagement_cases_lost_contact")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        bind(LostContactInput, request.data)
        engagement_lost_contact(case=case, actor=request.user)
        return _case(request, pk)


class CaseReferral(APIView):
    @extend_schema(request=ReferralLinkInput, responses={200: EngagementCaseOutput}, operation_id="engagement_cases_referral")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        values = bind(ReferralLinkInput, request.data)
        engagement_referral_link(case=case, referral=values["referral_id"], actor=request.user)
        return _case(request, pk)


class CaseLetter(APIView):
    @extend_schema(request=NoContactLetterInput, responses={200: EngagementCaseOutput}, operation_id="engagement_cases_letter")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        letter_send(case=case, actor=request.user, **bind(NoContactLetterInput, request.data))
        return _case(request, pk)


class CaseForm(APIView):
    @extend_schema(request=StatusFormInput, responses={201: FiledFormOutput}, operation_id="engagement_cases_form")
    def post(self, request, pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        form = status_form_file(case=case, actor=request.user, **bind(StatusFormInput, request.data))
        case = case_get_for_user(user=request.user, pk=pk)
        return Response(FiledFormOutput(case, context={"form": form}).data, status=201)


class FormSign(APIView):
    @extend_schema(request=CountersignInput, responses={200: EngagementCaseOutput}, operation_id="engagement_cases_form_sign")
    def post(self, request, pk: int, form_pk: int):
        case = case_get_for_user(user=request.user, pk=pk)
        form = status_form_get(case=case, pk=form_pk)
        bind(CountersignInput, request.data)
        status_form_countersign(form=form, actor=request.user)
        return _case(request, pk)


urlpatterns = [
    path("engagement-cases/", CaseList.as_view(), name="api-engagement-list"),
    path("engagement-cases/<id:pk>/", CaseDetail.as_view(), name="api-engagement-detail"),
    path("engagement-cases/<id:pk>/attempts/", CaseAttempt.as_view(), name="api-engagement-attempt"),
    path("engagement-cases/<id:pk>/services/", CaseService.as_view(), name="api-engagement-service"),
    path("engagement-cases/<id:pk>/lost-contact/", CaseLostContact.as_view(), name="api-engagement-lost-contact"),
    path("engagement-cases/<id:pk>/referral/", CaseReferral.as_view(), name="api-engagement-referral"),
    path("engagement-cases/<id:pk>/letter/", CaseLetter.as_view(), name="api-engagement-letter"),
    path("engagement-cases/<id:pk>/forms/", CaseForm.as_view(), name="api-engagement-form"),
    path("engagement-cases/<id:pk>/forms/<id:form_pk>/sign/", FormSign.as_view(), name="api-engagement-form-sign"),
]
