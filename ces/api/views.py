from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from ces.access import client_get_for_user
from ces.api.errors import NON_FIELD, errors_response
from ces.api.serializers import (
    AgencySerializer,
    ClientSerializer,
    ProgramSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from ces.audit import access_log_record
from ces.lockout import LOCKED_OUT, LOCKED_OUT_STATUS
from ces.models import AccessLog, Agency, Program
from ces.services import agency_save, program_save

BAD_CREDENTIALS = "Unable to log in with that username and password."


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
    """Exchange a username and password for the user's API token.

    Same throttling and lock-out as the login page (django-axes).
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return errors_response({NON_FIELD: [LOCKED_OUT]}, LOCKED_OUT_STATUS)
        if user is None or not user.is_active:
            return errors_response({NON_FIELD: [BAD_CREDENTIALS]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
    """A client's personal data, for a user who may see it (404 otherwise). Logged."""

    @extend_schema(responses={200: ClientSerializer})
    def get(self, request, pk: int):
        client = client_get_for_user(user=request.user, pk=pk)
        access_log_record(user=request.user, action=AccessLog.Action.API_READ, request=request._request, client=client, obj=client)
        return Response(ClientSerializer(client).data)
