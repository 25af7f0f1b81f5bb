"""The engagement's deadline kinds (ces.deadlines), each calling one service as the system user: what a
scheduled job changes is written to history by ces-system, with the job's name (the kind) as the reason."""

from ces.deadlines import deadline_kind
from ces.models import Deadline
from ces.system_user import system_user_get
from engagement.disengagement import HOLD_KIND, INACTIVE_KIND, hold_flag, inactivity_flag
from engagement.services import CEILING_KIND, CLOSE_KIND, OVERDUE_KIND, ceiling_reached, file_close_if_no_contact, step_overdue


@deadline_kind(OVERDUE_KIND)
def step_overdue_due(deadline: Deadline) -> None:
    step_overdue(step_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())


@deadline_kind(CLOSE_KIND)
def close_file_due(deadline: Deadline) -> None:
    file_close_if_no_contact(case_id=deadline.subject_id, actor=system_user_get(), now=deadline.done_at)


@deadline_kind(CEILING_KIND)
def ceiling_due(deadline: Deadline) -> None:
    ceiling_reached(case_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())


@deadline_kind(INACTIVE_KIND)
def inactive_30_due(deadline: Deadline) -> None:
    inactivity_flag(case_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())


@deadline_kind(HOLD_KIND)
def hold_due(deadline: Deadline) -> None:
    hold_flag(case_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())
