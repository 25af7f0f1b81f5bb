"""The one shape every report answers in, so the screen, the PDF, the CSV and the API
show the same figures: headline numbers, tables and charts.

- figure: {"key", "label", "value", "unit"}
- table:  {"key", "title", "columns": [{"key", "label"}], "rows": [{column key: value, ...}],
           "note"}; a row may list `suppressed` column keys (fewer than 11 people: shown "<11").
- chart:  {"key", "title", "type": "bar" | "stacked" | "hbar" | "bar_line", "labels": [...],
           "series": [{"label", "values": [...], "axis": "left" | "right", "kind": "bar" | "line"}],
           "unit"}
"""

from collections.abc import Iterable

from reports import policy

SUPPRESSED_TEXT = f"<{policy.SMALL_CELL}"


def figure(key: str, label, value, unit: str = "") -> dict:
    return {"key": key, "label": str(label), "value": value, "unit": str(unit)}


def column(key: str, label) -> dict:
    return {"key": key, "label": str(label)}


def table(key: str, title, columns: list[dict], rows: list[dict], note="") -> dict:
    return {"key": key, "title": str(title), "columns": columns, "rows": rows, "note": str(note)}


def series(label, values: Iterable, *, kind: str = "bar", axis: str = "left") -> dict:
    return {"label": str(label), "values": [v if v is not None else None for v in values], "kind": kind, "axis": axis}


def chart(key: str, title, chart_type: str, labels: Iterable, data: list[dict], unit="") -> dict:
    return {"key": key, "title": str(title), "type": chart_type, "labels": [str(label) for label in labels],
            "series": data, "unit": str(unit)}


def report(name: str, title, period, *, figures=(), tables=(), charts=(), notes=()) -> dict:
    return {
        "report": name,
        "title": str(title),
        "period": period.as_params(),
        "figures": list(figures),
        "tables": list(tables),
        "charts": list(charts),
        "notes": [str(note) for note in notes],
    }


def cell_text(row: dict, key: str) -> str:
    """How a cell reads on the screen, in the PDF and in the CSV."""
    if key in row.get("suppressed", ()):
        return SUPPRESSED_TEXT
    value = row.get(key)
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
