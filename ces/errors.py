"""The one error vocabulary of the services (docs/architecture.md, "The path of an action").

A service that refuses raises one of these, with messages keyed by the input
field they are about ("non_field_errors" for the whole action). Messages are
lazy translations: they are turned into text, in the reader's language, at
the edge. Exactly two places turn them into a response:

- the API's exception handler (ces.api.errors): 400 / 403 / 404 with
  `{"errors": {"<field>": ["message", ...]}}`;
- the screens' decorator (ces.web.screen_action): the messages are shown on
  the page the form was on, with what was typed kept.

Views never catch them one by one.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NON_FIELD = "non_field_errors"

Message = str | Promise
Errors = dict[str, list[Message]]


def _as_errors(errors: "Mapping[str, Iterable[Message] | Message] | Message") -> Errors:
    if isinstance(errors, (str, Promise)):
        return {NON_FIELD: [errors]}
    return {
        field: [messages] if isinstance(messages, (str, Promise)) else list(messages)
        for field, messages in errors.items()
    }


class ServiceError(Exception):
    """A refused action. `errors` maps an input field (or NON_FIELD) to messages."""

    status_code = 400

    def __init__(self, errors: "Mapping[str, Iterable[Message] | Message] | Message"):
        self.errors: Errors = _as_errors(errors)
        super().__init__(self.errors)

    def texts(self) -> dict[str, list[str]]:
        """The messages as text in the active language."""
        return {field: [str(message) for message in messages] for field, messages in self.errors.items()}

    def __str__(self) -> str:
        return "; ".join(f"{field}: {' '.join(texts)}" for field, texts in self.texts().items())


class Invalid(ServiceError):
    """The input breaks a rule: say which field and why (400)."""

    status_code = 400


class Forbidden(ServiceError, PermissionDenied):
    """The actor may see the record but may not do this to it (403). Also a PermissionDenied, so a
    page that does not catch it still answers Django's 403 page, never a 500."""

    status_code = 403


class NotFound(ServiceError, Http404):
    """No such record, or one the actor may not see: the two look the same (404). Also an Http404,
    so a page that does not catch it still answers the 404 page, never a 500."""

    status_code = 404

    def __init__(self, errors: "Mapping[str, Iterable[Message] | Message] | Message" = ""):
        super().__init__(errors or _("Not found."))
