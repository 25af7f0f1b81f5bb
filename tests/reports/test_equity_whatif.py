"""The equity view's small-cell suppression, and the policy what-if against a hand-ranked list."""

import pytest

from bnl.models import BnlEntry
from reports.periods import quarter
from reports.queries.equity import equity
from reports.whatif import tie_breaker_codes, whatif_compare
from tests.factories import BnlEntryFactory
from tests.reports.helpers import assessed, at, person

Q1 = quarter(2026, 1)


def rows_of(report: dict, key: str) -> dict:
    table = next(t for t in report["tables"] if t["key"] == key)
    return {row["group_code"]: row for row in table["rows"]}


@pytest.mark.django_db
def test_equity_hides_groups_under_eleven_people_and_the_next_smallest_so_no_cell_can_be_worked_out():
    for i in range(12):
        a = assessed(client=person(), total=10 if i < 6 else 14, on="2026-02-01", gender="female", age=30)
        BnlEntryFactory(client=a.client, assessment=a, placed_on_list_at=at("2026-02-01"))
    for _ in range(3):
        a = assessed(client=person(), total=5, on="2026-02-01", gender="male", age=30)
        BnlEntryFactory(client=a.client, assessment=a, placed_on_list_at=at("2026-02-01"))
    for _ in range(11):
        assessed(client=person(), total=8, on="2026-02-01", gender="non_binary", age=70)
    gender = rows_of(equity(Q1), "gender")
    assert gender["female"]["assessed"] == 12 and gender["female"]["mean_score"] == 12.0 and gender["female"]["median_score"] == 12.0
    assert gender["male"]["assessed"] is None and "assessed" in gender["male"]["suppressed"]
    assert gender["male"]["mean_score"] is None
    # Only "male" would be hidden among the assessed: "non_binary" (11, the next smallest) is hidden too.
    assert gender["non_binary"]["mean_score"] is None and "assessed" in gender["non_binary"]["suppressed"]
    # On the list: 3 men hidden, so the 12 women are hidden too (the total would give the men away).
    assert gender["male"]["on_list"] is None and gender["male"]["referral_rate"] is None
    assert gender["female"]["on_list"] is None and "referral_rate" in gender["female"]["suppressed"]
    assert gender["non_binary"]["on_list"] == 0  # nobody: nothing to hide
    ages = rows_of(equity(Q1), "age_group")
    assert ages["25_34"]["assessed"] == 15 and ages["65_plus"]["assessed"] == 11
    race = rows_of(equity(Q1), "race")
    assert set(race) == {"unknown"} and race["unknown"]["assessed"] == 26  # race is not recorded yet


def _list():
    """Live order (score, then longer homeless, then earlier placed):
    C (12) · B (10, 300 days) · A (10, 100 days, placed first) · D (8, chronic, gender point)."""
    d_assessment = assessed(client=person(), total=8, on="2026-01-04", indicators={"gender": 1, "age": 0})
    return {
        "A": BnlEntryFactory(score=10, length_of_time_homeless_days=100, placed_on_list_at=at("2026-01-01")),
        "B": BnlEntryFactory(score=10, length_of_time_homeless_days=300, placed_on_list_at=at("2026-01-02")),
        "C": BnlEntryFactory(score=12, length_of_time_homeless_days=0, placed_on_list_at=at("2026-01-03")),
        "D": BnlEntryFactory(client=d_assessment.client, assessment=d_assessment, score=8, chronic=True,
                             length_of_time_homeless_days=500, placed_on_list_at=at("2026-01-04")),
    }


def side(result: dict) -> list[tuple]:
    rows = next(t for t in result["tables"] if t["key"] == "side_by_side")["rows"]
    return [(row["current"], row["proposed"]) for row in rows]


def labels(entries):
    return {name: entry.label for name, entry in entries.items()}


@pytest.mark.django_db
def test_whatif_reordered_tie_breakers_put_the_earlier_placed_first_among_equal_scores():
    entries = labels(_list())
    assert tie_breaker_codes() == ["homeless_since", "placed_on_list_at"]
    result = whatif_compare(tie_breakers=["placed_on_list_at", "homeless_since"])
    assert side(result) == [(entries["C"], entries["C"]), (entries["B"], entries["A"]), (entries["A"], entries["B"]),
                            (entries["D"], entries["D"])]
    figures = {f["key"]: f["value"] for f in result["figures"]}
    assert (figures["up"], figures["down"], figures["same"], figures["most_up"]) == (1, 1, 2, 1)


@pytest.mark.django_db
def test_whatif_chronic_first_puts_every_chronic_person_above_everyone_else():
    entries = labels(_list())
    result = whatif_compare(tie_breakers=tie_breaker_codes(), chronic_first=True, top=1)
    assert [proposed for _current, proposed in side(result)] == [entries["D"], entries["C"], entries["B"], entries["A"]]
    movers = {row["label"]: row for row in next(t for t in result["tables"] if t["key"] == "movers")["rows"]}
    assert movers[entries["D"]]["move"] == -3 and movers[entries["A"]]["move"] == 1
    figures = {f["key"]: f["value"] for f in result["figures"]}
    assert figures["enter_top"] == 1 and figures["leave_top"] == 1


@pytest.mark.django_db
def test_whatif_indicator_points_change_the_score_of_those_who_scored_it_only():
    entries = labels(_list())
    result = whatif_compare(tie_breakers=tie_breaker_codes(), indicator="gender", points=3)
    # D: 8 − 1 + 3 = 10, and the longest homeless of the 10s: second.
    assert [proposed for _current, proposed in side(result)] == [entries["C"], entries["D"], entries["B"], entries["A"]]
    scores = {row["proposed"]: row["proposed_score"] for row in
              next(t for t in result["tables"] if t["key"] == "side_by_side")["rows"]}
    assert scores[entries["D"]] == 10 and scores[entries["A"]] == 10 and scores[entries["C"]] == 12
    zero = whatif_compare(tie_breakers=tie_breaker_codes(), indicator="gender", points=0)
    assert [p for _c, p in side(zero)][-1] == entries["D"] and next(
        r for r in next(t for t in zero["tables"] if t["key"] == "side_by_side")["rows"] if r["proposed"] == entries["D"]
    )["proposed_score"] == 7


@pytest.mark.django_db
def test_whatif_never_changes_the_live_list():
    entries = _list()
    before = list(BnlEntry.objects.order_by("pk").values_list("pk", "score", "status", "updated_at"))
    history = BnlEntry.history.count()
    whatif_compare(tie_breakers=["placed_on_list_at", "homeless_since"], indicator="gender", points=5,
                   chronic_first=True)
    assert list(BnlEntry.objects.order_by("pk").values_list("pk", "score", "status", "updated_at")) == before
    assert BnlEntry.history.count() == history and len(entries) == 4
