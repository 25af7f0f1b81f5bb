"""python manage.py hmis_export --start YYYY-MM-DD --end YYYY-MM-DD --output FILE.zip [--include-unconsented]

Writes the HUD HMIS CSV (FY2026) zip of hmis-export.md for the date range, the
same files as the screen's export, straight to FILE. Logged as an export by the
system user (or --user, an HMIS admin).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ces.errors import ServiceError
from ces.inputs import bind
from ces.models import User
from ces.system_user import system_user_get
from reports.inputs import HmisExportInput
from reports.services import hmis_export_file_write


class Command(BaseCommand):
    help = "Write the HUD HMIS CSV (FY2026) export of the Coordinated Entry data for a date range."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the zip file to write")
        parser.add_argument("--include-unconsented", action="store_true",
                            help="also export clients without HMIS consent (never with name, SSN or DOB)")
        parser.add_argument("--user", default="", help="username of the HMIS admin asking (default: the system user)")

    def handle(self, *args, start, end, output, include_unconsented, user, **options):
        try:
            values = bind(HmisExportInput, {"start": start, "end": end, "include_unconsented": include_unconsented})
            actor = User.objects.get(username=user) if user else system_user_get()
        except ServiceError as error:
            raise CommandError(str(error)) from None
        except User.DoesNotExist:
            raise CommandError(f"No user {user!r}.") from None
        path = Path(output)
        if path.parent and not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        try:
            with path.open("wb") as target:
                counts = hmis_export_file_write(actor=actor, target=target, **values)
        except ServiceError as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error)) from None
        for name, rows in counts.items():
            self.stdout.write(f"{name}: {rows} rows")
        self.stdout.write(self.style.SUCCESS(f"wrote {path}"))
