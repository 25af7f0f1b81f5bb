"""By-Name List inflow and outflow per month, and the actively homeless count at each month end.

Read from the CoC list's history (every status change is a history row):
- inflow: new (an entry placed on the list), returned (back to active from
  housed or exited), reactivated (back to active from inactive);
- outflow: housed, inactive (engagement closed the file), exited;
- actively homeless at month end: entries whose status at that moment was
  active or on referral (bnl-and-referrals.md, "Evaluation").
The CoC list only: a VSP's own list is the same people as their de-identified
CoC entries, so counting both would count them twice.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports import figures as f
from reports import policy
from reports.periods import Period
from reports.queries.sql import STATUS_CHANGES, STATUS_INTERVALS, rows

MONTH = "date_trunc('month', timezone(%(tz)s, {at}))::date"


def _month_ends(period: Period) -> list[tuple]:
    """(month, the first moment after its end, clipped to the period's end)."""
    ends = []
    for month in period.months():
        following = (month + timedelta(days=32)).replace(day=1)
        last_day = min(following - timedelta(days=1), period.end)
        ends.append((month, Period(last_day, last_day).until))
    return ends


def list_flow(period: Period) -> dict:
    params = {"since": period.since, "until": period.until, "tz": timezone.get_current_timezone_name()}
    changes = rows(
        f"""WITH {STATUS_CHANGES}
        SELECT {MONTH.format(at='at')} AS month, previous_status, status, count(*) AS n
        FROM status_changes WHERE at >= %(since)s AND at < %(until)s
        GROUP BY 1, 2, 3""",
        params,
    )
    ends = _month_ends(period)
    month_ends = rows(
        f"""WITH {STATUS_INTERVALS}, ends(month, at) AS (SELECT * FROM unnest(%(months)s::date[], %(ats)s::timestamptz[]))
        SELECT ends.month, count(i.entry_id) AS active
        FROM ends LEFT JOIN status_intervals i
          ON i.since < ends.at AND (i.until IS NULL OR i.until >= ends.at) AND i.status = ANY(%(statuses)s)
        GROUP BY ends.month""",
        {**params, "months": [m for m, _at in ends], "ats": [at for _m, at in ends],
         "statuses": list(policy.ACTIVELY_HOMELESS_STATUSES)},
    )
    kinds = ("new", "returned", "reactivated", *policy.OUTFLOW_TO)
    months = {month: {kind: 0 for kind in kinds} for month in period.months()}
    for row in changes:
        month = months.get(row["month"])
        if month is None:
            continue
        previous, status = row["previous_status"], row["status"]
        if previous is None:
            month["new"] += row["n"]
        elif status == "active" and previous in policy.INFLOW_FROM:
            month[policy.INFLOW_FROM[previous]] += row["n"]
        elif status in policy.OUTFLOW_TO:
            month[status] += row["n"]
    active = {row["month"]: row["active"] for row in month_ends}
    table_rows = [
        {"month": month.strftime("%Y-%m"), **counts, "inflow": counts["new"] + counts["returned"] + counts["reactivated"],
         "outflow": sum(counts[k] for k in policy.OUTFLOW_TO), "active_at_end": active.get(month, 0)}
        for month, counts in months.items()
    ]
    labels = [row["month"] for row in table_rows]
    totals = {key: sum(row[key] for row in table_rows) for key in (*kinds, "inflow", "outflow")}
    return f.report(
        "list-flow", _("By-Name List inflow and outflow"), period,
        figures=[
            f.figure("inflow", _("Came onto the list"), totals["inflow"]),
            f.figure("outflow", _("Left the active list"), totals["outflow"]),
            f.figure("housed", _("Housed"), totals["housed"]),
            f.figure("active_at_end", _("Actively homeless at the end"), table_rows[-1]["active_at_end"] if table_rows else 0),
        ],
        tables=[
            f.table("months", _("Per month"), [
                f.column("month", _("Month")), f.column("new", _("New")), f.column("returned", _("Returned from housed or exited")),
                f.column("reactivated", _("Reactivated from inactive")), f.column("housed", _("Housed")),
                f.column("inactive", _("Inactive")), f.column("exited", _("Exited")),
                f.column("active_at_end", _("Actively homeless at month end")),
            ], table_rows),
        ],
        charts=[
            f.chart("flow", _("Inflow, outflow and the active list"), "bar_line", labels, [
                f.series(_("New"), [r["new"] for r in table_rows]),
                f.series(_("Returned"), [r["returned"] for r in table_rows]),
                f.series(_("Reactivated"), [r["reactivated"] for r in table_rows]),
                f.series(_("Housed"), [-r["housed"] for r in table_rows]),
                f.series(_("Inactive"), [-r["inactive"] for r in table_rows]),
                f.series(_("Exited"), [-r["exited"] for r in table_rows]),
                f.series(_("Actively homeless at month end"), [r["active_at_end"] for r in table_rows], kind="line", axis="right"),
            ], unit=_("people")),
        ],
        notes=[_("Outflow is drawn below the line. The last month ends on the period's last day.")],
    )
