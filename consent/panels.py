"""The consent app's panel of the client page (ces.panels): HMIS consent now, and the way to the consent page."""

from ces.models import ConsentRecord
from ces.panels import client_panel
from ces.services import consent_current


@client_panel(template="consent/_client_panel.html", order=15)
def consent_summary(*, user, client) -> dict:
    return {"current_hmis": consent_current(client=client, kind=ConsentRecord.Kind.HMIS_ROI)}
