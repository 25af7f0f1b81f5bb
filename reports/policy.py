"""The numbers and rules of the evaluation reports and the HMIS export, each once."""

from datetime import timedelta

from ces import roles

# "Reports for the Outcomes and Measurements Committee" (bnl-and-referrals.md, "Evaluation");
# api.md "Reports": committee, coc_staff, hmis_admin.
REPORT_ROLES = (roles.COMMITTEE, roles.COC_STAFF, roles.HMIS_ADMIN)
# api.md "HMIS export": hmis_admin only.
EXPORT_ROLES = (roles.HMIS_ADMIN,)

# "small cells (fewer than 11 people) suppressed" (issue: evaluation reports, equity).
SMALL_CELL = 11

# The longest period one report covers (a five-year review is the longest the committee asks for).
MAX_PERIOD_DAYS = 366 * 10

# Percentiles shown for durations (time to referral, housing, first contact).
PERCENTILES = (0.25, 0.5, 0.75, 0.9)

# Buckets of a duration histogram, in days: (label, lowest day, highest day or None).
DURATION_BUCKETS = (
    ("0–30", 0, 30),
    ("31–90", 31, 90),
    ("91–180", 91, 180),
    ("181–365", 181, 365),
    ("366+", 366, None),
)

# Age groups of the equity view (HUD's reporting groups), on the age at assessment.
AGE_GROUPS = (
    ("under_18", 0, 17),
    ("18_24", 18, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_54", 45, 54),
    ("55_64", 55, 64),
    ("65_plus", 65, None),
)

# BNL statuses in which a person is "actively homeless" on the list (list-flow month ends).
ACTIVELY_HOMELESS_STATUSES = ("active", "on_referral")
# Transitions counted in the list flow: previous status → kind of inflow.
INFLOW_FROM = {"housed": "returned", "exited": "returned", "inactive": "reactivated"}
OUTFLOW_TO = ("housed", "inactive", "exited")

# The what-if: points an indicator may be given, and how many places count as "the top".
WHATIF_POINTS_MAX = 5
WHATIF_TOP_DEFAULT = 50
WHATIF_TOP_MAX = 1000
WHATIF_MOVERS_SHOWN = 50
WHATIF_SIDE_BY_SIDE = 25

# --- the HMIS export (hmis-export.md) ---
HMIS_CSV_VERSION = "FY2026"
HMIS_COC_CODE = "CA-515"
SOFTWARE_NAME = "CA-515 Coordinated Entry System"
SOFTWARE_VERSION = "1.0"
# A running export whose heartbeat is older than this is taken to have died, and may be claimed again.
EXPORT_STALE_AFTER = timedelta(minutes=10)
# How often the sweep re-sends an export that is not done yet (the outbox's retry).
EXPORT_RETRY_EVERY = timedelta(minutes=5)
# Give up (status failed) after this many claims.
EXPORT_MAX_ATTEMPTS = 3
# Rows fetched per round trip while streaming a CSV (memory stays flat as data grows).
EXPORT_CHUNK_ROWS = 2000

# The deadline kind that re-sends a queued export until a worker has done it (reports.timers).
EXPORT_KIND = "reports.hmis_export"
