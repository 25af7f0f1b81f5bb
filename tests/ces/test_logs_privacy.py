"""Full SSNs and other search terms never reach a log (issue 9, item 6): the access log keeps the
kind of search and the path without its query string, the screen's search posts, and gunicorn's
access log leaves query strings (and the Referer) out."""

import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ces import roles
from ces.audit import access_log_record
from ces.models import AccessLog
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SSN = "287-65-4321"
DIGITS = "287654321"


@pytest.fixture
def agency():
    return AgencyFactory(initials="CPA")


@pytest.fixture
def agent(agency):
    return UserFactory(agency=agency, roles=[roles.CALL_AGENT])


def _no_ssn_in(text: str) -> bool:
    return DIGITS not in text and SSN not in text and "287 65 4321" not in text


def test_ssn_search_by_post_finds_the_person_and_logs_only_its_kind(client, agency, agent):
    person = ClientFactory(holding_agency=agency, ssn=SSN)
    client.force_login(agent)
    response = client.post(reverse("client-list"), {"q": SSN})
    assert response.status_code == 200 and person.label in response.content.decode()
    (row,) = AccessLog.objects.filter(user=agent, action=AccessLog.Action.SEARCH)
    assert row.detail == "ssn search (1 results)"
    assert row.path == reverse("client-list")
    assert _no_ssn_in(row.detail + row.path)


def test_a_search_by_get_never_puts_its_terms_in_the_access_log(client, agency, agent):
    ClientFactory(holding_agency=agency, first_name="Rosalind", last_name="Ferreira")
    client.force_login(agent)
    client.get(reverse("client-list"), {"q": DIGITS})
    client.get(reverse("client-list"), {"q": "Rosalind Ferreira", "dob": "1980-01-02"})
    rows = list(AccessLog.objects.filter(user=agent).order_by("id"))
    assert [row.detail for row in rows] == ["ssn search (0 results)", "name+dob search (0 results)"]
    for row in rows:
        assert row.path == reverse("client-list")
        assert _no_ssn_in(row.detail + row.path) and "Rosalind" not in row.detail + row.path


def test_the_search_forms_post_so_an_ssn_never_enters_a_url(client, agent):
    client.force_login(agent)
    for url in (reverse("client-list"), reverse("dashboard")):
        html = client.get(url).content.decode()
        assert f'action="{reverse("client-list")}" method="post"' in html or 'method="post" action="/clients/"' in html, url
        assert 'method="get"' not in html


def test_search_pages_post_the_search_again(client, agency, agent):
    for n in range(30):
        ClientFactory(holding_agency=agency, last_name="Alvarez", first_name=f"P{n:02d}")
    client.force_login(agent)
    first = client.post(reverse("client-list"), {"q": "Alvarez"}).content.decode()
    assert "?q=" not in first and 'name="page" value="2"' in first
    second = client.post(reverse("client-list"), {"q": "Alvarez", "page": "2"}).content.decode()
    assert "P29" in second and "P00" not in second


def test_access_log_masks_anything_shaped_like_an_ssn(agent, rf):
    request = rf.get(f"/clients/{SSN}/?q={DIGITS}&dob=1990-01-01")
    row = access_log_record(user=agent, action=AccessLog.Action.SEARCH, request=request, detail=f"looked for {SSN} and {DIGITS}")
    assert _no_ssn_in(row.detail + row.path)
    assert "?" not in row.path and "dob" not in row.path


def test_the_migration_removes_terms_already_in_the_log_and_leaves_the_log_append_only(agent):
    searched = AccessLog.objects.create(user=agent, action=AccessLog.Action.SEARCH, detail="Rosalind Ferreira",
                                        path=f"/clients/?q={DIGITS}")
    pdf = AccessLog.objects.create(user=agent, action=AccessLog.Action.EXPORT, detail=f"export for {SSN}",
                                   path="/bnl/export.csv?county=nevada")
    migration = importlib.import_module("ces.migrations.0008_access_log_without_search_terms")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows above were inserted in this transaction
        cursor.execute(migration.REDACT)
    searched.refresh_from_db()
    pdf.refresh_from_db()
    assert searched.detail == "search (terms not kept)" and searched.path == "/clients/"
    assert pdf.path == "/bnl/export.csv" and _no_ssn_in(pdf.detail) and pdf.detail.startswith("export for")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=searched.pk).update(detail="tampered")


# --- gunicorn -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_access_log_leaves_query_strings_and_referer_out():
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ces.settings.test", "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "--config", "gunicorn.conf.py"], cwd=BASE_DIR, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/clients/?q={DIGITS}&dob=1990-01-01"
        for _attempt in range(100):
            try:
                request = urllib.request.Request(url, headers={"Referer": f"http://127.0.0.1:{port}/clients/?q={SSN}"})
                urllib.request.urlopen(request, timeout=5)  # anonymous: redirected to the log-in page
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    request_lines = [line for line in output.splitlines() if '"GET /' in line]
    assert any('"GET /clients/ HTTP/1.1" 302' in line for line in request_lines), output
    assert _no_ssn_in(output) and "dob=" not in output


def test_every_way_gunicorn_starts_uses_the_config_file():
    import yaml

    assert "--config gunicorn.conf.py" in (BASE_DIR / "Procfile").read_text()
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    assert "gunicorn --config gunicorn.conf.py" in " ".join(compose["services"]["web"]["command"])
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert any(line.startswith("COPY") and "gunicorn.conf.py" in line for line in dockerfile.splitlines())
    assert '"--config", "gunicorn.conf.py"' in dockerfile
    config = (BASE_DIR / "gunicorn.conf.py").read_text()
    assert "%(U)s" in config and "%(r)s" not in config and "%(f)s" not in config


def test_a_refused_search_says_why_on_the_page_and_in_the_htmx_answer(client, agent):
    client.force_login(agent)
    page = client.post(reverse("client-list"), {"q": "Rosa", "dob": "31-02-1990"}).content.decode()
    assert "Enter the date of birth as YYYY-MM-DD." in page and 'value="Rosa"' in page
    partial = client.post(reverse("client-list"), {"q": "Rosa", "dob": "31-02-1990"}, HTTP_HX_REQUEST="true")
    assert "Enter the date of birth as YYYY-MM-DD." in partial.content.decode()
    assert not AccessLog.objects.exists()  # nothing was searched
