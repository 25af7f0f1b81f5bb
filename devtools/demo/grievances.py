"""Demo complaints and grievances at several stages, so the `committee` user has real work on
first login (called by `manage.py seed_demo`). Every record goes through the real services, so
the letters, clocks and notices are the ones a real case would have. Run twice, it adds nothing.

Dates are relative to today: one complaint waits for the jurisdiction review, one investigation
and one request for information fall due this week, one request went unanswered (flagged), one
letter of finding is inside its appeal window, one complaint came too late and one is incomplete;
one grievance's committee response is due this week, one waits for the vote at the next
meeting, one was decided at the last meeting.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ces.business_days import add_business_days, is_business_day
from ces.models import Agency, User
from grievances import services
from grievances.models import CommitteeMeeting, Grievance, TitleViComplaint

DEMO_MARK = "(demo)"


def _request_day_due_this_week(today: date) -> date:
    """A letter date whose 15 business days end within the next days (holidays counted)."""
    for back in range(14, 40):
        day = today - timedelta(days=back)
        if today + timedelta(days=1) <= add_business_days(day, 15) <= today + timedelta(days=5):
            return day
    return today - timedelta(days=21)


def _next_meeting_day(today: date) -> date:
    """The next Thursday, or the business day after it when it is a holiday (Thanksgiving)."""
    day = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def _complaint(actor: User, *, name: str, received: date, incident: date | None, language: str = "en",
               bases=("race",), description: str = "", **extra) -> TitleViComplaint:
    return services.title_vi_complaint_file(
        actor=actor, received_on=received, complainant_name=f"{name} {DEMO_MARK}", language=language, bases=list(bases),
        incident_date=incident, description=description, address="P.O. Box 100, Grass Valley, CA 95945", **extra)


@transaction.atomic
def demo_complaints_seed() -> int:
    """Seed the demo cases once. Returns how many complaints and grievances were added."""
    committee = User.objects.filter(username="committee").first()
    staff = User.objects.filter(username="coc_staff").first() or committee
    if committee is None or TitleViComplaint.objects.filter(complainant_name__endswith=DEMO_MARK).exists():
        return 0
    today = timezone.localdate()
    last_meeting = services.meeting_create(actor=committee, date=today - timedelta(days=(today.weekday() - 3) % 7 + 21),
                                           location="HRCS office, Auburn")
    next_meeting_day = _next_meeting_day(today)
    added = 0

    # Waiting for the jurisdiction review (Spanish).
    _complaint(committee, name="Rosa Delgado", received=today - timedelta(days=2), incident=today - timedelta(days=9),
               language="es", bases=("national_origin", "race"), interpreter="español",
               description="La persona que contestó la llamada me dijo que sin papeles no podía entrar a la lista.")
    # An investigation due this week.
    investigating = _complaint(committee, name="James Whitaker", received=today - timedelta(days=30),
                               incident=today - timedelta(days=36), bases=("disability",),
                               accommodation_request="A ground-floor meeting place.",
                               description="The shelter refused me because of my wheelchair.")
    services.complaint_accept(complaint=investigating, actor=committee, on=today - timedelta(days=27))
    # A request for information due this week (Spanish).
    asked = _complaint(committee, name="María López", received=today - timedelta(days=45), incident=today - timedelta(days=50),
                       language="es", bases=("sex", "familial_status"),
                       description="Me dijeron que con mis tres hijos no había lugar para mí en ningún programa.")
    request_day = _request_day_due_this_week(today)
    services.complaint_accept(complaint=asked, actor=staff, on=request_day - timedelta(days=2))
    services.complaint_request_info(complaint=asked, actor=staff, on=request_day,
                                    requested="Las fechas de sus llamadas y el nombre de la persona que le atendió.")
    # A request left unanswered: flagged by the job, waiting for staff to confirm the closure.
    silent = _complaint(committee, name="Daniel Price", received=today - timedelta(days=60), incident=today - timedelta(days=70),
                        bases=("age",), description="I was told I was too old for the youth program and no one referred me elsewhere.")
    services.complaint_accept(complaint=silent, actor=committee, on=today - timedelta(days=58))
    services.complaint_request_info(complaint=silent, actor=committee, on=today - timedelta(days=35),
                                    requested="The name of the program and the date you called.")
    services.information_overdue_flag(complaint_id=silent.pk, now=timezone.now())
    # A letter of finding inside its appeal window.
    found = _complaint(committee, name="Aisha Karim", received=today - timedelta(days=75), incident=today - timedelta(days=80),
                       bases=("religion",), description="Staff mocked my headscarf and skipped my assessment.")
    services.complaint_accept(complaint=found, actor=committee, on=today - timedelta(days=73))
    services.complaint_close(complaint=found, actor=committee, outcome="finding", on=today - timedelta(days=20),
                             summary="Staff of the call centre made remarks about the complainant's religion and ended the call.",
                             interviews="The call agent, the team leader and the complainant were interviewed; the call recording was reviewed.",
                             actions="The call agent received a written warning and the team completes equal-access training this month.")
    # Too late, and incomplete.
    _complaint(committee, name="Thomas Reed", received=today - timedelta(days=5), incident=today - timedelta(days=230),
               bases=("color",), description="I was passed over for housing last spring.")
    services.title_vi_complaint_file(actor=staff, received_on=today - timedelta(days=3), channel="phone", assisted=True,
                                     complainant_name=f"Linh Tran {DEMO_MARK}", phone_cell="530-555-0142",
                                     description="Called to say she was treated unfairly at intake; will send the details.",
                                     interpreter="Vietnamese")
    added += 7

    agency = Agency.objects.filter(initials="AMIH").first() or Agency.objects.exclude(kind="coc").first()
    if agency is not None:
        grievance_base = {"tried_with_program": True, "channel": "mail"}
        due_soon = add_business_days(today, -12)
        services.grievance_file(actor=committee, received_on=due_soon, complainant_name=f"Luis Mora {DEMO_MARK}", language="es",
                                agency_id=agency.pk, denial_date=due_soon - timedelta(days=10), phone="530-555-0177",
                                program_answer="El programa dijo que mi hogar era demasiado grande para la unidad.",
                                description="Me rechazaron aunque la unidad tiene dos recámaras.", **grievance_base)
        waiting = services.grievance_file(actor=committee, received_on=today - timedelta(days=20),
                                          complainant_name=f"Karen Holt {DEMO_MARK}", agency_id=agency.pk,
                                          denial_date=today - timedelta(days=30), email="karen.holt@example.invalid",
                                          program_answer="They kept the decision: unable to contact.",
                                          description="I was rejected as unreachable although I answered every call.", **grievance_base)
        services.grievance_respond(grievance=waiting, actor=committee, on=today - timedelta(days=15),
                                   note="We will review your grievance at the next committee meeting.")
        decided = services.grievance_file(actor=committee, received_on=last_meeting.date - timedelta(days=10),
                                          complainant_name=f"Samuel Ortiz {DEMO_MARK}", agency_id=agency.pk,
                                          denial_date=last_meeting.date - timedelta(days=20),
                                          program_answer="No answer from the program.",
                                          description="The program said I did not meet the disability criterion.", **grievance_base)
        services.grievance_respond(grievance=decided, actor=committee, on=last_meeting.date - timedelta(days=5))
        services.grievance_vote(grievance=decided, actor=committee, votes_for=5, votes_against=1, votes_abstain=1,
                                outcome=Grievance.Outcome.UPHELD, on=last_meeting.date,
                                decision="Grievance upheld: the program re-offers the next eligible unit to Mr. Ortiz.")
        added += 3
    if not CommitteeMeeting.objects.filter(date=next_meeting_day).exists():
        services.meeting_create(actor=committee, date=next_meeting_day, location="HRCS office, Auburn")
    return added
