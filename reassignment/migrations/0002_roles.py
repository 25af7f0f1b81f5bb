from django.db import migrations

from ces.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [("reassignment", "0001_initial"), ("ces", "0004_agency_caseload_limit_client_safety_plan_and_more")]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
