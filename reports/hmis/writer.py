"""Write the HMIS CSV zip, streaming: each file's rows come from a server-side cursor a
chunk at a time and go straight into the compressed zip entry, so memory stays flat
however many clients there are."""

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from django.db import connection
from django.utils import timezone

from ces import crypto
from ces.models import Agency
from ces.system_user import system_user_get
from reports import policy
from reports.hmis.files import CLIENT, CLIENT_SSN_INDEX, FILES, CsvFile

Progress = Callable[[str, int, int], None]  # (file name, files done, files in all)


@dataclass(frozen=True)
class ExportSettings:
    export_id: str
    start: date
    end: date
    include_unconsented: bool
    as_of: datetime
    contact_first: str = ""
    contact_last: str = ""
    contact_email: str = ""

    def params(self) -> dict:
        since = timezone.make_aware(datetime.combine(self.start, datetime.min.time()))
        until = timezone.make_aware(datetime.combine(self.end, datetime.min.time())) + timezone.timedelta(days=1)
        lead = Agency.objects.filter(kind=Agency.Kind.LEAD).order_by("id").first() or Agency.objects.order_by("id").first()
        return {
            "export_id": self.export_id, "start": self.start, "end": self.end, "since": since, "until": until,
            "as_of": self.as_of, "unconsented": self.include_unconsented, "tz": timezone.get_current_timezone_name(),
            "coc_code": policy.HMIS_COC_CODE, "source_name": policy.SOFTWARE_NAME, "software_name": policy.SOFTWARE_NAME,
            "software_version": policy.SOFTWARE_VERSION, "csv_version": policy.HMIS_CSV_VERSION,
            "implementation_id": f"{policy.HMIS_COC_CODE}-CES", "contact_first": self.contact_first or None,
            "contact_last": self.contact_last or None, "contact_email": self.contact_email or None,
            "system_user": str(system_user_get().pk), "ce_organization": lead.pk if lead else None,
            "ce_project_name": f"{policy.HMIS_COC_CODE} Coordinated Entry", "operating_start": date(2018, 1, 1),
        }


def _decrypt_ssn(row: list) -> list:
    ciphertext = row[CLIENT_SSN_INDEX]
    row[CLIENT_SSN_INDEX] = crypto.decrypt(ciphertext) if ciphertext else None
    return row


def csv_rows(csv_file: CsvFile, params: dict):
    """The file's rows, a chunk at a time from a server-side cursor."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(csv_file.sql(), params)
        while True:
            chunk = cursor.fetchmany(policy.EXPORT_CHUNK_ROWS)
            if not chunk:
                return
            if csv_file is CLIENT:
                yield [_decrypt_ssn(list(row)) for row in chunk]
            else:
                yield chunk


def export_write(target: BinaryIO, settings: ExportSettings, progress: Progress | None = None) -> dict[str, int]:
    """Write the zip of every file to `target`; returns the rows written per file."""
    params = settings.params()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, csv_file in enumerate(FILES):
            if progress is not None:
                progress(csv_file.name, index, len(FILES))
            written = 0
            with archive.open(csv_file.name, "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(csv_file.header)
                for chunk in csv_rows(csv_file, params):
                    writer.writerows(chunk)
                    written += len(chunk)
                text.flush()
                text.detach()
            counts[csv_file.name] = written
    if progress is not None:
        progress("", len(FILES), len(FILES))
    return counts
