"""Reports as CSV for spreadsheets: every table of the report, one after the other.

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) are neutralised by ces.csv_export.csv_cell, like every CSV the
system hands out. Negative numbers stay numbers: only text is neutralised. The HMIS export is not a spreadsheet and is written
exactly (reports.hmis.writer).
"""

import csv
import io
from collections.abc import Iterator

from ces.csv_export import csv_cell
from reports.figures import cell_text


def safe_cell(value) -> object:
    return csv_cell(value)  # one rule for every CSV (ces.csv_export)


def report_csv_lines(figures: dict) -> Iterator[str]:
    """The report's tables as CSV text, a line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([safe_cell(figures["title"]), figures["period"]["start"], figures["period"]["end"]])
    yield flush()
    for item in figures.get("figures", []):
        writer.writerow([safe_cell(item["label"]), safe_cell(item["value"]), safe_cell(item.get("unit", ""))])
        yield flush()
    for table in figures.get("tables", []):
        writer.writerow([])
        writer.writerow([safe_cell(table["title"])])
        writer.writerow([safe_cell(column["label"]) for column in table["columns"]])
        yield flush()
        for row in table["rows"]:
            writer.writerow([safe_cell(_csv_value(row, column["key"])) for column in table["columns"]])
            yield flush()


def _csv_value(row: dict, key: str):
    if key in row.get("suppressed", ()):
        return cell_text(row, key)
    value = row.get(key)
    return "" if value is None else value
