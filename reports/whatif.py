"""The policy what-if: today's active CoC list re-ranked under a proposed change, beside
the live order, without changing anything.

The live order is the one named policy, `bnl.policy.BNL_ORDER`; it is read, never
changed here. A proposal may:
- reorder the policy's own tie-breakers (the keys after the score, before the id);
- give one VAT indicator other points when scored (the person's breakdown is
  stored with their assessment: points are rescaled, so a graded indicator such
  as unstable housing keeps its steps);
- put chronically homeless people first (tier 1), then everyone else (tier 2).

Both rankings are window functions (ROW_NUMBER) over one query, so the database
does the work; Python receives only the aggregated rows and the top movers. The ranked
list is computed once per comparison into a temporary table (dropped at the end of the
comparison) that the five summaries read: at 1,000,000 clients the two rankings over the
whole active list are the cost, and each summary used to compute them again.
"""

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from bnl.models import BnlEntry
from bnl.policy import BNL_ORDER
from intake.policy import INDICATOR_POINTS
from reports import demographics as demo
from reports import figures as f
from reports import policy
from reports.queries.sql import rounded, rows

SCORE_KEY = "score"
LAST_KEY = "id"
KEY_LABELS = {
    "score": _("Vulnerability score (higher first)"),
    "homeless_since": _("Length of time homeless up to today (longer first)"),
    "placed_on_list_at": _("Date first placed on the list (earlier first)"),
    "id": _("Entry number"),
}
INDICATOR_LABELS = {
    "age": _("Age under 25 or over 59"), "unaccompanied_youth": _("Unaccompanied youth under 18"),
    "gender": _("Female, transgender or gender non-conforming"), "pregnant": _("Pregnant"),
    "children": _("Children under 18"), "sleep_location": _("Literally homeless or institutional"),
    "unstable_housing": _("Years in unstable housing"), "er_visits": _("ER 3+ times in 6 months"),
    "police": _("Police 6+ times in 6 months"), "health_mental": _("Mental health"),
    "health_substance_alcohol": _("Substance or alcohol abuse"), "health_physical_sensory": _("Physical or sensory disability"),
    "health_developmental": _("Developmental disability"), "health_hiv_aids": _("HIV/AIDS"),
    "health_chronic": _("Chronic health conditions"), "health_three_or_more": _("Three or more health conditions"),
    "household_member_health": _("Household member's health"), "attacked": _("Attacked since homeless"),
    "self_harm": _("Self-harm"), "dv_experienced": _("Experienced DV"), "dv_fleeing": _("Fleeing DV"),
    "income": _("Income at or below poverty"),
}
MOVE_BUCKETS = (
    ("up_100", _("Up more than 100"), None, -101),
    ("up_11", _("Up 11–100"), -100, -11),
    ("up_1", _("Up 1–10"), -10, -1),
    ("same", _("No change"), 0, 0),
    ("down_1", _("Down 1–10"), 1, 10),
    ("down_11", _("Down 11–100"), 11, 100),
    ("down_100", _("Down more than 100"), 101, None),
)


def _key_name(order) -> str:
    expression = order.expression
    return getattr(expression, "name", None) or str(expression)


def policy_keys() -> list[tuple[str, object]]:
    """The live policy's keys in order: (name, OrderBy)."""
    return [(_key_name(order), order) for order in BNL_ORDER]


def tie_breaker_codes() -> list[str]:
    return [name for name, _order in policy_keys() if name not in (SCORE_KEY, LAST_KEY)]


def key_label(name: str) -> str:
    if name in KEY_LABELS:
        return str(KEY_LABELS[name])
    try:
        return str(BnlEntry._meta.get_field(name).verbose_name)
    except Exception:  # an expression, not a field: its text is its name
        return name


OLD_POINTS = (
    "COALESCE((SELECT (a.indicators ->> %s)::int FROM intake_assessment a WHERE a.id = bnl_bnlentry.assessment_id),"
    " (SELECT (a.indicators ->> %s)::int FROM bnl_bnlentry s JOIN intake_assessment a ON a.id = s.assessment_id"
    "  WHERE s.id = bnl_bnlentry.source_entry_id), 0)"
)


def proposed_score_expression(indicator: str, points: int):
    """SQL: the score with `indicator` worth `points` when scored.

    ROUND(old × new ÷ available): a scored yes/no indicator gets exactly `points`;
    a graded one (unstable housing, 1–3) keeps its steps in proportion. The breakdown
    comes from the person's assessment (a de-identified entry: its source's).
    """
    available = INDICATOR_POINTS[indicator]
    return RawSQL(
        f"bnl_bnlentry.score - {OLD_POINTS} + ROUND(({OLD_POINTS})::numeric * %s / %s)::int",
        (indicator, indicator, indicator, indicator, points, available),
        output_field=IntegerField(),
    )


def ranked_entries(*, tie_breakers: list[str], indicator: str = "", points: int | None = None, chronic_first: bool = False):
    """Active CoC-list entries with `current_rank` (the live policy) and `proposed_rank` (the proposal)."""
    entries = BnlEntry.objects.filter(list_owner__isnull=True, status=BnlEntry.Status.ACTIVE)
    if indicator and points is not None:
        entries = entries.annotate(proposed_score=proposed_score_expression(indicator, points))
    else:
        entries = entries.annotate(proposed_score=F("score"))
    keys = dict(policy_keys())
    proposed = []
    if chronic_first:
        proposed.append(Case(When(chronic=True, then=Value(1)), default=Value(2), output_field=IntegerField()).asc())
    proposed.append(F("proposed_score").desc())
    proposed.extend(keys[name] for name in tie_breakers)
    proposed.append(keys.get(LAST_KEY, F("id").asc()))
    return entries.annotate(
        current_rank=Window(RowNumber(), order_by=list(BNL_ORDER)),
        proposed_rank=Window(RowNumber(), order_by=proposed),
    )


LABEL = ("COALESCE(ha.initials || '-' || lpad(r.client_id::text, 6, '0'), "
         "va.initials || '-' || r.vsp_client_number, '#' || r.id::text)")


def _ranked_cte(**proposal) -> tuple[str, list]:
    queryset = ranked_entries(**proposal).values(
        "id", "client_id", "assessment_id", "vsp_id", "vsp_client_number", "score", "proposed_score", "chronic",
        "current_rank", "proposed_rank",
    )
    sql, params = queryset.query.sql_with_params()
    cte = f"""ranked AS ({sql}),
        people AS (
            SELECT r.*, r.proposed_rank - r.current_rank AS move, {LABEL} AS label, {demo.dimension_columns('c', 'a')}
            FROM ranked r LEFT JOIN ces_client c ON c.id = r.client_id LEFT JOIN ces_agency ha ON ha.id = c.holding_agency_id
            LEFT JOIN ces_agency va ON va.id = r.vsp_id LEFT JOIN intake_assessment a ON a.id = r.assessment_id
        )"""
    return cte, list(params)


PEOPLE = "reports_whatif_people"  # the temporary table of one comparison


def _bucket_case() -> str:
    whens = []
    for code, _label, low, high in MOVE_BUCKETS:
        parts = ([f"move >= {low}"] if low is not None else []) + ([f"move <= {high}"] if high is not None else [])
        whens.append(f"WHEN {' AND '.join(parts)} THEN '{code}'")
    return f"CASE {' '.join(whens)} END"


def whatif_compare(*, tie_breakers: list[str], indicator: str = "", points: int | None = None, chronic_first: bool = False,
                   top: int = policy.WHATIF_TOP_DEFAULT) -> dict:
    """Today's active CoC list under the live policy and under the proposal, side by side."""
    proposal = {"tie_breakers": tie_breakers, "indicator": indicator, "points": points, "chronic_first": chronic_first}
    cte, params = _ranked_cte(**proposal)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {PEOPLE} ON COMMIT DROP AS WITH {cte} SELECT * FROM people", params)
        summary = rows(
            f"""SELECT count(*) AS entries, count(*) FILTER (WHERE move < 0) AS up,
                   count(*) FILTER (WHERE move > 0) AS down, count(*) FILTER (WHERE move = 0) AS same,
                   COALESCE(-min(move), 0) AS most_up, COALESCE(max(move), 0) AS most_down, avg(abs(move)) AS mean_move,
                   count(*) FILTER (WHERE current_rank <= %s AND proposed_rank > %s) AS leave_top,
                   count(*) FILTER (WHERE current_rank > %s AND proposed_rank <= %s) AS enter_top
            FROM {PEOPLE}""",
            [top, top, top, top],
        )[0]
        movers = rows(
            f"""SELECT id, label, score, proposed_score, chronic, current_rank, proposed_rank, move
            FROM {PEOPLE} WHERE move <> 0 ORDER BY abs(move) DESC, current_rank LIMIT %s""",
            [policy.WHATIF_MOVERS_SHOWN],
        )
        side = rows(
            f"""SELECT 'current' AS list, current_rank AS rank, label, score AS score, move FROM {PEOPLE}
                WHERE current_rank <= %s
            UNION ALL SELECT 'proposed', proposed_rank, label, proposed_score, move FROM {PEOPLE} WHERE proposed_rank <= %s
            ORDER BY 1, 2""",
            [policy.WHATIF_SIDE_BY_SIDE, policy.WHATIF_SIDE_BY_SIDE],
        )
        buckets = {r["bucket"]: r["n"] for r in rows(
            f"SELECT {_bucket_case()} AS bucket, count(*) AS n FROM {PEOPLE} GROUP BY 1")}
        equity_rows = rows(
            f"""SELECT d.dimension, d.grp, count(*) AS people,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY current_rank) AS median_current,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY proposed_rank) AS median_proposed,
                   count(*) FILTER (WHERE current_rank <= %s) AS top_current,
                   count(*) FILTER (WHERE proposed_rank <= %s) AS top_proposed,
                   avg(score) AS mean_current, avg(proposed_score) AS mean_proposed
            FROM {PEOPLE} CROSS JOIN LATERAL (VALUES ('race', race), ('ethnicity', ethnicity), ('gender', gender),
                 ('sex', sex), ('age_group', age_group)) AS d(dimension, grp)
            GROUP BY 1, 2""",
            [top, top],
        )
        cursor.execute(f"DROP TABLE {PEOPLE}")
    return _compose(proposal, top, summary, movers, side, buckets, equity_rows)


def proposal_text(proposal: dict) -> list[str]:
    """The proposal in words, for the page and the PDF."""
    words = []
    live = tie_breaker_codes()
    if proposal["tie_breakers"] != live:
        words.append(str(_("Tie-breakers in this order: {order}.")).format(
            order="; ".join(key_label(name) for name in proposal["tie_breakers"])))
    if proposal.get("indicator"):
        words.append(str(_("“{indicator}” worth {points} (today {available}).")).format(
            indicator=INDICATOR_LABELS.get(proposal["indicator"], proposal["indicator"]), points=proposal["points"],
            available=INDICATOR_POINTS[proposal["indicator"]]))
    if proposal.get("chronic_first"):
        words.append(str(_("Chronically homeless people first, then everyone else.")))
    return words or [str(_("No change: the proposal is the live policy."))]


def _compose(proposal, top, summary, movers, side, buckets, equity_rows) -> dict:
    entries = summary["entries"]
    groups: dict[str, list[dict]] = {}
    for row in equity_rows:
        groups.setdefault(row["dimension"], []).append({
            "group_code": row["grp"], "people": row["people"], "suppressed": set(),
            "median_current": rounded(row["median_current"]), "median_proposed": rounded(row["median_proposed"]),
            "top_current": row["top_current"], "top_proposed": row["top_proposed"],
            "mean_current": rounded(row["mean_current"]), "mean_proposed": rounded(row["mean_proposed"]),
        })
    tables = [
        f.table("movers", _("Who moves most"), [
            f.column("label", _("Entry")), f.column("current_rank", _("Rank today")), f.column("proposed_rank", _("Rank proposed")),
            f.column("move", _("Places moved (− up, + down)")), f.column("score", _("Score today")),
            f.column("proposed_score", _("Score proposed")), f.column("chronic", _("Chronic")),
        ], [{**m, "chronic": str(_("yes")) if m["chronic"] else ""} for m in movers]),
        f.table("side_by_side", _("The top of the list, today and proposed"), [
            f.column("rank", _("Rank")), f.column("current", _("Today")), f.column("current_score", _("Score")),
            f.column("proposed", _("Proposed")), f.column("proposed_score", _("Score")), f.column("move", _("Moved")),
        ], _side_by_side(side)),
    ]
    charts = [f.chart("moves", _("How far people move"), "bar", [label for _c, label, _l, _h in MOVE_BUCKETS],
                      [f.series(_("Entries"), [buckets.get(code, 0) for code, *_rest in MOVE_BUCKETS])], unit=_("entries"))]
    columns = [
        f.column("group", _("Group")), f.column("people", _("Entries")),
        f.column("top_current", _("In the top {n} today").format(n=top)),
        f.column("top_proposed", _("In the top {n} proposed").format(n=top)),
        f.column("median_current", _("Median rank today")), f.column("median_proposed", _("Median rank proposed")),
        f.column("mean_current", _("Mean score today")), f.column("mean_proposed", _("Mean score proposed")),
    ]
    for dimension, title, labels in demo.DIMENSIONS:
        order = list(labels)
        found = sorted(groups.get(dimension, []), key=lambda r: order.index(r["group_code"]) if r["group_code"] in order else 99)
        for row in found:
            row["group"] = str(labels.get(row["group_code"], row["group_code"]))
        _suppress_whatif(found)
        tables.append(f.table(f"equity_{dimension}", title, columns, found))
        charts.append(f.chart(f"equity_{dimension}", str(_("In the top {n}: {dimension}")).format(n=top, dimension=title),
                              "bar", [r["group"] for r in found], [
                                  f.series(_("Today"), [r.get("top_current") for r in found]),
                                  f.series(_("Proposed"), [r.get("top_proposed") for r in found]),
                              ], unit=_("entries")))
    return {
        "report": "what-if",
        "title": str(_("Policy what-if")),
        "proposal": {**proposal, "top": top},
        "proposal_text": proposal_text(proposal),
        "live_order": [key_label(name) for name, _order in policy_keys()],
        "figures": [
            f.figure("entries", _("Active entries on the CoC list"), entries),
            f.figure("up", _("Would move up"), summary["up"]),
            f.figure("down", _("Would move down"), summary["down"]),
            f.figure("same", _("Would keep their place"), summary["same"]),
            f.figure("most_up", _("Most places up"), summary["most_up"]),
            f.figure("most_down", _("Most places down"), summary["most_down"]),
            f.figure("enter_top", _("Would enter the top {n}").format(n=top), summary["enter_top"]),
            f.figure("leave_top", _("Would leave the top {n}").format(n=top), summary["leave_top"]),
        ],
        "tables": tables,
        "charts": charts,
        "notes": [
            str(_("Nothing is saved and the live list does not change: the list's order is one named policy in the code, "
                  "so an adopted change is a reviewed change.")),
            str(_("Figures about fewer than 11 people are not shown (<11).")),
        ],
    }


def _suppress_whatif(groups: list[dict]) -> None:
    small = policy.SMALL_CELL
    keys = ("people", "top_current", "top_proposed", "median_current", "median_proposed", "mean_current", "mean_proposed")
    hidden = [row for row in groups if 0 < row["people"] < small]
    for row in hidden:
        row["suppressed"].update(keys)
    if len(hidden) == 1:
        others = sorted((row for row in groups if row["people"] >= small), key=lambda row: row["people"])
        if others:
            others[0]["suppressed"].update(keys)
    for row in groups:
        for key in ("top_current", "top_proposed"):
            if 0 < (row[key] or 0) < small:
                row["suppressed"].add(key)
        for key in row["suppressed"]:
            row[key] = None
        row["suppressed"] = sorted(row["suppressed"])


def _side_by_side(side: list[dict]) -> list[dict]:
    current = [row for row in side if row["list"] == "current"]
    proposed = [row for row in side if row["list"] == "proposed"]
    out = []
    for index in range(max(len(current), len(proposed))):
        today = current[index] if index < len(current) else {}
        then = proposed[index] if index < len(proposed) else {}
        out.append({"rank": index + 1, "current": today.get("label"), "current_score": today.get("score"),
                    "proposed": then.get("label"), "proposed_score": then.get("score"),
                    "move": (f"{then['move']:+d}" if then.get("move") else "") if then else ""})
    return out
