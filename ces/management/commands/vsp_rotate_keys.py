"""Rotate the data keys of the victim service providers (ces.vault_rotation), and seal any of
their rows still in clear text (records from before the comparable database).

    manage.py vsp_rotate_keys              # every VSP
    manage.py vsp_rotate_keys --agency DV  # one, by initials

Run it after adding a new key-encryption key on top of a VSP's key file, too: the new data key
is wrapped under the first line."""

from django.core.management.base import BaseCommand, CommandError

from ces.models import Agency
from ces.vault_rotation import vsp_keys_rotate


class Command(BaseCommand):
    help = "Rotate the VSPs' data keys: re-seal their records (and history) under a new key."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="initials of one VSP (default: every VSP)")

    def handle(self, *args, agency=None, **options):
        agencies = Agency.objects.filter(is_vsp=True).order_by("initials")
        if agency:
            agencies = agencies.filter(initials=agency.upper())
            if not agencies.exists():
                raise CommandError(f"No victim service provider with the initials {agency}.")
        for vsp in agencies:
            result = vsp_keys_rotate(agency=vsp)
            rows = ", ".join(f"{label}: {count}" for label, count in result.rows.items() if count)
            self.stdout.write(f"{result.agency}: data key v{result.key_version}; re-sealed {rows or 'nothing'}")
