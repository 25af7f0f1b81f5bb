"""/api/v1/clients/<id>/consents/ (api.md "Consent") and /api/v1/clients/<id>/disclosures/.

A person the caller may not see is 404 (ces.access); every read is one access-log row."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.inputs import bind
from ces.models import AccessLog
from consent.inputs import ConsentInput, ConsentWithdrawInput, DisclosureInput
from consent.outputs import ConsentOutput, DisclosureOutput
from consent.selectors import consent_get_for_user, consents_of, disclosures_of
from consent.services import consent_give, consent_withdraw, disclosure_record


def _context() -> dict:
    return {"today": timezone.localdate()}


class ClientConsents(APIView):
    @extend_schema(responses={200: ConsentOutput(many=True)}, operation_id="client_consents_list")
    def get(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request._request,
                          client=client, obj=client, detail="consents (API)")
        return Response(ConsentOutput(consents_of(client), many=True, context=_context()).data)

    @extend_schema(request=ConsentInput, responses={201: ConsentOutput}, operation_id="client_consents_create")
    def post(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        record = consent_give(client=client, actor=request.user, **bind(ConsentInput, request.data))
        return Response(ConsentOutput(record, context=_context()).data, status=status.HTTP_201_CREATED)


class ConsentWithdraw(APIView):
    @extend_schema(request=ConsentWithdrawInput, responses={201: ConsentOutput}, operation_id="client_consents_withdraw")
    def post(self, request, pk: int, consent_pk: int):
        record = consent_get_for_user(user=request.user, client_pk=pk, pk=consent_pk)
        withdrawal = consent_withdraw(record=record, actor=request.user, **bind(ConsentWithdrawInput, request.data))
        return Response(ConsentOutput(withdrawal, context=_context()).data, status=status.HTTP_201_CREATED)


class ClientDisclosures(APIView):
    @extend_schema(responses={200: DisclosureOutput(many=True)}, operation_id="client_disclosures_list")
    def get(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request._request,
                          client=client, obj=client, detail="disclosures (API)")
        return Response(DisclosureOutput(disclosures_of(client), many=True).data)

    @extend_schema(request=DisclosureInput, responses={201: DisclosureOutput}, operation_id="client_disclosures_create")
    def post(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        disclosure = disclosure_record(client=client, actor=request.user, **bind(DisclosureInput, request.data))
        return Response(DisclosureOutput(disclosure).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("clients/<id:pk>/consents/", ClientConsents.as_view(), name="api-client-consents"),
    path("clients/<id:pk>/consents/<id:consent_pk>/withdraw/", ConsentWithdraw.as_view(), name="api-consent-withdraw"),
    path("clients/<id:pk>/disclosures/", ClientDisclosures.as_view(), name="api-client-disclosures"),
]
