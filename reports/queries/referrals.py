"""Referrals made vs rejected, by program and by rejection reason ("justified and rare").

Who counts: housing referrals made (pulled) in the period, with the outcome
they have now. A program's rejection rate is its provider rejections over its
referrals that have an answer (every status but pending).
"""

from django.utils.translation import gettext_lazy as _

from referrals.models import Referral
from referrals.policy import REJECTION_REASONS
from reports import figures as f
from reports.periods import Period
from reports.queries.sql import rate, rows

STATUSES = [code for code in Referral.Status.values]


def referral_outcomes(period: Period) -> dict:
    found = rows(
        """SELECT r.program_id, p.name AS program, a.initials AS agency, p.type, r.status, r.reason, count(*) AS n
        FROM referrals_referral r
        JOIN ces_program p ON p.id = r.program_id JOIN ces_agency a ON a.id = p.agency_id
        WHERE r.created_at >= %(since)s AND r.created_at < %(until)s
        GROUP BY r.program_id, p.name, a.initials, p.type, r.status, r.reason""",
        {"since": period.since, "until": period.until},
    )
    programs: dict[int, dict] = {}
    reasons = {code: 0 for code, _label in REJECTION_REASONS}
    reasons_by_program: dict[int, dict] = {}
    for row in found:
        program = programs.setdefault(row["program_id"], {
            "program": f"{row['program']} ({row['agency']})", "type": row["type"], **{status: 0 for status in STATUSES},
        })
        program[row["status"]] += row["n"]
        if row["status"] == Referral.Status.PROVIDER_REJECTED:
            code = row["reason"] if row["reason"] in reasons else "other"
            reasons[code] = reasons.get(code, 0) + row["n"]
            by_program = reasons_by_program.setdefault(row["program_id"], {})
            by_program[code] = by_program.get(code, 0) + row["n"]

    program_rows = []
    for program_id, program in sorted(programs.items(), key=lambda item: item[1]["program"]):
        made = sum(program[status] for status in STATUSES)
        answered = made - program[Referral.Status.PENDING]
        program_rows.append({
            "program_id": program_id, "program": program["program"], "made": made, "answered": answered,
            "rejected": program[Referral.Status.PROVIDER_REJECTED], "rejection_rate": rate(program[Referral.Status.PROVIDER_REJECTED], answered),
            **{status: program[status] for status in STATUSES},
        })
    made = sum(row["made"] for row in program_rows)
    answered = sum(row["answered"] for row in program_rows)
    rejected = sum(row["rejected"] for row in program_rows)
    reason_labels = dict(REJECTION_REASONS) | {"other": "Other"}
    reason_rows = [{"reason": str(_(reason_labels[code])), "code": code, "rejected": n, "share": rate(n, rejected)}
                   for code, n in reasons.items()]
    cross_rows = [
        {"program": programs[program_id]["program"], "reason": str(_(reason_labels[code])), "rejected": n}
        for program_id, by_reason in reasons_by_program.items() for code, n in sorted(by_reason.items())
    ]
    status_columns = [f.column(status, label) for status, label in Referral.Status.choices]
    return f.report(
        "referrals", _("Referrals made and rejected"), period,
        figures=[
            f.figure("made", _("Referrals made"), made),
            f.figure("rejected", _("Rejected by the provider"), rejected),
            f.figure("rejection_rate", _("Rejection rate"), rate(rejected, answered), "%"),
        ],
        tables=[
            f.table("programs", _("By program"), [
                f.column("program", _("Program")), f.column("made", _("Made")), f.column("rejected", _("Rejected")),
                f.column("rejection_rate", _("Rejection rate (%)")), *status_columns,
            ], program_rows, note=_("Rejection rate: provider rejections over referrals with an answer (all but pending).")),
            f.table("reasons", _("Provider rejections by reason"), [
                f.column("reason", _("Reason")), f.column("rejected", _("Rejections")), f.column("share", _("Share (%)")),
            ], reason_rows),
            f.table("program_reasons", _("Provider rejections by program and reason"), [
                f.column("program", _("Program")), f.column("reason", _("Reason")), f.column("rejected", _("Rejections")),
            ], cross_rows),
        ],
        charts=[
            f.chart("programs", _("Referrals made and rejected by program"), "bar", [row["program"] for row in program_rows], [
                f.series(_("Made"), [row["made"] for row in program_rows]),
                f.series(_("Rejected by the provider"), [row["rejected"] for row in program_rows]),
            ], unit=_("referrals")),
            f.chart("reasons", _("Provider rejections by reason"), "hbar", [row["reason"] for row in reason_rows],
                    [f.series(_("Rejections"), [row["rejected"] for row in reason_rows])], unit=_("rejections")),
        ],
        notes=[_("Referrals made in the period, with the outcome they have today.")],
    )
