"""The HUD HMIS CSV export: every header exactly, HUD's codes for each answer, a round trip
through Python's csv, the people it must not expose, and the job that survives a dead broker."""

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client as PageClient
from django.utils import timezone
from kombu import pools as kombu_pools
from rest_framework.test import APIClient

from ces import roles
from ces.deadlines import deadlines_sweep
from ces.models import AccessLog, Deadline
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from reports.hmis.files import FILES
from reports.hmis.writer import ExportSettings, export_write
from reports.models import HmisExport
from reports.policy import EXPORT_KIND
from reports.services import hmis_export_request
from reports.worker import hmis_export_run
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, program_staff
from tests.reports.helpers import assessed, at, intake_done

# hmis-export.md, "Files and columns", and HUD's FY2026 lists for the files the spec lacked.
SPEC_HEADERS = {
    "Export.csv": "ExportID, SourceType, SourceID, SourceName, SourceContactFirst, SourceContactLast, SourceContactPhone, SourceContactExtension, SourceContactEmail, ExportDate, ExportStartDate, ExportEndDate, SoftwareName, SoftwareVersion, CSVVersion, ExportPeriodType, ExportDirective, HashStatus, ImplementationID",
    "Client.csv": "PersonalID, FirstName, MiddleName, LastName, NameSuffix, NameDataQuality, SSN, SSNDataQuality, DOB, DOBDataQuality, Sex, AmIndAKNative, Asian, BlackAfAmerican, HispanicLatinaeo, MidEastNAfrican, NativeHIPacific, White, RaceNone, AdditionalRaceEthnicity, VeteranStatus, YearEnteredService, YearSeparated, WorldWarII, KoreanWar, VietnamWar, DesertStorm, AfghanistanOEF, IraqOIF, IraqOND, OtherTheater, MilitaryBranch, DischargeStatus, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "Enrollment.csv": "EnrollmentID, PersonalID, ProjectID, EntryDate, HouseholdID, RelationshipToHoH, EnrollmentCoC, LivingSituation, RentalSubsidyType, LengthOfStay, LOSUnderThreshold, PreviousStreetESSH, DateToStreetESSH, TimesHomelessPastThreeYears, MonthsHomelessPastThreeYears, DisablingCondition, DateOfEngagement, MoveInDate, DateOfPATHStatus, ClientEnrolledInPATH, ReasonNotEnrolled, PercentAMI, ReferralSource, CountOutreachReferralApproaches, DateOfBCPStatus, EligibleForRHY, ReasonNoServices, RunawayYouth, FormerWardChildWelfare, ChildWelfareYears, ChildWelfareMonths, FormerWardJuvenileJustice, JuvenileJusticeYears, JuvenileJusticeMonths, UnemploymentFam, MentalHealthDisorderFam, PhysicalDisabilityFam, AlcoholDrugUseDisorderFam, InsufficientIncome, IncarceratedParent, VAMCStation, TargetScreenReqd, TimeToHousingLoss, AnnualPercentAMI, LiteralHomelessHistory, ClientLeaseholder, HOHLeaseholder, SubsidyAtRisk, EvictionHistory, CriminalRecord, IncarceratedAdult, PrisonDischarge, SexOffender, DisabledHoH, CurrentPregnant, SingleParent, DependentUnder6, HH5Plus, CoCPrioritized, HPScreeningScore, ThresholdScore, MentalHealthConsultation, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "Exit.csv": "ExitID, EnrollmentID, PersonalID, ExitDate, Destination, DestinationSubsidyType, OtherDestination, HousingAssessment, SubsidyInformation, ProjectCompletionStatus, EarlyExitReason, ExchangeForSex, ExchangeForSexPastThreeMonths, CountOfExchangeForSex, AskedOrForcedToExchangeForSex, AskedOrForcedToExchangeForSexPastThreeMonths, WorkplaceViolenceThreats, WorkplacePromiseDifference, CoercedToContinueWork, LaborExploitPastThreeMonths, CounselingReceived, IndividualCounseling, FamilyCounseling, GroupCounseling, SessionCountAtExit, PostExitCounselingPlan, SessionsInPlan, DestinationSafeClient, DestinationSafeWorker, PosAdultConnections, PosPeerConnections, PosCommunityConnections, AftercareDate, AftercareProvided, EmailSocialMedia, Telephone, InPersonIndividual, InPersonGroup, CMExitReason, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "Assessment.csv": "AssessmentID, EnrollmentID, PersonalID, AssessmentDate, AssessmentLocation, AssessmentType, AssessmentLevel, PrioritizationStatus, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "AssessmentQuestions.csv": "AssessmentQuestionID, AssessmentID, EnrollmentID, PersonalID, AssessmentQuestionGroup, AssessmentQuestionOrder, AssessmentQuestion, AssessmentAnswer, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "AssessmentResults.csv": "AssessmentResultID, AssessmentID, EnrollmentID, PersonalID, AssessmentResultType, AssessmentResult, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "Event.csv": "EventID, EnrollmentID, PersonalID, EventDate, Event, ProbSolDivRRResult, ReferralCaseManageAfter, LocationCrisisOrPHHousing, ReferralResult, ResultDate, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "Organization.csv": "OrganizationID, OrganizationName, VictimServiceProvider, OrganizationCommonName, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "Project.csv": "ProjectID, OrganizationID, ProjectName, ProjectCommonName, OperatingStartDate, OperatingEndDate, ContinuumProject, ProjectType, HousingType, RRHSubType, ResidentialAffiliation, TargetPopulation, HOPWAMedAssistedLivingFac, PITCount, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "ProjectCoC.csv": "ProjectCoCID, ProjectID, CoCCode, Geocode, Address1, Address2, City, State, ZIP, GeographyType, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "CEParticipation.csv": "CEParticipationID, ProjectID, AccessPoint, PreventionAssessment, CrisisAssessment, HousingAssessment, DirectServices, ReceivesReferrals, CEParticipationStatusStartDate, CEParticipationStatusEndDate, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "HMISParticipation.csv": "HMISParticipationID, ProjectID, HMISParticipationType, HMISParticipationStatusStartDate, HMISParticipationStatusEndDate, DateCreated, DateUpdated, UserID, DateDeleted, ExportID",
    "User.csv": "UserID, UserFirstName, UserLastName, UserPhone, UserExtension, UserEmail, DateCreated, DateUpdated, DateDeleted, ExportID",
}


def read_zip(content: bytes) -> dict[str, list[dict]]:
    """Every file of the zip through Python's csv reader: {file: [row dicts]}; headers checked on the way."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == sorted(SPEC_HEADERS)
    files = {}
    for name in archive.namelist():
        rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
        assert rows[0] == [c.strip() for c in SPEC_HEADERS[name].split(",")], name
        assert all(len(row) == len(rows[0]) for row in rows), name
        files[name] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return files


def export(include_unconsented: bool = False, start="2026-01-01", end="2026-03-31") -> tuple[bytes, dict]:
    target = io.BytesIO()
    export_write(target, ExportSettings(export_id="T1", start=date.fromisoformat(start), end=date.fromisoformat(end),
                                        include_unconsented=include_unconsented, as_of=timezone.now()))
    return target.getvalue(), read_zip(target.getvalue())


@pytest.fixture
def coc_data(db):
    """Ana (consented, veteran, housed through PSH), Bo (no HMIS consent), Cy (intake only), and a
    survivor held by a VSP with a de-identified CoC entry."""
    ana = ClientFactory(first_name="Ana", last_name="Quintero", hmis_consent="yes", ssn="287654321",
                        dob=date(1980, 5, 1), name_data_quality="full", dob_data_quality="partial")
    a = assessed(client=ana, total=17, on="2026-01-10 10:00", veteran="yes", veteran_who="self",
                 sleep_location_30d="place_not_meant", times_homeless_3y="four_or_more", months_homeless_3y="12",
                 has_disability=True, household_pregnant="no", health_mental="yes")
    ana_entry = BnlEntryFactory(client=ana, assessment=a, score=17, placed_on_list_at=a.assessed_at)
    bo = ClientFactory(first_name="Bodhi", last_name="Zellweger", hmis_consent="no", ssn="123456789")
    b = assessed(client=bo, total=5, on="2026-01-12 10:00")
    BnlEntryFactory(client=bo, assessment=b, score=5, placed_on_list_at=b.assessed_at)
    cy = ClientFactory(first_name="Cyrus", hmis_consent="yes")
    intake_done(client=cy, collected="2026-02-01 09:00", method="paper", hmis_consent="yes")
    vsp = AgencyFactory(vsp=True, initials="SAFE", name="Safe Harbor")
    survivor = ClientFactory(holding_agency=vsp, first_name="Veronika", last_name="Hidden", hmis_consent="yes")
    own = BnlEntryFactory(client=survivor, list_owner=vsp, score=12, placed_on_list_at=at("2026-01-20"))
    copy = BnlEntryFactory(client=None, vsp=vsp, vsp_client_number="V77", source_entry=own, score=12, subtotal=11,
                           placed_on_list_at=at("2026-01-20"))
    program = ProgramFactory(type="psh", name="Hilltop PSH")
    staff = program_staff(program)
    with time_machine.travel(at("2026-02-02 09:00"), tick=False):
        pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    with time_machine.travel(at("2026-02-20 09:00"), tick=False):
        referral_decide(referral=pull.referrals.get(), outcome="enrolled", actor=staff)
    return {"ana": ana, "ana_entry": ana_entry, "bo": bo, "cy": cy, "copy": copy, "survivor": survivor, "program": program}


def test_every_file_has_exactly_the_headers_of_the_spec():
    assert {f.name: f.header for f in FILES} == {name: [c.strip() for c in cols.split(",")] for name, cols in SPEC_HEADERS.items()}


@pytest.mark.django_db
def test_the_export_round_trips_through_csv_with_hud_codes_for_each_answer(coc_data):
    content, files = export()
    ana, entry = coc_data["ana"], coc_data["ana_entry"]
    clients = {row["PersonalID"]: row for row in files["Client.csv"]}
    row = clients[str(ana.pk)]
    assert (row["FirstName"], row["LastName"], row["SSN"], row["DOB"]) == ("Ana", "Quintero", "287654321", "1980-05-01")
    assert (row["NameDataQuality"], row["DOBDataQuality"], row["SSNDataQuality"]) == ("1", "2", "1")
    assert row["VeteranStatus"] == "1" and row["RaceNone"] == "99" and row["ExportID"] == "T1"
    enrollment = {r["EnrollmentID"]: r for r in files["Enrollment.csv"]}[f"E{entry.pk}"]
    assert (enrollment["ProjectID"], enrollment["EntryDate"], enrollment["EnrollmentCoC"]) == ("CE", "2026-01-10", "CA-515")
    assert (enrollment["LivingSituation"], enrollment["TimesHomelessPastThreeYears"], enrollment["MonthsHomelessPastThreeYears"],
            enrollment["DisablingCondition"], enrollment["RelationshipToHoH"]) == ("116", "4", "112", "1", "1")
    exit_row = {r["EnrollmentID"]: r for r in files["Exit.csv"]}[f"E{entry.pk}"]
    assert (exit_row["ExitDate"], exit_row["Destination"], exit_row["DestinationSubsidyType"]) == ("2026-02-20", "435", "439")
    assessment = next(r for r in files["Assessment.csv"] if r["EnrollmentID"] == f"E{entry.pk}")
    assert (assessment["AssessmentDate"], assessment["AssessmentType"], assessment["AssessmentLevel"],
            assessment["PrioritizationStatus"]) == ("2026-01-10", "1", "2", "1")
    results = {r["AssessmentResultType"]: r["AssessmentResult"] for r in files["AssessmentResults.csv"]
               if r["AssessmentID"] == assessment["AssessmentID"]}
    assert results == {"VAT subtotal": "17", "VAT case management": "0", "VAT total": "17"}
    answers = {r["AssessmentQuestion"]: r for r in files["AssessmentQuestions.csv"] if r["AssessmentID"] == assessment["AssessmentID"]}
    assert answers["veteran"]["AssessmentAnswer"] == "yes" and answers["veteran"]["AssessmentQuestionGroup"] == "vi"
    assert answers["sleep_location_30d"]["AssessmentAnswer"] == "place_not_meant"
    assert not {"first_name", "last_name", "ssn", "dob", "phone_primary", "current_location"} & set(answers)
    event = next(r for r in files["Event.csv"] if r["EnrollmentID"] == f"E{entry.pk}")
    assert (event["Event"], event["ReferralResult"], event["ResultDate"], event["EventDate"]) == ("14", "1", "2026-02-20", "2026-02-02")
    assert event["LocationCrisisOrPHHousing"] == "Hilltop PSH"
    crisis = {r["PersonalID"]: r for r in files["Assessment.csv"]}[str(coc_data["cy"].pk)]
    assert (crisis["AssessmentType"], crisis["AssessmentLevel"], crisis["PrioritizationStatus"]) == ("3", "1", "2")
    assert crisis["EnrollmentID"].startswith("I")
    export_row = files["Export.csv"][0]
    assert (export_row["CSVVersion"], export_row["ExportStartDate"], export_row["ExportEndDate"]) == ("FY2026", "2026-01-01", "2026-03-31")
    assert (export_row["SourceType"], export_row["ExportPeriodType"], export_row["ExportDirective"], export_row["HashStatus"]) == ("2", "3", "2", "1")
    projects = {r["ProjectID"]: r for r in files["Project.csv"]}
    assert projects["CE"]["ProjectType"] == "14" and projects[str(coc_data["program"].pk)]["ProjectType"] == "3"
    participation = {r["ProjectID"]: r for r in files["CEParticipation.csv"]}
    assert participation["CE"]["AccessPoint"] == "1" and participation[str(coc_data["program"].pk)]["ReceivesReferrals"] == "1"
    # Every enrollment's person is in Client.csv, every event's and assessment's enrollment in Enrollment.csv.
    enrollments = {r["EnrollmentID"] for r in files["Enrollment.csv"]}
    assert {r["PersonalID"] for r in files["Enrollment.csv"]} <= set(clients)
    assert {r["EnrollmentID"] for r in files["Assessment.csv"] + files["Event.csv"] + files["Exit.csv"]} <= enrollments


@pytest.mark.django_db
def test_a_vsp_survivor_is_exported_only_as_the_deidentified_entry_without_personal_data(coc_data):
    content, files = export()
    raw = zipfile.ZipFile(io.BytesIO(content))
    text = "".join(raw.read(name).decode() for name in raw.namelist())
    assert "Veronika" not in text and "Hidden" not in text
    assert str(coc_data["survivor"].pk) not in {r["PersonalID"] for r in files["Client.csv"]}
    row = {r["PersonalID"]: r for r in files["Client.csv"]}["SAFE-V77"]
    assert (row["FirstName"], row["LastName"], row["SSN"], row["DOB"]) == ("", "", "", "")
    assert (row["NameDataQuality"], row["SSNDataQuality"], row["DOBDataQuality"]) == ("99", "99", "99")
    results = {r["AssessmentResultType"]: r["AssessmentResult"] for r in files["AssessmentResults.csv"] if r["PersonalID"] == "SAFE-V77"}
    assert results == {"VAT subtotal": "11", "VAT case management": "1", "VAT total": "12"}
    assert not [r for r in files["AssessmentQuestions.csv"] if r["PersonalID"] == "SAFE-V77"]
    assert {r["VictimServiceProvider"] for r in files["Organization.csv"] if r["OrganizationName"] == "Safe Harbor"} == {"1"}


@pytest.mark.django_db
def test_clients_without_hmis_consent_are_left_out_unless_asked_and_then_never_with_name_ssn_or_dob(coc_data):
    bo = str(coc_data["bo"].pk)
    _content, files = export()
    assert bo not in {r["PersonalID"] for r in files["Client.csv"] + files["Enrollment.csv"] + files["Assessment.csv"]}
    content, files = export(include_unconsented=True)
    row = {r["PersonalID"]: r for r in files["Client.csv"]}[bo]
    assert (row["FirstName"], row["LastName"], row["SSN"], row["DOB"]) == ("", "", "", "")
    assert (row["NameDataQuality"], row["SSNDataQuality"], row["DOBDataQuality"]) == ("99", "99", "99")
    assert b"Zellweger" not in content and "Zellweger" not in "".join(
        zipfile.ZipFile(io.BytesIO(content)).read(n).decode() for n in SPEC_HEADERS)
    assert bo in {r["PersonalID"] for r in files["Enrollment.csv"]}


@pytest.mark.django_db
def test_people_without_ce_activity_in_the_period_are_not_exported(coc_data):
    _content, files = export(start="2025-01-01", end="2025-06-30")
    assert files["Client.csv"] == [] and files["Enrollment.csv"] == [] and files["Event.csv"] == []
    assert len(files["Export.csv"]) == 1 and files["Project.csv"]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_an_hmis_admin_queues_an_export_follows_its_progress_and_downloads_it_logged(coc_data, django_capture_on_commit_callbacks):
    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api(admin).post("/api/v1/exports/hmis/", {"start": "2026-01-01", "end": "2026-03-31"}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "queued" and len(callbacks) == 1
    job_id = response.json()["id"]
    assert Deadline.objects.filter(kind=EXPORT_KIND, subject_id=job_id, state="pending").count() == 1
    status = api(admin).get(f"/api/v1/exports/{job_id}/").json()
    assert (status["status"], status["progress"], status["download"]) == ("queued", 0, None)
    assert hmis_export_run(job_id=job_id) is True  # what the worker's task does
    assert hmis_export_run(job_id=job_id) is False  # a second delivery finds nothing to claim
    status = api(admin).get(f"/api/v1/exports/{job_id}/").json()
    assert (status["status"], status["progress"]) == ("done", 100) and status["download"].endswith(f"/exports/{job_id}/download/")
    assert Deadline.objects.filter(kind=EXPORT_KIND, subject_id=job_id, state="pending").count() == 0
    download = api(admin).get(f"/api/v1/exports/{job_id}/download/")
    files = read_zip(b"".join(download.streaming_content))
    assert str(coc_data["ana"].pk) in {r["PersonalID"] for r in files["Client.csv"]}
    assert files["Export.csv"][0]["ExportID"] == f"CES{job_id}"
    assert AccessLog.objects.filter(user=admin, action="export", object_id=str(job_id)).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.COMMITTEE, roles.COC_STAFF, roles.CALL_AGENT])
def test_only_the_hmis_admin_may_export_or_download(role, coc_data):
    user = UserFactory(roles=[role])
    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    job = hmis_export_request(start=date(2026, 1, 1), end=date(2026, 3, 31), include_unconsented=False, actor=admin)
    hmis_export_run(job_id=job.pk)
    assert api(user).post("/api/v1/exports/hmis/", {"start": "2026-01-01", "end": "2026-03-31"}, format="json").status_code == 403
    assert api(user).get(f"/api/v1/exports/{job.pk}/").status_code == 403
    assert api(user).get(f"/api/v1/exports/{job.pk}/download/").status_code == 403
    page = PageClient()
    page.force_login(user)
    assert page.get("/reports/exports/").status_code == 404
    assert page.get(f"/reports/exports/{job.pk}/download/").status_code == 404
    assert HmisExport.objects.count() == 1 and not AccessLog.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_bad_export_input_is_refused_with_messages_by_field_and_nothing_queued():
    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    response = api(admin).post("/api/v1/exports/hmis/", {"start": "2026-03-01", "end": "2026-01-01"}, format="json")
    assert response.status_code == 400 and "start" in response.json()["errors"]
    response = api(admin).post("/api/v1/exports/hmis/", {"start": "soon"}, format="json")
    assert response.status_code == 400 and {"start", "end"} <= set(response.json()["errors"])
    assert not HmisExport.objects.exists()


def _forget_broker_connections(app) -> None:
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.mark.django_db
def test_an_export_requested_while_the_broker_is_down_is_done_once_it_is_back(settings, coc_data, django_capture_on_commit_callbacks):
    from ces.celery import app

    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    previous = app.conf.broker_url
    _forget_broker_connections(app)
    app.conf.broker_url = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # a dead port
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = hmis_export_request(start=date(2026, 1, 1), end=date(2026, 3, 31), include_unconsented=False, actor=admin)
        job.refresh_from_db()
        assert job.status == "queued"  # the request succeeded; the message was not sent
        with django_capture_on_commit_callbacks(execute=True):
            result = deadlines_sweep(now=timezone.now() + timedelta(minutes=6))  # the sweep tries again (still down)
        assert result.done == 1 and result.failed == 0
        assert Deadline.objects.filter(kind=EXPORT_KIND, subject_id=job.pk, state="pending").count() == 1  # and will again
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL = previous
        _forget_broker_connections(app)  # the dead port's connections are cached in pools
    assert hmis_export_run(job_id=job.pk) is True  # a worker, once the broker is back
    job.refresh_from_db()
    assert job.status == "done" and job.file and len(job.sha256) == 64 and job.row_counts["Client.csv"] >= 2
    assert not Deadline.objects.filter(kind=EXPORT_KIND, subject_id=job.pk, state="pending").exists()


@pytest.mark.django_db
def test_a_running_export_is_never_claimed_twice_but_a_dead_workers_is_taken_over(coc_data):
    admin = UserFactory(roles=[roles.HMIS_ADMIN])
    job = hmis_export_request(start=date(2026, 1, 1), end=date(2026, 3, 31), include_unconsented=False, actor=admin)
    HmisExport.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now() - timedelta(minutes=2), attempts=1)
    assert hmis_export_run(job_id=job.pk) is False
    HmisExport.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=30))
    assert hmis_export_run(job_id=job.pk) is True
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2


@pytest.mark.django_db
def test_the_hmis_export_command_writes_the_same_zip(tmp_path, coc_data):
    output = tmp_path / "export.zip"
    call_command("hmis_export", "--start", "2026-01-01", "--end", "2026-03-31", "--output", str(output), stdout=io.StringIO())
    files = read_zip(output.read_bytes())
    assert str(coc_data["ana"].pk) in {r["PersonalID"] for r in files["Client.csv"]}
    assert AccessLog.objects.filter(action="export", detail__contains="command").count() == 1
    with pytest.raises(Exception, match="start"):
        call_command("hmis_export", "--start", "2026-05-01", "--end", "2026-03-31", "--output", str(tmp_path / "x.zip"))
