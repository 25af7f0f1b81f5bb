"""Request and response rules that hold for every door.

- RefuseUnstorableInput: a query string or form field with a NUL byte
  answers 400 with a clear message before any view runs (PostgreSQL cannot
  store NUL; JSON bodies are checked by ces.api.parsers).
- ServiceErrorBackstop: a service's refusal that no edge answered becomes a 400 page, not a 500.
- VaultMiddleware: a victim service provider's sealed records open only for its own users.
- DatabaseUnavailable: a database that does not answer (connect or statement timeout, no free
  pooled connection, a broken connection) answers 503 with Retry-After, a page that needs no
  database (or the API's JSON error), never a hung request or a 500.
- PrivateResponses: answers to logged-in users and every API answer carry
  `Cache-Control: no-store`, so personal data never sits in a shared or
  browser cache.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from ces.api.errors import api_bad_request
from ces.errors import NON_FIELD, ServiceError
from ces.vault import opened_agency_id, vault_request, vault_streaming

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class RefuseUnstorableInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = _has_nul(request.GET) or "\x00" in request.path
        if not bad and request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES:
            bad = _has_nul(request.POST)
        if bad:
            message = _("The form contained a character that cannot be stored (a NUL byte). Remove it and try again.")
            if request.path.startswith("/api/"):
                return api_bad_request(request, message)
            return render(request, "400.html", {"problem": message}, status=400)
        return self.get_response(request)


RETRY_AFTER_SECONDS = 30


class DatabaseUnavailable:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # psycopg's QueryCanceled (statement timeout) is an OperationalError; a pool timeout too.
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception.__class__.__name__)
        message = _("The database is not answering right now. Nothing was saved by this request; try again in a minute.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"errors": {NON_FIELD: [message]}}, status=503)
        else:
            response = HttpResponse(loader.get_template("503.html").render({"message": message}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class PrivateResponses:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            if not request.path.startswith("/static/"):
                add_never_cache_headers(response)
                patch_cache_control(response, private=True)
        return response


class ServiceErrorBackstop:
    """A refusal (ces.errors.Invalid) raised where no edge turned it into a response yet becomes a
    400 page naming what was wrong, never a 500. NotFound and Forbidden are Http404 and
    PermissionDenied already, so Django answers them. The API has its own handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceError) or isinstance(exception, (Http404, PermissionDenied)):
            return None
        problem = " ".join(text for texts in exception.texts().values() for text in texts)
        if request.path.startswith("/api/"):
            return api_bad_request(request, problem)
        return render(request, "400.html", {"problem": problem}, status=exception.status_code)


class VaultMiddleware:
    """A victim service provider's seals open only while answering its own users (ces.vault).

    The request is the key: its user (the session's, or the one DRF authenticates later, which
    DRF writes back onto the same request) decides whose seals open. A streamed body (CSV) is
    produced after the view returns, so it is produced under the same request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with vault_request(request):
            response = self.get_response(request)
            if getattr(response, "streaming", False) and not isinstance(response, FileResponse):
                if opened_agency_id() is not None:
                    response.streaming_content = vault_streaming(request, response.streaming_content)
        return response
