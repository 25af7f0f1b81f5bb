"""The audit's panel of the client page, for the HMIS admin (ces.panels)."""

from audit.models import AuditEvent
from audit.selectors import may_review_audit
from ces.panels import client_panel

COUNT_LIMIT = 1000


@client_panel(template="audit/_client_panel.html", order=90)
def audit(*, user, client) -> dict | None:
    if not may_review_audit(user):
        return None
    events = AuditEvent.objects.filter(client_id=client.pk)
    looks = events.filter(kind=AuditEvent.Kind.ACCESS)[: COUNT_LIMIT + 1].count()
    changes = events.filter(kind=AuditEvent.Kind.CHANGE)[: COUNT_LIMIT + 1].count()
    return {"audit_looks": min(looks, COUNT_LIMIT), "audit_changes": min(changes, COUNT_LIMIT),
            "audit_capped": looks > COUNT_LIMIT or changes > COUNT_LIMIT}
