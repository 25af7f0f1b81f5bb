"""What every report query shares: running aggregate SQL, percentiles, the BNL status history.

Reports aggregate in the database and bring back only the aggregated rows (a
few hundred at most), so their cost follows the tables' size only through
PostgreSQL's own scans. SQL text here is fixed; every value is a parameter.
"""

from django.db import connection
from django.db.models import Aggregate, FloatField

from reports import policy


def rows(sql: str, params: dict | list | tuple = ()) -> list[dict]:
    """Run an aggregate query and return its rows as dicts."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def one(sql: str, params: dict | list | tuple = ()) -> dict:
    found = rows(sql, params)
    return found[0] if found else {}


class PercentileCont(Aggregate):
    """percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile_columns(expression: str, prefix: str = "p") -> str:
    """SQL select items: the percentiles of policy.PERCENTILES of `expression`, named p25, p50, ..."""
    return ", ".join(
        f"percentile_cont({fraction}) WITHIN GROUP (ORDER BY {expression}) AS {prefix}{round(fraction * 100)}"
        for fraction in policy.PERCENTILES
    )


def bucket_case(expression: str) -> str:
    """SQL: the DURATION_BUCKETS label of a number of days."""
    whens = []
    for label, low, high in policy.DURATION_BUCKETS:
        condition = f"{expression} >= {int(low)}" + (f" AND {expression} <= {int(high)}" if high is not None else "")
        whens.append(f"WHEN {condition} THEN '{label}'")
    return f"CASE {' '.join(whens)} END"


def rounded(value, digits: int = 1):
    return None if value is None else round(float(value), digits)


def rate(numerator: int, denominator: int) -> float | None:
    """A share in percent, one decimal; None when there is nothing to divide by."""
    return round(100.0 * numerator / denominator, 1) if denominator else None


# The CoC list's status history as intervals: one row per history row of a CoC-list entry,
# with the status before it and the moment the next row replaced it. Deleted-row markers
# end the last interval and are not intervals themselves.
STATUS_INTERVALS = """
    status_rows AS (
        SELECT h.id AS entry_id, h.status, h.history_type,
               -- an entry's first row starts at its placement (a paper intake is placed when it was collected)
               CASE WHEN LAG(h.history_id) OVER w IS NULL THEN LEAST(h.history_date, h.placed_on_list_at)
                    ELSE h.history_date END AS since,
               LAG(h.status) OVER w AS previous_status,
               LEAD(h.history_date) OVER w AS until
        FROM bnl_historicalbnlentry h
        WHERE h.list_owner_id IS NULL
        WINDOW w AS (PARTITION BY h.id ORDER BY h.history_date, h.history_id)
    ),
    status_intervals AS (
        SELECT entry_id, status, previous_status, since, until
        FROM status_rows WHERE history_type <> '-'
    )
"""

# Each status change of a CoC-list entry (a new entry counts as a change from nothing).
STATUS_CHANGES = (
    STATUS_INTERVALS
    + """,
    status_changes AS (
        SELECT entry_id, previous_status, status, since AS at
        FROM status_intervals
        WHERE previous_status IS DISTINCT FROM status
    )
"""
)
