"""The reassignment policy's rules and words (seeds 000 and 001), each once."""

import re

from reassignment.models import ReassignmentRequest

STANDARD_REASONS = (
    ReassignmentRequest.Reason.SAME_AGENCY_TRANSFER,
    ReassignmentRequest.Reason.CLIENT_REQUEST,
    ReassignmentRequest.Reason.THREATENING_BEHAVIOR,
)
# "Non-Permissible Reasons ... The client is transient or frequently relocates. In such
# cases, maintaining continuity of care is essential to support housing stability and
# uphold trauma-informed practices."
TRANSIENT_REFUSAL = (
    "A client may not be reassigned because they are transient or frequently relocate: maintaining continuity "
    "of care is essential to support housing stability and uphold trauma-informed practices."
)
TRANSIENT_REASON_CODE = "transient"
# An explanation that is only about moving around (a few words naming transience, nothing else).
TRANSIENT_ONLY = re.compile(
    r"^\W*(the\s+)?(client\s+)?(is\s+|has\s+been\s+)?(very\s+)?(transient|moves?\s+(around\s+)?(a\s+lot|often|frequently)|"
    r"frequently\s+relocat\w*|keeps\s+moving|relocat\w*\s+(a\s+lot|often|frequently))\W*$",
    re.IGNORECASE,
)
# The previous worker hands off "promptly": a hand-off note within 2 business days.
HANDOFF_BUSINESS_DAYS = 2
# A safety transfer does not cancel court dates or other obligations.
COURT_OBLIGATIONS_REMINDER = (
    "A safety transfer does not cancel court dates or other obligations: they stand, and the new worker takes them on."
)
STEP_COUNT = 5
