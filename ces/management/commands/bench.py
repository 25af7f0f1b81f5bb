"""python manage.py bench: measure, then write docs/benchmarks.md.

Run through `make bench`, which points DATABASE_URL at a separate `ces_bench`
database so the figures never touch demo or test data. Each app that has
benchmarks adds a section here.
"""

import os
import platform
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ces.models import Agency, User
from ces.roles import CALL_AGENT

OUTPUT = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"


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


class Command(BaseCommand):
    help = "Run the benchmarks and write docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument("--samples", type=int, default=300)

    def handle(self, *args, clients: int, samples: int, **options):
        if not connection.settings_dict["NAME"].endswith("bench"):
            raise CommandError("Run benchmarks against a database named *bench (make bench does this).")
        from django.core.management import call_command

        from intake import benchmarks as intake_bench

        call_command("seed_demo", clients=0, verbosity=0)
        agent = User.objects.get(username=CALL_AGENT)
        agency = Agency.objects.get(initials="CP")
        self.stdout.write(f"ensuring {clients} clients ...")
        total = intake_bench.clients_ensure(clients, agency=agency, actor=agent)
        self.stdout.write("duplicate check ...")
        duplicates = intake_bench.bench_duplicate_check(user=agent, samples=samples)
        self.stdout.write("intake submissions through the API ...")
        intake = intake_bench.bench_intake_api(user=agent, samples=max(50, samples // 2))
        now = datetime.now().astimezone()
        OUTPUT.write_text(
            f"""# Benchmarks

Written by `make bench` on {now:%Y-%m-%d %H:%M %Z}. Machine: {_machine()}.
Figures are server-side times measured in-process (no network), on a
separate `ces_bench` database. Tests never assert times; these figures are
the performance record. Re-run `make bench` to refresh them.

## Intake (issue: intake and vulnerability assessment)

Database: {total:,} clients.

| measurement | samples | p50 | p95 | max | target |
|---|---|---|---|---|---|
| duplicate check (`intake.duplicates.duplicate_candidates`: typo'd / swapped names, DOB ±200 days) | {duplicates['n']} | {duplicates['p50_ms']} ms | **{duplicates['p95_ms']} ms** | {duplicates['max_ms']} ms | p95 < 50 ms |
| intake submission `POST /api/v1/intakes/` (full VI, excluding the PDF, which a worker renders) | {intake['n']} | {intake['p50_ms']} ms | **{intake['p95_ms']} ms** | {intake['max_ms']} ms | p95 < 150 ms |

- Duplicate check recall on this data (the original person among the
  candidates despite the typo, swap and DOB shift): {duplicates['recall']:.1%}.
- Queries per intake submission: {', '.join(str(q) for q in intake['queries_per_submission'])}.
  The count depends only on which answers the call has (each consent given
  is a record; a shelter referral adds its rows), never on the number of
  clients; `tests/intake/test_views.py` asserts it is the same for
  identical calls.
"""
        )
        self.stdout.write(self.style.SUCCESS(f"wrote {OUTPUT}"))
