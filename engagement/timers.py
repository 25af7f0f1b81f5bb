from ces.deadlines import deadline_kind
from ces.models import Deadline
from ces.system_user import system_user_get


@deadline_kind("engagement.step_overdue")
def step_overdue_due(deadline: Deadline) -> None:
    from engagement.services import step_overdue

    step_overdue(step_id=deadline.subject_id, now=deadline.done_at)


@deadline_kind("engagement.close_file")
def close_file_due(deadline: Deadline) -> None:
    from engagement.services import file_close_if_no_contact

    file_close_if_no_contact(case_id=deadline.subject_id, actor=system_user_get(), now=deadline.done_at)


@deadline_kind("engagement.ceiling")
def ceiling_due(deadline: Deadline) -> None:
    from engagement.services import ceiling_reached

    ceiling_reached(case_id=deadline.subject_id, now=deadline.done_at)


@deadline_kind("engagement.inactive_30")
def inactive_30_due(deadline: Deadline) -> None:
    from engagement.disengagement import inactivity_flag

    inactivity_flag(case_id=deadline.subject_id, now=deadline.done_at)


@deadline_kind("engagement.hold_due")
def hold_due(deadline: Deadline) -> None:
    from engagement.disengagement import hold_flag

    hold_flag(case_id=deadline.subject_id, now=deadline.done_at)
