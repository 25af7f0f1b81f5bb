"""The headline figures the committee sees first (the reports page and the dashboard)."""

from reports.periods import Period, default_period
from reports.queries.flow import list_flow
from reports.queries.referrals import referral_outcomes
from reports.queries.scores import score_distribution
from reports.selectors import may_export, may_see_reports

HEADLINES = (
    (list_flow, ("active_at_end", "inflow", "housed")),
    (referral_outcomes, ("made", "rejection_rate")),
    (score_distribution, ("people", "median")),
)


def headline_figures(period: Period) -> list[dict]:
    found = []
    for compute, keys in HEADLINES:
        report = compute(period)
        for item in report["figures"]:
            if item["key"] in keys:
                found.append({**item, "report": report["report"]})
    return found


def dashboard_card_context(user) -> dict | None:
    """The dashboard's reports card (headline figures of the last twelve months), or None for other roles."""
    if not may_see_reports(user):
        return None
    period = default_period()
    return {"show": True, "period": period, "headline": headline_figures(period), "may_export": may_export(user)}
