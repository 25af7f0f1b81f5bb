"""The engagement app's panel of the client page (ces.panels)."""

from ces.panels import client_panel
from engagement.selectors import client_panel as outreach_context


@client_panel(template="engagement/_client_panel.html", order=40)
def outreach(*, user, client) -> dict:
    return outreach_context(user=user, client=client)
