"""The engagement's deadline kinds (ces.deadlines), each calling one service as the system user: what a
scheduled job changes is written to history by ces-system, with the job's name (the kind) as the reason.

The kinds that come due by the thousand (a step overdue, 30 days inactive, 60 days disengaged) also have a
batch handler: the sweep hands it a batch's rows of the kind at once, and its service does them all in a
constant few statements; the one-row handler is the fallback when a batch fails."""

from ces.deadlines import deadline_kind, deadline_kind_batch
from ces.models import Deadline
from ces.system_user import system_user_get
from engagement.disengagement import HOLD_KIND, INACTIVE_KIND, hold_flag, hold_flag_many, inactivity_flag, inactivity_flag_many
from engagement.services import (
    CEILING_KIND,
    CLOSE_KIND,
    OVERDUE_KIND,
    ceiling_reached,
    file_close_if_no_contact,
    step_overdue,
    step_overdue_many,
)


@deadline_kind(OVERDUE_KIND)
def step_overdue_due(deadline: Deadline) -> None:
    step_overdue(step_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())


@deadline_kind_batch(OVERDUE_KIND)
def step_overdue_due_many(deadlines: list[Deadline]) -> None:
    step_overdue_many(step_ids=[d.subject_id for d in deadlines], now=deadlines[0].done_at, actor=system_user_get())


@deadline_kind(CLOSE_KIND)
def close_file_due(deadline: Deadline) -> None:
    file_close_if_no_contact(case_id=deadline.subject_id, actor=system_user_get(), now=deadline.done_at)


@deadline_kind(CEILING_KIND)
def ceiling_due(deadline: Deadline) -> None:
    ceiling_reached(case_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())


@deadline_kind(INACTIVE_KIND)
def inactive_30_due(deadline: Deadline) -> None:
    inactivity_flag(case_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())


@deadline_kind_batch(INACTIVE_KIND)
def inactive_30_due_many(deadlines: list[Deadline]) -> None:
    inactivity_flag_many(case_ids=[d.subject_id for d in deadlines], now=deadlines[0].done_at, actor=system_user_get())


@deadline_kind(HOLD_KIND)
def hold_due(deadline: Deadline) -> None:
    hold_flag(case_id=deadline.subject_id, now=deadline.done_at, actor=system_user_get())


@deadline_kind_batch(HOLD_KIND)
def hold_due_many(deadlines: list[Deadline]) -> None:
    hold_flag_many(case_ids=[d.subject_id for d in deadlines], now=deadlines[0].done_at, actor=system_user_get())
