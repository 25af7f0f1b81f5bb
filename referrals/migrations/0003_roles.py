from django.db import migrations

from ces.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_ceevent_historicalceevent_historicalreferral_and_more"),
        ("bnl", "0003_casemanagementpoint_historicalcasemanagementpoint_and_more"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
