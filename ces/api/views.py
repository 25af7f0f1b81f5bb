"""The core's API: the token exchange, agencies and programs, a client's record.

Each endpoint takes the path of an action (docs/architecture.md): declared input (ces.forms),
access helper (ces.access), service (ces.services), output serializer (ces.api.serializers);
refusals are answered by ces.api.errors.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from ces.access import client_get_for_user
from ces.api.serializers import AgencySerializer, ClientOutput, ProgramSerializer, TokenOutput
from ces.audit import access_log_record
from ces.forms import TokenInput
from ces.inputs import bind
from ces.models import AccessLog, Agency, Program
from ces.services import agency_save, api_token_issue, program_save


class ApiRootView(APIView):
    """The API's entry point: links to what is here."""

    @extend_schema(responses={200: dict})
    def get(self, request, format=None):
        return Response(
            {
                "auth_token": reverse("api-token", request=request, format=format),
                "agencies": reverse("api-agency-list", request=request, format=format),
                "programs": reverse("api-program-list", request=request, format=format),
                "schema": reverse("api-schema", request=request, format=format),
                "docs": reverse("api-docs", request=request, format=format),
            }
        )


class TokenView(APIView):
    """Exchange a username and password for a new API token (django-rest-knox).

    The key is in this answer only (a hash is stored); it expires (`expiry`, API_TOKEN_TTL_DAYS)
    and every token of a person is revoked when their password changes. Same throttling and
    lock-out as the login page (django-axes).
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenInput, responses={200: TokenOutput})
    def post(self, request):
        token, key = api_token_issue(request=request._request, **bind(TokenInput, request.data))
        return Response(TokenOutput({"token": key, "expiry": token.expiry}).data)


class AgencyList(generics.ListCreateAPIView):
    queryset = Agency.objects.order_by("name")
    serializer_class = AgencySerializer
    permission_classes = [permissions.DjangoModelPermissions]

    def perform_create(self, serializer):
        serializer.instance = agency_save(agency=Agency(), actor=self.request.user, **serializer.validated_data)


class AgencyDetail(generics.RetrieveUpdateAPIView):
    queryset = Agency.objects.all()
    serializer_class = AgencySerializer
    permission_classes = [permissions.DjangoModelPermissions]
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = agency_save(agency=serializer.instance, actor=self.request.user, **serializer.validated_data)


class ProgramList(generics.ListCreateAPIView):
    queryset = Program.objects.select_related("agency").order_by("agency__name", "name")
    serializer_class = ProgramSerializer
    permission_classes = [permissions.DjangoModelPermissions]

    def perform_create(self, serializer):
        serializer.instance = program_save(program=Program(), actor=self.request.user, **serializer.validated_data)


class ProgramDetail(generics.RetrieveUpdateAPIView):
    queryset = Program.objects.select_related("agency")
    serializer_class = ProgramSerializer
    permission_classes = [permissions.DjangoModelPermissions]
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = program_save(program=serializer.instance, actor=self.request.user, **serializer.validated_data)


class ClientDetail(APIView):
    """A client's personal data, for a user who may see it (404 otherwise, missing or not). Logged."""

    @extend_schema(responses={200: ClientOutput})
    def get(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        access_log_record(user=request.user, action=AccessLog.Action.API_READ, request=request, client=client, obj=client)
        return Response(ClientOutput(client).data)
