"""The numbers of the evaluation reports and the HMIS export (docs/reports.md, bnl-and-referrals.md
"Evaluation", hmis-export.md), each with its boundary: the last day of a duration bucket and the first of
the next, the last age of an age group and the first of the next, 10 people hidden and 11 shown, the longest
period taken and one day more refused, the what-if's limits, the export's retry and take-over times.

Cheapest first (no database, then one query each), so `make mutate` kills a wrong number of
reports/policy.py at once; tests/reports/test_figures.py and the rest follow."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from ces import roles
from ces.models import Deadline
from reports.demographics import age_group_sql
from reports.inputs import HmisExportInput, PeriodInput, WhatIfInput
from reports.models import HmisExport
from reports.queries.equity import _suppress
from reports.queries.sql import bucket_case, percentile_columns, rows
from reports.services import hmis_export_request
from reports.whatif import _suppress_whatif, whatif_compare
from reports.worker import _claim, hmis_export_run
from tests.factories import BnlEntryFactory, UserFactory

LA = timezone.get_fixed_timezone(-8 * 60)


def errors_of(serializer_class, data: dict) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid()
    return serializer.errors


# --- each person in exactly one group (no database) ------------------------------------------------


def test_every_age_at_assessment_is_in_exactly_one_of_hud_s_age_groups():
    """docs/reports.md: under 18, 18–24, 25–34, 35–44, 45–54, 55–64, 65+ — no age in two groups, none in none."""
    from reports import policy

    for age in range(0, 121):
        groups = [code for code, low, high in policy.AGE_GROUPS if low <= age and (high is None or age <= high)]
        assert len(groups) == 1, (age, groups)


def test_every_duration_is_in_exactly_one_bucket():
    """docs/reports.md: 0–30, 31–90, 91–180, 181–365, 366+ days — no day in two buckets, none in none."""
    from reports import policy

    for days in range(0, 2000):
        buckets = [label for label, low, high in policy.DURATION_BUCKETS if low <= days and (high is None or days <= high)]
        assert len(buckets) == 1, (days, buckets)


# --- suppression: fewer than 11 people (no database) ------------------------------------------------


def equity_row(code: str, people: int) -> dict:
    return {"group_code": code, "assessed": people, "on_list": people, "referred": 0, "housed": 0, "rejected": 0,
            "suppressed": set()}


def test_a_group_of_10_people_is_hidden_and_a_group_of_11_is_shown():
    groups = [equity_row("a", 10), equity_row("b", 11), equity_row("c", 11), equity_row("d", 0)]
    _suppress(groups)
    assert [row["assessed"] for row in groups] == [None, None, 11, 0]  # 10 hidden, and the next smallest with it
    groups = [equity_row("a", 11), equity_row("b", 12), equity_row("c", 1)]
    _suppress(groups)
    assert [row["assessed"] for row in groups] == [None, 12, None]


def whatif_row(people: int, top: int) -> dict:
    return {"people": people, "top_current": top, "top_proposed": top, "median_current": 3.0, "median_proposed": 3.0,
            "mean_current": 9.0, "mean_proposed": 9.0, "suppressed": set()}


def test_the_whatif_hides_groups_of_10_and_counts_under_11():
    groups = [whatif_row(10, 10), whatif_row(11, 11), whatif_row(30, 11), whatif_row(40, 10)]
    _suppress_whatif(groups)
    assert [(row["people"], row["top_current"]) for row in groups] == [(None, None), (None, None), (30, 11), (40, None)]


# --- the longest period and the what-if's limits (no database) ---------------------------------------


def test_a_period_of_3660_days_is_taken_and_3661_days_is_too_long():
    """docs/reports.md: any date range, both days included, at most ten years (of 366 days: 3,660 days)."""
    start = date(2016, 1, 1)
    for form in (PeriodInput, HmisExportInput):
        assert "end" not in errors_of(form, {"start": start, "end": start + timedelta(days=3659)})
        assert "end" in errors_of(form, {"start": start, "end": start + timedelta(days=3660)})
        assert "end" not in errors_of(form, {"start": start, "end": date(2025, 12, 31)})  # ten calendar years


def test_the_whatif_gives_an_indicator_0_to_5_points_and_the_top_is_1_to_1000_places_50_if_not_given():
    assert errors_of(WhatIfInput, {"indicator": "gender", "points": 5}) == {}
    assert "points" in errors_of(WhatIfInput, {"indicator": "gender", "points": 6})
    assert errors_of(WhatIfInput, {"top": 1000}) == {}
    assert "top" in errors_of(WhatIfInput, {"top": 1001})
    given = WhatIfInput(data={})
    assert given.is_valid() and given.validated_data["top"] == 50


# --- buckets, age groups, percentiles (one query each) ----------------------------------------------


@pytest.mark.django_db
def test_each_duration_bucket_takes_its_first_and_last_day():
    days = [0, 30, 31, 90, 91, 180, 181, 365, 366, 5000, -1]
    found = rows(f"SELECT d, {bucket_case('d')} AS bucket FROM unnest(%s::int[]) AS d", [days])
    assert {row["d"]: row["bucket"] for row in found} == {
        0: "0–30", 30: "0–30", 31: "31–90", 90: "31–90", 91: "91–180", 180: "91–180",
        181: "181–365", 365: "181–365", 366: "366+", 5000: "366+", -1: None}


@pytest.mark.django_db
def test_each_age_group_takes_its_first_and_last_age_at_assessment():
    ages = [0, 17, 18, 24, 25, 34, 35, 44, 45, 54, 55, 64, 65, 99, -1]
    found = rows(f"SELECT a.age_at_assessment AS age, {age_group_sql('a')} AS grp "
                 "FROM (SELECT unnest(%s::int[]) AS age_at_assessment) AS a", [ages])
    assert {row["age"]: row["grp"] for row in found} == {
        0: "under_18", 17: "under_18", 18: "18_24", 24: "18_24", 25: "25_34", 34: "25_34", 35: "35_44", 44: "35_44",
        45: "45_54", 54: "45_54", 55: "55_64", 64: "55_64", 65: "65_plus", 99: "65_plus", -1: "unknown"}


@pytest.mark.django_db
def test_durations_show_the_25th_50th_75th_and_90th_percentiles():
    found = rows(f"SELECT {percentile_columns('d')} FROM generate_series(1, 101) AS d")
    assert found == [{"p25": 26.0, "p50": 51.0, "p75": 76.0, "p90": 91.0}]


# --- the what-if's tables ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_whatif_shows_the_50_who_move_most_and_the_top_25_side_by_side():
    # 52 entries of equal score: placed on the list in one order and homeless since in the reverse one, so
    # trying "placed on the list" first reverses the whole list and everybody moves.
    for n in range(52):
        BnlEntryFactory(score=10, length_of_time_homeless_days=100 + n)
    result = whatif_compare(tie_breakers=["placed_on_list_at", "homeless_since"])
    tables = {table["key"]: table["rows"] for table in result["tables"]}
    assert {f["key"]: f["value"] for f in result["figures"]}["same"] == 0
    assert len(tables["movers"]) == 50
    assert [row["rank"] for row in tables["side_by_side"]] == list(range(1, 26))


# --- the HMIS export's outbox ------------------------------------------------------------------------


@pytest.fixture
def queued(db):
    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    with time_machine.travel(datetime(2026, 4, 2, 9, tzinfo=LA), tick=False):
        job = hmis_export_request(start=date(2026, 1, 1), end=date(2026, 3, 31), include_unconsented=False, actor=admin)
    return job


def test_a_queued_export_is_sent_again_every_5_minutes_until_done(queued):
    due = Deadline.objects.get(kind="reports.hmis_export", subject_id=queued.pk, state="pending").due_at
    assert due == datetime(2026, 4, 2, 9, 5, tzinfo=LA)


def test_a_running_export_silent_for_10_minutes_is_still_its_workers_and_after_that_may_be_taken_over(queued):
    now = timezone.now()
    HmisExport.objects.filter(pk=queued.pk).update(status="running", heartbeat_at=now - timedelta(minutes=10), attempts=1)
    assert _claim(queued.pk, now) is False
    HmisExport.objects.filter(pk=queued.pk).update(heartbeat_at=now - timedelta(minutes=10, microseconds=1))
    assert _claim(queued.pk, now) is True


def test_an_export_that_fails_is_queued_again_and_fails_for_good_at_the_third_attempt(queued, monkeypatch):
    def broken_writer(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr("reports.worker.export_write", broken_writer)
    for attempt, status in [(1, "queued"), (2, "queued"), (3, "failed")]:
        with pytest.raises(OSError):
            hmis_export_run(job_id=queued.pk)
        queued.refresh_from_db()
        assert (queued.attempts, queued.status) == (attempt, status)


@pytest.mark.django_db(transaction=False)
def test_the_export_reads_2000_rows_per_round_trip_so_memory_stays_flat():
    """hmis-export.md: the CSVs stream from a server-side cursor, a chunk at a time."""
    from reports.hmis.files import CsvFile
    from reports.hmis.writer import csv_rows

    numbers = CsvFile(name="Numbers.csv", columns=(("N", "n"),), source="generate_series(1, 4001) AS n", uses_base=False)
    with transaction.atomic():  # a server-side cursor lives in a transaction
        assert [len(chunk) for chunk in csv_rows(numbers, {})] == [2000, 2000, 1]
