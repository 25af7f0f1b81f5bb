"""Benchmarks of the intake (issue: intake): duplicate check and API submission at 100,000 clients.

Run by `make bench` (ces/management/commands/bench.py), which writes docs/benchmarks.md.
"""

import random
import statistics
import time
from datetime import timedelta

from django.db import connection, reset_queries, transaction
from django.test import Client as BrowserClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from ces import crypto
from ces.models import Agency, Client, User
from ces.ssn import ssn_lookup_hash
from devtools.benchmarks.bulk import Progress, analyze, indexes_deferred, insert_select, pick, rnd
from devtools.demo.synthetic import synthetic_answers
from intake.duplicates import duplicate_candidates
from intake.services import intake_autosave, intake_start

SYLLABLES = ["ka", "lo", "mi", "ra", "so", "ten", "ver", "gar", "son", "li", "mar", "tin", "ez", "ber", "do", "ri",
             "an", "el", "wa", "na", "to", "ni", "he", "ro", "bi", "que", "za", "ste", "ford", "man"]
FIRST_NAMES = ["Ana", "Robert", "Maria", "James", "Linda", "Jose", "Patricia", "Michael", "Jennifer", "David", "Elizabeth",
               "William", "Susan", "Carlos", "Jessica", "Daniel", "Sarah", "Luis", "Karen", "Thomas", "Nancy", "Miguel",
               "Lisa", "Joseph", "Betty", "Juan", "Sandra", "Charles", "Ashley", "Kevin", "Rosa", "Brian", "Emily",
               "Jorge", "Dolores", "Frank", "Grace", "Hector", "Irene", "Jack", "Kim", "Leo", "Mona", "Ned", "Olga",
               "Pedro", "Quinn", "Rita", "Sam", "Tina", "Uma", "Victor", "Wendy", "Xavier", "Yolanda", "Zach"]


def _unique_ssn(n: int) -> str:
    """A valid SSN that no other n gives (one person per full-quality SSN: client_ssn_unique_full)."""
    return f"{1 + n % 665:03d}{1 + (n // 665) % 99:02d}{1 + (n // (665 * 99)) % 9999:04d}"


def _has_ssn(n: int) -> bool:
    return n % 5 < 3  # 60 % of the clients have a full-quality SSN


def _ssn_rows(first: int, last: int):
    """(n, ciphertext, lookup hash, last 4) of the SSNs of clients first … last: the app's own
    Fernet and keyed hash (ces.crypto), the one step that needs Python (about 20 µs a client)."""
    for n in range(first, last + 1):
        if _has_ssn(n):
            ssn = _unique_ssn(n)
            yield (n, crypto.encrypt(ssn), ssn_lookup_hash(ssn), ssn[-4:])


def clients_ensure(count: int, *, agency: Agency, actor: User, batch: int = 250_000, progress: Progress | None = None) -> int:
    """Synthetic CoC clients until `count` exist, made in SQL (INSERT … SELECT FROM generate_series).

    Client n (0, 1, 2, …) has a first name from FIRST_NAMES and a surname of two or three of
    SYLLABLES (about 28,000 surnames: realistic trigram neighbours for the duplicate check), a date
    of birth 18–80 years ago, and (60 %) a unique full-quality SSN, encrypted in Python and brought
    in by COPY. Bench clients are held by a CoC agency: nothing here is VSP-sealed."""
    if agency.is_vsp:
        raise ValueError("bench clients are CoC clients: a VSP's people are sealed under its own key")
    progress = progress or Progress()
    have = Client.objects.count()
    first_names = "(ARRAY[" + ", ".join(f"'{name}'" for name in FIRST_NAMES) + "])"
    syllables = "(ARRAY[" + ", ".join(f"'{s}'" for s in SYLLABLES) + "])"

    def syllable(seed: int) -> str:
        return f"{syllables}[1 + {rnd('g.n', seed)} %% {len(SYLLABLES)}]"

    surname = (f"initcap({syllable(2)} || {syllable(3)} || CASE WHEN {rnd('g.n', 4)} %% 2 = 0 "
               f"THEN {syllable(5)} ELSE '' END)")
    values = {
        "holding_agency_id": "%(agency)s", "created_by_id": "%(actor)s",
        "first_name": f"{first_names}[1 + {rnd('g.n', 1)} %% {len(FIRST_NAMES)}]", "last_name": surname,
        "name_data_quality": "'full'", "dob": f"current_date - (6570 + {rnd('g.n', 6)} %% 22630)",
        "dob_data_quality": "'full'", "ssn_ciphertext": "COALESCE(s.ciphertext, '')", "ssn_hash": "COALESCE(s.hash, '')",
        "ssn_last4": "COALESCE(s.last4, '')",
        "ssn_data_quality": "CASE WHEN s.n IS NULL THEN 'refused' ELSE 'full' END",
        "hmis_consent": pick("g.n", 7, ["yes", "yes", "no"]),
    }
    # Mostly new rows: the indexes (two trigram GIN, the phonetic one) are built once after the load.
    with transaction.atomic(), indexes_deferred("ces_client", when=count - have > have, progress=progress):
        while have < count:
            last = min(count, have + batch) - 1
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_ssn")
                cursor.execute("CREATE TEMPORARY TABLE bench_ssn (n bigint PRIMARY KEY, ciphertext text, hash text, last4 text)")

                def copy_ssns(first=have, last=last):
                    rows = 0
                    with cursor.copy("COPY bench_ssn (n, ciphertext, hash, last4) FROM STDIN") as copy:
                        for row in _ssn_rows(first, last):
                            copy.write_row(row)
                            rows += 1
                    return rows

                progress.step("client SSNs (Python: Fernet + keyed hash, COPY)", copy_ssns)
                progress.step("clients (INSERT … SELECT)", insert_select, Client, values,
                              "generate_series(%(first)s::bigint, %(last)s) AS g(n) LEFT JOIN bench_ssn s ON s.n = g.n",
                              {"agency": agency.pk, "actor": actor.pk, "first": have, "last": last})
                cursor.execute("DROP TABLE bench_ssn")
            have = last + 1
    analyze("ces_client")
    return Client.objects.count()


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4 or rng.random() < 0.4:
        return name
    i = rng.randint(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]  # swap two letters


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def bench_duplicate_check(*, user: User, samples: int = 300) -> dict:
    rng = random.Random(7)
    people = list(Client.objects.order_by("?").values("first_name", "last_name", "dob")[:samples])
    times, found = [], 0
    for person in people:
        first, last = _typo(rng, person["first_name"]), _typo(rng, person["last_name"])
        if rng.random() < 0.2:
            first, last = last, first  # swapped names
        dob = person["dob"] + timedelta(days=rng.randint(-200, 200))
        start = time.perf_counter()
        candidates = duplicate_candidates(user=user, first_name=first, last_name=last, dob=dob)
        times.append(time.perf_counter() - start)
        found += any(c.client.first_name == person["first_name"] and c.client.last_name == person["last_name"]
                     for c in candidates)
    return {**_percentiles(times), "recall": round(found / len(people), 3)}


def bench_autosave(*, user: User, samples: int = 200) -> dict:
    """The call-floor form's draft save (`POST /intake/<id>/autosave/`, HTMX), server-side: one
    draft with a whole call typed in, then one answer changed per save, as an agent types."""
    browser = BrowserClient()
    browser.force_login(user)
    draft = intake_start(actor=user)
    answers = {code: str(value) for code, value in synthetic_answers(20_000_000).items() if not code.startswith("_")}
    intake_autosave(intake=draft, actor=user, answers=answers)
    url = reverse("intake-autosave", args=[draft.pk])
    times, query_counts = [], []
    for index in range(samples):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = browser.post(url, {"household_size": str(1 + index % 6)}, HTTP_HX_REQUEST="true")
            times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"autosave failed: {response.status_code} {response.content[:300]!r}")
        query_counts.append(len(queries))
    return {**_percentiles(times[10:]), "queries_per_save": sorted(set(query_counts[10:]))}


def bench_intake_api(*, user: User, samples: int = 200) -> dict:
    api = APIClient()
    api.force_authenticate(user)
    times, query_counts = [], []
    for index in range(samples):
        answers = synthetic_answers(10_000_000 + index)
        answers.pop("ssn", None)
        answers["ssn_data_quality"] = "refused"
        reset_queries()  # the query log keeps 9,000 entries at most
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = api.post("/api/v1/intakes/", {"client_id": None, "answers": answers}, format="json")
            times.append(time.perf_counter() - start)
        if response.status_code != 201:
            raise RuntimeError(f"intake submission failed: {response.status_code} {response.content[:300]!r}")
        query_counts.append(len(queries))
    return {**_percentiles(times[10:]), "queries_per_submission": sorted(set(query_counts[10:]))}
