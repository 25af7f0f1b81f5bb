"""The intake's panel of the dashboard (ces.panels): start a call, and the caller's unfinished calls."""

from ces.panels import dashboard_panel
from intake.selectors import drafts_for


@dashboard_panel(template="intake/_dashboard_calls.html", order=10)
def calls(*, user) -> dict | None:
    if not user.has_perm("intake.add_intake"):
        return None
    return {"drafts": drafts_for(user)}
