"""Title VI complaints, CE grievances and committee meetings (api.md, "Grievances and Title VI complaints").

Each endpoint: fetch through the access helper (404 for a record the user may not see; 403 for
the lists, as api.md says), bind the action's declared input (grievances.inputs), call one
service, answer with an output serializer. Every read of complainants' data is access-logged.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.audit import access_log_record
from ces.documents import document_response
from ces.inputs import bind
from ces.models import AccessLog
from grievances import inputs, services
from grievances.letters import letter_mark_sent, letter_regenerate
from grievances.outputs import ComplaintOutput, GrievanceOutput, LetterOutput, MeetingOutput
from grievances.retaliation import flag_review
from grievances.selectors import (
    complaint_get_for_user,
    complaints_list_for,
    flag_get_for_user,
    grievance_get_for_user,
    grievances_list_for,
    letter_get_for_user,
    meeting_get_for_user,
    meetings_list_for,
)

LIST_LIMIT = 500


def _read(request, case, detail: str) -> None:
    access_log_record(user=request.user, action=AccessLog.Action.API_READ, request=request, client=case.client, obj=case,
                      detail=detail)


class ComplaintList(APIView):
    @extend_schema(parameters=[inputs.ComplaintFilter], responses={200: ComplaintOutput(many=True)},
                   operation_id="title_vi_complaints_list")
    def get(self, request):
        complaints = complaints_list_for(request.user)
        filters = bind(inputs.ComplaintFilter, request.query_params)
        if "status" in filters:
            complaints = complaints.filter(status=filters["status"])
        complaints = complaints.prefetch_related("letters__document", "attachments", "retaliation_flags")[:LIST_LIMIT]
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request, detail="Title VI complaints (API)")
        return Response(ComplaintOutput(complaints, many=True, context={"request": request}).data)

    @extend_schema(request=inputs.TitleViInput, responses={201: ComplaintOutput}, operation_id="title_vi_complaints_create")
    def post(self, request):
        complaint = services.title_vi_complaint_file(actor=request.user, **bind(inputs.TitleViInput, request.data))
        complaint = complaint_get_for_user(user=request.user, pk=complaint.pk)
        return Response(ComplaintOutput(complaint, context={"request": request}).data, status=201)


class ComplaintDetail(APIView):
    @extend_schema(responses={200: ComplaintOutput}, operation_id="title_vi_complaints_read")
    def get(self, request, pk: int):
        complaint = complaint_get_for_user(user=request.user, pk=pk)
        _read(request, complaint, f"Title VI complaint {complaint.reference}")
        return Response(ComplaintOutput(complaint, context={"request": request}).data)


class GrievanceList(APIView):
    @extend_schema(parameters=[inputs.GrievanceFilter], responses={200: GrievanceOutput(many=True)}, operation_id="grievances_list")
    def get(self, request):
        grievances = grievances_list_for(request.user)
        filters = bind(inputs.GrievanceFilter, request.query_params)
        if "status" in filters:
            grievances = grievances.filter(status=filters["status"])
        grievances = grievances.prefetch_related("letters__document", "attachments", "retaliation_flags")[:LIST_LIMIT]
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request, detail="CE grievances (API)")
        return Response(GrievanceOutput(grievances, many=True, context={"request": request}).data)

    @extend_schema(request=inputs.GrievanceInput, responses={201: GrievanceOutput}, operation_id="grievances_create")
    def post(self, request):
        grievance = services.grievance_file(actor=request.user, **bind(inputs.GrievanceInput, request.data))
        grievance = grievance_get_for_user(user=request.user, pk=grievance.pk)
        return Response(GrievanceOutput(grievance, context={"request": request}).data, status=201)


class GrievanceDetail(APIView):
    @extend_schema(responses={200: GrievanceOutput}, operation_id="grievances_read")
    def get(self, request, pk: int):
        grievance = grievance_get_for_user(user=request.user, pk=pk)
        _read(request, grievance, f"CE grievance {grievance.reference}")
        return Response(GrievanceOutput(grievance, context={"request": request}).data)


def _action(*, input_class, service, getter, output, case_keyword: str, operation_id: str):
    """POST /<cases>/<id>/<action>/: the access helper, the declared input, one service, the case."""

    class Action(APIView):
        @extend_schema(request=input_class, responses={200: output}, operation_id=operation_id)
        def post(self, request, pk: int):
            case = getter(user=request.user, pk=pk)
            service(**{case_keyword: case}, actor=request.user, **bind(input_class, request.data))
            return Response(output(getter(user=request.user, pk=pk), context={"request": request}).data)

    Action.__name__ = Action.__qualname__ = "".join(part.title() for part in operation_id.split("_"))
    return Action.as_view()


def _complaint_action(name: str, input_class, service):
    return path(f"title-vi-complaints/<id:pk>/{name}/",
                _action(input_class=input_class, service=service, getter=complaint_get_for_user, output=ComplaintOutput,
                        case_keyword="complaint", operation_id=f"title_vi_complaints_{name.replace('-', '_')}"),
                name=f"api-title-vi-{name}")


def _grievance_action(name: str, input_class, service):
    return path(f"grievances/<id:pk>/{name}/",
                _action(input_class=input_class, service=service, getter=grievance_get_for_user, output=GrievanceOutput,
                        case_keyword="grievance", operation_id=f"grievances_{name.replace('-', '_')}"),
                name=f"api-grievance-{name}")


class MeetingList(APIView):
    @extend_schema(responses={200: MeetingOutput(many=True)}, operation_id="committee_meetings_list")
    def get(self, request):
        meetings = meetings_list_for(request.user).prefetch_related("agenda__agency")
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request,
                          detail="committee meetings and agendas (API)")
        return Response(MeetingOutput(meetings, many=True).data)

    @extend_schema(request=inputs.MeetingInput, responses={201: MeetingOutput}, operation_id="committee_meetings_create")
    def post(self, request):
        meeting = services.meeting_create(actor=request.user, **bind(inputs.MeetingInput, request.data))
        return Response(MeetingOutput(meeting_get_for_user(user=request.user, pk=meeting.pk)).data, status=201)


class MeetingDetail(APIView):
    @extend_schema(responses={200: MeetingOutput}, operation_id="committee_meetings_read")
    def get(self, request, pk: int):
        meeting = meeting_get_for_user(user=request.user, pk=pk)
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_LIST, request=request, obj=meeting,
                          detail=f"agenda of {meeting}")
        return Response(MeetingOutput(meeting).data)


class LetterDownload(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes}, operation_id="grievance_letters_download")
    def get(self, request, pk: int):
        letter = letter_get_for_user(user=request.user, pk=pk)
        return document_response(document=letter.document, user=request.user, request=request)


class LetterSent(APIView):
    @extend_schema(request=inputs.LetterSentInput, responses={200: LetterOutput}, operation_id="grievance_letters_sent")
    def post(self, request, pk: int):
        letter = letter_get_for_user(user=request.user, pk=pk)
        letter = letter_mark_sent(letter=letter, actor=request.user, **bind(inputs.LetterSentInput, request.data))
        return Response(LetterOutput(letter, context={"request": request}).data)


class LetterRegenerate(APIView):
    @extend_schema(request=None, responses={200: LetterOutput}, operation_id="grievance_letters_regenerate")
    def post(self, request, pk: int):
        letter = letter_get_for_user(user=request.user, pk=pk)
        letter = letter_regenerate(letter=letter, actor=request.user)
        return Response(LetterOutput(letter, context={"request": request}).data)


class FlagReview(APIView):
    @extend_schema(request=inputs.FlagReviewInput, responses={200: None}, operation_id="retaliation_flags_review")
    def post(self, request, pk: int):
        flag = flag_get_for_user(user=request.user, pk=pk)
        flag = flag_review(flag=flag, actor=request.user, **bind(inputs.FlagReviewInput, request.data))
        return Response({"id": flag.pk, "reviewed_at": flag.reviewed_at, "review_note": flag.review_note})


urlpatterns = [
    path("title-vi-complaints/", ComplaintList.as_view(), name="api-title-vi-list"),
    path("title-vi-complaints/<id:pk>/", ComplaintDetail.as_view(), name="api-title-vi-detail"),
    _complaint_action("accept", inputs.AcceptInput, services.complaint_accept),
    _complaint_action("decline", inputs.DeclineInput, services.complaint_decline),
    _complaint_action("request-info", inputs.RequestInfoInput, services.complaint_request_info),
    _complaint_action("info-received", inputs.InfoReceivedInput, services.complaint_info_received),
    _complaint_action("close", inputs.CloseInput, services.complaint_close),
    _complaint_action("withdraw", inputs.WithdrawInput, services.complaint_withdraw),
    _complaint_action("appeal", inputs.AppealInput, services.complaint_appeal),
    _complaint_action("appeal-decision", inputs.AppealDecisionInput, services.complaint_appeal_decide),
    _complaint_action("amend", inputs.TitleViAmendInput, services.title_vi_complaint_amend),
    _complaint_action("link-client", inputs.LinkClientInput, services.title_vi_complaint_link_client),
    path("grievances/", GrievanceList.as_view(), name="api-grievance-list"),
    path("grievances/<id:pk>/", GrievanceDetail.as_view(), name="api-grievance-detail"),
    _grievance_action("respond", inputs.RespondInput, services.grievance_respond),
    _grievance_action("vote", inputs.VoteInput, services.grievance_vote),
    _grievance_action("appeal", inputs.GrievanceAppealInput, services.grievance_appeal),
    _grievance_action("withdraw", inputs.WithdrawInput, services.grievance_withdraw),
    _grievance_action("amend", inputs.GrievanceAmendInput, services.grievance_amend),
    _grievance_action("link-client", inputs.LinkClientInput, services.grievance_link_client),
    path("committee-meetings/", MeetingList.as_view(), name="api-meeting-list"),
    path("committee-meetings/<id:pk>/", MeetingDetail.as_view(), name="api-meeting-detail"),
    path("grievance-letters/<id:pk>/", LetterDownload.as_view(), name="api-grievances-letter"),
    path("grievance-letters/<id:pk>/sent/", LetterSent.as_view(), name="api-grievances-letter-sent"),
    path("grievance-letters/<id:pk>/regenerate/", LetterRegenerate.as_view(), name="api-grievances-letter-regenerate"),
    path("retaliation-flags/<id:pk>/review/", FlagReview.as_view(), name="api-retaliation-flag-review"),
]
