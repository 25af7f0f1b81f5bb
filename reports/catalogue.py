"""The reports of the Outcomes and Measurements Committee, by their URL name (api.md, "Reports")."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.periods import Period
from reports.queries.engagement import engagement_outcomes
from reports.queries.equity import equity
from reports.queries.flow import list_flow
from reports.queries.housing import time_to_housing
from reports.queries.quality import data_quality
from reports.queries.referrals import referral_outcomes
from reports.queries.scores import score_distribution


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: object
    summary: object
    compute: Callable[[Period], dict]


REPORTS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (
        ReportKind("score-distribution", _("Score distribution"),
                   _("Prioritisation scores of the people assessed, by county."), score_distribution),
        ReportKind("referrals", _("Referrals"),
                   _("Referrals made and rejected, by program and by reason, with each program's rejection rate."),
                   referral_outcomes),
        ReportKind("time-to-housing", _("Time to housing"),
                   _("Days from list placement to referral and to housing: medians and percentiles."), time_to_housing),
        ReportKind("list-flow", _("List flow"),
                   _("Inflow and outflow of the By-Name List per month, and the active count at each month end."), list_flow),
        ReportKind("data-quality", _("Data quality"),
                   _("Name, SSN and DOB quality, refusals per question, late entries and abandoned drafts."), data_quality),
        ReportKind("engagement", _("Engagement"),
                   _("Files closed for no contact, time to first contact, and 30/60 holds."), engagement_outcomes),
        ReportKind("equity", _("Equity"),
                   _("Scores, referral and rejection rates and time to housing by race, ethnicity, gender, sex and age."),
                   equity),
    )
}
REPORT_NAMES = tuple(REPORTS)
