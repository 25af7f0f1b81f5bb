"""Benchmarks of the audit timeline at millions of history rows (issue: audit history review).

`history_ensure(n)` writes n client-history rows in bulk (generate_series, one
statement per million) — indexed into the timeline as the trigger does in
production, by one INSERT … SELECT of the trigger's own values — spread over two years, 200 users and all the clients of
the bench database. `bench_timeline` then times the screens' and the API's
queries through the service (page of 50, with the field differences).
"""

import random
import statistics
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import audit_review
from ces.models import Client, User
from devtools.benchmarks.bulk import Progress, analyze, audit_trigger_deferred, foreign_keys_deferred, indexes_deferred

CHUNK = 1_000_000


def _pct(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


def history_ensure(total: int, *, progress: Progress | None = None) -> int:
    """At least `total` history rows indexed in the timeline (client history rows, made in SQL).

    One transaction: the history table's foreign key is validated once at the end, its audit
    trigger is off while the rows go in and their events are written by one INSERT … SELECT
    that gives the trigger's own rows (devtools/benchmarks/bulk.py), and the history table's
    indexes are built after a load that more than doubles it."""
    have = AuditEvent.objects.count()
    missing = total - have
    if missing <= 0:
        return have
    users = list(User.objects.values_list("pk", flat=True)[:200])
    low, high = Client.objects.order_by("pk").values_list("pk", flat=True).first(), Client.objects.order_by("-pk").values_list("pk", flat=True).first()
    if low is None:
        raise RuntimeError("history_ensure needs clients in the bench database")
    columns = """id, holding_agency_id, first_name, middle_name, last_name, name_data_quality, dob, dob_data_quality,
        ssn_ciphertext, ssn_hash, ssn_last4, ssn_data_quality, phone_primary, phone_future, current_location, alt_contact_name,
        alt_contact_phone, email, mailing_address, preferred_language, preferred_language_other, voicemail_consent,
        text_consent, hmis_consent, worker_alert, safety_plan, created_at, updated_at, created_by_id"""
    history = Client.history.model
    table = history._meta.db_table
    with transaction.atomic(), foreign_keys_deferred(table, progress=progress), \
            audit_trigger_deferred(history, progress=progress), \
            indexes_deferred(table, when=missing > history.objects.count(), progress=progress), connection.cursor() as cursor:
        while missing > 0:
            n = min(CHUNK, missing)
            cursor.execute(
                f"""
                INSERT INTO ces_historicalclient ({columns}, history_date, history_change_reason, history_type, history_user_id)
                SELECT c.id, c.holding_agency_id, c.first_name, c.middle_name, c.last_name, c.name_data_quality, c.dob,
                       c.dob_data_quality, c.ssn_ciphertext, c.ssn_hash, c.ssn_last4, c.ssn_data_quality, c.phone_primary,
                       c.phone_future, c.current_location, c.alt_contact_name, c.alt_contact_phone, c.email, c.mailing_address,
                       c.preferred_language, c.preferred_language_other, c.voicemail_consent, c.text_consent, c.hmis_consent,
                       c.worker_alert, c.safety_plan, c.created_at, c.updated_at, c.created_by_id,
                       now() - mod(g.i, 730) * interval '1 day' - mod(g.i, 86400) * interval '1 second',
                       CASE mod(g.i, 5) WHEN 0 THEN 'updated by intake #' || g.i
                            WHEN 1 THEN 'amended: ' || (ARRAY['phone', 'date of birth', 'name', 'county'])[1 + mod(g.i, 4)]
                            WHEN 2 THEN 'referred to program ' || mod(g.i, 40) || ' (vacancy #' || mod(g.i, 5000) || ')'
                            WHEN 3 THEN 'status corrected'
                            ELSE 'referral #' || g.i || ': not selected' END,
                       '~', (%s::bigint[])[1 + mod(g.i, %s)]
                FROM generate_series(1::bigint, %s) AS g(i)
                JOIN ces_client c ON c.id = %s + mod(g.i::bigint * 7919, %s - %s + 1)
                """,
                [users, len(users), n, low, high, low],
            )
            missing -= cursor.rowcount or n
    analyze("audit_auditevent", "ces_historicalclient")
    return AuditEvent.objects.count()


def bench_timeline(*, admin: User, samples: int = 60) -> dict:
    """p50/p95 of a page of the timeline for the usual questions, and the queries each takes."""
    rng = random.Random(5)
    clients = list(AuditEvent.objects.filter(client__isnull=False).values_list("client_id", flat=True)[:2000])
    usernames = list(User.objects.values_list("username", flat=True)[:200])
    cases = {
        "newest page, no filter": lambda: {"page": 1},
        "one person (id)": lambda: {"client": str(rng.choice(clients)), "page": 1},
        "one user": lambda: {"user": rng.choice(usernames), "page": 1},
        "changes to clients": lambda: {"kind": "change", "model": "ces.client", "page": 1},
        "free text, one intake (\"intake #n\")": lambda: {"q": f"intake #{rng.randrange(0, 1_000_000, 5)}", "page": 1},
        "free text, common (\"amended: name\")": lambda: {"q": "amended: name", "page": 1},
        "page 100": lambda: {"page": 100},
    }
    results = {}
    for name, make in cases.items():
        times, queries = [], 0
        for i in range(samples):
            filters = make()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                audit_review(viewer=admin, filters=filters)
            times.append(time.perf_counter() - started)
            if i == 0:
                queries = len(captured)
        results[name] = {**_pct(times[1:] or times), "queries": queries}
    results["events"] = AuditEvent.objects.count()
    return results
