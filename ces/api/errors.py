"""API errors in the shape of api.md: 400 → {"errors": {"<field code>": ["message", ...]}}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def _as_lists(detail) -> dict:
    if isinstance(detail, dict):
        return {key: (_as_lists(value) if isinstance(value, dict) else [str(m) for m in _flat(value)])
                for key, value in detail.items()}
    return {NON_FIELD: [str(m) for m in _flat(detail)]}


def _flat(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _flat(item)
    else:
        yield value


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        exc = exceptions.ValidationError(detail={k if k != "__all__" else NON_FIELD: v for k, v in detail.items()})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _as_lists(exc.detail)}
    return response


def errors_response(errors: dict, status_code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"errors": errors}, status=status_code)
