"""Bad input at both doors of an action (screen and API): each field, each kind of bad value.

`refused_everywhere` posts the action's valid body with one field replaced by a bad value, for
every field and every bad value of its kind, through the API (JSON) and the screen (a form),
and checks that each is refused (API: 400/404; screen: never 2xx or 5xx, an error shown) and
that nothing at all was saved. Then it checks that the valid body itself is accepted, so every
refusal above was the bad field's doing.
"""

import json

from django.apps import apps
from django.contrib.messages import ERROR, get_messages

from ces.models import AccessLog

HUGE = 10**30
NUL = "bad\x00value"
LONE_SURROGATE = "bad\ud800value"  # the API only: a form cannot carry it

# Each kind of field and what is bad for it ("" is bad only where a value is required).
BAD_VALUES = {
    "id": [NUL, "²", HUGE, "abc", "", "-1", 0, "1e3", "٣"],
    "optional_id": [NUL, "²", HUGE, "abc", "-1", 0, "1e3", "٣", 987654321],  # "" means none
    "choice": [NUL, "²", HUGE, "abc", ""],
    "defaulted_choice": [NUL, "²", HUGE, "abc"],  # an empty <select> on a form means "the default"
    "date": [NUL, "²", HUGE, "abc", "2026-02-30", "0001-01-01"],
    "moment": [NUL, "²", HUGE, "abc", "0001-01-01T00:00:00+14:00"],
    "text": [NUL, ""],
    "optional_text": [NUL],
}
API_ONLY_BAD = {"text": [LONE_SURROGATE], "optional_text": [LONE_SURROGATE], "defaulted_choice": [""]}

_COUNTED_APPS = ("reassignment", "engagement")
_COUNTED_CES = ("Client", "HistoricalClient", "ClientNote", "HistoricalClientNote", "Notification", "Deadline", "ClientDocument")


def world() -> dict[str, int]:
    """Row counts of everything an action of these apps could write (history tables included)."""
    counts = {}
    for label in _COUNTED_APPS:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model.objects.count()
    for name in _COUNTED_CES:
        model = apps.get_model("ces", name)
        counts[model._meta.label] = model.objects.count()
    return counts


def _form_value(value) -> str:
    return str(value)


def post_json(api, url: str, body):
    """JSON as a client library sends it (lone surrogates escaped as \\ud800, which the test client's renderer cannot)."""
    return api.post(url, data=json.dumps(body), content_type="application/json")


def _error_shown(response) -> bool:
    return any(message.level == ERROR for message in get_messages(response.wsgi_request))


def refused_everywhere(*, api, api_url: str, api_body: dict, web, web_url: str, web_body: dict, fields: dict[str, str],
                       api_status=(400,)) -> None:
    """Every bad value of every field refused at both doors, and nothing saved."""
    before = world()
    logs = AccessLog.objects.count()
    for field, kind in fields.items():
        for bad in BAD_VALUES[kind] + API_ONLY_BAD.get(kind, []):
            response = post_json(api, api_url, {**api_body, field: bad})
            assert response.status_code in api_status, (api_url, field, bad, response.status_code, response.content[:300])
            assert "errors" in response.json(), (api_url, field, bad)
            assert world() == before, (api_url, field, bad)
        if field not in web_body:
            continue
        for bad in BAD_VALUES[kind]:
            response = web.post(web_url, {**web_body, field: _form_value(bad)})
            assert response.status_code in (302, 400, 404), (web_url, field, bad, response.status_code)
            if response.status_code == 302:
                assert _error_shown(response), (web_url, field, bad)
            assert world() == before, (web_url, field, bad)
    assert AccessLog.objects.count() == logs
