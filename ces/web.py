"""The screens' one error edge, and the error pages.

`screen_action` wraps a view that handles a form: the view binds the
action's declared input (ces.inputs.bind), fetches the record through its
access helper and calls one service. Anything the service refuses
(ces.errors.ServiceError) comes back here: its messages are shown on the
page the form was on, and what the person typed is kept for that page
(`kept` in the template context), so nothing typed is lost. Views hold no
try/except of their own.
"""

from copy import copy
from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ces.api.errors import api_bad_request, api_not_found
from ces.errors import NON_FIELD, Forbidden, NotFound, ServiceError

KEPT_SESSION_KEY = "ces_kept_input"
# Never kept in the session: secrets, SSNs, and Django's own fields.
_NOT_KEPT = ("csrfmiddlewaretoken", "password", "ssn", "next", "token")
_KEPT_MAX_CHARS = 4000


def show_errors(request: HttpRequest, errors: dict) -> None:
    """{"field": ["message"]} → one error message each, in the reader's language. A view whose page has
    many rows of the same form names the row the refusal is about with `error_about(request, label)`."""
    about = getattr(request, "ces_error_about", "")
    for field, texts in errors.items():
        for text in texts:
            text = str(text)
            if field != NON_FIELD:
                text = f"{_(field.replace('_', ' ').capitalize())}: {text}"
            messages.error(request, f"{about} — {text}" if about else text)


def error_about(request: HttpRequest, label: str) -> None:
    """Refusals of this request name `label` (e.g. the person of a referral row), so the reader knows which row."""
    request.ces_error_about = str(label)


def back_url(request: HttpRequest, fallback: str = "dashboard") -> str:
    """Where the form was: its `next` field, else the same-site Referer, else `fallback`."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse(fallback)


def keep_typed(request: HttpRequest, url: str) -> None:
    """Keep what was typed for the page at `url` (shown once, then forgotten)."""
    data = {
        key: value[:_KEPT_MAX_CHARS]
        for key, value in request.POST.items()
        if not any(secret in key.lower() for secret in _NOT_KEPT)
    }
    request.session[KEPT_SESSION_KEY] = {"path": urlsplit(url).path, "action": request.path, "data": data}


def kept_input(request: HttpRequest) -> dict:
    """Context processor: what was typed into a refused form on this page.

    `kept` is the typed data and `kept_action` the form's action URL, so a page with
    many forms refills only the one that was refused:
    `{% url 'referral-decision' r.pk as action %}{% if kept_action == action %}{{ kept.justification }}{% endif %}`.
    """
    session = getattr(request, "session", None)
    if session is None or KEPT_SESSION_KEY not in session:
        return {}
    kept = session.get(KEPT_SESSION_KEY) or {}
    if kept.get("path") != request.path:
        return {}
    del session[KEPT_SESSION_KEY]
    return {"kept": kept.get("data", {}), "kept_action": kept.get("action", "")}


def screen_action(view=None, *, fallback: str = "dashboard"):
    """Decorate a form-handling view: a refused action shows why and goes back, keeping the input."""

    def decorate(function):
        @wraps(function)
        def wrapped(request, *args, **kwargs):
            try:
                return function(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except Forbidden as error:
                if request.method in ("GET", "HEAD"):  # a page the user may not open: the 403 page
                    raise PermissionDenied(error.texts()) from None
                return _refused(request, error, fallback)
            except ServiceError as error:
                return _refused(request, error, fallback)

        return wrapped

    return decorate(view) if view is not None else decorate


def _refused(request, error: ServiceError, fallback: str):
    """Show why, keep what was typed, and answer 400 with the page the form was on.

    The page is rendered here (its view called with a GET for its URL), so the
    person sees the form again with the messages and what they typed, and the
    status says the request was refused. HTMX requests are sent there instead.
    """
    show_errors(request, error.texts())
    url = back_url(request, fallback)
    if request.method == "POST":
        keep_typed(request, url)
    if getattr(request, "htmx", False):
        response = redirect(url)
        response["HX-Redirect"] = url
        return response
    status = error.status_code if error.status_code in (400, 403) else 400
    if getattr(request, "_ces_rerender", False):  # the page itself refused: no second try
        return render(request, "400.html", {"problem": _("The form could not be saved."), "back": url}, status=status)
    return _page_at(request, url, status=status)


def _page_at(request: HttpRequest, url: str, *, status: int) -> HttpResponse:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Http404:
        match = None
    page = None
    if match is not None:
        inner = copy(request)
        inner._ces_rerender = True
        inner.method = "GET"
        inner.path = inner.path_info = parts.path
        inner.GET = QueryDict(parts.query)
        inner.POST = QueryDict()
        inner.resolver_match = match
        inner.META = {**request.META, "REQUEST_METHOD": "GET", "QUERY_STRING": parts.query, "PATH_INFO": parts.path}
        try:
            page = match.func(inner, *match.args, **match.kwargs)
        except (Http404, PermissionDenied):
            page = None
        if page is not None and (page.status_code != 200 or getattr(page, "streaming", False)):
            page = None
    if page is None:  # the form's page cannot be shown again: say why on a page of its own
        page = render(request, "400.html", {"problem": _("The form could not be saved."), "back": url}, status=status)
    page.status_code = status
    return page


# --- error pages ------------------------------------------------------------


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return api_bad_request(request, _("The request could not be read."))
    return render(request, "400.html", {"problem": _("The request could not be read.")}, status=400)
