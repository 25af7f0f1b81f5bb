"""The reports' panel of the dashboard (ces.panels): headline figures for the committee, CoC staff and HMIS admin."""

from ces.panels import dashboard_panel
from reports.summary import dashboard_card_context


@dashboard_panel(template="reports/_dashboard_card.html", order=5)
def evaluation_reports(*, user) -> dict | None:
    return dashboard_card_context(user)
