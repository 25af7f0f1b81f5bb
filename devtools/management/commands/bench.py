"""python manage.py bench: build the data in bulk, measure, write docs/benchmarks.md and .json.

Run through `make bench [ARGS="--size 1000000"]`, which points DATABASE_URL at a separate
`*_bench` database so the figures never touch demo or test data. `--size` is the number of
clients (with assessments, list entries with history, referrals, engagement cases and
audit history, all made by set-based SQL: devtools/benchmarks/bulk.py), each phase printed
with its time as it runs. Every figure is
written beside its target and the ratio to it; query counts are asserted in the tests,
times only here. Run it `nice`d on a shared machine.
"""

import json
import os
import platform
import subprocess
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bnl.models import BnlEntry
from ces import roles
from ces.models import Agency, Program, User
from ces.roles import CALL_AGENT
from devtools.benchmarks import audit as audit_bench
from devtools.benchmarks import bnl as bnl_bench
from devtools.benchmarks import bulk
from devtools.benchmarks import engagement as engagement_bench
from devtools.benchmarks import http as http_bench
from devtools.benchmarks import intake as intake_bench
from devtools.benchmarks import reports as reports_bench
from referrals.models import Referral
from referrals.services import vacancy_create, vacancy_pull

PULL_ROUNDS = 5  # 20 programs × 5 measured rounds: 100 pulls for the p95
SINGLE_PULLS = 20
SWEEP_DUE = 200  # due rows in each sweep: the figure is per due row, and the same count at both sizes
OUTPUT = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
OUTPUT_JSON = Path(settings.BASE_DIR) / "docs" / "benchmarks.json"
INTAKE_PROSE = """The intake POST's statements are constant (asserted in
`tests/intake/test_api_queries.py` for one consent or four, one household member
or five): the intake's row and history row, written again with its history row
at completion (4); the client and its history row (2; the SSN's unique check is
not sent when the SSN was refused, its condition decided in Python); every
consent in one INSERT and their history rows in another, sealed as save() seals
them for a VSP's client (2); the poverty table's version (1; the table itself is
kept per process and read again when its history changes); the assessment's
one-per-intake check, row and history row (3); the list entry's client lock and
open-entry read, row and history row (4); the list-position snapshot, whose
INSERT counts its rank and the active total itself (1); every deadline of the
completion — consent timers and the PDF's render — in one INSERT (1); the CE
event and its history row (2). 82 → 58 → 20. The call form's autosave is a
constant 16 (session and user, permissions, the draft's lock and write, what
the form shows again, the session's save)."""
SIZE_NOTE = """
**This page is not a 1,000,000-client run.** `make bench ARGS="--size 1000000"` builds the
statewide data the same way (set-based SQL, each phase printed with its time as it runs); the
times above grow with the size where a figure is "at N".
"""


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg,) = cursor.fetchone()
    return f"{os.cpu_count()} cores ({cpu}), {total} RAM, Python {platform.python_version()}, PostgreSQL {pg}"


class Figures:
    """Each measured figure with its target: `add(key, label, value, unit, target, better="lower")`."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, key: str, label: str, value, unit: str, target=None, *, better: str = "lower", note: str = "") -> dict:
        ratio = None
        if target not in (None, 0) and isinstance(value, (int, float)):
            ratio = round(value / target, 2)
        met = None if ratio is None else (ratio <= 1 if better == "lower" else ratio >= 1)
        row = {"key": key, "label": label, "value": value, "unit": unit, "target": target, "better": better, "ratio": ratio,
               "met": met, "note": note}
        self.rows.append(row)
        return row

    def table(self, prefix: str) -> str:
        lines = ["| measurement | value | target | value ÷ target | met |", "|---|---|---|---|---|"]
        for row in self.rows:
            if not row["key"].startswith(prefix):
                continue
            sign = "" if row["met"] is None else ("≥" if row["better"] == "higher" else "≤")
            target = "" if row["target"] is None else f"{sign} {row['target']} {row['unit']}".strip()
            met = {True: "yes", False: "**no**", None: ""}[row["met"]]
            ratio = "" if row["ratio"] is None else f"{row['ratio']}"
            note = f" ({row['note']})" if row["note"] else ""
            lines.append(f"| {row['label']}{note} | **{row['value']} {row['unit']}** | {target} | {ratio} | {met} |")
        return "\n".join(lines)


class Phases:
    """Each phase printed as it starts and ends, with the time since the bench began; `seconds` keeps them."""

    def __init__(self, out):
        self.out = out
        self.began = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def elapsed(self) -> str:
        total = int(time.perf_counter() - self.began)
        return f"{total // 60:02d}:{total % 60:02d}"

    def write(self, line: str) -> None:
        self.out.write(line)
        self.out.flush()

    def run(self, label: str, function, *args, **kwargs):
        self.write(f"[{self.elapsed()}] {label} ...")
        started = time.perf_counter()
        result = function(*args, **kwargs)
        seconds = round(time.perf_counter() - started, 1)
        self.seconds[label] = seconds
        self.write(f"[{self.elapsed()}] {label}: {seconds} s")
        return result, seconds


def _entries_bulk(count: int, *, progress: bulk.Progress) -> int:
    """The list's entries for the large list benchmark, in one transaction: foreign keys
    validated once and indexes built once after the load (devtools/benchmarks/bulk.py)."""
    with transaction.atomic(), bulk.foreign_keys_deferred("bnl_bnlentry", progress=progress), \
            bulk.indexes_deferred("bnl_bnlentry", when=count > 2 * BnlEntry.objects.count(), progress=progress):
        return bnl_bench.entries_ensure(count)


def _pull_statements() -> int:
    staff = User.objects.get(username="bench_program_staff")
    staff.has_perm("referrals.add_vacancy")  # a request has loaded the user's permissions already
    vacancy = vacancy_create(program=Program.objects.get(name="Bench RRH 0"), actor=staff)
    with CaptureQueriesContext(connection) as queries:
        vacancy_pull(vacancy=vacancy, actor=staff, count=5)
    # Counted as the test counts them: the transaction's own BEGIN/COMMIT and savepoints aside.
    return sum(not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")) for q in queries.captured_queries)


class Command(BaseCommand):
    help = "Build the bench data in bulk, run the benchmarks, write docs/benchmarks.md and docs/benchmarks.json."

    def add_arguments(self, parser):
        parser.add_argument("--size", "--clients", dest="size", type=int, default=100_000,
                            help="clients in the bench database (up to 1,000,000)")
        parser.add_argument("--samples", type=int, default=300,
                            help="duplicate checks; a third as many intake POSTs, a fifth as many list requests "
                                 "(fixed counts: a phase's time grows with the size only where the size is the point)")
        parser.add_argument("--skip-reports", action="store_true", help="leave out the reports and HMIS export benchmarks")
        parser.add_argument("--pull-rounds", type=int, default=200,
                            help="rounds of the 50 pullers contesting the top of the list (0 leaves it out)")
        parser.add_argument("--only", choices=["pulls", "intake", "sweep"],
                            help="build the data one part needs, measure only that part and print its table (docs/benchmarks.* are written only by a whole run)")

    def handle(self, *args, size: int, samples: int, skip_reports: bool, only: str | None = None, pull_rounds: int = 200,
               **options):
        self.pull_rounds = pull_rounds
        if not connection.settings_dict["NAME"].endswith("bench"):
            raise CommandError("Run benchmarks against a database named *bench (make bench does this).")
        if only == "pulls":
            self._pulls_only(size)
            return
        out = self.stdout
        phases = Phases(out)
        progress = bulk.Progress(phases.write)
        figures = Figures()
        call_command("seed_demo", clients=0, verbosity=0)
        agent = User.objects.get(username=CALL_AGENT)
        agency = Agency.objects.get(initials="CP")
        admin = User.objects.get(username=roles.HMIS_ADMIN)

        # --- data, in bulk ---
        total, clients_s = phases.run(f"clients to {size:,} (SQL)", intake_bench.clients_ensure, size, agency=agency, actor=agent,
                                      progress=progress)
        if only == "intake":
            self._intake(figures, phases, agent=agent, total=total, samples=samples)
            out.write(figures.table("intake.") + "\n\n" + INTAKE_PROSE)
            return
        data = {"clients": total, "clients_seconds": clients_s}
        if only == "sweep":
            self._sweep(figures, total, phases)
            for row in figures.rows:
                out.write(f"{row['label']}: {row['value']} {row['unit']} (target {row['target']}, met: {row['met']})")
            return
        reports = None
        if not skip_reports:
            reports, reports_s = phases.run(f"intakes, assessments, list entries with history, referrals for {size:,} clients "
                                            "(SQL); reports, what-if, HMIS export", reports_bench.reports_benchmarks,
                                            clients=size, progress=progress)
            data.update({k: v for k, v in (reports["data"] or {}).items() if k != "clients"})
            data["reports_data_and_measure_seconds"] = reports_s
        history, history_s = phases.run("audit history rows (SQL)", audit_bench.history_ensure, max(100_000, size),
                                        progress=progress)
        data.update({"audit_events": history, "audit_history_seconds": history_s})

        # --- intake ---
        duplicates, intake = self._intake(figures, phases, agent=agent, total=total, samples=samples)

        # --- BNL list and pulls ---
        coc = User.objects.get(username="coc_staff")
        program = Program.objects.get(name="Placer Rapid Re-Housing")
        bnl_bench.entries_reset()
        small_n = bnl_bench.entries_ensure(1000)
        # At 1,000 entries only the statements per request are kept (beside the large list's): one sample.
        small, _s = phases.run("BNL at 1,000 entries (statements)", bnl_bench.bench_list, user=coc, program=program, samples=1)
        large_n, _s = phases.run(f"BNL entries to {total:,} (SQL)", _entries_bulk, total, progress=progress)
        large, _s = phases.run(f"BNL at {large_n:,} entries", bnl_bench.bench_list, user=coc, program=program,
                               samples=max(20, samples // 5))
        raw = max(large["raw"]["p50_ms"], 0.1)
        figures.add("bnl.api.p95", f"list API p95 at {large_n:,} entries", large["api"]["p95_ms"], "ms", 100)
        figures.add("bnl.api.ratio", "list API ÷ raw SQL (p50)", round(large["api"]["p50_ms"] / raw, 2), "×", 2)
        figures.add("bnl.page.p95", f"list page p95 at {large_n:,} entries", large["page"]["p95_ms"], "ms", 100)
        figures.add("bnl.page.ratio", "list page ÷ raw SQL (p50)", round(large["page"]["p50_ms"] / raw, 2), "×", 2.5)
        figures.add("bnl.raw.p50", "the list's SQL run raw (count + page) p50", large["raw"]["p50_ms"], "ms")
        figures.add("bnl.queries", "queries per list request (API / page)", f"{large['api_queries']} / {large['page_queries']}", "",
                    note=f"{small['api_queries']} / {small['page_queries']} at {small_n:,}")
        self._pulls(figures, phases)

        # --- HTTP at a constant rate, against gunicorn ---
        load, _s = phases.run("HTTP load at a constant rate (gunicorn 2 × 4)", http_bench.bench_http)
        for name, label in (("list_page", "list page `GET /bnl/?program=…`"), ("intake_api", "intake `POST /api/v1/intakes/`")):
            row = load[name]
            figures.add(f"http.{name}.throughput", f"{label} at {row['rate']:g}/s for {row['seconds']:g} s: throughput",
                        row["throughput"], "req/s", row["rate"], better="higher",
                        note=f"{row['errors']} errors {row['error_statuses']}" if row["errors"] else "no errors")
            for q in ("p50", "p95", "p99"):
                figures.add(f"http.{name}.{q}", f"{label}: {q} (from the due time)", row[f"{q}_ms"], "ms")

        # --- sweep ---
        sweep = self._sweep(figures, total, phases)

        # --- audit timeline ---
        timeline, _s = phases.run("audit timeline", audit_bench.bench_timeline, admin=admin, samples=30)
        for name, row in timeline.items():
            if isinstance(row, dict):
                figures.add(f"audit.{name}", f"audit timeline, {name}: p95", row["p95_ms"], "ms", note=f"{row['queries']} queries")

        # --- reports ---
        if reports:
            for row in reports["reports"]:
                figures.add(f"reports.{row['report']}", f"report {row['report']}", round(row["seconds"], 2), "s",
                            note=f"peak {row['peak_mib']} MiB")
            figures.add("reports.whatif", "what-if comparison", round(reports["whatif"]["seconds"], 2), "s",
                        note=f"{reports['whatif']['active']:,} active entries")
            for key in ("export_quarter", "export_two_years"):
                row = reports[key]
                figures.add(f"reports.{key}", f"HMIS export {row['start']} – {row['end']} at {reports['export_clients']:,} clients",
                            round(row["seconds"], 1), "s", note=f"{row['rows']:,} rows, {row['rows_per_s']:,} rows/s, "
                            f"{row['zip_mib']} MiB zip, peak {row['peak_mib']} MiB")

        whole = round(time.perf_counter() - phases.began, 1)
        figures.add("bench.total", "the whole bench (data + measurements)", round(whole / 60, 1), "min", 20)
        data["phases"] = phases.seconds
        data["data_build_steps"] = progress.steps
        self._write(figures, data, size=size, total=total, duplicates=duplicates, intake=intake, sweep=sweep)
        out.write(self.style.SUCCESS(f"wrote {OUTPUT} and {OUTPUT_JSON}"))

    def _pulls(self, figures: Figures, phases: "Phases") -> None:
        pulls, _s = phases.run("20 programs pulling at once", bnl_bench.bench_concurrent_pulls, programs=20, rounds=PULL_ROUNDS)
        single, _s = phases.run("single pulls", bnl_bench.bench_single_pulls, samples=SINGLE_PULLS)
        cores = os.cpu_count() or 1
        floor = round(20 * single["p50_ms"] / cores, 1)
        figures.add("pull.single.p50", "single pull p50", single["p50_ms"], "ms", 15)
        figures.add("pull.single.statements", "single pull statements (asserted in tests/referrals/test_pull_queries.py)",
                    _pull_statements(), "statements", 8)
        figures.add("pull.concurrent.p95", "20 pulls at the same instant, p95", pulls["p95_ms"], "ms",
                    note=f"CPU-bound floor 20 × single ÷ {cores} cores = {floor} ms")
        figures.add("pull.concurrent.ratio", "20 at once p95 ÷ CPU-bound floor", round(pulls["p95_ms"] / max(floor, 0.1), 2), "×", 1.2)
        doubles = (Referral.objects.filter(status__in=Referral.OPEN_STATUSES).values("entry").order_by()
                   .annotate(n=Count("pk")).filter(n__gt=1).count())
        figures.add("pull.doubles", "entries with two open referrals after the pulls", doubles, "", 0)
        if self.pull_rounds:
            contest, _s = phases.run(f"50 pullers × {self.pull_rounds} rounds", bnl_bench.bench_pull_contest, pullers=50,
                                     rounds=self.pull_rounds)
            figures.add("pull.contest.doubles", f"double assignments, 50 pullers at once × {contest['rounds']} rounds", contest["doubles"]
                        + contest["refused"], "", 0, note=f"{contest['referred']:,} referrals, the round's people put back before the next; "
                        f"{contest['refused']} refused by the backstop; {contest['seconds']} s")

    def _pulls_only(self, size: int) -> None:
        """The clients and the list at `size`, then the pulls alone; the table is printed, nothing written."""
        call_command("seed_demo", clients=0, verbosity=0)
        agent = User.objects.get(username=CALL_AGENT)
        phases = Phases(self.stdout)
        progress = bulk.Progress(phases.write)
        total, _s = phases.run(f"clients to {size:,} (SQL)", intake_bench.clients_ensure, size,
                               agency=Agency.objects.get(initials="CP"), actor=agent, progress=progress)
        bnl_bench.entries_reset()
        entries, _s = phases.run(f"BNL entries to {total:,} (SQL)", _entries_bulk, total, progress=progress)
        figures = Figures()
        self._pulls(figures, phases)
        self.stdout.write(f"\nPulls at {entries:,} entries on {_machine()}\n\n{figures.table('pull.')}")

    def _intake(self, figures: Figures, phases, *, agent: User, total: int, samples: int):
        duplicates, _s = phases.run("duplicate check", intake_bench.bench_duplicate_check, user=agent, samples=samples)
        intake, _s = phases.run("intake submissions through the API", intake_bench.bench_intake_api, user=agent,
                                samples=max(50, samples // 3))
        autosave, _s = phases.run("call-form autosaves", intake_bench.bench_autosave, user=agent, samples=max(50, samples // 3))
        figures.add("intake.duplicates.p95", f"duplicate check p95 at {total:,} clients", duplicates["p95_ms"], "ms", 50)
        figures.add("intake.duplicates.recall", "duplicate check recall (typo, swap, DOB shift)", round(duplicates["recall"] * 100, 1), "%")
        figures.add("intake.post.p95", "intake `POST /api/v1/intakes/` p95", intake["p95_ms"], "ms", 100)
        figures.add("intake.post.queries", "intake POST queries", max(intake["queries_per_submission"]), "queries", 30,
                    note="constant: " + ", ".join(map(str, intake["queries_per_submission"])))
        figures.add("intake.autosave.p95", "call-form autosave `POST /intake/<id>/autosave/` p95 (server-side)",
                    autosave["p95_ms"], "ms", 50)
        figures.add("intake.autosave.queries", "autosave queries (asserted in tests/intake/test_api_queries.py)",
                    max(autosave["queries_per_save"]), "queries",
                    note="constant: " + ", ".join(map(str, autosave["queries_per_save"])))
        return duplicates, intake

    def _sweep(self, figures: Figures, total: int, phases: "Phases") -> tuple[dict, dict]:
        small_cases = min(10_000, total)
        sweep_small, _s = phases.run(f"sweep at {small_cases:,} open cases", engagement_bench.sweep_with, small_cases,
                                     SWEEP_DUE)
        sweep_large, _s = phases.run(f"sweep at {total:,} open cases", engagement_bench.sweep_with, total, SWEEP_DUE)
        figures.add("sweep.per_due_row", f"sweep per due row at {total:,} open cases", sweep_large["per_due_ms"], "ms", 2)
        figures.add("sweep.ratio", f"sweep time {total:,} ÷ {small_cases:,} open cases", round(
            sweep_large["seconds"] / max(sweep_small["seconds"], 0.01), 2), "×", 1.2)
        return sweep_small, sweep_large

    def _write(self, figures: Figures, data: dict, *, size: int, total: int, duplicates, intake, sweep) -> None:
        now = datetime.now().astimezone()
        machine = _machine()
        OUTPUT_JSON.write_text(json.dumps({"written": now.isoformat(timespec="seconds"), "machine": machine, "size": size,
                                           "data": data, "figures": figures.rows}, indent=1, default=str) + "\n")
        data_lines = "\n".join(f"| {key.replace('_', ' ')} | {value:,} |" if isinstance(value, int) else
                               f"| {key.replace('_', ' ')} | {value} |" for key, value in data.items() if not isinstance(value, dict))
        step_lines = "\n".join(f"| {step} | {seconds} |" for step, seconds in data["data_build_steps"].items())
        phase_lines = "\n".join(f"| {phase} | {seconds} |" for phase, seconds in data["phases"].items())
        OUTPUT.write_text(f"""# Benchmarks

Written by `make bench ARGS="--size {size}"` on {now:%Y-%m-%d %H:%M %Z}. Machine: {machine}.
Figures are server-side times measured in-process (no network), on a separate
`*_bench` database, `nice`d on a machine shared with other work. Tests never
assert times (they assert query counts); these figures are the performance
record, each beside its target and the ratio to it. The same figures are in
`docs/benchmarks.json`. Re-run `make bench` to refresh them.

## Data (built in bulk: set-based SQL)

Every row is made by `INSERT … SELECT` (devtools/benchmarks/bulk.py: the model's own columns,
defaults and choices; pseudo-random but deterministic values from hashes of the row's ids):
clients from `generate_series` with names from arrays (a first name and a surname of two or
three syllables, trigram-friendly) and, for 60 %, a unique SSN that Python encrypts and hashes
(the app's own Fernet key and keyed hash) and COPY brings in; per client three completed
intakes with assessments over two years, a CoC list entry from the latest assessment with its
history rows as django-simple-history writes them ('+' placed; '~' housed, inactive or exited
for some), three decided referrals; the list entries of the list benchmarks, the engagement
cases with their timers, and the audit history likewise. Bench clients are held by a CoC agency:
nothing is VSP-sealed. Tables are analyzed after each load; a table's plain indexes (the
client's two trigram GIN and phonetic ones included) are built once after a load that more than
doubles it; each large load is one transaction whose tables' foreign keys are validated once at
the end (VALIDATE CONSTRAINT: one anti-join, not a check per row at COMMIT), and the list-entry
and client history rows get their audit events from one INSERT … SELECT of the trigger's own
values while the trigger is off.

| what | value |
|---|---|
{data_lines}

Data build steps (seconds, each summed over its runs of clients):

| step | seconds |
|---|---|
{step_lines}

## Intake

{figures.table("intake.")}

{INTAKE_PROSE}

## By-Name List

{figures.table("bnl.")}

## Pulls

20 programs each pull five for their own vacancy at the same instant (separate
processes and connections, {PULL_ROUNDS + 1} rounds, the first not counted), then {SINGLE_PULLS} single
pulls, then 50 programs contest the top of the list at the same instant for
`--pull-rounds` rounds (each round's people are put back before the next, so
every round fights over the same people). A pull is four statements, whatever
the list holds: the vacancy lock, which also counts its referrals, asks whether
a chronic flag is due today (a partial index) and reads the closure days the
deadlines need (no cache to go stale); the top five locked SKIP LOCKED, each
with the id of its CoC copy; the pull with its audit (one `INSERT … RETURNING`,
window functions over the open-list index); and one `WITH` statement whose
data-modifying CTEs write the referrals, the entries' status, the deadlines and
the HUD events with their history rows exactly as django-simple-history's bulk
helpers write them (`ces.bulk_writes`; the audit timeline's triggers fire as
before). What is left of a single pull's time is mostly its audit, which lists
every eligible open entry above the last one pulled: the single pulls here run
after the concurrent ones have put about 1,000 people on referral at the top of
the list (nobody decides in a benchmark), so each stores an audit of about
1,200 rows (about 250 KB of JSON before compression) — its size, not the
number of statements, is what stands between the single pull and 15 ms.

{figures.table("pull.")}

## HTTP load at a constant rate

Gunicorn (2 workers × 4 threads, pooled connections) on 127.0.0.1 serving the
bench database; an open-loop client sends requests at a fixed rate (wrk2's
method: each latency counts from the moment the request was due). Both run on
the same 2 cores, so the client's own CPU is part of the figure.

{figures.table("http.")}

## Sweep

One sweep over open 30/60-day cases, each with a pending 30-day timer row, {SWEEP_DUE:,}
of them due. Each batch of 100 is claimed in bulk (a SKIP LOCKED SELECT and one
UPDATE) and handed whole to the kind's batch handler (`deadline_kind_batch`),
which does the work set-based in a constant few statements whatever the rows:
lock the cases, flag them in one UPDATE, their history rows in one INSERT (by
ces-system, with the reason), the supervisors in one query and the notices to
the worker and supervisors in one INSERT (asserted in
`tests/engagement/test_sweep_batch.py`). A batch that fails is done again one
row at a time, so only the failing row waits for its retry.

{figures.table("sweep.")}

## Audit timeline

{figures.table("audit.")}

## Reports and HMIS export

The reports and the what-if run over every client. The HMIS export writes every enrollment
open during its period, however short the period, so its rows grow with the whole list (a
quarter at 1,000,000 clients is millions of rows): above {reports_bench.EXPORT_SAMPLE:,} clients it is
measured on the data of the first {reports_bench.EXPORT_SAMPLE:,} clients, built and exported before the
rest is built. Its figures are the rows, the rows a second, and the peak memory, which must
stay flat as the rows grow (the export streams).

{figures.table("reports.")}

## The whole run

{figures.table("bench.")}

Each phase (seconds, as printed while the bench runs):

| phase | seconds |
|---|---|
{phase_lines}
{SIZE_NOTE if size < 1_000_000 else ""}""")
