"""Hand-made fixtures for the reports: every row written with the dates and answers a test states."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from ces import roles
from intake.models import Assessment, Intake
from tests.factories import AgencyFactory, ClientFactory, UserFactory

LA = ZoneInfo("America/Los_Angeles")


def at(text: str) -> datetime:
    """'2026-03-04' or '2026-03-04 10:00' in the CoC's time zone."""
    fmt = "%Y-%m-%d %H:%M" if " " in text else "%Y-%m-%d"
    return datetime.strptime(text, fmt).replace(tzinfo=LA)


def person(**kwargs):
    kwargs.setdefault("hmis_consent", "yes")
    return ClientFactory(**kwargs)


def reader(role: str = roles.COMMITTEE, **kwargs):
    return UserFactory(roles=[role], **kwargs)


def intake_done(*, client=None, collected: str, completed: str | None = None, county: str = "nevada",
                method: str = "phone", agent=None, **answers) -> Intake:
    agent = agent or UserFactory(roles=[roles.CALL_AGENT])
    intake = Intake.objects.create(
        csr=agent, agency=agent.agency, client=client, status=Intake.Status.COMPLETED, county=county,
        collection_method=method, collected_at=at(collected), completed_at=at(completed or collected),
        outcome=Intake.Outcome.ASSESSED if client else Intake.Outcome.DV_REFERRED, **answers,
    )
    Intake.objects.filter(pk=intake.pk).update(started_at=at(collected))
    intake.refresh_from_db()
    return intake


def assessed(*, client, total: int, on: str, county: str = "nevada", gender: str = "male", age: int | None = 40,
             indicators: dict | None = None, **answers) -> Assessment:
    intake = intake_done(client=client, collected=on, county=county)
    agent = intake.csr
    return Assessment.objects.create(
        intake=intake, client=client, assessed_at=intake.collected_at, assessor=agent, agency=agent.agency,
        total=total, subtotal=total, gender=gender, age_at_assessment=age, indicators=indicators or {}, **answers,
    )


def lead_agency():
    return AgencyFactory(kind="lead")


def now_local() -> datetime:
    return timezone.localtime()
