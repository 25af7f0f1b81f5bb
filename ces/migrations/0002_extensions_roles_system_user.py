"""PostgreSQL extensions, the role groups, the system user, an append-only access log."""

from django.conf import settings
from django.contrib.postgres.operations import BtreeGistExtension, CreateExtension, TrigramExtension
from django.db import migrations

from ces.roles import roles_sync


def system_user_create(apps, schema_editor):
    User = apps.get_model("ces", "User")
    User.objects.get_or_create(
        username=settings.CES_SYSTEM_USERNAME,
        defaults={
            "is_system": True,
            "is_active": False,
            "first_name": "CES",
            "last_name": "scheduled jobs",
            "password": "!",  # unusable: nobody logs in as the system user
        },
    )


ACCESS_LOG_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION ces_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ces_accesslog is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ces_accesslog_append_only
    BEFORE UPDATE OR DELETE ON ces_accesslog
    FOR EACH ROW EXECUTE FUNCTION ces_accesslog_append_only();
"""

ACCESS_LOG_APPEND_ONLY_REVERSE = """
DROP TRIGGER IF EXISTS ces_accesslog_append_only ON ces_accesslog;
DROP FUNCTION IF EXISTS ces_accesslog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ces", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        # The duplicate check (intake) depends on these.
        TrigramExtension(),
        CreateExtension("fuzzystrmatch"),
        BtreeGistExtension(),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
        migrations.RunPython(system_user_create, migrations.RunPython.noop),
        migrations.RunSQL(ACCESS_LOG_APPEND_ONLY, ACCESS_LOG_APPEND_ONLY_REVERSE),
    ]
