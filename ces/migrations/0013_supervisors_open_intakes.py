"""Supervisors amend their agency's intakes (intake.amend_intake), so they may open them too."""

from django.db import migrations

from ces.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [("ces", "0012_client_ssn_unique_full"), ("intake", "0001_initial")]
    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
