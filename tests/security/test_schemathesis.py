"""The API against its own OpenAPI schema (schemathesis, property-based): whatever it is sent —
inputs the schema allows and inputs it does not — it never answers 5xx, and a refused write
changes nothing (issue "Thin edges").

The schema is the one the API serves (/api/schema/), so an endpoint added later is fuzzed too.
Each operation gets a dozen generated requests as CoC staff (who may use most of the API), over
the security world (so ids of real records are in play), sent through Django's test client inside
one transaction that is rolled back at the end of the module.
"""

import json
from collections import Counter
from urllib.parse import urlencode, urlsplit

import pytest
import schemathesis
from django.db import transaction
from django.test import Client as WebClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from schemathesis import GenerationMode

from audit.models import AuditEvent
from tests.security.world import build_world

pytestmark = pytest.mark.django_db  # so pytest-django sets up the test database for this module

EXAMPLES_PER_OPERATION = 8


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The security world and a token, built once for the module; everything is rolled back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            _instance, key = AuthToken.objects.create(world.users["coc_staff"])
            yield world, key
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _send(case, key: str):
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    path = urlsplit(kwargs["url"]).path
    if kwargs.get("params"):
        path += "?" + urlencode(kwargs["params"], doseq=True)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}", "HTTP_ACCEPT": "application/json"}
    content_type = kwargs["headers"].get("Content-Type", "application/json")
    if "json" in kwargs:
        body = json.dumps(kwargs["json"]).encode()
    else:
        body = kwargs.get("data") or b""
        if isinstance(body, dict):
            body = urlencode(body, doseq=True).encode()
        elif isinstance(body, str):
            body = body.encode("utf-8", errors="surrogatepass")
    return WebClient().generic(kwargs["method"], path, body, content_type=content_type, **headers)


def _operations(key: str):
    response = WebClient().get("/api/schema/", {"format": "json"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200, response.status_code
    api = schemathesis.openapi.from_dict(json.loads(response.content))
    return [result.ok() for result in api.get_all_operations()]


def _fuzz(operation, mode: GenerationMode, key: str, statuses: Counter) -> list[str]:
    """A dozen requests for one operation; the problems found (hypothesis shrinks each to its simplest case)."""
    problems = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def run(case):
        changes = AuditEvent.objects.filter(kind="change").count()
        with transaction.atomic():  # each request's writes undone, so the next starts from the world
            response = _send(case, key)
            status = response.status_code
            changed = AuditEvent.objects.filter(kind="change").count() != changes
            transaction.set_rollback(True)
        statuses[status] += 1
        if status >= 500:
            problems.append(f"{case.method} {case.formatted_path} ({mode.value}): {status} {response.content[:300]!r}")
        elif status >= 400 and changed:
            problems.append(f"{case.method} {case.formatted_path} ({mode.value}): refused with {status}, yet a record changed")

    try:
        run()
    except Unsatisfiable:  # nothing invalid to send (e.g. a GET without parameters): nothing to test
        pass
    return problems


def test_the_api_never_answers_5xx_and_refused_writes_change_nothing(fuzz_world):
    _world, key = fuzz_world
    problems = []
    statuses = Counter()
    operations = _operations(key)
    assert len(operations) > 40  # the whole API, not an empty schema
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            problems += _fuzz(operation, mode, key, statuses)
    assert not problems, "\n".join(sorted(set(problems)))
    # The requests reached the actions: the token held throughout, and many were answered.
    assert statuses[401] == 0, statuses
    assert sum(n for status, n in statuses.items() if status < 300) > 50, statuses
