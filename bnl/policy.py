"""The By-Name List's rules as named policy (bnl-and-referrals.md): change them here only."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

# "Order: Vulnerability Score descending, then length of time homeless descending
# (longer first) — counted up to today, not frozen at the assessment: keep the date
# homelessness began ... and order by it, earliest first — then the date the person was
# first placed on the list (earlier first), then entry id."
BNL_ORDER = (
    F("score").desc(),
    F("homeless_since").asc(),
    F("placed_on_list_at").asc(),
    F("id").asc(),
)
# The same order for raw SQL (the nightly position snapshot), written from BNL_ORDER, never beside it.
BNL_ORDER_SQL = ", ".join(f"{key.expression.name} {'DESC' if key.descending else 'ASC'}" for key in BNL_ORDER)

# "a maximum of five (5) eligible individuals" for each open bed/unit: a vacancy of
# 3 units may hold up to 15 open referrals.
MAX_OPEN_REFERRALS_PER_UNIT = 5


def max_open_referrals(open_units: int) -> int:
    """How many open referrals a vacancy with `open_units` open beds/units may hold."""
    return MAX_OPEN_REFERRALS_PER_UNIT * max(0, open_units)


# Case Management Entry: three items, one point each, each with a written justification.
CASE_MANAGEMENT_ITEMS = (1, 2, 3)

# "exited (other reasons: moved away, deceased, self-resolved, with a reason)": why a CoC
# staff member may exit an entry (other than housed). "other" needs the reason written out.
EXIT_REASONS = [
    ("moved_away", _("Moved away")),
    ("deceased", _("Deceased")),
    ("self_resolved", _("Self-resolved")),
    ("duplicate", _("Duplicate entry")),
    ("other", _("Other (explain)")),
]
EXIT_REASON_CODES = [code for code, _label in EXIT_REASONS]
EXIT_REASON_EXPLAINED = "other"

# "the list can be filtered ... by flags (chronic, veteran, youth, family, DV)"
FLAG_FILTERS = ("chronic", "veteran", "youth", "family", "dv")
# How the list's flag filters read (the same words as the programs' eligibility criteria).
FLAG_LABELS = {"chronic": _("chronically homeless"), "veteran": _("veteran"), "youth": _("youth 18–24"),
               "family": _("family with children"), "dv": _("DV survivor")}

BNL_PAGE_SIZE = 50
BNL_MAX_PAGE_SIZE = 200
BNL_MAX_PAGE = 1_000_000


def bnl_ordered(queryset):
    """The one order of the list, used by the screen, the API, exports and the pull."""
    return queryset.order_by(*BNL_ORDER)
