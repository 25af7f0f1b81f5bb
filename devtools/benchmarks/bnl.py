"""Benchmarks of the By-Name List and the pull (issue: BNL and referrals). Run by `make bench`."""

import multiprocessing
import statistics
import time

from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, connections, reset_queries
from django.db.models import Max
from django.test import Client as PageClient
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.models import Agency, Program, User
from devtools.benchmarks.bulk import analyze, insert_select, percent, pick, rnd
from referrals.models import Pull
from referrals.services import vacancy_create, vacancy_pull


def _pct(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


def entries_reset() -> None:
    """The list is rebuilt on every run so the 1,000 and 100,000 figures are comparable."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE referrals_referral, referrals_historicalreferral, referrals_pull, referrals_vacancy, "
            "referrals_historicalvacancy, referrals_ceevent, referrals_historicalceevent, bnl_positionsnapshot, "
            "bnl_casemanagementpoint, bnl_historicalcasemanagementpoint, bnl_bnlentry, bnl_historicalbnlentry CASCADE"
        )


def entries_ensure(count: int) -> int:
    """Active CoC-list entries for existing clients until `count` exist, in SQL (no history rows:
    this is a load generator); the flags and scores are pseudo-random hashes of the client id."""
    have = BnlEntry.objects.count()
    if have >= count:
        return have
    c = "c.id"
    source = """(SELECT c.id FROM ces_client c WHERE NOT EXISTS (SELECT 1 FROM bnl_bnlentry e WHERE e.client_id = c.id)
                  ORDER BY c.id LIMIT %(missing)s) c"""
    score = f"{rnd(c, 61)} %% 24"
    insert_select(BnlEntry, {
        "client_id": c, "status": "'active'", "score": score, "subtotal": score,
        "homeless_since": f"DATE '2026-01-01' - {rnd(c, 62)} %% 3001", "county": pick(c, 63, ["placer", "nevada"]),
        "chronic": f"{percent(c, 64)} < 30", "veteran": f"{percent(c, 65)} < 10", "youth": f"{percent(c, 66)} < 12",
        "family": f"{percent(c, 67)} < 20", "dv": f"{percent(c, 68)} < 8", "dv_survivor": f"{percent(c, 69)} < 20",
        "disability": f"{percent(c, 70)} < 50", "sex_offender": f"{percent(c, 71)} < 2",
        "household_size": f"(ARRAY[1, 1, 1, 2, 3, 4, 5])[1 + {rnd(c, 72)} %% 7]",
        "placed_on_list_at": f"now() - interval '900 days' + ({rnd(c, 73)} %% (900 * 24 * 60)) * interval '1 minute'",
    }, source, {"missing": count - have})
    analyze("bnl_bnlentry")
    return BnlEntry.objects.count()


def bench_list(*, user: User, program: Program, samples: int = 100) -> dict:
    """API and page filtered by a program; query counts; the same SQL run raw."""
    api = APIClient()
    api.force_authenticate(user)
    page = PageClient()
    page.force_login(user)
    api.get("/api/v1/bnl/", {"program": program.pk})  # warm caches
    page.get("/bnl/", {"program": program.pk})
    api_times, page_times, raw_times = [], [], []
    # captured_queries is read lazily from the connection's log: copy it before the next reset.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        api.get("/api/v1/bnl/", {"program": program.pk})
    api_sql = [q["sql"] for q in captured.captured_queries]
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        page.get("/bnl/", {"program": program.pk})
    page_sql = [q["sql"] for q in captured.captured_queries]
    list_sql = [sql for sql in api_sql if "bnl_bnlentry" in sql]
    for _ in range(samples):
        start = time.perf_counter()
        response = api.get("/api/v1/bnl/", {"program": program.pk})
        api_times.append(time.perf_counter() - start)
        assert response.status_code == 200
        start = time.perf_counter()
        page.get("/bnl/", {"program": program.pk})
        page_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in list_sql:
                cursor.execute(sql)
                cursor.fetchall()
        raw_times.append(time.perf_counter() - start)
        reset_queries()
    return {"api": _pct(api_times), "page": _pct(page_times), "raw": _pct(raw_times),
            "api_queries": len(api_sql), "page_queries": len(page_sql),
            "eligible": response.json()["count"]}


def _pull_worker(program_id: int, staff_id: int, rounds: int, barrier, results) -> None:
    """One program in its own process (like its own web worker): `rounds` pulls, each
    started at the same instant as the other programs' (barrier)."""
    connections.close_all()  # never share the parent's connection
    program = Program.objects.select_related("agency").get(pk=program_id)
    staff = User.objects.get(pk=staff_id)
    times = []
    for round_number in range(rounds + 1):
        vacancy = vacancy_create(program=program, actor=staff)
        barrier.wait(timeout=120)
        start = time.perf_counter()
        vacancy_pull(vacancy=vacancy, actor=staff, count=5)
        if round_number:  # round 0 warms this process's caches and connection: not measured
            times.append(time.perf_counter() - start)
    connections.close_all()
    results.put(times)


def bench_single_pulls(*, samples: int = 40) -> dict:
    """The same pull with nobody else pulling, for comparison."""
    staff = User.objects.get(username="bench_program_staff")
    program = Program.objects.get(name="Bench RRH 0")
    times = []
    for _ in range(samples):
        vacancy = vacancy_create(program=program, actor=staff)
        start = time.perf_counter()
        vacancy_pull(vacancy=vacancy, actor=staff, count=5)
        times.append(time.perf_counter() - start)
    return _pct(times)


def _bench_programs(count: int) -> tuple[User, list[Program]]:
    agency, _ = Agency.objects.get_or_create(initials="BENCH", defaults={"name": "Bench Housing", "kind": "housing"})
    staff, _ = User.objects.get_or_create(username="bench_program_staff", defaults={"agency": agency})
    staff.groups.set([Group.objects.get(name=roles.PROGRAM_STAFF)])
    return staff, [
        Program.objects.get_or_create(agency=agency, name=f"Bench RRH {i}", defaults={"type": "rrh", "counties": ["placer", "nevada"]})[0]
        for i in range(count)
    ]


def bench_concurrent_pulls(*, programs: int = 20, rounds: int = 8) -> dict:
    """20 programs pulling at the same instant, each from its own process and connection."""
    staff, progs = _bench_programs(programs)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(programs)
    results = context.Queue()
    workers = [context.Process(target=_pull_worker, args=(p.pk, staff.pk, rounds, barrier, results)) for p in progs]
    for worker in workers:
        worker.start()
    times = [t for _ in workers for t in results.get(timeout=600)]
    for worker in workers:
        worker.join(timeout=60)
    return _pct(times)


def _contest_worker(index: int, program_id: int, staff_id: int, rounds: int, first_pull: int, barrier, results) -> None:
    """One puller of `bench_pull_contest`: each round, a pull at the same instant as the others;
    once every pull of the round is in, the first puller puts the round's people back on the list
    (in bulk, as a load generator: no history), so they are contested again next round."""
    connections.close_all()
    program = Program.objects.select_related("agency").get(pk=program_id)
    staff = User.objects.get(pk=staff_id)
    pulled, refused = [], 0
    for _round in range(rounds):
        vacancy = vacancy_create(program=program, actor=staff)
        barrier.wait(timeout=600)
        try:
            pulled.append(list(vacancy_pull(vacancy=vacancy, actor=staff, count=5).referrals.values_list("entry_id", flat=True)))
        except IntegrityError:  # the backstop (one open referral per entry) refused a double
            pulled.append([])
            refused += 1
        barrier.wait(timeout=600)
        if index == 0:
            with connection.cursor() as cursor:
                cursor.execute("WITH declined AS (UPDATE referrals_referral SET status = 'client_declined', decided_at = now() "
                               "WHERE status IN ('pending', 'accepted') AND pull_id > %s RETURNING entry_id) "
                               "UPDATE bnl_bnlentry SET status = 'active' WHERE id IN (SELECT entry_id FROM declined)", [first_pull])
        barrier.wait(timeout=600)
    connections.close_all()
    results.put((pulled, refused))


def bench_pull_contest(*, pullers: int = 50, rounds: int = 200) -> dict:
    """`pullers` programs, each in its own process, pull at the same instant for `rounds` rounds,
    the same people at the top of the list contested every round (put back between rounds). A
    double assignment: one person pulled by two programs in the same round, or a pull the
    database's backstop had to refuse."""
    staff, progs = _bench_programs(pullers)
    first_pull = Pull.objects.aggregate(last=Max("pk"))["last"] or 0  # the earlier benchmarks' referrals stay as they are
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(pullers)
    results = context.Queue()
    workers = [context.Process(target=_contest_worker, args=(i, p.pk, staff.pk, rounds, first_pull, barrier, results))
               for i, p in enumerate(progs)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=max(600, rounds * 30)) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    doubles = 0
    for round_number in range(rounds):
        ids = [entry_id for pulled, _refused in outcomes for entry_id in pulled[round_number]]
        doubles += len(ids) - len(set(ids))
    refused = sum(refused for _pulled, refused in outcomes)
    return {"pullers": pullers, "rounds": rounds, "referred": sum(len(r) for pulled, _r in outcomes for r in pulled),
            "doubles": doubles, "refused": refused, "seconds": round(time.perf_counter() - started, 1)}
