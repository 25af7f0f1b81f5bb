"""Create or update the database role the application runs as, and give it exactly its rights.

Run by the owner role (the one that runs migrations) after every `migrate`:

    DATABASE_URL=<owner's url> APP_DATABASE_URL=<app's url> python manage.py db_roles

The app's role (user name and password taken from APP_DATABASE_URL; `ces_app` without a
password when it is not set) may log in and use the tables, but:

- the access log, every history table and every table with an `*_append_only` trigger:
  SELECT and INSERT only (no UPDATE, DELETE, TRUNCATE), so nobody working through the
  application can erase or alter an audit row;
- django_migrations: SELECT only (migrations are the owner's);
- no table at all: TRUNCATE, REFERENCES or TRIGGER; it owns nothing, so it cannot ALTER a
  table (DISABLE TRIGGER) or drop one;
- not a superuser, cannot create roles or databases, cannot bypass row security or replicate,
  so it cannot `SET session_replication_role = replica` (which skips triggers).

Tables created by a later migration get no rights until this runs again (fail closed): `make
run`, docker-compose and docs/operations.md run it right after `migrate`.
"""

import environ
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from psycopg import sql
from simple_history.models import HistoricalChanges

from ces.models import AccessLog

DEFAULT_APP_ROLE = "ces_app"
WORK_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
AUDIT_PRIVILEGES = "SELECT, INSERT"
READ_PRIVILEGES = "SELECT"
# Written by `migrate` (the owner) only; the app reads it to know the schema is current.
READ_ONLY_TABLES = {"django_migrations"}


# Any table carrying a trigger named like this is append-only at the database (ces_accesslog's,
# and any other audit table an app protects the same way): the app role only reads and appends.
APPEND_ONLY_TRIGGERS = """
SELECT DISTINCT c.relname FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND NOT t.tgisinternal AND t.tgname LIKE '%%append_only'
"""


def audit_tables() -> list[str]:
    """The access log, the history table of every model with django-simple-history, and every
    table an append-only trigger protects."""
    history = [model._meta.db_table for model in apps.get_models() if issubclass(model, HistoricalChanges)]
    with connection.cursor() as cursor:
        cursor.execute(APPEND_ONLY_TRIGGERS)
        protected = [name for (name,) in cursor.fetchall()]
    return sorted({AccessLog._meta.db_table, *history, *protected})


def app_role_from_env() -> tuple[str, str | None]:
    env = environ.Env()
    url = env.str("APP_DATABASE_URL", default="")
    if not url:
        return DEFAULT_APP_ROLE, None
    config = env.db_url_config(url)
    return config.get("USER") or DEFAULT_APP_ROLE, config.get("PASSWORD") or None


class Command(BaseCommand):
    help = "Create/update the application's database role (ces_app) and grant it its rights; run as the owner after migrate."

    def add_arguments(self, parser):
        parser.add_argument("--role", help="The app's role name (default: the user of APP_DATABASE_URL, else ces_app).")

    @transaction.atomic
    def handle(self, *args, **options):
        role, password = app_role_from_env()
        role = options.get("role") or role
        ident = sql.Identifier(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if owner == role:
                raise SystemExit(f"db_roles runs as the owner role, not as {role} (set DATABASE_URL to the owner's URL).")
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                # Roles are cluster-wide: another database of the cluster may create it at the same time.
                cursor.execute(
                    sql.SQL(
                        "DO $$ BEGIN CREATE ROLE {} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
                    ).format(ident)
                )
            cursor.execute(
                sql.SQL(
                    "ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
                ).format(ident)
            )
            if password:
                cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)))
            cursor.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident))
            cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
            cursor.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(ident))
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            tables = [name for (name,) in cursor.fetchall()]
            audit = set(audit_tables())
            for table in tables:
                table_ident = sql.Identifier(table)
                cursor.execute(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(table_ident, ident))
                if table in audit:
                    privileges = AUDIT_PRIVILEGES
                elif table in READ_ONLY_TABLES:
                    privileges = READ_PRIVILEGES
                else:
                    privileges = WORK_PRIVILEGES
                cursor.execute(sql.SQL(f"GRANT {privileges} ON TABLE {{}} TO {{}}").format(table_ident, ident))
            cursor.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident))
        self.stdout.write(
            f"role {role}: {len(tables) - len(audit & set(tables))} tables to work with, "
            f"{len(audit & set(tables))} audit tables read and append only (database {database}, owner {owner})"
        )
