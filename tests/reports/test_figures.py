"""Each report against a fixture whose figures were worked out by hand."""

from datetime import date

import pytest
import time_machine

from bnl.models import BnlEntry
from bnl.services import bnl_entry_status_set
from ces import roles
from engagement.models import ContactAttempt, EngagementCase, StatusForm
from intake.models import Intake
from referrals.models import Referral
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from reports.periods import Period, quarter
from reports.queries.engagement import engagement_outcomes
from reports.queries.flow import list_flow
from reports.queries.housing import time_to_housing
from reports.queries.quality import data_quality
from reports.queries.referrals import referral_outcomes
from reports.queries.scores import score_distribution
from tests.factories import BnlEntryFactory, ProgramFactory, UserFactory, program_staff
from tests.reports.helpers import assessed, at, intake_done, person

Q1 = quarter(2026, 1)


def table(report: dict, key: str) -> list[dict]:
    return next(t for t in report["tables"] if t["key"] == key)["rows"]


def figure(report: dict, key: str):
    return next(f for f in report["figures"] if f["key"] == key)["value"]


@pytest.mark.django_db
def test_score_distribution_counts_each_person_once_with_their_latest_score_by_county():
    ana, bo, cy, di = person(), person(), person(), person()
    assessed(client=ana, total=4, on="2026-01-10", county="nevada")
    assessed(client=ana, total=9, on="2026-02-10", county="nevada")  # the latest in the quarter: 9
    assessed(client=bo, total=12, on="2026-03-31 23:30", county="placer")
    assessed(client=cy, total=6, on="2026-03-01", county="placer")
    assessed(client=di, total=20, on="2026-04-01 00:10", county="placer")  # after the quarter
    report = score_distribution(Q1)
    summary = {row["code"]: row for row in table(report, "summary")}
    assert summary["nevada"]["people"] == 1 and summary["nevada"]["median"] == 9.0
    assert summary["placer"]["people"] == 2 and summary["placer"]["median"] == 9.0 and summary["placer"]["mean"] == 9.0
    assert summary["all"]["people"] == 3 and summary["all"]["median"] == 9.0
    histogram = {row["score"]: row for row in table(report, "histogram")}
    assert histogram[9]["nevada"] == 1 and histogram[4]["nevada"] == 0
    assert histogram[12]["placer"] == 1 and histogram[6]["placer"] == 1 and histogram[20]["all"] == 0
    assert figure(report, "people") == 3


def _pulled(program_type: str = "rrh", scores=(20, 19, 18, 17, 16)):
    program = ProgramFactory(type=program_type)
    staff = program_staff(program)
    entries = [BnlEntryFactory(score=score) for score in scores]
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=len(scores))
    return program, staff, entries, list(pull.referrals.order_by("rank"))


@pytest.mark.django_db
def test_referrals_report_counts_rejections_by_program_and_reason_with_the_rejection_rate():
    with time_machine.travel(at("2026-02-02 09:00"), tick=False):
        program, staff, _entries, refs = _pulled()
        referral_decide(referral=refs[0], outcome="provider_rejected", actor=staff, reason="safety_concern", justification="x")
        referral_decide(referral=refs[1], outcome="client_declined", actor=staff)
        other, other_staff, _e, other_refs = _pulled(scores=(15, 14))
        referral_decide(referral=other_refs[0], outcome="provider_rejected", actor=other_staff, reason="not_eligible",
                        justification="y")
    report = referral_outcomes(Q1)
    rows = {row["program_id"]: row for row in table(report, "programs")}
    # 5 made, 3 still pending: 2 answered, 1 rejected → 50 %.
    assert (rows[program.pk]["made"], rows[program.pk]["answered"], rows[program.pk]["rejected"]) == (5, 2, 1)
    assert rows[program.pk]["rejection_rate"] == 50.0 and rows[program.pk]["pending"] == 3
    assert (rows[other.pk]["made"], rows[other.pk]["answered"], rows[other.pk]["rejection_rate"]) == (2, 1, 100.0)
    reasons = {row["code"]: row["rejected"] for row in table(report, "reasons")}
    assert reasons["safety_concern"] == 1 and reasons["not_eligible"] == 1 and reasons["household_size"] == 0
    assert figure(report, "made") == 7 and figure(report, "rejected") == 2
    assert figure(report, "rejection_rate") == round(100 * 2 / 3, 1)
    assert referral_outcomes(quarter(2026, 2))["figures"][0]["value"] == 0  # nothing made in Q2


@pytest.mark.django_db
def test_time_to_housing_counts_days_from_placement_to_first_referral_and_to_move_in():
    program = ProgramFactory(type="psh")
    staff = program_staff(program)
    placed = [at("2026-01-01 09:00"), at("2026-01-11 09:00"), at("2026-01-21 09:00")]
    entries = [BnlEntryFactory(score=20 - i, placed_on_list_at=moment) for i, moment in enumerate(placed)]
    with time_machine.travel(at("2026-01-31 09:00"), tick=False):  # 30, 20 and 10 days after placement
        pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=3)
    refs = list(pull.referrals.order_by("rank"))
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):  # the first moves in 60 days after placement
        referral_decide(referral=refs[0], outcome="enrolled", actor=staff)
    report = time_to_housing(Q1)
    to_referral = {row["group"]: row for row in table(report, "to_referral")}["All"]
    assert to_referral["people"] == 3 and to_referral["p50"] == 20.0 and to_referral["mean"] == 20.0
    assert to_referral["p25"] == 15.0 and to_referral["p75"] == 25.0
    to_housing = {row["group"]: row for row in table(report, "to_housing")}
    assert to_housing["All"]["people"] == 1 and to_housing["All"]["p50"] == 60.0
    assert to_housing["Permanent supportive housing"]["people"] == 1
    assert entries[0].pk in BnlEntry.objects.filter(status="housed").values_list("pk", flat=True)
    histogram = {row["bucket"]: row for row in table(report, "histogram")}
    assert histogram["0–30"]["to_referral"] == 3 and histogram["31–90"]["to_housing"] == 1


@pytest.mark.django_db
def test_list_flow_counts_inflow_and_outflow_per_month_and_the_active_count_at_month_end():
    coc = UserFactory(roles=[roles.COC_STAFF])
    with time_machine.travel(at("2026-01-05 10:00"), tick=False):
        a, b, c = (BnlEntryFactory(placed_on_list_at=at("2026-01-05 10:00")) for _ in range(3))
    with time_machine.travel(at("2026-01-20 10:00"), tick=False):
        bnl_entry_status_set(entry=b, status="inactive", actor=coc)
        bnl_entry_status_set(entry=c, status="housed", actor=coc)
    with time_machine.travel(at("2026-02-10 10:00"), tick=False):
        d = BnlEntryFactory(placed_on_list_at=at("2026-02-10 10:00"))
        bnl_entry_status_set(entry=b, status="active", actor=coc)  # reactivated from inactive
    with time_machine.travel(at("2026-03-03 10:00"), tick=False):
        bnl_entry_status_set(entry=c, status="active", actor=coc)  # returned from housed
        bnl_entry_status_set(entry=a, status="exited", actor=coc, exit_reason="moved_away")
        bnl_entry_status_set(entry=d, status="active", actor=coc)  # no change of status: not a flow
    rows = {row["month"]: row for row in table(list_flow(Q1), "months")}
    assert (rows["2026-01"]["new"], rows["2026-01"]["inactive"], rows["2026-01"]["housed"]) == (3, 1, 1)
    assert rows["2026-01"]["active_at_end"] == 1  # a
    assert (rows["2026-02"]["new"], rows["2026-02"]["reactivated"], rows["2026-02"]["returned"]) == (1, 1, 0)
    assert rows["2026-02"]["active_at_end"] == 3  # a, b, d
    assert (rows["2026-03"]["returned"], rows["2026-03"]["exited"], rows["2026-03"]["new"]) == (1, 1, 0)
    assert rows["2026-03"]["active_at_end"] == 3  # b, c, d
    assert list(rows) == ["2026-01", "2026-02", "2026-03"]


@pytest.mark.django_db
def test_list_flow_counts_a_paper_intake_as_new_in_the_month_it_was_collected():
    with time_machine.travel(at("2026-02-03 10:00"), tick=False):  # entered in February ...
        BnlEntryFactory(placed_on_list_at=at("2026-01-30 16:00"))  # ... collected in January
    rows = {row["month"]: row for row in table(list_flow(Q1), "months")}
    assert rows["2026-01"]["new"] == 1 and rows["2026-02"]["new"] == 0 and rows["2026-01"]["active_at_end"] == 1


@pytest.mark.django_db
def test_data_quality_shares_refusals_late_entries_and_abandoned_drafts():
    full, refused = person(name_data_quality="full", ssn_data_quality="refused"), person(name_data_quality="partial")
    intake_done(client=full, collected="2026-01-10 10:00", completed="2026-01-10 10:30", hmis_consent="yes",
                wants_shelter_tonight="refused")
    intake_done(client=refused, collected="2026-01-10 10:00", completed="2026-01-13 10:01", method="paper",
                hmis_consent="refused", wants_shelter_tonight="no")  # 72 h and a minute: late
    intake_done(client=refused, collected="2026-02-01 10:00", completed="2026-02-04 10:00", method="paper",
                hmis_consent="yes")  # exactly 72 h: not late
    agent = UserFactory(roles=[roles.CALL_AGENT])
    discarded = Intake.objects.create(csr=agent, agency=agent.agency, status=Intake.Status.DISCARDED)
    stale = Intake.objects.create(csr=agent, agency=agent.agency, status=Intake.Status.DRAFT, draft_saved_at=at("2026-01-02"))
    Intake.objects.filter(pk__in=[discarded.pk, stale.pk]).update(started_at=at("2026-01-02"))
    report = data_quality(Q1)
    assert figure(report, "intakes") == 3 and figure(report, "late") == 1 and figure(report, "abandoned") == 2
    late = {row["method"]: row for row in table(report, "late")}
    assert late["Paper form"]["n"] == 2 and late["Paper form"]["late"] == 1 and late["Paper form"]["late_rate"] == 50.0
    quality = {row["element"]: row for row in table(report, "quality")}
    assert quality["Name"]["people"] == 2 and quality["Name"]["full"] == 50.0 and quality["Name"]["partial"] == 50.0
    assert quality["SSN"]["refused"] == 50.0
    refusals = {row["question"]: row for row in table(report, "refusals")}
    assert refusals["hmis_consent"]["asked"] == 3 and refusals["hmis_consent"]["refused"] == 1
    assert refusals["hmis_consent"]["refusal_rate"] == round(100 / 3, 1)
    assert refusals["wants_shelter_tonight"]["asked"] == 2 and refusals["wants_shelter_tonight"]["refusal_rate"] == 50.0


@pytest.mark.django_db
def test_engagement_counts_no_contact_closures_days_to_first_contact_and_holds():
    worker = UserFactory(roles=[roles.CASE_WORKER])
    program = ProgramFactory(agency=worker.agency, type="rrh")

    def case(opened: str, **fields):
        return EngagementCase.objects.create(client=person(holding_agency=worker.agency), program=program, worker=worker,
                                             policy="assertive", status=fields.pop("status", "outreach"),
                                             opened_on=date.fromisoformat(opened), **fields)

    reached_in_2 = case("2026-01-05")
    ContactAttempt.objects.create(case=reached_in_2, at=at("2026-01-06 10:00"), by=worker, channel="phone", outcome="no_answer")
    ContactAttempt.objects.create(case=reached_in_2, at=at("2026-01-07 10:00"), by=worker, channel="phone", outcome="reached")
    reached_in_10 = case("2026-02-01")
    ContactAttempt.objects.create(case=reached_in_10, at=at("2026-02-11 09:00"), by=worker, channel="text", outcome="reached")
    case("2026-03-01")  # not reached yet
    case("2025-12-01", status="closed", closure_reason="no_contact", closed_at=at("2026-01-15 00:05"))
    held = case("2025-11-01", status="hold")
    StatusForm.objects.create(case=held, step=2, status_change_date=date(2026, 2, 20), requestor="worker", reason="x",
                              comments="c", worker_signed_by=worker, worker_signed_at=at("2026-02-19"),
                              second_signed_by=worker, second_signed_at=at("2026-02-20 10:00"))
    report = engagement_outcomes(Q1)
    assert figure(report, "no_contact") == 1 and figure(report, "unreached") == 1 and figure(report, "holds") == 1
    assert figure(report, "median_first_contact") == 6.0  # 2 and 10 days
    months = {row["month"]: row for row in table(report, "months")}
    assert months["2026-01"]["no_contact"] == 1 and months["2026-02"]["holds"] == 1
    cases = {row["policy"]: row for row in table(report, "cases")}
    assert cases["Assertive engagement"]["opened"] == 3 and cases["Assertive engagement"]["no_contact_rate"] == 100.0


def test_quarter_and_year_presets_cover_exactly_their_days():
    assert (Q1.start, Q1.end, Q1.days) == (date(2026, 1, 1), date(2026, 3, 31), 90)
    q4 = quarter(2026, 4)
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Period(date(2026, 1, 30), date(2026, 3, 2)).months() == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


@pytest.mark.django_db
def test_reports_read_without_writing_anything():
    BnlEntryFactory()
    before = (BnlEntry.objects.count(), BnlEntry.history.count(), Referral.objects.count())
    for compute in (score_distribution, referral_outcomes, time_to_housing, list_flow, data_quality, engagement_outcomes):
        compute(Q1)
    assert (BnlEntry.objects.count(), BnlEntry.history.count(), Referral.objects.count()) == before
