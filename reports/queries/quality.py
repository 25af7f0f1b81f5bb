"""HMIS data quality: name/SSN/DOB quality shares, refusal rate per question, intakes
entered more than 72 hours after the call, and drafts abandoned.

Who counts: intakes completed in the period (and their clients, each once for the
quality shares); drafts started in the period.
"""

from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ces.choices import DataQuality
from ces.models import Client
from intake import policy as intake_policy
from intake.models import Assessment, Intake
from intake.questions import DQ, QUESTIONS, YN
from reports import figures as f
from reports.periods import Period
from reports.queries.sql import rate

QUALITY_FIELDS = (("name_data_quality", _("Name")), ("ssn_data_quality", _("SSN")), ("dob_data_quality", _("Date of birth")))
REFUSED = "refused"
DOESNT_KNOW = "doesnt_know"


def _refusable_questions() -> list:
    """Questions of the catalogue that may be declined, in form order, with the model that stores them."""
    stored_on = {}
    for model in (Intake, Assessment, Client):
        for field in model._meta.concrete_fields:
            stored_on.setdefault(field.name, model)
    found = []
    for question in QUESTIONS:
        declinable = question.type in (YN, DQ) or REFUSED in question.choice_codes()
        model = stored_on.get(question.code)
        if declinable and model is not None and model._meta.get_field(question.code).get_internal_type() == "CharField":
            found.append((question, model))
    return found


def _refusals(intakes) -> list[dict]:
    out = []
    by_model: dict = {}
    for question, model in _refusable_questions():
        by_model.setdefault(model, []).append(question)
    for model, questions in by_model.items():
        if model is Intake:
            base, prefix = intakes, ""
        elif model is Assessment:
            base, prefix = Assessment.objects.filter(intake__in=intakes), ""
        else:
            base, prefix = intakes.filter(client__isnull=False), "client__"
        aggregates = {}
        for question in questions:
            field = f"{prefix}{question.code}"
            aggregates[f"{question.code}__asked"] = Count("pk", filter=~Q(**{field: ""}))
            aggregates[f"{question.code}__refused"] = Count("pk", filter=Q(**{field: REFUSED}))
            aggregates[f"{question.code}__dk"] = Count("pk", filter=Q(**{field: DOESNT_KNOW}))
        counts = base.aggregate(**aggregates)
        language = "es" if (get_language() or "").startswith("es") else "en"
        for question in questions:
            asked = counts[f"{question.code}__asked"]
            refused = counts[f"{question.code}__refused"]
            out.append({"question": question.code, "wording": question.wording(language), "asked": asked, "refused": refused,
                        "refusal_rate": rate(refused, asked), "doesnt_know": counts[f"{question.code}__dk"]})
    order = {question.code: index for index, question in enumerate(QUESTIONS)}
    return sorted(out, key=lambda row: order[row["question"]])


def data_quality(period: Period) -> dict:
    completed = Intake.objects.filter(status=Intake.Status.COMPLETED, completed_at__gte=period.since, completed_at__lt=period.until)
    late_after = timedelta(hours=intake_policy.LATE_ENTRY_HOURS)
    late_q = Q(collected_at__isnull=False, completed_at__gt=F("collected_at") + late_after)
    by_method = list(
        completed.values("collection_method").annotate(n=Count("pk"), late=Count("pk", filter=late_q)).order_by("collection_method")
    )
    intakes_n = sum(row["n"] for row in by_method)
    late_n = sum(row["late"] for row in by_method)
    method_labels = dict(Intake.Method.choices)

    clients = Client.objects.filter(pk__in=completed.filter(client__isnull=False).values("client_id"))
    quality_rows = []
    for field, label in QUALITY_FIELDS:
        counts = {row[field]: row["n"] for row in clients.values(field).annotate(n=Count("pk")).order_by()}
        people = sum(counts.values())
        quality_rows.append({
            "element": str(label), "people": people,
            **{code: rate(counts.get(code, 0), people) for code in DataQuality.values},
        })

    started = Intake.objects.filter(started_at__gte=period.since, started_at__lt=period.until)
    stale_before = timezone.now() - timedelta(hours=intake_policy.STALE_DRAFT_HOURS)
    drafts = started.aggregate(
        started=Count("pk"),
        discarded=Count("pk", filter=Q(status=Intake.Status.DISCARDED)),
        stale=Count("pk", filter=Q(status=Intake.Status.DRAFT) & (
            Q(draft_saved_at__lt=stale_before) | Q(draft_saved_at__isnull=True, started_at__lt=stale_before))),
    )
    abandoned = drafts["discarded"] + drafts["stale"]
    refusals = _refusals(completed)
    top_refused = sorted((r for r in refusals if r["refusal_rate"]), key=lambda r: -r["refusal_rate"])[:15]
    quality_columns = [f.column(code, f"{label} (%)") for code, label in DataQuality.choices]
    return f.report(
        "data-quality", _("HMIS data quality"), period,
        figures=[
            f.figure("intakes", _("Intakes completed"), intakes_n),
            f.figure("late", _("Entered more than 72 hours after the call"), late_n),
            f.figure("late_rate", _("Late entry rate"), rate(late_n, intakes_n), "%"),
            f.figure("abandoned", _("Drafts abandoned"), abandoned),
        ],
        tables=[
            f.table("quality", _("Name, SSN and date of birth quality (share of people)"),
                    [f.column("element", _("Data element")), f.column("people", _("People")), *quality_columns], quality_rows),
            f.table("late", _("Intakes entered more than 72 hours after the call, by method"), [
                f.column("method", _("Collection method")), f.column("n", _("Intakes")), f.column("late", _("Late")),
                f.column("late_rate", _("Late (%)")),
            ], [{"method": str(method_labels.get(row["collection_method"], row["collection_method"] or "–")), "n": row["n"],
                 "late": row["late"], "late_rate": rate(row["late"], row["n"])} for row in by_method]),
            f.table("drafts", _("Drafts started in the period"), [
                f.column("started", _("Started")), f.column("discarded", _("Discarded")),
                f.column("stale", _("Untouched for more than 72 hours")), f.column("abandoned_rate", _("Abandoned (%)")),
            ], [{**drafts, "abandoned_rate": rate(abandoned, drafts["started"])}]),
            f.table("refusals", _("Refusal rate per question"), [
                f.column("question", _("Question code")), f.column("wording", _("Question")), f.column("asked", _("Answered")),
                f.column("refused", _("Prefers not to answer")), f.column("refusal_rate", _("Refusal rate (%)")),
                f.column("doesnt_know", _("Doesn't know")),
            ], refusals),
        ],
        charts=[
            f.chart("quality", _("Data quality of name, SSN and date of birth"), "stacked",
                    [row["element"] for row in quality_rows],
                    [f.series(label, [row[code] for row in quality_rows]) for code, label in DataQuality.choices], unit="%"),
            f.chart("refusals", _("Questions most often declined"), "hbar", [r["question"] for r in top_refused],
                    [f.series(_("Refusal rate (%)"), [r["refusal_rate"] for r in top_refused])], unit="%"),
        ],
        notes=[_("A draft counts as abandoned when it was discarded, or is still a draft untouched for more than 72 hours.")],
    )
