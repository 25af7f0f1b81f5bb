from django.db import migrations

from ces.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial"), ("ces", "0005_historicalprogram_engagement_policy_and_more")]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
