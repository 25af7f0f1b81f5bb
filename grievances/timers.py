"""The complaint and grievance clocks as deadline kinds (ces.deadlines), run once each by the sweep.

- `grievances.investigation_reminder` / `grievances.investigation_overdue`: the 30 days to investigate;
- `grievances.information_overdue`: the 15 business days to answer a request passed: flag the case;
- `grievances.committee_reminder` / `grievances.committee_overdue`: the committee's 15-business-day response;
- `grievances.retaliation_watch`: the daily non-retaliation check for 90 days after filing.

The handlers import the services when they run: this module is loaded at start-up, and the
services bring WeasyPrint (letters) with them.
"""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from ces.system_user import system_user_get

INVESTIGATION_REMINDER = "grievances.investigation_reminder"
INVESTIGATION_OVERDUE = "grievances.investigation_overdue"
INFORMATION_OVERDUE = "grievances.information_overdue"
COMMITTEE_REMINDER = "grievances.committee_reminder"
COMMITTEE_OVERDUE = "grievances.committee_overdue"
RETALIATION_WATCH = "grievances.retaliation_watch"


@deadline_kind(INVESTIGATION_REMINDER)
def investigation_reminder(deadline: Deadline) -> None:
    from grievances.services import investigation_clock_notify  # noqa: PLC0415 (loaded at start-up; see above)

    investigation_clock_notify(complaint_id=deadline.subject_id, overdue=False)


@deadline_kind(INVESTIGATION_OVERDUE)
def investigation_overdue(deadline: Deadline) -> None:
    from grievances.services import investigation_clock_notify  # noqa: PLC0415 (loaded at start-up; see above)

    investigation_clock_notify(complaint_id=deadline.subject_id, overdue=True)


@deadline_kind(INFORMATION_OVERDUE)
def information_overdue(deadline: Deadline) -> None:
    from grievances.services import information_overdue_flag  # noqa: PLC0415 (loaded at start-up; see above)

    information_overdue_flag(complaint_id=deadline.subject_id, now=deadline.done_at)


@deadline_kind(COMMITTEE_REMINDER)
def committee_reminder(deadline: Deadline) -> None:
    from grievances.services import committee_clock_notify  # noqa: PLC0415 (loaded at start-up; see above)

    committee_clock_notify(grievance_id=deadline.subject_id, overdue=False)


@deadline_kind(COMMITTEE_OVERDUE)
def committee_overdue(deadline: Deadline) -> None:
    from grievances.services import committee_clock_notify  # noqa: PLC0415 (loaded at start-up; see above)

    committee_clock_notify(grievance_id=deadline.subject_id, overdue=True)


@deadline_kind(RETALIATION_WATCH)
def retaliation_watch(deadline: Deadline) -> None:
    from grievances.models import Grievance, TitleViComplaint  # noqa: PLC0415 (loaded at start-up; see above)
    from grievances.retaliation import watch_run  # noqa: PLC0415 (loaded at start-up; see above)

    model = deadline.subject_type.model_class()
    if model not in (TitleViComplaint, Grievance):
        return
    case = model.objects.filter(pk=deadline.subject_id).first()
    if case is not None:
        watch_run(case=case, now=deadline.done_at, actor=system_user_get())
