"""The API's one error edge (api.md, "Errors").

Every refusal under /api/ answers JSON in one shape:
`{"errors": {"<field code>": ["message", ...]}}` ("non_field_errors" for the
whole request), with 400 (bad input), 401 (no or bad credentials), 403 (may
see but not do), 404 (missing or not yours: they look the same), 405, 415,
429. Services raise ces.errors.ServiceError; DRF raises its own exceptions;
both end here.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ces.errors import NON_FIELD, ServiceError
from ces.inputs import _flatten

NOT_FOUND = "Not found."


def _django_validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {NON_FIELD if key == "__all__" else key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
    return {NON_FIELD: [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return Response({"errors": exc.texts()}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response({"errors": _django_validation_errors(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_(NOT_FOUND))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _flatten(exc.detail)}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"errors": {NON_FIELD: [str(message) for message in _as_list(exc.detail)]}}
    return response


def _as_list(detail):
    if isinstance(detail, dict):
        return [item for value in detail.values() for item in _as_list(value)]
    if isinstance(detail, (list, tuple)):
        return [item for value in detail for item in _as_list(value)]
    return [detail]


def errors_response(errors: dict, status_code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"errors": errors}, status=status_code)


def api_not_found(request) -> JsonResponse:
    """A path under /api/ that does not exist: JSON, like every other API answer."""
    return JsonResponse({"errors": {NON_FIELD: [_(NOT_FOUND)]}}, status=404)


def api_bad_request(request, message: str) -> JsonResponse:
    return JsonResponse({"errors": {NON_FIELD: [message]}}, status=400)
