"""Engagement: cases closed for no contact, time to first contact, 30/60 holds.

- cases opened and closed in the period, by policy; closures for no contact;
- days from a case's opening (T0) to the first attempt that reached the person,
  for cases opened in the period (still unreached ones counted apart);
- 30/60 protocol: Engagement status (Step 1) and Hold (Step 2) forms signed off
  in the period, per month.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagement.models import EngagementCase
from reports import figures as f
from reports import policy
from reports.periods import Period
from reports.queries.sql import bucket_case, percentile_columns, rate, rounded, rows

FIRST_CONTACT = """
    opened AS (
        SELECT c.id, c.policy, c.opened_on,
               (SELECT MIN(t.at) FROM engagement_contactattempt t WHERE t.case_id = c.id AND t.outcome = 'reached') AS reached_at
        FROM engagement_engagementcase c
        WHERE c.opened_on >= %(start)s AND c.opened_on <= %(end)s
    ),
    first_contact AS (
        SELECT policy, GREATEST(0, (timezone(%(tz)s, reached_at))::date - opened_on) AS days
        FROM opened WHERE reached_at IS NOT NULL
    )
"""


def engagement_outcomes(period: Period) -> dict:
    params = {"since": period.since, "until": period.until, "start": period.start, "end": period.end,
              "tz": timezone.get_current_timezone_name()}
    cases = rows(
        """SELECT policy,
                  count(*) FILTER (WHERE opened_on >= %(start)s AND opened_on <= %(end)s) AS opened,
                  count(*) FILTER (WHERE closed_at >= %(since)s AND closed_at < %(until)s) AS closed,
                  count(*) FILTER (WHERE closed_at >= %(since)s AND closed_at < %(until)s AND closure_reason = 'no_contact') AS no_contact
           FROM engagement_engagementcase GROUP BY policy ORDER BY policy""",
        params,
    )
    contact = rows(
        f"""WITH {FIRST_CONTACT}
        SELECT COALESCE(policy, 'all') AS policy, count(*) AS n, avg(days) AS mean, {percentile_columns('days')}
        FROM first_contact GROUP BY GROUPING SETS ((policy), ())""",
        params,
    )
    unreached = rows(f"WITH {FIRST_CONTACT} SELECT count(*) AS n FROM opened WHERE reached_at IS NULL", params)[0]["n"]
    contact_buckets = {r["bucket"]: r["n"] for r in rows(
        f"WITH {FIRST_CONTACT} SELECT {bucket_case('days')} AS bucket, count(*) AS n FROM first_contact GROUP BY 1", params)}
    forms = rows(
        """SELECT date_trunc('month', timezone(%(tz)s, second_signed_at))::date AS month, step, count(*) AS n
           FROM engagement_statusform
           WHERE second_signed_at >= %(since)s AND second_signed_at < %(until)s GROUP BY 1, 2""",
        params,
    )
    no_contact_months = {r["month"]: r["n"] for r in rows(
        """SELECT date_trunc('month', timezone(%(tz)s, closed_at))::date AS month, count(*) AS n
           FROM engagement_engagementcase
           WHERE closure_reason = 'no_contact' AND closed_at >= %(since)s AND closed_at < %(until)s GROUP BY 1""",
        params)}
    months = period.months()
    step_counts = {(r["month"], r["step"]): r["n"] for r in forms}
    month_rows = [{"month": m.strftime("%Y-%m"), "no_contact": no_contact_months.get(m, 0),
                   "engagement_status": step_counts.get((m, 1), 0), "holds": step_counts.get((m, 2), 0)} for m in months]
    policy_labels = dict(EngagementCase.Policy.choices) | {"all": _("All")}
    case_rows = [{"policy": str(policy_labels.get(r["policy"], r["policy"])), "opened": r["opened"], "closed": r["closed"],
                  "no_contact": r["no_contact"], "no_contact_rate": rate(r["no_contact"], r["closed"])} for r in cases]
    contact_rows = [{"policy": str(policy_labels.get(r["policy"], r["policy"])), "people": r["n"], "mean": rounded(r["mean"]),
                     **{f"p{round(q * 100)}": rounded(r[f"p{round(q * 100)}"]) for q in policy.PERCENTILES}}
                    for r in sorted(contact, key=lambda r: r["policy"] == "all")]
    overall = next((r for r in contact if r["policy"] == "all"), {})
    buckets = [label for label, _low, _high in policy.DURATION_BUCKETS]
    return f.report(
        "engagement", _("Engagement"), period,
        figures=[
            f.figure("no_contact", _("Files closed for no contact"), sum(r["no_contact"] for r in cases)),
            f.figure("median_first_contact", _("Median days to first contact"), rounded(overall.get("p50")), _("days")),
            f.figure("unreached", _("Cases opened and not reached yet"), unreached),
            f.figure("holds", _("30/60 holds"), sum(r["holds"] for r in month_rows)),
        ],
        tables=[
            f.table("cases", _("Cases by engagement policy"), [
                f.column("policy", _("Policy")), f.column("opened", _("Opened")), f.column("closed", _("Closed")),
                f.column("no_contact", _("Closed for no contact")), f.column("no_contact_rate", _("No contact (%) of closed")),
            ], case_rows),
            f.table("first_contact", _("Days from opening to first contact"), [
                f.column("policy", _("Policy")), f.column("people", _("People reached")), f.column("mean", _("Mean days")),
                *[f.column(f"p{round(q * 100)}", _("Median days") if q == 0.5 else f"{_('Percentile')} {round(q * 100)}")
                  for q in policy.PERCENTILES],
            ], contact_rows),
            f.table("months", _("Per month"), [
                f.column("month", _("Month")), f.column("no_contact", _("Closed for no contact")),
                f.column("engagement_status", _("Engagement status (30 days)")), f.column("holds", _("Hold (60 days)")),
            ], month_rows),
        ],
        charts=[
            f.chart("months", _("No-contact closures and 30/60 steps per month"), "bar", [r["month"] for r in month_rows], [
                f.series(_("Closed for no contact"), [r["no_contact"] for r in month_rows]),
                f.series(_("Engagement status (30 days)"), [r["engagement_status"] for r in month_rows]),
                f.series(_("Hold (60 days)"), [r["holds"] for r in month_rows]),
            ], unit=_("cases")),
            f.chart("first_contact", _("Days to first contact"), "bar", buckets,
                    [f.series(_("People reached"), [contact_buckets.get(b, 0) for b in buckets])], unit=_("people")),
        ],
        notes=[_("Holds and Engagement status count the forms signed off in the period.")],
    )
