"""Bad input at every door: never a 5xx, and a refused write changes nothing (issue "Thin edges").

Every URL of the project (from the matrix, so a new URL is covered without anyone remembering)
gets the classes of input that once answered 500: NUL bytes, lone surrogates and broken UTF-8,
non-ASCII digits, numbers of thousands of digits, "1e999999", dates of year 1 and 9999 with
offsets, JSON nested too deep or not an object, wrong JSON types. Each POST sends every field name
any declared input knows (`<app>/inputs.py`) set to the bad value, as a persona who may use the
URL, about the person that persona may see; each GET sends them as query parameters.
"""

import importlib
import json
from urllib.parse import quote_from_bytes

import pytest
from django.apps import apps
from django.test import Client as WebClient
from rest_framework import serializers

from audit.models import AuditEvent
from tests.security.test_matrix import MATRIX, G, Row, _document_target, _url
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db

# What a form can carry (bytes, percent-encoded as they are): each once crashed a view.
FORM_VALUES: dict[str, bytes] = {
    "nul": b"a\x00b",
    "broken utf-8 / lone surrogate": b"\xed\xa0\x80",
    "superscript digit": "²".encode(),
    "arabic-indic digits": "٣٤".encode(),
    "4,000 digits": b"9" * 4000,
    "huge exponent": b"1e999999",
    "year 1 with offset": b"0001-01-01T00:00:00+14:00",
    "year 9999": b"9999-12-31T23:59:59-14:00",
}
GET_VALUES = ("nul", "broken utf-8 / lone surrogate", "superscript digit", "year 1 with offset")
# What JSON can carry beyond that: other types and shapes.
JSON_VALUES: dict[str, object] = {
    "nul": "a\x00b",
    "superscript digit": "²",
    "4,000-digit integer": int("9" * 4000),
    "year 1 with offset": "0001-01-01T00:00:00+14:00",
    "year 9999": "9999-12-31",
    "a list": [1, 2, 3],
    "an object": {"a": {"b": 1}},
    "null": None,
}
RAW_JSON_BODIES: dict[str, bytes] = {
    "lone surrogate escape": b'{"reason": "\\ud800", "note": "\\udfff"}',
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "not an object": b"[1, 2, 3]",
    "not JSON": b"{'reason': nope",
    "NaN": b'{"units": NaN, "score": Infinity}',
    "4,400-digit integer": b'{"units": ' + b"9" * 4400 + b"}",
    "empty": b"",
}
# Answers the intake form takes by question code (its autosave binds them one by one).
INTAKE_CODES = ["dob", "first_name", "last_name", "ssn", "phone_primary", "household_size", "children_count",
                "homeless_start_date", "monthly_income", "county", "hmis_consent"]


def declared_field_names() -> list[str]:
    """Every field name of every declared input (`<app>/inputs.py`)."""
    names = set(INTAKE_CODES)
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.inputs")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, serializers.Serializer) and value is not serializers.Serializer:
                try:
                    names.update(value().fields.keys())
                except Exception:  # noqa: BLE001 (an input that needs context to build its fields: skip it)
                    continue
    return sorted(names)


def _persona_for(row: Row) -> str | None:
    """A persona who may use the URL (so the input is read, not refused at the door)."""
    for persona in ("coc_staff", "case_worker", "call_agent", "program_staff", "supervisor", "hmis_admin",
                    "committee", "vsp_advocate", "program_staff_b", "nonhmis_list_holder"):
        if persona in row.allowed:
            return persona
    return None


def _target_url(world: World, name: str, row: Row) -> str:
    pk = None
    if row.target is not None:
        key = row.target if ":" in row.target else f"{row.target}:shared"
        pk = world.objects[key].pk if key in world.objects else None
    if name == "client-document":
        return _document_target(world, name, pk)
    return _url(name, pk)


def _client(world: World, persona: str) -> WebClient:
    web = WebClient()
    web.force_login(world.users[persona])
    return web


def _form_body(fields: list[str], value: bytes) -> bytes:
    return b"&".join(quote_from_bytes(f.encode()).encode() + b"=" + quote_from_bytes(value).encode() for f in fields)


def test_no_bad_input_answers_5xx_and_refused_writes_change_nothing():
    world = build_world()
    fields = declared_field_names()
    problems = []
    for name, row in MATRIX.items():
        persona = _persona_for(row)
        if persona is None or name in ("logout",):
            continue
        url = _target_url(world, name, row)
        if row.method == G:
            probes = [("GET", label, FORM_VALUES[label]) for label in GET_VALUES]
        elif row.api:
            probes = [("JSON", label, json.dumps(dict.fromkeys(fields, value)).encode()) for label, value in JSON_VALUES.items()]
            probes += [("JSON", label, body) for label, body in RAW_JSON_BODIES.items()]
        else:
            probes = [("FORM", label, _form_body(fields, value)) for label, value in FORM_VALUES.items()]
        for kind, label, payload in probes:
            web = _client(world, persona)
            changes = AuditEvent.objects.filter(kind="change").count()
            if kind == "GET":
                query = b"&".join(quote_from_bytes(f.encode()).encode() + b"=" + quote_from_bytes(payload).encode()
                                  for f in ("page", "q", "since", "until", "client", "program", "status", "id", "date"))
                response = web.get(f"{url}?{query.decode()}", HTTP_ACCEPT="application/json" if row.api else "text/html")
            elif kind == "JSON":
                response = web.generic("POST", url, payload, content_type="application/json")
            else:
                response = web.generic("POST", url, payload, content_type="application/x-www-form-urlencoded")
            status = response.status_code
            if status >= 500:
                problems.append(f"{persona} {kind} {url} ({name}) with {label}: {status}")
            if status >= 400 and AuditEvent.objects.filter(kind="change").count() != changes:
                problems.append(f"{persona} {kind} {url} ({name}) with {label}: refused with {status}, yet a record changed")
    assert not problems, "\n".join(problems)


def test_ids_in_urls_are_ascii_digits_of_sane_length():
    """`<id:pk>` takes 1 to 18 ASCII digits: "²", "٣" and 19+ digits are 404, never a 500."""
    world = build_world()
    web = _client(world, "coc_staff")
    for bad in ("%C2%B2", "%D9%A3", "9" * 19, "9" * 4000, "0x10", "-1", "1.0"):
        for prefix in ("/clients/", "/api/v1/clients/", "/bnl/", "/api/v1/bnl/", "/referrals/programs/"):
            response = web.get(f"{prefix}{bad}/")
            assert response.status_code == 404, (prefix, bad, response.status_code)
