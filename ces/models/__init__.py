from ces.models.agencies import Agency, Program
from ces.models.audit import AccessLog
from ces.models.calendar import ClosureDay
from ces.models.clients import Client, ClientNote, ConsentRecord
from ces.models.deadlines import Deadline
from ces.models.documents import ClientDocument
from ces.models.notifications import Notification
from ces.models.users import User
from ces.models.vault import VspDataKey

__all__ = [
    "AccessLog",
    "Agency",
    "Client",
    "ClientDocument",
    "ClientNote",
    "ClosureDay",
    "ConsentRecord",
    "Deadline",
    "Notification",
    "Program",
    "User",
    "VspDataKey",
]
