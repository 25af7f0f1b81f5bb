"""Benchmarks of the reports, the what-if and the HMIS export (issue: evaluation reports).

`reports_benchmarks(clients=100_000)` is the one function `make bench` calls (in a
`*bench` database): it builds 100,000 clients with 300,000 intakes/assessments, the
CoC list with its status history, and 300,000 referrals, then measures:
- each quarterly report (time, peak Python memory);
- the what-if over the active list (time);
- the HMIS export of a quarter and of two years (time, zip size, peak Python
  memory): the export streams, so memory must stay flat while rows grow.
The data is generated with bulk inserts (a load generator, not the services).
"""

import random
import tempfile
import time
import tracemalloc
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from bnl.models import BnlEntry
from ces.models import Client, Program, User
from intake.models import Assessment, Intake
from referrals.models import Pull, Referral, Vacancy
from reports.catalogue import REPORTS
from reports.hmis.writer import ExportSettings, export_write
from reports.periods import Period, quarter
from reports.whatif import tie_breaker_codes, whatif_compare

BATCH = 5000
GENDERS = ["female", "male", "male", "non_binary", "refused"]
SLEEP = ["place_not_meant", "emergency_shelter", "family_or_friends", "jail", "refused"]
YN = ["no", "no", "no", "yes", "refused"]


def _timed(function, *args, **kwargs) -> tuple[object, float, float]:
    """(result, seconds, peak Python memory in MiB)."""
    tracemalloc.start()
    begin = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - begin
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, round(seconds, 2), round(peak / 2**20, 1)


def data_reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE referrals_referral, referrals_historicalreferral, referrals_pull, referrals_vacancy, "
            "referrals_historicalvacancy, referrals_ceevent, referrals_historicalceevent, bnl_positionsnapshot, "
            "bnl_casemanagementpoint, bnl_historicalcasemanagementpoint, bnl_bnlentry, bnl_historicalbnlentry, "
            "intake_assessment, intake_historicalassessment, intake_dvreferral, intake_historicaldvreferral, "
            "referrals_shelterreferral, referrals_historicalshelterreferral, intake_intake, intake_historicalintake CASCADE"
        )


def data_ensure(*, clients: int, per_client: int = 3, today: date | None = None) -> dict:
    """`per_client` intakes with assessments per client over two years, one CoC entry per client
    with its history (placed, some housed, inactive, exited), and `per_client` referrals per entry."""
    today = today or timezone.localdate()
    rng = random.Random(clients)
    agent = User.objects.get(username="call_agent")
    program = Program.objects.get(name="Placer Rapid Re-Housing")
    client_ids = list(Client.objects.order_by("pk").values_list("pk", flat=True)[:clients])
    start = timezone.now() - timedelta(days=730)
    history_model = BnlEntry.history.model
    for offset in range(0, len(client_ids), BATCH // per_client):
        chunk = client_ids[offset:offset + BATCH // per_client]
        with transaction.atomic():
            intakes = []
            for pk in chunk:
                moments = sorted(start + timedelta(minutes=rng.randint(0, 729 * 24 * 60)) for _ in range(per_client))
                for moment in moments:
                    intakes.append(Intake(csr=agent, agency=agent.agency, client_id=pk, status="completed", outcome="assessed",
                                          collected_at=moment, completed_at=moment + timedelta(hours=rng.choice([1, 2, 80])),
                                          county=rng.choice(["placer", "nevada"]), collection_method="phone",
                                          hmis_consent=rng.choice(YN), wants_shelter_tonight=rng.choice(YN)))
            Intake.objects.bulk_create(intakes)
            assessments = []
            for intake in intakes:
                total = rng.randint(0, 24)
                assessments.append(Assessment(
                    intake=intake, client_id=intake.client_id, assessed_at=intake.collected_at, assessor=agent,
                    agency=agent.agency, total=total, subtotal=total, gender=rng.choice(GENDERS),
                    age_at_assessment=rng.randint(18, 80), sleep_location_30d=rng.choice(SLEEP), veteran=rng.choice(YN),
                    health_mental=rng.choice(YN), indicators={"gender": rng.choice([0, 1]), "age": rng.choice([0, 1])},
                    chronically_homeless=rng.random() < 0.3, length_of_time_homeless_days=rng.randint(0, 3000)))
            Assessment.objects.bulk_create(assessments)
            assessments_for = {a.client_id: a for a in assessments}  # the latest per client (sorted moments)
            entries = []
            for pk in chunk:
                a = assessments_for[pk]
                entries.append(BnlEntry(client_id=pk, assessment=a, status="active", score=a.total, subtotal=a.total,
                                        homeless_since=(a.assessed_at - timedelta(days=a.length_of_time_homeless_days)).date(),
                                        county=rng.choice(["placer", "nevada"]), chronic=a.chronically_homeless,
                                        household_size=1, placed_on_list_at=a.assessed_at))
            BnlEntry.objects.bulk_create(entries)
            history = []
            for entry in entries:
                at = entry.placed_on_list_at
                history.append(_history_row(history_model, entry, at, "+"))
                fate = rng.random()
                if fate < 0.5:
                    continue
                status = "housed" if fate < 0.7 else "inactive" if fate < 0.85 else "exited"
                at = at + timedelta(days=rng.randint(10, 300))
                if at < timezone.now():
                    entry.status = status
                    history.append(_history_row(history_model, entry, at, "~"))
            history_model.objects.bulk_create(history)
            BnlEntry.objects.bulk_update([e for e in entries if e.status != "active"], ["status"])
            vacancy = Vacancy.objects.create(program=program, units=1, created_by=agent, status="filled")
            pull = Pull.objects.create(vacancy=vacancy, requested=5, pulled_count=5, pulled_by=agent)
            referrals = []
            for entry in entries:
                for n in range(per_client):
                    outcome = rng.choice(["not_selected", "not_selected", "provider_rejected", "client_declined", "enrolled"])
                    referrals.append(Referral(vacancy=vacancy, program=program, entry=entry, pull=pull, rank=n + 1,
                                              status=outcome, reason="not_eligible" if outcome == "provider_rejected" else "",
                                              decided_at=entry.placed_on_list_at))
            Referral.objects.bulk_create(referrals)
    with connection.cursor() as cursor:
        # Referrals are made between 1 and 200 days after the placement (created_at is set on insert).
        cursor.execute("""UPDATE referrals_referral r SET created_at = LEAST(now(), e.placed_on_list_at + (1 + r.id % 200) * interval '1 day'),
                                 decided_at = LEAST(now(), e.placed_on_list_at + (4 + r.id % 200) * interval '1 day')
                          FROM bnl_bnlentry e WHERE e.id = r.entry_id""")
        for table in ("intake_intake", "intake_assessment", "bnl_bnlentry", "bnl_historicalbnlentry", "referrals_referral"):
            cursor.execute(f"ANALYZE {table}")
    return {"clients": len(client_ids), "assessments": Assessment.objects.count(), "entries": BnlEntry.objects.count(),
            "referrals": Referral.objects.count(), "history": history_model.objects.count()}


def _history_row(model, entry: BnlEntry, at, kind: str):
    values = {field.attname: getattr(entry, field.attname) for field in BnlEntry._meta.concrete_fields}
    return model(**values, history_date=at, history_type=kind, history_change_reason="benchmark")


def bench_reports(period: Period) -> list[dict]:
    found = []
    for name, kind in REPORTS.items():
        kind.compute(period)  # warm
        _result, seconds, peak = _timed(kind.compute, period)
        found.append({"report": name, "seconds": seconds, "peak_mib": peak})
    return found


def bench_whatif() -> dict:
    codes = tie_breaker_codes()
    _result, seconds, peak = _timed(whatif_compare, tie_breakers=list(reversed(codes)), indicator="gender", points=3,
                                    chronic_first=True)
    return {"seconds": seconds, "peak_mib": peak, "active": BnlEntry.objects.filter(status="active", list_owner__isnull=True).count()}


def bench_export(start: date, end: date) -> dict:
    with tempfile.TemporaryFile() as target:
        counts, seconds, peak = _timed(export_write, target, ExportSettings(
            export_id="BENCH", start=start, end=end, include_unconsented=True, as_of=timezone.now()))
        size = target.tell()
    return {"start": start, "end": end, "seconds": seconds, "peak_mib": peak, "rows": sum(counts.values()),
            "zip_mib": round(size / 2**20, 1), "clients": counts["Client.csv"]}


def reports_benchmarks(*, clients: int = 100_000, rebuild: bool = True) -> dict:
    """Build the data (unless `rebuild` is False) and measure everything; the caller writes the figures."""
    data = None
    if rebuild:
        data_reset()
        data = data_ensure(clients=clients)
    today = timezone.localdate()
    this_quarter = quarter(today.year, (today.month - 1) // 3 + 1)
    last_quarter = quarter(this_quarter.start.year - (1 if this_quarter.start.month == 1 else 0),
                           ((this_quarter.start.month - 1) // 3) or 4)
    return {
        "data": data,
        "reports": bench_reports(last_quarter),
        "whatif": bench_whatif(),
        "export_quarter": bench_export(last_quarter.start, last_quarter.end),
        "export_two_years": bench_export(today - timedelta(days=730), today),
    }
