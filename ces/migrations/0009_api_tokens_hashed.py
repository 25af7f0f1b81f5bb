"""API tokens move to django-rest-knox (hashed, expiring, shown once): the role groups get its
permissions, and DRF's table of tokens kept in clear is dropped (every old token stops working;
people ask for a new one at POST /api/v1/auth/token/)."""

from django.db import migrations

from ces.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ces", "0008_access_log_without_search_terms"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
