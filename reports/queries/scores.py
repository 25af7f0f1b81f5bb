"""Distribution of prioritisation scores, by county.

Who counts: each person assessed in the period, once, with the score of their
latest assessment in the period (the Vulnerability Score: subtotal plus
case-management points), in the county of that intake.
"""

from django.utils.translation import gettext_lazy as _

from intake.policy import SCORE_MAX
from reports import figures as f
from reports.periods import Period
from reports.queries.sql import rounded, rows

COUNTIES = (("placer", _("Placer County")), ("nevada", _("Nevada County")))

LATEST_ASSESSMENTS = """
    latest AS (
        SELECT DISTINCT ON (a.client_id) a.client_id, a.total, i.county
        FROM intake_assessment a JOIN intake_intake i ON i.id = a.intake_id
        WHERE a.assessed_at >= %(since)s AND a.assessed_at < %(until)s
        ORDER BY a.client_id, a.assessed_at DESC, a.id DESC
    )
"""


def score_distribution(period: Period) -> dict:
    params = {"since": period.since, "until": period.until}
    counts = rows(f"WITH {LATEST_ASSESSMENTS} SELECT county, total, count(*) AS n FROM latest GROUP BY county, total", params)
    stats = rows(
        f"""WITH {LATEST_ASSESSMENTS}
        SELECT COALESCE(county, 'all') AS county, count(*) AS n, avg(total) AS mean,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median,
               percentile_cont(0.25) WITHIN GROUP (ORDER BY total) AS p25,
               percentile_cont(0.75) WITHIN GROUP (ORDER BY total) AS p75
        FROM latest GROUP BY GROUPING SETS ((county), ())""",
        params,
    )
    by_county = {row["county"]: row for row in stats}
    histogram = {code: [0] * (SCORE_MAX + 1) for code, _label in COUNTIES}
    histogram["all"] = [0] * (SCORE_MAX + 1)
    for row in counts:
        score = min(int(row["total"]), SCORE_MAX)
        if row["county"] in histogram:
            histogram[row["county"]][score] += row["n"]
        histogram["all"][score] += row["n"]

    summary_rows = []
    for code, label in (*COUNTIES, ("all", _("Both counties"))):
        stat = by_county.get(code, {})
        summary_rows.append({
            "county": str(label), "code": code, "people": stat.get("n", 0), "mean": rounded(stat.get("mean")),
            "median": rounded(stat.get("median")), "p25": rounded(stat.get("p25")), "p75": rounded(stat.get("p75")),
        })
    histogram_rows = [
        {"score": score, **{code: histogram[code][score] for code, _label in COUNTIES}, "all": histogram["all"][score]}
        for score in range(SCORE_MAX + 1)
    ]
    total = by_county.get("all", {}).get("n", 0)
    return f.report(
        "score-distribution", _("Distribution of prioritisation scores"), period,
        figures=[
            f.figure("people", _("People assessed"), total),
            f.figure("median", _("Median score"), rounded(by_county.get("all", {}).get("median"))),
            f.figure("mean", _("Mean score"), rounded(by_county.get("all", {}).get("mean"))),
        ],
        tables=[
            f.table("summary", _("Scores by county"), [
                f.column("county", _("County")), f.column("people", _("People")), f.column("mean", _("Mean")),
                f.column("median", _("Median")), f.column("p25", _("25th percentile")), f.column("p75", _("75th percentile")),
            ], summary_rows),
            f.table("histogram", _("People by score"), [
                f.column("score", _("Score")), *[f.column(code, label) for code, label in COUNTIES], f.column("all", _("Both")),
            ], histogram_rows),
        ],
        charts=[
            f.chart("histogram", _("People by score and county"), "bar", range(SCORE_MAX + 1),
                    [f.series(label, histogram[code]) for code, label in COUNTIES], unit=_("people")),
        ],
        notes=[_("Each person assessed in the period counts once, with the score of their latest assessment in the period.")],
    )
