"""The API's JSON parser: a size limit, a depth limit, and only text PostgreSQL can store.

DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE
does not protect the API; this parser reads at most API_MAX_BODY_BYTES and
refuses deeper nesting than API_MAX_JSON_DEPTH (json.loads would otherwise
raise RecursionError on a body nested 100,000 deep), NUL bytes and lone
surrogates ("\\u0000", "\\ud800") anywhere in the document.
"""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ces.inputs import text_is_storable

BODY_TOO_LARGE = _("The request body is too large.")
NOT_JSON = _("The body is not valid JSON.")
TOO_DEEP = _("The JSON is nested too deeply.")
BAD_TEXT = _("The JSON contains characters that cannot be stored (a NUL byte or a broken character).")


def _check(document, limit: int) -> None:
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > limit:
                raise ParseError(TOO_DEEP)
            for key, item in value.items():
                if not text_is_storable(key):
                    raise ParseError(BAD_TEXT)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > limit:
                raise ParseError(TOO_DEEP)
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not text_is_storable(value):
            raise ParseError(BAD_TEXT)
        elif isinstance(value, float) and value != value:  # NaN is not JSON
            raise ParseError(NOT_JSON)


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(BODY_TOO_LARGE)
        if not raw.strip():
            return {}
        try:
            document = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
        except (ValueError, RecursionError, UnicodeDecodeError):
            raise ParseError(NOT_JSON) from None
        _check(document, settings.API_MAX_JSON_DEPTH)
        return document
