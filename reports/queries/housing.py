"""Time from list placement to referral and to housing: medians and percentiles.

- To referral: each CoC-list entry whose first housing referral was made in
  the period, from its placement on the list (the original placement date).
- To housing: each move of a CoC-list entry to `housed` in the period (RRH/PSH
  move-in, or CoC staff recording it), from its placement on the list; by the
  type of the program that enrolled the person.
"""

from django.utils.translation import gettext_lazy as _

from ces.models import Program
from reports import figures as f
from reports import policy
from reports.periods import Period
from reports.queries.sql import STATUS_CHANGES, bucket_case, percentile_columns, rounded, rows

DAYS = "EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0"

FIRST_REFERRALS = """
    first_referrals AS (
        SELECT e.id AS entry_id, e.county, e.placed_on_list_at, MIN(r.created_at) AS first_at
        FROM referrals_referral r JOIN bnl_bnlentry e ON e.id = r.entry_id
        WHERE e.list_owner_id IS NULL
        GROUP BY e.id, e.county, e.placed_on_list_at
    ),
    to_referral AS (
        SELECT county, GREATEST(0, {days}) AS days FROM first_referrals
        WHERE first_at >= %(since)s AND first_at < %(until)s
    )
""".format(days=DAYS.format(end="first_at", start="placed_on_list_at"))

HOUSED = STATUS_CHANGES + """,
    to_housing AS (
        SELECT e.county, GREATEST(0, {days}) AS days,
               COALESCE((SELECT p.type FROM referrals_referral r JOIN ces_program p ON p.id = r.program_id
                         WHERE r.entry_id = e.id AND r.status = 'enrolled' AND r.decided_at <= c.at + interval '1 minute'
                         ORDER BY r.decided_at DESC LIMIT 1), 'recorded') AS program_type
        FROM status_changes c JOIN bnl_bnlentry e ON e.id = c.entry_id
        WHERE c.status = 'housed' AND c.at >= %(since)s AND c.at < %(until)s
    )
""".format(days=DAYS.format(end="c.at", start="e.placed_on_list_at"))


def _summary(cte: str, source: str, group: str | None, params: dict) -> list[dict]:
    grouping = f"GROUPING SETS (({group}), ())" if group else "()"
    label = f"COALESCE({group}, 'all')" if group else "'all'"
    return rows(
        f"WITH {cte} SELECT {label} AS grp, count(*) AS n, avg(days) AS mean, {percentile_columns('days')} "
        f"FROM {source} GROUP BY {grouping}",
        params,
    )


def _histogram(cte: str, source: str, params: dict) -> dict[str, int]:
    found = rows(f"WITH {cte} SELECT {bucket_case('days')} AS bucket, count(*) AS n FROM {source} GROUP BY 1", params)
    counts = {row["bucket"]: row["n"] for row in found}
    return {label: counts.get(label, 0) for label, _low, _high in policy.DURATION_BUCKETS}


def _rows(summary: list[dict], labels: dict) -> list[dict]:
    out = []
    for row in sorted(summary, key=lambda r: (r["grp"] == "all", str(labels.get(r["grp"], r["grp"])))):
        out.append({"group": str(labels.get(row["grp"], row["grp"])), "people": row["n"], "mean": rounded(row["mean"]),
                    **{f"p{round(q * 100)}": rounded(row[f"p{round(q * 100)}"]) for q in policy.PERCENTILES}})
    return out


def time_to_housing(period: Period) -> dict:
    params = {"since": period.since, "until": period.until}
    county_labels = {"placer": _("Placer County"), "nevada": _("Nevada County"), "all": _("All")}
    type_labels = dict(Program.Type.choices) | {"recorded": _("Recorded by CoC staff"), "all": _("All")}
    referral_rows = _rows(_summary(FIRST_REFERRALS, "to_referral", "county", params), county_labels)
    housing_rows = _rows(_summary(HOUSED, "to_housing", "program_type", params), type_labels)
    referral_histogram = _histogram(FIRST_REFERRALS, "to_referral", params)
    housing_histogram = _histogram(HOUSED, "to_housing", params)
    overall_referral = next((r for r in referral_rows if r["group"] == str(county_labels["all"])), {})
    overall_housing = next((r for r in housing_rows if r["group"] == str(type_labels["all"])), {})
    columns = [f.column("group", _("Group")), f.column("people", _("People")), f.column("mean", _("Mean days")),
               *[f.column(f"p{round(q * 100)}", _("Median days") if q == 0.5 else f"{_('Percentile')} {round(q * 100)}")
                 for q in policy.PERCENTILES]]
    buckets = [label for label, _low, _high in policy.DURATION_BUCKETS]
    return f.report(
        "time-to-housing", _("Time from list placement to referral and to housing"), period,
        figures=[
            f.figure("referred", _("People referred for the first time"), overall_referral.get("people", 0)),
            f.figure("median_to_referral", _("Median days to referral"), overall_referral.get("p50"), _("days")),
            f.figure("housed", _("People housed"), overall_housing.get("people", 0)),
            f.figure("median_to_housing", _("Median days to housing"), overall_housing.get("p50"), _("days")),
        ],
        tables=[
            f.table("to_referral", _("Placement to first referral, by county"), columns, referral_rows),
            f.table("to_housing", _("Placement to housing, by program type"), columns, housing_rows),
            f.table("histogram", _("People by days waited"), [
                f.column("bucket", _("Days")), f.column("to_referral", _("To first referral")),
                f.column("to_housing", _("To housing")),
            ], [{"bucket": b, "to_referral": referral_histogram[b], "to_housing": housing_histogram[b]} for b in buckets]),
        ],
        charts=[
            f.chart("histogram", _("People by days waited"), "bar", buckets, [
                f.series(_("To first referral"), [referral_histogram[b] for b in buckets]),
                f.series(_("To housing"), [housing_histogram[b] for b in buckets]),
            ], unit=_("people")),
        ],
        notes=[_("Days count from the first placement on the CoC list; a person housed twice in the period counts twice.")],
    )
