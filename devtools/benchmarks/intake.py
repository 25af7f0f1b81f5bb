"""Benchmarks of the intake (issue: intake): duplicate check and API submission at 100,000 clients.

Run by `make bench` (ces/management/commands/bench.py), which writes docs/benchmarks.md.
"""

import random
import statistics
import time
from datetime import date, timedelta

from django.db import connection, reset_queries, transaction
from django.test import Client as BrowserClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from ces import crypto
from ces.models import Agency, Client, User
from ces.ssn import ssn_lookup_hash
from devtools.benchmarks.copy import copy_create
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


def _surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _unique_ssn(n: int) -> str:
    """A valid SSN that no other n gives (one person per full-quality SSN: client_ssn_unique_full)."""
    return f"{1 + n % 665:03d}{1 + (n // 665) % 99:02d}{1 + (n // (665 * 99)) % 9999:04d}"


def clients_ensure(count: int, *, agency: Agency, actor: User, batch: int = 50_000) -> int:
    """Synthetic clients through COPY until `count` exist (history rows are not needed here)."""
    have = Client.objects.count()
    rng = random.Random(have)
    today = date.today()
    while have < count:
        rows = []
        for offset in range(min(batch, count - have)):
            ssn = _unique_ssn(have + offset) if rng.random() < 0.6 else ""
            rows.append(
                Client(
                    holding_agency=agency,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=_surname(rng),
                    name_data_quality="full",
                    dob=today - timedelta(days=rng.randint(18 * 365, 80 * 365)),
                    dob_data_quality="full",
                    ssn_ciphertext=crypto.encrypt(ssn) if ssn else "",
                    ssn_hash=ssn_lookup_hash(ssn) if ssn else "",
                    ssn_last4=ssn[-4:],
                    ssn_data_quality="full" if ssn else "refused",
                    hmis_consent=rng.choice(["yes", "yes", "no"]),
                    created_by=actor,
                )
            )
        with transaction.atomic():
            copy_create(Client, rows)
        have += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ces_client")
    return have


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
