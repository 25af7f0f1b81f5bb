"""The bench's data builders (devtools/benchmarks: set-based SQL) make rows the app accepts: every
row passes its model's validation (choices, lengths, validators, constraints), the history rows
are simple-history's, the SSNs are the app's own encryption and hash. At a tiny size, so CI
catches a builder a model change has broken before anyone runs `make bench`."""

import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEvent
from bnl.models import BnlEntry
from ces.models import Agency, Client, Deadline, User
from ces.ssn import ssn_lookup_hash
from devtools.benchmarks import bnl as bnl_bench
from devtools.benchmarks import engagement as engagement_bench
from devtools.benchmarks import intake as intake_bench
from devtools.benchmarks import reports as reports_bench
from devtools.benchmarks.bulk import Progress
from engagement.models import EngagementCase
from intake.models import Assessment, Intake
from referrals.models import Referral

pytestmark = pytest.mark.django_db

QUIET = Progress(lambda _line: None)


def _valid(model) -> int:
    rows = list(model.objects.all())
    for row in rows:
        row.full_clean()
    return len(rows)


@pytest.fixture
def bench_clients():
    call_command("seed_demo", clients=0, verbosity=0)
    agent = User.objects.get(username="call_agent")
    assert intake_bench.clients_ensure(200, agency=Agency.objects.get(initials="CP"), actor=agent, batch=150,
                                       progress=QUIET) == 200
    return agent


def test_clients_are_valid_coc_clients_with_the_apps_ssn_encryption(bench_clients):
    assert _valid(Client) == 200
    assert not Client.objects.exclude(vsp_sealed="").exists()
    assert not Client.objects.filter(holding_agency__is_vsp=True).exists()
    with_ssn = Client.objects.filter(ssn_data_quality="full")
    assert 100 < with_ssn.count() < 140  # 60 %
    for client in with_ssn[:20]:
        ssn = client.reveal_ssn()
        assert client.ssn_hash == ssn_lookup_hash(ssn) and client.ssn_last4 == ssn[-4:]
    assert Client.objects.values("last_name").distinct().count() > 150  # varied surnames (trigram neighbours)
    # Deterministic: the same n gives the same person.
    first = Client.objects.order_by("pk").values_list("first_name", "last_name", "dob").first()
    Client.objects.all().delete()
    intake_bench.clients_ensure(1, agency=Agency.objects.get(initials="CP"), actor=bench_clients, progress=QUIET)
    assert Client.objects.values_list("first_name", "last_name", "dob").get() == first


def test_reports_data_is_valid_with_simple_history_rows(bench_clients):
    reports_bench.data_ensure(clients=120, progress=QUIET)
    data = reports_bench.data_ensure(clients=200, skip=120, progress=QUIET)
    assert data == {"clients": 200, "assessments": 600, "entries": 200, "referrals": 600, "history": data["history"]}
    assert _valid(Intake) == 600 and _valid(Assessment) == 600 and _valid(BnlEntry) == 200 and _valid(Referral) == 600
    for client in Client.objects.all()[:20]:
        intakes = list(client.intakes.order_by("collected_at"))
        entry = client.bnl_entries.get()
        assert entry.assessment.intake == intakes[-1] and entry.score == entry.assessment.total
    history = BnlEntry.history.model.objects
    for entry in BnlEntry.objects.all():
        rows = list(history.filter(id=entry.pk).order_by("history_date"))
        assert rows[0].history_type == "+" and rows[0].status == "active" and rows[0].history_date == entry.placed_on_list_at
        if entry.status == "active":
            assert len(rows) == 1
        else:
            assert [r.history_type for r in rows] == ["+", "~"] and rows[1].status == entry.status
            assert rows[1].instance.client_id == entry.client_id
    assert data["history"] > 200
    # Their audit events (written in one statement while the trigger was off) are the trigger's own.
    assert AuditEvent.objects.filter(history_table="bnl_historicalbnlentry", client__isnull=False).count() == data["history"]
    fields = ["at", "kind", "user_id", "action", "model", "object_id", "client_id", "history_table", "access_log_id", "reason",
              "ip", "search"]
    for kind in ("+", "~"):
        row = history.filter(history_type=kind).order_by("history_id").first()
        bulk_event = AuditEvent.objects.values(*fields).get(history_table="bnl_historicalbnlentry", history_id=row.history_id)
        row.pk = None
        row.save()  # the same history row again, through the trigger (on again after the load)
        trigger_event = AuditEvent.objects.values(*fields).get(history_table="bnl_historicalbnlentry", history_id=row.history_id)
        assert bulk_event == trigger_event
    # The foreign keys are back and validated.
    with connection.cursor() as cursor:
        cursor.execute("""SELECT count(*) FILTER (WHERE convalidated), count(*) FROM pg_constraint WHERE contype = 'f'
                          AND conrelid = ANY('{intake_intake,intake_assessment,bnl_bnlentry,referrals_referral}'::regclass[])""")
        validated, total = cursor.fetchone()
    assert validated == total >= 18


def test_list_entries_and_engagement_cases_are_valid(bench_clients):
    assert bnl_bench.entries_ensure(150) == 150
    assert _valid(BnlEntry) == 150
    result = engagement_bench.sweep_with(100, 10)
    assert result["open"] == 100 and result["due"] == 10
    assert _valid(EngagementCase) == 100
    assert Deadline.objects.filter(kind="engagement.inactive_30").count() == 100
