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

import tempfile
import time
import tracemalloc
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from bnl.models import BnlEntry
from ces.models import Client, Program, User
from devtools.benchmarks.bulk import Progress, analyze, history_values, insert_select, percent, pick, rnd
from intake.models import Assessment, Intake
from referrals.models import Pull, Referral, Vacancy
from reports.catalogue import REPORTS
from reports.hmis.writer import ExportSettings, export_write
from reports.periods import Period, quarter
from reports.whatif import tie_breaker_codes, whatif_compare

CHUNK = 100_000  # clients per run of statements
VACANCY_PER = 10_000  # entries per bench vacancy (and its pull)
EXPORT_SAMPLE = 10_000  # clients whose data the HMIS export is measured on
REFERRAL_OUTCOMES = ["not_selected", "not_selected", "provider_rejected", "client_declined", "enrolled"]
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


def _chunks(clients: int, skip: int, size: int) -> list[tuple[int, int]]:
    """(lowest, highest) client id of each run of `size` clients among the first `clients` by id, after `skip`."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT min(id), max(id) FROM (
                              SELECT id, (row_number() OVER (ORDER BY id) - 1) / %s AS g
                              FROM (SELECT id FROM ces_client ORDER BY id OFFSET %s LIMIT %s) c) t
                          GROUP BY g ORDER BY 1""", [size, skip, max(0, clients - skip)])
        return cursor.fetchall()


def data_ensure(*, clients: int, per_client: int = 3, skip: int = 0, progress: Progress | None = None) -> dict:
    """For the first `clients` clients by id (after the first `skip`, already built): `per_client`
    completed intakes with assessments over the last two years, one CoC list entry each from the
    latest assessment with its history (placed; half later housed, inactive or exited), and
    `per_client` decided referrals per entry. All set-based SQL (INSERT … SELECT), one run of
    CHUNK clients at a time; the pseudo-random choices are hashes of the row's ids."""
    progress = progress or Progress()
    agent = User.objects.get(username="call_agent")
    coc = User.objects.get(username="coc_staff")
    program = Program.objects.get(name="Placer Rapid Re-Housing")
    start = timezone.now() - timedelta(days=730)
    minutes_each = 730 * 24 * 60 // per_client  # intake k of a client falls in the k-th part of the two years
    base = {"agent": agent.pk, "agency": agent.agency_id, "coc": coc.pk, "program": program.pk, "start": start,
            "per_client": per_client}
    for lo, hi in _chunks(clients, skip, CHUNK):
        params = {**base, "lo": lo, "hi": hi}
        progress.write(f"    clients {lo:,} … {hi:,}")
        with transaction.atomic():
            intake = f"""(SELECT s.*, {rnd('s.client_id * 8 + s.k', 22)} %% 3 AS delay FROM (
                           SELECT c.id AS client_id, k,
                                  %(start)s::timestamptz + (k * {minutes_each} + {rnd('c.id * 8 + k', 21)} %% {minutes_each})
                                      * interval '1 minute' AS at
                           FROM ces_client c CROSS JOIN generate_series(0, %(per_client)s - 1) AS k
                           WHERE c.id BETWEEN %(lo)s AND %(hi)s) s) s"""
            progress.step("intakes", insert_select, Intake, {
                "status": "'completed'", "outcome": "'assessed'", "csr_id": "%(agent)s", "agency_id": "%(agency)s",
                "client_id": "s.client_id", "started_at": "s.at", "collected_at": "s.at",
                "completed_at": "s.at + (ARRAY[1, 2, 80])[1 + s.delay] * interval '1 hour'", "is_late": "s.delay = 2",
                "collection_method": "'phone'", "county": pick("s.client_id * 8 + s.k", 23, ["placer", "nevada"]),
                "hmis_consent": pick("s.client_id * 8 + s.k", 24, YN), "hmis_script_read": "true",
                "wants_shelter_tonight": pick("s.client_id * 8 + s.k", 25, YN), "continue_to_vi": "'yes'",
                "vi_script_read": "true", "disability_notice_read": "true", "vi_consent": "'yes'",
            }, intake, params)
            answers = f"""(SELECT i.id AS intake_id, i.client_id, i.collected_at, {rnd('i.id', 31)} %% 25 AS total,
                                  {pick('i.id', 32, GENDERS)} AS gender, 18 + {rnd('i.id', 33)} %% 63 AS age,
                                  {pick('i.id', 34, YN)} AS veteran, {pick('i.id', 35, YN)} AS health_mental,
                                  {pick('i.id', 36, SLEEP)} AS sleep, {percent('i.id', 37)} < 30 AS chronic,
                                  {rnd('i.id', 38)} %% 3001 AS days
                           FROM intake_intake i WHERE i.client_id BETWEEN %(lo)s AND %(hi)s) s"""
            progress.step("assessments", insert_select, Assessment, {
                "intake_id": "s.intake_id", "client_id": "s.client_id", "assessed_at": "s.collected_at",
                "assessor_id": "%(agent)s", "agency_id": "%(agency)s", "household_size": "1", "household_children": "0",
                "gender": "s.gender", "veteran": "s.veteran", "sleep_location_30d": "s.sleep", "health_mental": "s.health_mental",
                "homeless_start_date": "(s.collected_at - s.days * interval '1 day')::date",
                "indicators": "jsonb_build_object('gender', CASE WHEN s.gender IN ('female', 'non_binary') THEN 1 ELSE 0 END, "
                              "'age', CASE WHEN s.age < 25 OR s.age > 59 THEN 1 ELSE 0 END)",
                "subtotal": "s.total", "total": "s.total", "age_at_assessment": "s.age", "chronically_homeless": "s.chronic",
                "length_of_time_homeless_days": "s.days", "is_veteran": "s.veteran = 'yes'", "is_youth": "s.age < 25",
                "has_disability": "s.health_mental = 'yes'",
            }, answers, params)
            latest = f"""(SELECT a.*, {percent('a.client_id', 41)} AS fate,
                                 a.assessed_at + (10 + {rnd('a.client_id', 42)} %% 291) * interval '1 day' AS change_at
                          FROM (SELECT DISTINCT ON (client_id) * FROM intake_assessment
                                WHERE client_id BETWEEN %(lo)s AND %(hi)s ORDER BY client_id, assessed_at DESC, id DESC) a) a"""
            status = ("CASE WHEN a.fate < 50 OR a.change_at >= now() THEN 'active' WHEN a.fate < 70 THEN 'housed' "
                      "WHEN a.fate < 85 THEN 'inactive' ELSE 'exited' END")
            progress.step("list entries", insert_select, BnlEntry, {
                "client_id": "a.client_id", "assessment_id": "a.id", "status": status, "score": "a.total", "subtotal": "a.subtotal",
                "homeless_since": "a.homeless_start_date", "county": pick("a.client_id", 43, ["placer", "nevada"]),
                "chronic": "a.chronically_homeless", "veteran": "a.is_veteran", "youth": "a.is_youth",
                "disability": "a.has_disability", "household_size": "1", "placed_on_list_at": "a.assessed_at",
                "updated_at": f"CASE WHEN {status} = 'active' THEN a.assessed_at ELSE a.change_at END",
            }, latest, params)
            entries = "bnl_bnlentry e WHERE e.client_id BETWEEN %(lo)s AND %(hi)s"
            progress.step("list entry history", _entry_history, entries, params)
            n_vacancies = max(1, -(-(hi - lo + 1) // VACANCY_PER))
            vacancies = [Vacancy.objects.create(program=program, units=1, created_by=agent, status="filled")
                         for _ in range(n_vacancies)]
            pulls = [Pull.objects.create(vacancy=v, requested=5, pulled_count=5, pulled_by=agent) for v in vacancies]
            referral = f"""(SELECT e.id AS entry_id, e.placed_on_list_at AS placed, n, {rnd('e.id * 8 + n', 51)} AS h
                            FROM bnl_bnlentry e CROSS JOIN generate_series(1, %(per_client)s) AS n
                            WHERE e.client_id BETWEEN %(lo)s AND %(hi)s) s"""
            outcome = pick("s.entry_id * 8 + s.n", 52, REFERRAL_OUTCOMES)
            progress.step("referrals", insert_select, Referral, {
                "vacancy_id": "(%(vacancies)s::bigint[])[1 + s.entry_id %% %(n_vacancies)s]",
                "pull_id": "(%(pulls)s::bigint[])[1 + s.entry_id %% %(n_vacancies)s]", "program_id": "%(program)s",
                "entry_id": "s.entry_id", "rank": "s.n", "status": outcome,
                "reason": f"CASE WHEN {outcome} = 'provider_rejected' THEN 'not_eligible' ELSE '' END",
                # Made between 1 and 200 days after the placement, decided three days later.
                "created_at": "LEAST(now(), s.placed + (1 + s.h %% 200) * interval '1 day')",
                "decided_at": "LEAST(now(), s.placed + (4 + s.h %% 200) * interval '1 day')", "decided_by_id": "%(agent)s",
            }, referral, {**params, "vacancies": [v.pk for v in vacancies], "pulls": [p.pk for p in pulls],
                          "n_vacancies": n_vacancies})
    progress.step("ANALYZE", analyze, "intake_intake", "intake_assessment", "bnl_bnlentry", "bnl_historicalbnlentry",
                  "referrals_referral", "audit_auditevent")
    return {"clients": clients, "assessments": Assessment.objects.count(), "entries": BnlEntry.objects.count(),
            "referrals": Referral.objects.count(), "history": BnlEntry.history.model.objects.count()}


def _entry_history(entries: str, params: dict) -> int:
    """The entries' history as simple-history has it: '+' when placed (then active), '~' when the status changed."""
    history = BnlEntry.history.model
    placed = insert_select(history, history_values(BnlEntry, "e", date="e.placed_on_list_at", kind="+", user="%(agent)s",
                                                   reason="'benchmark'", status="'active'", updated_at="e.placed_on_list_at"),
                           entries, params)
    changed = insert_select(history, history_values(BnlEntry, "e", date="e.updated_at", kind="~", user="%(coc)s",
                                                    reason="'benchmark'"), entries + " AND e.status <> 'active'", params)
    return placed + changed


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
    rows = sum(counts.values())
    return {"start": start, "end": end, "seconds": seconds, "peak_mib": peak, "rows": rows,
            "rows_per_s": round(rows / max(seconds, 0.01)), "zip_mib": round(size / 2**20, 1), "clients": counts["Client.csv"]}


def _periods() -> tuple[date, Period]:
    today = timezone.localdate()
    this_quarter = quarter(today.year, (today.month - 1) // 3 + 1)
    last_quarter = quarter(this_quarter.start.year - (1 if this_quarter.start.month == 1 else 0),
                           ((this_quarter.start.month - 1) // 3) or 4)
    return today, last_quarter


def bench_exports() -> dict:
    today, last_quarter = _periods()
    return {"export_quarter": bench_export(last_quarter.start, last_quarter.end),
            "export_two_years": bench_export(today - timedelta(days=730), today)}


def reports_benchmarks(*, clients: int = 100_000, rebuild: bool = True, progress: Progress | None = None) -> dict:
    """Build the data (unless `rebuild` is False) and measure everything; the caller writes the figures.

    The HMIS export writes every enrollment open in its period, however short the period, so its
    rows grow with the whole list (at 1,000,000 clients a quarter is millions of rows). It is
    measured on the data of the first EXPORT_SAMPLE clients, built and exported before the rest
    is built; the reports and the what-if are measured on everyone."""
    progress = progress or Progress()
    data, exports = None, None
    sample = min(clients, EXPORT_SAMPLE)
    if rebuild:
        progress.write(f"  reports data for the first {sample:,} clients")
        data_reset()
        data = data_ensure(clients=sample, progress=progress)
        exports = progress.step(f"HMIS exports at {sample:,} clients", bench_exports)
        if clients > sample:
            progress.write(f"  reports data for the other {clients - sample:,} clients")
            data = data_ensure(clients=clients, skip=sample, progress=progress)
    _today, last_quarter = _periods()
    found = {"data": data, "export_clients": sample if rebuild else Client.objects.count(),
             "reports": progress.step("quarterly reports", bench_reports, last_quarter),
             "whatif": progress.step("what-if", bench_whatif)}
    found.update(exports or progress.step("HMIS exports", bench_exports))
    return found
