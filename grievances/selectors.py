"""Reads of complaints, grievances and meetings, already scoped to the user.

Complainants' data is seen by CoC staff and the O&M Committee only (grievances.md, "Who sees
grievances"): for anyone else the lists are refused (403) and a record is not found (404),
exactly like a missing one.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ces.errors import Forbidden
from ces.models import Deadline, User
from grievances.models import Attachment, CommitteeMeeting, Grievance, Letter, OutsideAgency, RetaliationFlag, TitleViComplaint

NOT_FOR_YOUR_ROLE = _("Only CoC staff and the Outcomes and Measurements Committee see complaints and grievances.")

VIEW_COMPLAINTS = "grievances.view_titlevicomplaint"
VIEW_GRIEVANCES = "grievances.view_grievance"
VIEW_MEETINGS = "grievances.view_committeemeeting"
ADD_COMPLAINTS = "grievances.add_titlevicomplaint"
CHANGE_COMPLAINTS = "grievances.change_titlevicomplaint"
ADD_GRIEVANCES = "grievances.add_grievance"
CHANGE_GRIEVANCES = "grievances.change_grievance"
ADD_MEETINGS = "grievances.add_committeemeeting"
REVIEW_FLAGS = "grievances.change_retaliationflag"


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def require_perm(actor: User, perm: str) -> None:
    """Refuse (403) an action the actor's role does not allow."""
    if not (_active(actor) and actor.has_perm(perm)):
        raise Forbidden(NOT_FOR_YOUR_ROLE)


def may_see_complaints(user: User) -> bool:
    return _active(user) and user.has_perm(VIEW_COMPLAINTS)


def may_see_grievances(user: User) -> bool:
    return _active(user) and user.has_perm(VIEW_GRIEVANCES)


def may_see_meetings(user: User) -> bool:
    return _active(user) and user.has_perm(VIEW_MEETINGS)


def may_see_any(user: User) -> bool:
    return may_see_complaints(user) or may_see_grievances(user)


def complaints_visible_to(user: User) -> QuerySet[TitleViComplaint]:
    complaints = TitleViComplaint.objects.select_related("agency", "client__holding_agency", "investigator", "filed_by", "assisted_by")
    return complaints if may_see_complaints(user) else complaints.none()


def grievances_visible_to(user: User) -> QuerySet[Grievance]:
    grievances = Grievance.objects.select_related("agency", "program", "referral__program", "referral__entry", "meeting",
                                                  "client__holding_agency", "filed_by", "assisted_by", "responded_by")
    return grievances if may_see_grievances(user) else grievances.none()


def complaints_list_for(user: User) -> QuerySet[TitleViComplaint]:
    """The list: refused (403) for other roles, as api.md says."""
    if not may_see_complaints(user):
        raise Forbidden(NOT_FOR_YOUR_ROLE)
    return complaints_visible_to(user)


def grievances_list_for(user: User) -> QuerySet[Grievance]:
    if not may_see_grievances(user):
        raise Forbidden(NOT_FOR_YOUR_ROLE)
    return grievances_visible_to(user)


def meetings_list_for(user: User) -> QuerySet[CommitteeMeeting]:
    if not may_see_meetings(user):
        raise Forbidden(NOT_FOR_YOUR_ROLE)
    return CommitteeMeeting.objects.all()


def complaint_get_for_user(*, user: User, pk: int) -> TitleViComplaint:
    """The complaint, or 404 for a missing one and for one the user may not see."""
    try:
        return complaints_visible_to(user).get(pk=pk)
    except (TitleViComplaint.DoesNotExist, ValueError, TypeError):
        raise Http404("No such complaint.") from None


def grievance_get_for_user(*, user: User, pk: int) -> Grievance:
    try:
        return grievances_visible_to(user).get(pk=pk)
    except (Grievance.DoesNotExist, ValueError, TypeError):
        raise Http404("No such grievance.") from None


def meeting_get_for_user(*, user: User, pk: int) -> CommitteeMeeting:
    if not may_see_meetings(user):
        raise Http404("No such meeting.")
    try:
        return CommitteeMeeting.objects.get(pk=pk)
    except (CommitteeMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None


def letter_get_for_user(*, user: User, pk: int) -> Letter:
    """A letter, for those who may see the complaint or grievance it is about."""
    visible = Q(complaint__in=complaints_visible_to(user)) | Q(grievance__in=grievances_visible_to(user))
    try:
        return Letter.objects.select_related("document", "complaint", "grievance").filter(visible).get(pk=pk)
    except (Letter.DoesNotExist, ValueError, TypeError):
        raise Http404("No such letter.") from None


def attachment_get_for_user(*, user: User, pk: int) -> Attachment:
    visible = Q(complaint__in=complaints_visible_to(user)) | Q(grievance__in=grievances_visible_to(user))
    try:
        return Attachment.objects.filter(visible).get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such attachment.") from None


def flag_get_for_user(*, user: User, pk: int) -> RetaliationFlag:
    visible = Q(complaint__in=complaints_visible_to(user)) | Q(grievance__in=grievances_visible_to(user))
    try:
        return RetaliationFlag.objects.filter(visible).get(pk=pk)
    except (RetaliationFlag.DoesNotExist, ValueError, TypeError):
        raise Http404("No such flag.") from None


def next_meeting_on_or_after(day: date) -> CommitteeMeeting | None:
    """The committee meeting a grievance received on `day` is reviewed at (api.md)."""
    return CommitteeMeeting.objects.filter(date__gte=day).order_by("date").first()


def outside_agencies() -> QuerySet[OutsideAgency]:
    return OutsideAgency.objects.filter(is_active=True)


def pending_deadlines_of(record) -> QuerySet[Deadline]:
    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(record), subject_id=record.pk,
                                   state=Deadline.State.PENDING)


def due_this_week(*, user: User, today: date, days: int = 7) -> list[dict]:
    """Every clock of an open case due from now to `days` ahead, and every one already past,
    soonest first: what the committee's screen shows."""
    end = today + timedelta(days=days - 1)
    rows: list[dict] = []
    if may_see_complaints(user):
        complaints = complaints_visible_to(user)
        for complaint in complaints.filter(status=TitleViComplaint.Status.INVESTIGATING, investigation_due__lte=end):
            rows.append({"due": complaint.investigation_due, "clock": _("Investigation (30 days)"), "case": complaint,
                         "kind": "complaint"})
        for complaint in complaints.filter(status=TitleViComplaint.Status.AWAITING_INFORMATION):
            if complaint.information_due and complaint.information_due <= end:
                rows.append({"due": complaint.information_due, "clock": _("Information from the complainant (15 business days)"),
                             "case": complaint, "kind": "complaint"})
            if complaint.investigation_due and complaint.investigation_due <= end:
                rows.append({"due": complaint.investigation_due, "clock": _("Investigation (30 days)"), "case": complaint,
                             "kind": "complaint"})
        for complaint in complaints.filter(status__in=[TitleViComplaint.Status.CLOSED_NO_VIOLATION,
                                                       TitleViComplaint.Status.CLOSED_FINDING],
                                           appeal_due__gte=today, appeal_due__lte=end):
            rows.append({"due": complaint.appeal_due, "clock": _("Last day to appeal"), "case": complaint, "kind": "complaint"})
    if may_see_grievances(user):
        grievances = grievances_visible_to(user)
        for grievance in grievances.filter(status=Grievance.Status.RECEIVED, responded_on__isnull=True,
                                           committee_response_due__lte=end):
            rows.append({"due": grievance.committee_response_due, "clock": _("Committee response (15 business days)"),
                         "case": grievance, "kind": "grievance"})
        for grievance in grievances.filter(status=Grievance.Status.RECEIVED, meeting__date__lte=end):
            rows.append({"due": grievance.meeting.date, "clock": _("Board vote at the committee meeting"), "case": grievance,
                         "kind": "grievance"})
    for row in rows:
        row["overdue"] = row["due"] < today
    return sorted(rows, key=lambda row: (row["due"], row["kind"], row["case"].pk))


def flags_open_for(user: User) -> QuerySet[RetaliationFlag]:
    visible = Q(complaint__in=complaints_visible_to(user)) | Q(grievance__in=grievances_visible_to(user))
    return RetaliationFlag.objects.filter(visible, reviewed_at__isnull=True).select_related("complaint", "grievance", "changed_by")
