"""The README's demo (seed_demo with a few callers) plus a vacancy with referrals waiting for decisions
and an unfinished call, so that every screen of the daily work has something on it. Used by the
screen-by-screen checks (tests/browser/test_every_screen.py, tests/ces/test_spanish_screens.py)."""

from django.core.management import call_command

from ces.models import Program, User
from intake.services import intake_start
from referrals.services import vacancy_create, vacancy_pull
from tests.factories import DEFAULT_PASSWORD, BnlEntryFactory


def demo_world() -> None:
    call_command("seed_demo", clients=8, password=DEFAULT_PASSWORD)
    # A vacancy of Placer Rapid Re-Housing (open to everyone) with referrals waiting for decisions.
    program = Program.objects.get(name="Placer Rapid Re-Housing")
    staff = User.objects.get(username="program_staff")
    staff.agency = program.agency
    staff.save()
    for score in (24, 23, 22):  # people waiting at the top of the list (the demo's callers are already placed)
        BnlEntryFactory(score=score, chronic=True)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff, note="Unit 12"), actor=staff, count=3)
    assert pull.pulled_count == 3
    intake_start(actor=User.objects.get(username="call_agent"))  # an unfinished call: the call form is a screen too
