"""The reassignment app's panel of the client page (ces.panels)."""

from ces.panels import client_panel
from reassignment.selectors import client_panel as assigned_worker_context


@client_panel(template="reassignment/_client_section.html", order=30)
def assigned_worker(*, user, client) -> dict:
    return assigned_worker_context(user=user, client=client)
