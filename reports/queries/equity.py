"""Equity: scores, referral rates, rejection rates and time to housing by race, ethnicity,
gender, sex and age group, with small cells suppressed.

The VAT gives points for gender, age and children and the P&P forbids prioritising
on a protected basis, so the committee watches these figures for disparities.

Populations (each figure is over one of them):
- assessed: people assessed in the period, latest assessment each (mean and median score);
- on the list: CoC-list entries active or on referral at some moment of the period;
  referral rate = those with a housing referral made in the period;
- referrals answered: referrals made in the period that have an answer;
  rejection rate = provider rejections among them;
- housed: moves to housed in the period (median days from placement).

Suppression (decided here; docs/reports.md): a figure describing fewer than 11
people is not shown ("<11"); a count of 1 to 10 people is not shown; and when a
dimension would show exactly one suppressed group of a population, the next
smallest group is suppressed too, so it cannot be worked out from the total.
"""

from django.utils.translation import gettext_lazy as _

from reports import demographics as demo
from reports import figures as f
from reports import policy
from reports.periods import Period
from reports.queries.sql import STATUS_CHANGES, rounded, rows

DIMENSION_VALUES = "CROSS JOIN LATERAL (VALUES ('race', race), ('ethnicity', ethnicity), ('gender', gender), ('sex', sex), ('age_group', age_group)) AS d(dimension, grp)"

ASSESSED = f"""WITH latest AS (
        SELECT DISTINCT ON (a.client_id) a.id FROM intake_assessment a
        WHERE a.assessed_at >= %(since)s AND a.assessed_at < %(until)s
        ORDER BY a.client_id, a.assessed_at DESC, a.id DESC),
    people AS (SELECT a.total, {demo.dimension_columns('c', 'a')}
               FROM latest l JOIN intake_assessment a ON a.id = l.id JOIN ces_client c ON c.id = a.client_id)
    SELECT d.dimension, d.grp, count(*) AS people, avg(total) AS mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median
    FROM people {DIMENSION_VALUES} GROUP BY 1, 2"""

ENTRY_PEOPLE = f"""
    SELECT e.id AS entry_id, {demo.dimension_columns('c', 'a')}
    FROM bnl_bnlentry e LEFT JOIN ces_client c ON c.id = e.client_id LEFT JOIN intake_assessment a ON a.id = e.assessment_id
    WHERE e.list_owner_id IS NULL
"""

ON_LIST = f"""WITH {STATUS_CHANGES},
    on_list AS (SELECT DISTINCT entry_id FROM status_intervals
                WHERE status = ANY(%(active)s) AND since < %(until)s AND (until IS NULL OR until >= %(since)s)),
    referred AS (SELECT DISTINCT entry_id FROM referrals_referral WHERE created_at >= %(since)s AND created_at < %(until)s),
    entry_people AS ({ENTRY_PEOPLE}),
    people AS (SELECT p.*, (r.entry_id IS NOT NULL) AS referred
               FROM on_list o JOIN entry_people p ON p.entry_id = o.entry_id LEFT JOIN referred r ON r.entry_id = o.entry_id)
    SELECT d.dimension, d.grp, count(*) AS people, count(*) FILTER (WHERE referred) AS referred
    FROM people {DIMENSION_VALUES} GROUP BY 1, 2"""

ANSWERED = f"""WITH entry_people AS ({ENTRY_PEOPLE}),
    people AS (SELECT p.*, r.status FROM referrals_referral r JOIN entry_people p ON p.entry_id = r.entry_id
               WHERE r.created_at >= %(since)s AND r.created_at < %(until)s AND r.status <> 'pending')
    SELECT d.dimension, d.grp, count(DISTINCT entry_id) AS people, count(*) AS answered,
           count(*) FILTER (WHERE status = 'provider_rejected') AS rejected
    FROM people {DIMENSION_VALUES} GROUP BY 1, 2"""

HOUSED = f"""WITH {STATUS_CHANGES}, entry_people AS ({ENTRY_PEOPLE}),
    people AS (SELECT p.*, GREATEST(0, EXTRACT(EPOCH FROM (s.at - e.placed_on_list_at)) / 86400.0) AS days
               FROM status_changes s JOIN bnl_bnlentry e ON e.id = s.entry_id JOIN entry_people p ON p.entry_id = s.entry_id
               WHERE s.status = 'housed' AND s.at >= %(since)s AND s.at < %(until)s)
    SELECT d.dimension, d.grp, count(DISTINCT entry_id) AS people, count(*) AS housed,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days
    FROM people {DIMENSION_VALUES} GROUP BY 1, 2"""

# Each population: its people column, and the figures that describe it.
POPULATIONS = {
    "assessed": ("assessed", ("assessed", "mean_score", "median_score")),
    "on_list": ("on_list", ("on_list", "referred", "referral_rate")),
    "answered": ("answered_people", ("answered", "rejected", "rejection_rate")),
    "housed": ("housed_people", ("housed", "median_days_to_housing")),
}
# Counts of people that are themselves hidden when 1 to 10.
PEOPLE_COUNTS = ("assessed", "on_list", "referred", "housed", "rejected")


def _suppress(groups: list[dict]) -> None:
    """Mark the small cells of one dimension's rows (see the module's doc)."""
    small = policy.SMALL_CELL
    for people_key, keys in POPULATIONS.values():
        hidden = [row for row in groups if 0 < (row.get(people_key) or 0) < small]
        for row in hidden:
            row["suppressed"].update(keys)
        if len(hidden) == 1:
            others = sorted((row for row in groups if (row.get(people_key) or 0) >= small), key=lambda row: row[people_key])
            if others:
                others[0]["suppressed"].update(keys)
    for row in groups:
        for key in PEOPLE_COUNTS:
            if 0 < (row.get(key) or 0) < small:
                row["suppressed"].add(key)
    for row in groups:
        for key in row["suppressed"]:
            row[key] = None
        row["suppressed"] = sorted(row["suppressed"])


def equity(period: Period) -> dict:
    params = {"since": period.since, "until": period.until, "active": list(policy.ACTIVELY_HOMELESS_STATUSES)}
    table: dict[tuple, dict] = {}

    def row_for(dimension: str, group: str) -> dict:
        return table.setdefault((dimension, group), {"dimension": dimension, "group_code": group, "suppressed": set()})

    for row in rows(ASSESSED, params):
        r = row_for(row["dimension"], row["grp"])
        r.update(assessed=row["people"], mean_score=rounded(row["mean"]), median_score=rounded(row["median"]))
    for row in rows(ON_LIST, params):
        r = row_for(row["dimension"], row["grp"])
        r.update(on_list=row["people"], referred=row["referred"],
                 referral_rate=round(100.0 * row["referred"] / row["people"], 1) if row["people"] else None)
    for row in rows(ANSWERED, params):
        r = row_for(row["dimension"], row["grp"])
        r.update(answered_people=row["people"], answered=row["answered"], rejected=row["rejected"],
                 rejection_rate=round(100.0 * row["rejected"] / row["answered"], 1) if row["answered"] else None)
    for row in rows(HOUSED, params):
        r = row_for(row["dimension"], row["grp"])
        r.update(housed_people=row["people"], housed=row["housed"], median_days_to_housing=rounded(row["median_days"]))

    columns = [
        f.column("group", _("Group")), f.column("assessed", _("People assessed")), f.column("mean_score", _("Mean score")),
        f.column("median_score", _("Median score")), f.column("on_list", _("On the list")),
        f.column("referral_rate", _("Referred (%)")), f.column("answered", _("Referrals answered")),
        f.column("rejection_rate", _("Rejected by provider (%)")), f.column("housed", _("Housed")),
        f.column("median_days_to_housing", _("Median days to housing")),
    ]
    tables, charts = [], []
    for dimension, title, labels in demo.DIMENSIONS:
        order = list(labels)
        groups = sorted((r for (d, _g), r in table.items() if d == dimension),
                        key=lambda r: order.index(r["group_code"]) if r["group_code"] in order else len(order))
        for r in groups:
            r["group"] = str(labels.get(r["group_code"], r["group_code"]))
            for key in ("assessed", "on_list", "answered", "housed", "referred", "rejected"):
                r.setdefault(key, 0)
        _suppress(groups)
        public = [{k: v for k, v in r.items() if k not in ("answered_people", "housed_people")} for r in groups]
        tables.append(f.table(dimension, title, columns, public))
        charts.append(f.chart(dimension, title, "bar", [r["group"] for r in public], [
            f.series(_("Referred (%)"), [r.get("referral_rate") for r in public]),
            f.series(_("Rejected by provider (%)"), [r.get("rejection_rate") for r in public]),
        ], unit="%"))
    notes = [
        _("Figures about fewer than 11 people are not shown (<11); when only one group of a dimension would be hidden, "
          "the next smallest is hidden too."),
        _("People held by a victim service provider appear only through their de-identified entry: their demographics are unknown here."),
    ]
    if not demo.has_race():
        notes.append(_("Race and ethnicity are not recorded by the intake yet: everyone shows as not collected."))
    if not demo.has_sex():
        notes.append(_("Sex is not recorded by the intake yet: everyone shows as not collected."))
    return f.report("equity", _("Equity"), period, tables=tables, charts=charts, notes=notes)
