"""Who may see the reports and the exports, and the reads that answer them.

Reports are aggregates and labels only: no report shows a person's name or other
personal data, so one rule decides access (api.md, "Reports"): committee,
coc_staff and hmis_admin. The HMIS export holds personal data: hmis_admin only.
Refusals are ces.errors.Forbidden (the API answers 403); the screens answer 404
(`screen_404_unless`), so a page's existence does not leak.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ces.errors import Forbidden, NotFound
from ces.models import User
from reports import policy
from reports.catalogue import REPORTS
from reports.models import HmisExport
from reports.periods import Period

REPORTS_REFUSED = _("The evaluation reports are for the committee, CoC staff and the HMIS admin.")
EXPORTS_REFUSED = _("HMIS exports are for the HMIS admin only.")
NO_SUCH_REPORT = _("There is no such report.")


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id is not None)


def may_see_reports(user: User) -> bool:
    return _active(user) and user.has_role(*policy.REPORT_ROLES)


def may_export(user: User) -> bool:
    return _active(user) and user.has_role(*policy.EXPORT_ROLES)


def reports_access_check(user: User) -> None:
    if not may_see_reports(user):
        raise Forbidden(REPORTS_REFUSED)


def exports_access_check(user: User) -> None:
    if not may_export(user):
        raise Forbidden(EXPORTS_REFUSED)


def screen_404_unless(allowed: bool) -> None:
    """Screens answer 404 to anyone the rule refuses (roles-privacy-audit.md)."""
    if not allowed:
        raise Http404("No such page.")


def report_figures(*, user: User, name: str, period: Period) -> dict:
    """The figures of report `name` for `period`, for a user who may see them."""
    reports_access_check(user)
    kind = REPORTS.get(name)
    if kind is None:
        raise NotFound(NO_SUCH_REPORT)
    return kind.compute(period)


def hmis_exports_for(user: User):
    exports_access_check(user)
    return HmisExport.objects.select_related("requested_by").order_by("-requested_at", "-id")


def hmis_export_get_for_user(*, user: User, pk: int) -> HmisExport:
    exports_access_check(user)
    try:
        return HmisExport.objects.select_related("requested_by").get(pk=pk)
    except HmisExport.DoesNotExist:
        raise NotFound() from None
