"""The complaint and grievance clocks as deadline kinds (ces.deadlines), run once each by the sweep.

- `grievances.investigation_reminder` / `grievances.investigation_overdue`: the 30 days to investigate;
- `grievances.information_overdue`: the 15 business days to answer a request passed: flag the case;
- `grievances.committee_reminder` / `grievances.committee_overdue`: the committee's 15-business-day response;
- `grievances.retaliation_watch`: the daily non-retaliation check for 90 days after filing.

The kinds' names are in grievances.policy, so the services that schedule them never import this
module; this module imports the services it runs.
"""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from ces.system_user import system_user_get
from grievances.models import Grievance, TitleViComplaint
from grievances.policy import (
    COMMITTEE_OVERDUE,
    COMMITTEE_REMINDER,
    INFORMATION_OVERDUE,
    INVESTIGATION_OVERDUE,
    INVESTIGATION_REMINDER,
    RETALIATION_WATCH,
)
from grievances.retaliation import watch_run
from grievances.services import committee_clock_notify, information_overdue_flag, investigation_clock_notify


@deadline_kind(INVESTIGATION_REMINDER)
def investigation_reminder(deadline: Deadline) -> None:
    investigation_clock_notify(complaint_id=deadline.subject_id, overdue=False)


@deadline_kind(INVESTIGATION_OVERDUE)
def investigation_overdue(deadline: Deadline) -> None:
    investigation_clock_notify(complaint_id=deadline.subject_id, overdue=True)


@deadline_kind(INFORMATION_OVERDUE)
def information_overdue(deadline: Deadline) -> None:
    information_overdue_flag(complaint_id=deadline.subject_id, now=deadline.done_at)


@deadline_kind(COMMITTEE_REMINDER)
def committee_reminder(deadline: Deadline) -> None:
    committee_clock_notify(grievance_id=deadline.subject_id, overdue=False)


@deadline_kind(COMMITTEE_OVERDUE)
def committee_overdue(deadline: Deadline) -> None:
    committee_clock_notify(grievance_id=deadline.subject_id, overdue=True)


@deadline_kind(RETALIATION_WATCH)
def retaliation_watch(deadline: Deadline) -> None:
    model = deadline.subject_type.model_class()
    if model not in (TitleViComplaint, Grievance):
        return
    case = model.objects.filter(pk=deadline.subject_id).first()
    if case is not None:
        watch_run(case=case, now=deadline.done_at, actor=system_user_get())
