"""`make mutate`: mutation testing of the modules that state policy (issue 18), with cosmic-ray.

    python devtools/mutate.py                 every module of MODULES, one after the other
    python devtools/mutate.py intake/scoring.py ces/business_days.py
    python devtools/mutate.py --list          the modules and the tests each is run against

For each module: a scratch copy of the tracked files under var/mutate/tree (cosmic-ray edits
the module in place, so the working tree is never touched), `cosmic-ray init`, the operator
filter of OPERATOR_FILTER, then `cosmic-ray exec` against that module's own tests (MODULES) on real
PostgreSQL. Prints a score per module and every survivor (line, operator, diff); a survivor that
devtools/mutate_equivalents.toml names as equivalent (with its reason) is listed apart and not counted.
Writes docs/test-strength.json (every module measured so far) and docs/test-strength.md from it.

Speed: each mutant runs its tests in a child forked from a server that has already imported
pytest, its plugins, Django and the third-party libraries (never the project's own code, which
the child imports fresh, mutated). That saves seconds per mutant; the child runs pytest exactly
as `python -m pytest` would, with --reuse-db on a test database of its own (test_ces_mutation),
re-created at the start of each run so the schema follows the migrations.

Not part of CI (minutes per module). Run it niced: `nice -n 15 make mutate`.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "mutate"
TREE = VAR / "tree"
SOCKET = VAR / "server.sock"
EQUIVALENTS = ROOT / "devtools" / "mutate_equivalents.toml"
TIMEOUT = 180.0  # seconds per mutant (a mutant that loops forever is killed: it was caught)
TEST_DB = os.environ.get("CES_MUTATE_DB", "ces_mutation")  # another name lets two checkouts run at once
TARGET = 90.0

# Each module that states policy, and the tests that state its rules (its own, not the suite).
MODULES: dict[str, list[str]] = {
    "intake/scoring.py": ["tests/intake/test_scoring_rules.py", "tests/intake/test_scoring.py"],
    # Pure rules only (no database: a mutant is caught in a few seconds). pytest-django runs the database
    # tests of a selection first, whatever its order, so one API test here would run before every rule.
    "intake/policy.py": ["tests/intake/test_intake_policy_rules.py", "tests/intake/test_scoring_rules.py", "tests/intake/test_scoring.py"],
    "intake/validation.py": ["tests/intake/test_validation_rules.py"],
    "bnl/eligibility.py": ["tests/bnl/test_eligibility_rules.py",
                           "tests/bnl/test_list.py::test_eligibility_filter_in_the_database_matches_the_explanation",
                           "tests/bnl/test_list.py::test_why_not_eligible_explains_rule_by_rule"],
    "bnl/policy.py": ["tests/bnl/test_policy_rules.py", "tests/referrals/test_policy_rules.py::test_a_pull_refers_at_most_five_per_vacancy",
                      "tests/bnl/test_list.py::test_order_is_score_then_time_homeless_then_first_placed_then_id"],
    "ces/business_days.py": ["tests/ces/test_business_days_rules.py", "tests/ces/test_business_days.py"],
    "ces/deadlines.py": ["tests/ces/test_deadline_rules.py", "tests/ces/test_deadlines.py"],
    "referrals/policy.py": ["tests/referrals/test_policy_rules.py",
                            "tests/referrals/test_decisions.py::test_pending_referral_reminds_at_10_business_days_and_expires_at_20",
                            "tests/referrals/test_decisions.py"],
    # The new-referral and existing-client step rules (which step follows, its waits, what completes a step, the
    # ceiling, the letter's days): pure functions that engagement/services.py applies.
    "engagement/steps.py": ["tests/engagement/test_step_rules.py"],
    "engagement/policy.py": ["tests/engagement/test_step_rules.py", "tests/engagement/test_disengagement_rules.py"],
    "engagement/disengagement.py": ["tests/engagement/test_disengagement_rules.py"],
    "reassignment/policy.py": ["tests/reassignment/test_policy_rules.py", "tests/reassignment/test_steps.py",
                               "tests/reassignment/test_rules.py"],
    "grievances/policy.py": ["tests/grievances/test_policy_rules.py", "tests/grievances/test_retaliation_rules.py",
                             "tests/grievances/test_clocks.py", "tests/grievances/test_public.py",
                             "tests/grievances/test_retaliation.py"],
    "grievances/timers.py": ["tests/grievances/test_clocks.py", "tests/grievances/test_retaliation.py"],
    "grievances/retaliation.py": ["tests/grievances/test_retaliation_rules.py", "tests/grievances/test_retaliation.py"],
    "consent/policy.py": ["tests/consent/test_policy_rules.py"],
    "reports/policy.py": ["tests/reports/test_policy_rules.py", "tests/reports/test_figures.py",
                          "tests/reports/test_equity_whatif.py"],
}

# Operators left out, and why (docs/test-strength.md, "Operators"):
# - binary operators replaced by bit shifts, powers, modulo, floor division, xor: on dates, Decimals
#   and small counts these crash or are equivalent; the arithmetic swaps (+ - * /) and | ↔ & stay;
# - == / != / < ... replaced by `is` / `is not`: CPython interns small ints and short strings, so
#   `answers.get(code) is "yes"` behaves like `==` (equivalent mutants by the interpreter, not by the rule).
OPERATOR_FILTER = [
    r"core/ReplaceBinaryOperator_\w+_(BitXor|LShift|RShift|Pow|Mod|FloorDiv)$",
    r"core/ReplaceBinaryOperator_(BitXor|LShift|RShift|Pow|Mod|FloorDiv)_\w+$",
    r"core/ReplaceBinaryOperator_BitOr_(Add|Sub|Mul|Div)$",
    r"core/ReplaceBinaryOperator_(Add|Sub|Mul|Div)_(BitOr|BitAnd)$",
    r"core/ReplaceComparisonOperator_(Eq|NotEq|Lt|LtE|Gt|GtE)_(Is|IsNot)$",
]

# Third-party modules the fork server imports once (never the project's packages).
PRELOAD = [
    "pytest", "pytest_django.plugin", "_hypothesis_pytestplugin", "hypothesis", "hypothesis.strategies",
    "django", "django.test", "django.db.models", "django.contrib.postgres.fields", "rest_framework",
    "celery", "holidays", "psycopg", "phonenumbers", "cryptography.fernet", "simple_history", "factory",
    "time_machine", "weasyprint",
]
PYTEST_ARGS = ["-x", "-q", "--reuse-db", "-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:playwright",
               "-p", "no:faker", "-p", "no:anyio"]
PROJECT_PACKAGES = ("ces", "intake", "bnl", "referrals", "reassignment", "engagement", "grievances", "reports",
                    "audit", "tests")


def say(message: str) -> None:
    print(f"[mutate] {message}", flush=True)


# --- the fork server -------------------------------------------------------------------


def _recv_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def serve(sock_path: str) -> None:
    """Import the heavy third-party code once; run each request's pytest in a fresh fork."""
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:  # an optional library missing only costs time in the child
            pass
    leaked = [name for name in sys.modules if name.split(".")[0] in PROJECT_PACKAGES]
    if leaked:
        raise SystemExit(f"the server imported project modules {leaked[:5]}: the child would not see the mutant")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    server.bind(sock_path)
    server.listen(1)
    while True:
        conn, _addr = server.accept()
        with conn:
            request = json.loads(_recv_all_until_newline(conn))
            code = _run_child(request["cwd"], request["args"], request["log"], request.get("timeout", TIMEOUT))
            conn.sendall(f"{code}\n".encode())


def _recv_all_until_newline(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _run_child(cwd: str, args: list[str], log: str, timeout: float) -> int:
    pid = os.fork()
    if pid == 0:  # the child: pytest as `python -m pytest` from cwd would run it
        try:
            os.setsid()
            os.chdir(cwd)
            sys.path.insert(0, cwd)
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.dont_write_bytecode = True
            import pytest  # noqa: PLC0415 - preloaded by the server; the client must stay light

            code = int(pytest.main(args))
        except BaseException:  # noqa: BLE001 - any failure to run is a failed run
            code = 99
        os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 98
        if time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return 97  # timed out: the mutant hung the tests, which counts as caught
        time.sleep(0.05)


def client(sock_path: str, args: list[str]) -> int:
    """The test command cosmic-ray runs: ask the server to run pytest here, exit with its code."""
    log = os.environ.get("CES_MUTATE_LOG", str(VAR / "last-run.log"))
    for _attempt in range(50):
        try:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.connect(sock_path)
            break
        except OSError:
            time.sleep(0.2)
    else:
        print("no mutate server", file=sys.stderr)
        return 96
    with conn:
        conn.sendall((json.dumps({"cwd": os.getcwd(), "args": args, "log": log}) + "\n").encode())
        reply = _recv_all(conn).decode().strip()
    code = int(reply or 95)
    if code:
        print(Path(log).read_text(errors="replace")[-4000:])
    return code


# --- one module --------------------------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "ces.settings.test"
    base = env.get("CES_MUTATE_DATABASE_URL") or _database_url()
    head, _sep, query = base.partition("?")
    env["DATABASE_URL"] = head.rsplit("/", 1)[0] + f"/{TEST_DB}" + (f"?{query}" if query else "")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    env["CES_REDIS_AVAILABLE"] = "0"
    env["CES_CHROMIUM_AVAILABLE"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["CES_MUTATE_SOCKET"] = str(SOCKET)  # the client runs from the scratch copy: tell it where the server is
    env["CES_MUTATE_LOG"] = str(VAR / "last-run.log")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def _database_url() -> str:
    out = subprocess.run([sys.executable, "-m", "devtools.devenv", "database-url"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return out.strip().splitlines()[-1]


def _copy_tree() -> None:
    """The tracked files (and the new ones not yet committed), without var/ and the venv."""
    if TREE.exists():
        shutil.rmtree(TREE)
    TREE.mkdir(parents=True)
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode == 0:
        names = [line for line in listed.stdout.splitlines() if line]
    else:  # not a git checkout: everything but the usual clutter
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()
                 and not {".venv", "var", "__pycache__", ".git", "node_modules"} & set(p.relative_to(ROOT).parts)]
    for name in names:
        source = ROOT / name
        if source.is_file():
            target = TREE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _config(module: str, tests: list[str]) -> Path:
    name = module.replace("/", "_").removesuffix(".py")
    path = VAR / f"{name}.toml"
    command = " ".join([sys.executable, str(TREE / "devtools" / "mutate.py"), "client", "--", *PYTEST_ARGS, *tests])
    filters = ", ".join(json.dumps(pattern) for pattern in OPERATOR_FILTER)
    path.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{module}"\n'
        f"timeout = {TIMEOUT + 30}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(command)}\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n'
        "[cosmic-ray.filters.operators-filter]\n"
        f"exclude-operators = [{filters}]\n"
    )
    return path


def _equivalents() -> list[dict]:
    if not EQUIVALENTS.exists():
        return []
    return tomllib.loads(EQUIVALENTS.read_text()).get("equivalent", [])


def _line(module: str, line_number: int) -> str:
    lines = (TREE / module).read_text().splitlines()
    return lines[line_number - 1].strip() if 0 < line_number <= len(lines) else ""


def _equivalent_reason(module: str, operator: str, text: str, became: str) -> str | None:
    """The reason docs/test-strength.md gives for a survivor that no test can catch (same module, operator,
    line text and, when the entry says, the mutated line), or None."""
    for entry in _equivalents():
        if entry["module"] != module or not re.fullmatch(entry["operator"], operator) or entry["line"].strip() != text:
            continue
        if "becomes" in entry and entry["becomes"].strip() != became.strip():
            continue
        return entry["reason"]
    return None


def _summary(module: str, session: Path) -> dict:
    """Killed, survived and equivalent mutants; a survivor the equivalents file names is not counted."""
    from cosmic_ray.work_db import WorkDB, use_db  # noqa: PLC0415 - kept out of the per-mutant client
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome  # noqa: PLC0415 - kept out of the per-mutant client

    killed = survived = equivalent = filtered = incompetent = 0
    survivors, equivalents = [], []
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            mutation = item.mutations[0]
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                filtered += 1
                continue
            if result.test_outcome == TestOutcome.SURVIVED:
                diff = [line for line in (result.diff or "").splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
                text = _line(module, mutation.start_pos[0])
                became = next((line[1:] for line in diff if line.startswith("+")), "")
                reason = _equivalent_reason(module, mutation.operator_name, text, became)
                row = {"line": mutation.start_pos[0], "operator": mutation.operator_name, "text": text, "diff": "\n".join(diff)}
                if reason:
                    equivalent += 1
                    equivalents.append({**row, "reason": reason})
                    continue
                survived += 1
                survivors.append(row)
            elif result.test_outcome == TestOutcome.INCOMPETENT or result.worker_outcome != WorkerOutcome.NORMAL:
                incompetent += 1
            else:
                killed += 1
        pending = db.num_work_items - db.num_results
    counted = killed + survived
    return {
        "module": module, "mutants": counted, "killed": killed, "survived": survived, "equivalent": equivalent,
        "filtered": filtered, "incompetent": incompetent, "pending": pending,
        "score": round(100.0 * killed / counted, 1) if counted else 100.0,
        "survivors": sorted(survivors, key=lambda s: (s["line"], s["operator"])),
        "equivalents": sorted(equivalents, key=lambda s: (s["line"], s["operator"])),
    }


def _survivors_pending(session: Path) -> int:
    """Forget the survivors' results so that `cosmic-ray exec` runs them again (killed mutants stay killed:
    tests were only added since)."""
    from cosmic_ray.work_db import WorkDB, use_db  # noqa: PLC0415 - kept out of the per-mutant client
    from cosmic_ray.work_item import TestOutcome  # noqa: PLC0415 - kept out of the per-mutant client

    with use_db(str(session), WorkDB.Mode.open) as db:
        again = [item.job_id for item, result in db.completed_work_items if result.test_outcome == TestOutcome.SURVIVED]
    with sqlite3.connect(session) as connection:
        connection.executemany("DELETE FROM work_results WHERE job_id = ?", [(job,) for job in again])
    return len(again)


def run_module(module: str, env: dict[str, str], *, survivors_only: bool = False) -> dict:
    tests = MODULES[module]
    config = _config(module, tests)
    session = config.with_suffix(".sqlite")
    cr = str(Path(sys.executable).parent / "cosmic-ray")
    if survivors_only and session.exists():
        say(f"{module}: {_survivors_pending(session)} survivors run again")
    else:
        if session.exists():
            session.unlink()
        subprocess.run([cr, "init", str(config), str(session)], cwd=TREE, env=env, check=True)
        subprocess.run([str(Path(sys.executable).parent / "cr-filter-operators"), str(session), str(config)],
                       cwd=TREE, env=env, check=True)
    started = time.monotonic()
    baseline = subprocess.run([sys.executable, str(TREE / "devtools" / "mutate.py"), "client", "--", *PYTEST_ARGS, *tests],
                              cwd=TREE, env=env, capture_output=True, text=True)
    if baseline.returncode != 0:
        say(f"{module}: its tests fail without any mutant; fix them first:\n{baseline.stdout[-3000:]}")
        return {"module": module, "error": "baseline failed"}
    subprocess.run([cr, "exec", str(config), str(session)], cwd=TREE, env=env, check=True)
    summary = _summary(module, session)
    summary["seconds"] = round(time.monotonic() - started)
    summary["tests"] = tests
    return summary


def report(summary: dict) -> None:
    if "error" in summary:
        say(f"{summary['module']}: {summary['error']}")
        return
    flag = "ok" if summary["score"] >= TARGET else f"BELOW {TARGET:.0f}%"
    say(f"{summary['module']}: {summary['score']}% ({summary['killed']}/{summary['mutants']} killed, "
        f"{summary['equivalent']} equivalent, {summary['filtered']} filtered, {summary['seconds']} s) {flag}")
    for survivor in summary["survivors"]:
        say(f"  survived line {survivor['line']} {survivor['operator']}: {survivor['text']}")
        for line in survivor["diff"].splitlines():
            say(f"      {line}")


DOC = ROOT / "docs" / "test-strength.md"
# The scores of every module measured so far, kept beside the page (committed), so a run of one module
# on a fresh clone updates its row and keeps the others.
RESULTS = ROOT / "docs" / "test-strength.json"
DOC_HEAD = """# Test strength: mutation scores of the policy modules

Written by `make mutate` (devtools/mutate.py, issue 18) on {when}. Not part of CI: a module takes
minutes, all of them an hour or more on two cores. Re-run one module with
`make mutate ARGS=intake/scoring.py`; `make mutate ARGS=--report` rewrites this page from the last runs.

A mutant is the module with one small change (a comparison flipped, a constant ±1, `and`/`or`
swapped, a `not` added or removed, an arithmetic operator replaced, a decorator removed, a loop
made empty...). It is **killed** when the module's own tests (below) fail against it; a **survivor**
is a rule that no test states. Score = killed / (killed + survived); equivalent mutants (the same
behaviour for every input the rule allows) are listed with their reason and not counted. Target: 90%.

Tool: cosmic-ray (`[dev]` extra), each mutant on a scratch copy of the tree, the tests on real
PostgreSQL. Operators left out (`OPERATOR_FILTER` in devtools/mutate.py): binary operators replaced by
bit shifts, powers, modulo, floor division or xor (on dates, Decimals and small counts they crash or
are equivalent; `+ - * /` among themselves and `|` ↔ `&` stay), and comparisons replaced by `is` /
`is not` (CPython interns small ints and short strings, so `x is "yes"` behaves like `x == "yes"`: an
equivalence of the interpreter, not of the rule).

## The rules that had no test (issue 18) and the tests that now state them

| rule | test |
|---|---|
| youth flag at exactly 18 and 24 (and 17, 25, birthday on the day) | `intake/test_scoring_rules.py::test_youth_flag_is_18_to_24_inclusive_at_assessment`, `::test_youth_flag_counts_the_birthday_on_the_day_itself` |
| family flag with 0 children | `intake/test_scoring_rules.py::test_family_flag_needs_at_least_one_child` |
| VAT total with case-management points | `intake/test_scoring_rules.py::test_total_adds_the_case_management_points_to_the_subtotal` |
| homeless since today = 0 days | `intake/test_scoring_rules.py::test_homeless_since_today_is_zero_days` |
| household size 0 for the income point | `intake/test_scoring_rules.py::test_household_size_zero_or_missing_gives_no_income_point` |
| a datetime `collected_at` with `homeless_start_date` | `intake/test_scoring_rules.py::test_a_datetime_collected_at_counts_days_from_its_local_date` (checked: no `TypeError`; `_on_date` takes the date of the local datetime the services pass) |
| `business_days_between` does not count its first day | `ces/test_business_days_rules.py::test_the_first_day_is_not_counted_and_the_last_day_is` |
| reversed or empty ranges | `ces/test_business_days_rules.py::test_same_day_and_reversed_ranges_are_zero`, `::test_empty_ranges_do_not_ask_the_database` |
| `upcoming_non_business_days`: observed holidays, window edges, closure days merged | `ces/test_business_days_rules.py::test_upcoming_*` |
| eligibility at household size equal to the minimum (and maximum) | `bnl/test_eligibility_rules.py::test_minimum_household_size_is_at_least`, `::test_household_of_exactly_min_and_max_is_eligible_with_both_limits` |
| the "why not eligible" wording | `bnl/test_eligibility_rules.py::test_why_not_eligible_*`, `::test_each_required_flag_is_one_rule_with_its_words` |
| HUD 4.20 event code per program type | `referrals/test_policy_rules.py::test_each_program_type_records_hud_4_20_event_code` (codes as HUD publishes them), `::test_a_pull_records_the_hud_event_of_the_programs_type` |
| the shelter list's 07:00 and its 24 hours | `referrals/test_policy_rules.py::test_the_daily_list_covers_the_24_hours_up_to_seven_in_the_morning`, `::test_before_seven_the_window_is_yesterdays`, `::test_the_shelter_screen_lists_the_last_24_hours` |
| the sweep: due at its due and retry times (edges), a batch of 100 in due order, a full last batch then an empty one, the batch handler once per kind per batch, a failed batch redone row by row (done, skipped, failed), back-off 5 min × failures capped at 6 h, the 120 s budget (edges), a held row skipped | `ces/test_deadline_rules.py` (a test per rule), `ces/test_deadlines.py::test_a_row_another_sweep_holds_is_skipped_not_waited_for` |
| dead code | `federal_holiday_name` removed (no caller); `VatScore.as_dict` was already gone |
| which assertive step follows which, its first day and due date (the 3–5 business-day waits, the referral source's 3 days to answer, the 10-business-day rounds of an existing client, the letter on the ceiling when the next round would reach it) | `engagement/test_step_rules.py::test_after_*`, `::test_an_existing_client_*`, `::test_the_further_round_rule_on_its_own` |
| what completes a round (main phone and email/text/alternate number; from its first day after the wait, in the CoC's time zone; not the attempts of the previous step; only since contact was lost) and the one-attempt steps | `engagement/test_step_rules.py::test_a_round_is_*`, `::test_a_rounds_attempts_count_*`, `::test_the_attempt_that_completed_the_previous_step_does_not_count_again`, `::test_the_attempts_before_the_previous_step_was_done_belong_to_it`, `::test_an_existing_clients_rounds_*`, `::test_the_alternate_contact_and_the_referral_source_*` |
| the existing client's ceiling at the ends of months and in leap years; the letter's last day and the closure once 5 business days have passed | `engagement/test_step_rules.py::test_the_outreach_ceiling_*`, `::test_the_letter_gives_five_business_days_*`, `::test_the_letter_waits_for_the_referral_source_*` |
| 30/60: 30 and 60 calendar days at the same time of day across the change of clocks; each flag only from its status; re-engagement from each status; the Step 1/2 forms (two channels, the due step, the consensus date, the second signer and their title); the 14-day weekly report | `engagement/test_disengagement_rules.py` |
| intake answers, type by type, at their bounds: DOB 1900-01-01…today, other dates 1900…2100, the call's time within 5 minutes of now, whole numbers in the question's range, amounts rounded half-up to cents, 0…9,999,999.99, US phones as E.164, email ≤ 254, SSN 9 digits, text per column (100/200/1,000), drafts ≤ 2,000; children vs household size, income needs its period, full-quality SSN, homelessness start vs today and DOB; what finishing needs; carried answers | `intake/test_validation_rules.py` (pure, no database) |
| a ticked box answered "maybe" was read as unticked (the strict flag parser was never reached): now refused | `intake/test_validation_rules.py::test_a_box_answered_with_anything_else_is_refused` |
| Appendix B's points per indicator, subtotal 27, score 30, the 2017 table row by row and its step; late entry and stale draft after 72 hours (`policy.entered_late`, `policy.draft_is_stale`) | `intake/test_intake_policy_rules.py` |
| dead code in `intake/validation.py` | a draft's None/boolean shortcut (the general path keeps them the same) and an `InvalidOperation` the amount pattern cannot let through, removed |
| reassignment: the five steps, their owners, answers and where each leads; the list holder told after step 4 only; the hand-off note due at 17:00 on the 2nd business day | `reassignment/test_policy_rules.py` (`StepRule.number` removed: never read, the step's number is its key) |
| grievances: text limits (200 / 4,000 / 10,000 characters), votes up to 200, 5 MB per file, 3 files, 10 MB together, 10 submissions an hour and 30 a day, reminders at 08:00 and overdue at 00:05 | `grievances/test_policy_rules.py` |
| non-retaliation: from midnight of the day of filing to the end of the 90th day, runs at 06:00, the last at the end of day 90; two runs at once flag a change once | `grievances/test_retaliation_rules.py` |
| reports: each bucket's and age group's first and last value (every value in exactly one), percentiles, 10 hidden / 11 shown, 3,660-day period, what-if limits (5 points, top 1–1000, 50 movers, 25 side by side), export retry 5 min, take-over after 10 min, failed at the 3rd attempt, 2,000 rows per round trip | `reports/test_policy_rules.py` |
| a transactional test left a `--reuse-db` database without role groups for the next mutant's run | `tests/conftest.py`: the core data is put back at the session's end |

The engagement step rules were inside `engagement/services.py` (447 lines, ~728 mutants, each run against
end-to-end timelines). They are now pure functions in `engagement/steps.py`, which the service applies, and
`MODULES` measures that module against its rules test instead of the service (docs/engagement.md, "The step rules").
"""


def write_doc(results: dict) -> None:
    rows = [results[m] for m in MODULES if m in results and "error" not in results[m]]
    lines = [DOC_HEAD.format(when=time.strftime("%Y-%m-%d %H:%M %Z")), "## Scores", "",
             "| module | mutants | killed | survived | equivalent | score | tests |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        score = f"**{r['score']}%**" if r["score"] < TARGET else f"{r['score']}%"
        lines.append(f"| `{r['module']}` | {r['mutants']} | {r['killed']} | {r['survived']} | {r['equivalent']} | {score} | "
                     + ", ".join(f"`{t.removeprefix('tests/')}`" for t in r.get("tests", [])) + " |")
    missing = [m for m in MODULES if m not in results]
    if missing:
        lines += ["", "Not measured yet (their test selections are in `MODULES`; run `make mutate ARGS=<module>` one at a "
                  "time): " + ", ".join(f"`{m}`" for m in missing) + "."]
    for r in rows:
        if r["survivors"] or r.get("equivalents"):
            lines += ["", f"## `{r['module']}`", ""]
        if r["survivors"]:
            lines += ["Survivors (rules no test states yet):", ""]
            lines += [f"- line {s['line']}, {s['operator'].removeprefix('core/')}: `{s['diff'].splitlines()[-1][1:].strip() if s['diff'] else s['text']}`"
                      for s in r["survivors"]]
            lines.append("")
        if r.get("equivalents"):
            lines += ["Equivalent (not counted):", ""]
            lines += [f"- line {s['line']}, {s['operator'].removeprefix('core/')}: `{s['text']}` — {s['reason']}" for s in r["equivalents"]]
    DOC.write_text("\n".join(lines).rstrip() + "\n")


def main(argv: list[str]) -> int:
    if argv[:1] == ["serve"]:
        serve(argv[1])
        return 0
    if argv[:1] == ["client"]:
        rest = argv[1:]
        return client(os.environ.get("CES_MUTATE_SOCKET", str(SOCKET)), rest[1:] if rest[:1] == ["--"] else rest)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module paths (default: all of MODULES)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--report", action="store_true", help="only summarize the last run's sessions (after editing the equivalents)")
    parser.add_argument("--survivors", action="store_true",
                        help="run the last run's survivors again against the current tests (the module must be unchanged)")
    parser.add_argument("--tests", nargs="+", help="run against these tests instead of the module's own (one module)")
    options = parser.parse_args(argv)
    modules = options.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        parser.error(f"not a policy module: {', '.join(unknown)} (see --list)")
    if options.tests:
        if len(modules) != 1:
            parser.error("--tests needs exactly one module")
        MODULES[modules[0]] = options.tests
    if options.list:
        for module, tests in MODULES.items():
            print(f"{module}: {' '.join(tests)}")
        return 0
    results_path = RESULTS
    if options.report:
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
        for module in modules:
            session = VAR / (module.replace("/", "_").removesuffix(".py") + ".sqlite")
            if session.exists() and module in results:  # a run that finished (an interrupted one is not reported)
                previous = results[module]
                results[module] = _summary(module, session) | {"seconds": previous.get("seconds", 0),
                                                                "tests": previous.get("tests", MODULES[module])}
                report(results[module])
        results_path.write_text(json.dumps(results, indent=1))
        write_doc(results)
        return 0
    VAR.mkdir(parents=True, exist_ok=True)
    env = _env()
    _copy_tree()
    say(f"scratch copy in {TREE}; test database test_{TEST_DB}")
    # Re-create the test database once, so --reuse-db below follows the current migrations.
    subprocess.run([sys.executable, "-m", "pytest", "-q", "--reuse-db", "--create-db", "-p", "no:cacheprovider",
                    "tests/ces/test_business_days.py"], cwd=TREE, env=env, check=True)
    server = subprocess.Popen([sys.executable, str(TREE / "devtools" / "mutate.py"), "serve", str(SOCKET)], cwd=TREE, env=env)
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    summaries = []
    try:
        for module in modules:
            say(f"{module}: against {' '.join(MODULES[module])}")
            summary = run_module(module, env, survivors_only=options.survivors)
            summaries.append(summary)
            results[module] = summary
            results_path.write_text(json.dumps(results, indent=1))
            report(summary)
    finally:
        server.terminate()
        server.wait()
        write_doc(results)
    say("scores:")
    for summary in summaries:
        if "error" not in summary:
            say(f"  {summary['score']:5.1f}%  {summary['module']}  ({summary['killed']}/{summary['mutants']})")
    return 0 if all(s.get("score", 0) >= TARGET for s in summaries) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
