"""The app's database role (issue 9, item 7): it works with the tables but can neither erase nor
alter an audit row — no TRUNCATE, DELETE or UPDATE on the access log or a history table, no
`session_replication_role = replica`, no DISABLE TRIGGER — and is no superuser and owns nothing.

The suite itself runs as the owner; these tests create `ces_app` with `db_roles` (as
`make run` and docker-compose do after `migrate`) and act as it.
"""

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from ces import roles
from ces.audit import access_log_record
from ces.management.commands.db_roles import audit_tables
from ces.models import AccessLog, Client
from ces.services import client_update
from tests.factories import AgencyFactory, ClientFactory, UserFactory

APP_ROLE = "ces_app"
APP_PASSWORD = "ces-app-test-only"

REFUSED = [
    "TRUNCATE ces_accesslog",
    "DELETE FROM ces_accesslog",
    "UPDATE ces_accesslog SET detail = 'tampered'",
    "TRUNCATE ces_historicalclient",
    "DELETE FROM ces_historicalclient",
    "UPDATE ces_historicalclient SET first_name = 'tampered'",
    "DELETE FROM intake_historicalintake",
    "SET session_replication_role = replica",
    "ALTER TABLE ces_accesslog DISABLE TRIGGER ces_accesslog_append_only",
    "ALTER TABLE ces_accesslog DISABLE TRIGGER ALL",
    "ALTER TABLE ces_historicalclient DISABLE TRIGGER ALL",
    "DROP TABLE ces_accesslog",
    "DROP TRIGGER ces_accesslog_append_only ON ces_accesslog",
    "UPDATE django_migrations SET name = name",
    "CREATE TABLE ces_sneaky (id int)",
]


@pytest.fixture
def app_role(monkeypatch):
    settings = connection.settings_dict
    monkeypatch.setenv(
        "APP_DATABASE_URL",
        f"postgres://{APP_ROLE}:{APP_PASSWORD}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}",
    )
    call_command("db_roles", verbosity=0)
    return APP_ROLE


def _as_app_role(cursor):
    cursor.execute(f"SET ROLE {APP_ROLE}")


def _reset(cursor):
    cursor.execute("RESET ROLE")


@pytest.fixture
def audit_rows():
    agency = AgencyFactory(initials="ARL")
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    person = ClientFactory(holding_agency=agency, first_name="Amaia")
    access_log_record(user=worker, action=AccessLog.Action.VIEW_CLIENT, client=person, obj=person)
    return worker, person


@pytest.mark.django_db
def test_every_history_table_and_the_access_log_are_audit_tables():
    tables = audit_tables()
    assert {"ces_accesslog", "ces_historicalclient", "intake_historicalassessment", "bnl_historicalbnlentry"} <= set(tables)
    assert not {"ces_client", "ces_deadline", "intake_intake", "knox_authtoken", "django_session"} & set(tables)


@pytest.mark.django_db
def test_the_app_role_cannot_erase_or_alter_audit_rows(app_role, audit_rows):
    _worker, person = audit_rows
    before = (AccessLog.objects.count(), person.history.count())
    with connection.cursor() as cursor:
        _as_app_role(cursor)
        try:
            for statement in REFUSED:
                with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
                    cursor.execute(statement)
        finally:
            _reset(cursor)
    assert (AccessLog.objects.count(), person.history.count()) == before
    assert not AccessLog.objects.filter(detail="tampered").exists()


@pytest.mark.django_db
def test_the_app_role_does_its_normal_work(app_role, audit_rows):
    worker, person = audit_rows
    versions = person.history.count()
    with connection.cursor() as cursor:
        _as_app_role(cursor)
        try:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (APP_ROLE,)
            access_log_record(user=worker, action=AccessLog.Action.VIEW_CLIENT, client=person, obj=person)
            client_update(client=person, actor=worker, reason="new phone", phone_primary="+15305550111")
            ClientFactory(holding_agency=person.holding_agency)
            assert AccessLog.objects.filter(client=person).count() == 2
        finally:
            _reset(cursor)
    person.refresh_from_db()
    assert str(person.phone_primary) == "+15305550111"
    assert person.history.count() == versions + 1 and person.history.first().history_user == worker


@pytest.mark.django_db(transaction=True)
def test_the_app_role_logs_in_with_its_password_is_no_superuser_and_owns_nothing(app_role):
    agency = AgencyFactory(initials="ARR")
    worker = UserFactory(agency=agency, roles=[roles.CASE_WORKER])
    person = ClientFactory(holding_agency=agency)
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, dbname=settings["NAME"],
                         user=APP_ROLE, password=APP_PASSWORD, autocommit=True) as app:
        flags = app.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert flags == (False, False, False, False, False)
        assert app.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user").fetchone() == (0,)
        app.execute(
            "INSERT INTO ces_accesslog (at, user_id, action, client_id, object_type, object_id, detail, path, user_agent)"
            " VALUES (now(), %s, 'view_client', %s, 'ces.client', %s, '', '', '')",
            [worker.pk, person.pk, str(person.pk)],
        )
        for statement in REFUSED:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
    assert AccessLog.objects.filter(client=person).count() == 1
    assert Client.objects.filter(pk=person.pk).exists()
