"""The files of the HMIS CSV export (hmis-export.md): each file's columns, in HUD's
order, with the SQL that writes each column, so headers and rows cannot drift apart.

Who is exported (decided in docs/hmis-export.md):
- the CE project holds one enrollment per CoC-list entry that was open during the
  period ("E" + entry id), and one per completed intake in the period that no
  entry covers ("I" + intake id: a crisis assessment without the VI);
- a client held by a victim service provider is never exported; the person
  appears only through their de-identified CoC entry: PersonalID is the entry's
  label (VSP initials and the VSP's number), no name, SSN or DOB, quality 99;
- a client without HMIS consent is exported only when the export asks for it,
  and then without name, SSN or date of birth (quality 99).
Every value is computed by PostgreSQL while the rows stream out.
"""

from dataclasses import dataclass

from intake.models import Assessment, Intake
from intake.questions import EMAIL, FLAG, LONGTEXT, PERSONAL_CODES, PHONE, QUESTIONS, REF, SSN, TEXT
from reports import demographics as demo
from reports.hmis import codes
from reports.queries.sql import STATUS_CHANGES

D = "to_char(timezone(%(tz)s, {0}), 'YYYY-MM-DD')"
DT = "to_char(timezone(%(tz)s, {0}), 'YYYY-MM-DD HH24:MI:SS')"
DAY = "to_char({0}, 'YYYY-MM-DD')"
EXPORT_ID = "%(export_id)s"
NULL = "NULL"

BASE = STATUS_CHANGES + """,
    last_changes AS (
        -- each entry's latest status change: when a closed entry's current status began (its exit)
        SELECT DISTINCT ON (entry_id) entry_id, status, at FROM status_changes ORDER BY entry_id, at DESC
    ),
    coc_entries AS (
        SELECT e.id AS entry_id, e.client_id, e.vsp_id, e.vsp_client_number, e.placed_on_list_at, e.updated_at,
               e.status, e.status_reason, e.assessment_id, e.source_entry_id, e.score, e.subtotal, e.county,
               CASE WHEN e.status IN ('housed', 'exited', 'inactive')
                    THEN CASE WHEN lc.status = e.status THEN lc.at ELSE e.updated_at END END AS exit_at
        FROM bnl_bnlentry e LEFT JOIN last_changes lc ON lc.entry_id = e.id
        LEFT JOIN ces_client c ON c.id = e.client_id LEFT JOIN ces_agency ha ON ha.id = c.holding_agency_id
        WHERE e.list_owner_id IS NULL AND e.placed_on_list_at < %(until)s AND e.placed_on_list_at <= %(as_of)s
          AND (e.client_id IS NULL OR (NOT ha.is_vsp AND (c.hmis_consent = 'yes' OR %(unconsented)s)))
    ),
    open_entries AS (SELECT * FROM coc_entries WHERE exit_at IS NULL OR exit_at >= %(since)s),
    period_intakes AS (
        SELECT i.id AS intake_id, i.client_id, i.collected_at
        FROM intake_intake i JOIN ces_client c ON c.id = i.client_id JOIN ces_agency ha ON ha.id = c.holding_agency_id
        WHERE i.status = 'completed' AND i.collected_at >= %(since)s AND i.collected_at < %(until)s
          AND i.completed_at <= %(as_of)s AND NOT ha.is_vsp AND (c.hmis_consent = 'yes' OR %(unconsented)s)
    ),
    intake_links AS (
        SELECT pi.intake_id, pi.client_id, pi.collected_at, o.entry_id
        FROM period_intakes pi
        LEFT JOIN LATERAL (SELECT e.id FROM bnl_bnlentry e
                           WHERE e.client_id = pi.client_id AND e.list_owner_id IS NULL
                             AND e.placed_on_list_at <= pi.collected_at + interval '1 second'
                           ORDER BY e.placed_on_list_at DESC, e.id DESC LIMIT 1) AS latest ON true
        LEFT JOIN open_entries o ON o.entry_id = latest.id AND (o.exit_at IS NULL OR o.exit_at >= pi.collected_at)
    ),
    enrollments AS (
        SELECT 'E' || o.entry_id AS enrollment_id,
               COALESCE(o.client_id::text, va.initials || '-' || o.vsp_client_number) AS personal_id,
               o.client_id, o.entry_id, NULL::bigint AS intake_id, o.placed_on_list_at AS entry_at, o.exit_at, o.updated_at,
               COALESCE((SELECT a.id FROM intake_assessment a WHERE a.client_id = o.client_id
                           AND a.assessed_at <= o.placed_on_list_at + interval '1 second'
                         ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1), o.assessment_id) AS assessment_id
        FROM open_entries o LEFT JOIN ces_agency va ON va.id = o.vsp_id
        UNION ALL
        SELECT 'I' || il.intake_id, il.client_id::text, il.client_id, NULL, il.intake_id, il.collected_at, NULL,
               il.collected_at, (SELECT a.id FROM intake_assessment a WHERE a.intake_id = il.intake_id)
        FROM intake_links il WHERE il.entry_id IS NULL
    ),
    assessed AS (
        SELECT 'A' || il.intake_id AS assessment_id, COALESCE('E' || il.entry_id, 'I' || il.intake_id) AS enrollment_id,
               il.client_id::text AS personal_id, il.intake_id, il.client_id
        FROM intake_links il
    )
"""


@dataclass(frozen=True)
class CsvFile:
    name: str
    columns: tuple[tuple[str, str], ...]  # (HUD column, SQL expression)
    source: str  # FROM ... WHERE ... (may use the BASE CTEs)
    order: str = ""
    uses_base: bool = True

    @property
    def header(self) -> list[str]:
        return [column for column, _expression in self.columns]

    def sql(self) -> str:
        select = ",\n        ".join(f"{expression}" for _column, expression in self.columns)
        base = f"WITH {BASE} " if self.uses_base else ""
        order = f" ORDER BY {self.order}" if self.order else ""
        return f"{base}SELECT {select}\n    FROM {self.source}{order}"


def _row_meta(created: str, updated: str, user: str) -> tuple[tuple[str, str], ...]:
    return (
        ("DateCreated", DT.format(created)),
        ("DateUpdated", DT.format(updated)),
        ("UserID", f"{user}::text"),
        ("DateDeleted", NULL),
        ("ExportID", EXPORT_ID),
    )


EXPORT = CsvFile("Export.csv", (
    ("ExportID", EXPORT_ID),
    ("SourceType", "2"),
    ("SourceID", "%(coc_code)s"),
    ("SourceName", "%(source_name)s"),
    ("SourceContactFirst", "%(contact_first)s"),
    ("SourceContactLast", "%(contact_last)s"),
    ("SourceContactPhone", NULL),
    ("SourceContactExtension", NULL),
    ("SourceContactEmail", "%(contact_email)s"),
    ("ExportDate", DT.format("%(as_of)s")),
    ("ExportStartDate", DAY.format("%(start)s::date")),
    ("ExportEndDate", DAY.format("%(end)s::date")),
    ("SoftwareName", "%(software_name)s"),
    ("SoftwareVersion", "%(software_version)s"),
    ("CSVVersion", "%(csv_version)s"),
    ("ExportPeriodType", "3"),
    ("ExportDirective", "2"),
    ("HashStatus", "1"),
    ("ImplementationID", "%(implementation_id)s"),
), "(SELECT 1) AS one", uses_base=False)

ORGANIZATION = CsvFile("Organization.csv", (
    ("OrganizationID", "a.id::text"),
    ("OrganizationName", "a.name"),
    ("VictimServiceProvider", "CASE WHEN a.is_vsp THEN 1 ELSE 0 END"),
    ("OrganizationCommonName", "a.initials"),
    ("DateCreated", DT.format("%(as_of)s")),
    ("DateUpdated", DT.format("%(as_of)s")),
    ("UserID", "%(system_user)s"),
    ("DateDeleted", NULL),
    ("ExportID", EXPORT_ID),
), "ces_agency a", order="a.id", uses_base=False)

USER = CsvFile("User.csv", (
    ("UserID", "u.id::text"),
    ("UserFirstName", "NULLIF(u.first_name, '')"),
    ("UserLastName", "NULLIF(u.last_name, '')"),
    ("UserPhone", NULL),
    ("UserExtension", NULL),
    ("UserEmail", "NULLIF(u.email, '')"),
    ("DateCreated", DT.format("u.date_joined")),
    ("DateUpdated", DT.format("u.date_joined")),
    ("DateDeleted", NULL),
    ("ExportID", EXPORT_ID),
), "ces_user u", order="u.id", uses_base=False)

# The CE project ("CE") and every program as a project.
_PROJECTS = """(
    SELECT 'CE' AS project_id, %(ce_organization)s::bigint AS organization_id, %(ce_project_name)s AS name, 'ce' AS type,
           false AS requires_dv, false AS is_vsp, true AS participating, ARRAY['placer', 'nevada']::varchar[] AS counties,
           %(operating_start)s::date AS start, true AS active
    UNION ALL
    SELECT p.id::text, p.agency_id, p.name, p.type, p.requires_dv, ag.is_vsp, ag.hmis_participating, p.counties,
           COALESCE((SELECT MIN(h.history_date) FROM ces_historicalprogram h WHERE h.id = p.id),
                    %(operating_start)s::date)::date, p.is_active
    FROM ces_program p JOIN ces_agency ag ON ag.id = p.agency_id
) AS pr"""

PROJECT = CsvFile("Project.csv", (
    ("ProjectID", "pr.project_id"),
    ("OrganizationID", "pr.organization_id::text"),
    ("ProjectName", "pr.name"),
    ("ProjectCommonName", NULL),
    ("OperatingStartDate", DAY.format("pr.start")),
    ("OperatingEndDate", NULL),
    ("ContinuumProject", "1"),
    ("ProjectType", codes.sql_case("pr.type", {**codes.PROJECT_TYPE, "ce": codes.PROJECT_TYPE_CE}, None)),
    ("HousingType", codes.sql_case("pr.type", codes.HOUSING_TYPE, None)),
    ("RRHSubType", f"CASE WHEN pr.type = 'rrh' THEN {codes.RRH_SUBTYPE_HOUSING} END"),
    ("ResidentialAffiliation", NULL),
    ("TargetPopulation", f"CASE WHEN pr.requires_dv THEN {codes.TARGET_POPULATION_DV} ELSE {codes.TARGET_POPULATION_NA} END"),
    ("HOPWAMedAssistedLivingFac", NULL),
    ("PITCount", NULL),
    ("DateCreated", DT.format("%(as_of)s")),
    ("DateUpdated", DT.format("%(as_of)s")),
    ("UserID", "%(system_user)s"),
    ("DateDeleted", NULL),
    ("ExportID", EXPORT_ID),
), _PROJECTS, order="pr.project_id", uses_base=False)

PROJECT_COC = CsvFile("ProjectCoC.csv", (
    ("ProjectCoCID", "'PC-' || pr.project_id"),
    ("ProjectID", "pr.project_id"),
    ("CoCCode", "%(coc_code)s"),
    ("Geocode", codes.sql_case("pr.counties[1]", codes.GEOCODE, None)),
    ("Address1", NULL),
    ("Address2", NULL),
    ("City", NULL),
    ("State", "'CA'"),
    ("ZIP", NULL),
    ("GeographyType", codes.sql_case("pr.counties[1]", codes.GEOGRAPHY_TYPE, 99)),
    ("DateCreated", DT.format("%(as_of)s")),
    ("DateUpdated", DT.format("%(as_of)s")),
    ("UserID", "%(system_user)s"),
    ("DateDeleted", NULL),
    ("ExportID", EXPORT_ID),
), _PROJECTS, order="pr.project_id", uses_base=False)

HMIS_PARTICIPATION = CsvFile("HMISParticipation.csv", (
    ("HMISParticipationID", "'HP-' || pr.project_id"),
    ("ProjectID", "pr.project_id"),
    ("HMISParticipationType", f"CASE WHEN pr.is_vsp THEN {codes.HMIS_COMPARABLE_DATABASE} "
                              f"WHEN pr.participating THEN {codes.HMIS_PARTICIPATING} ELSE {codes.HMIS_NOT_PARTICIPATING} END"),
    ("HMISParticipationStatusStartDate", DAY.format("pr.start")),
    ("HMISParticipationStatusEndDate", NULL),
    ("DateCreated", DT.format("%(as_of)s")),
    ("DateUpdated", DT.format("%(as_of)s")),
    ("UserID", "%(system_user)s"),
    ("DateDeleted", NULL),
    ("ExportID", EXPORT_ID),
), _PROJECTS, order="pr.project_id", uses_base=False)

_IS_CE = "pr.type = 'ce'"
_RECEIVES = "pr.type IN ('es', 'th', 'rrh', 'psh')"
CE_PARTICIPATION = CsvFile("CEParticipation.csv", (
    ("CEParticipationID", "'CP-' || pr.project_id"),
    ("ProjectID", "pr.project_id"),
    ("AccessPoint", f"CASE WHEN {_IS_CE} THEN 1 ELSE 0 END"),
    ("PreventionAssessment", f"CASE WHEN {_IS_CE} THEN 0 END"),
    ("CrisisAssessment", f"CASE WHEN {_IS_CE} THEN 1 END"),
    ("HousingAssessment", f"CASE WHEN {_IS_CE} THEN 1 END"),
    ("DirectServices", f"CASE WHEN {_IS_CE} THEN 0 END"),
    ("ReceivesReferrals", f"CASE WHEN {_RECEIVES} THEN 1 ELSE 0 END"),
    ("CEParticipationStatusStartDate", DAY.format("pr.start")),
    ("CEParticipationStatusEndDate", NULL),
    ("DateCreated", DT.format("%(as_of)s")),
    ("DateUpdated", DT.format("%(as_of)s")),
    ("UserID", "%(system_user)s"),
    ("DateDeleted", NULL),
    ("ExportID", EXPORT_ID),
), _PROJECTS, order="pr.project_id", uses_base=False)

# --- people ---------------------------------------------------------------

_CONSENTED = "(c.id IS NOT NULL AND c.hmis_consent = 'yes')"
_RACES = demo.race_array_sql("c")


def _race_column(code: str) -> str:
    return f"CASE WHEN {_HAS_RACE} THEN (CASE WHEN '{code}' = ANY(COALESCE({_RACES}, '{{}}'::text[])) THEN 1 ELSE 0 END) END"


_HAS_RACE = "c.id IS NOT NULL AND COALESCE(cardinality(ARRAY(SELECT unnest(COALESCE({races}, '{{}}'::text[])) INTERSECT SELECT unnest(ARRAY[{codes}]::text[]))), 0) > 0".format(
    races=_RACES, codes=", ".join(f"'{code}'" for code in codes.RACE_COLUMNS))
_RACE_NONE = (
    f"CASE WHEN {_HAS_RACE} THEN NULL "
    f"WHEN 'doesnt_know' = ANY(COALESCE({_RACES}, '{{}}'::text[])) THEN 8 "
    f"WHEN 'refused' = ANY(COALESCE({_RACES}, '{{}}'::text[])) THEN 9 ELSE 99 END"
)
_SEX = codes.sql_case("c.sex", codes.SEX) if demo.has_sex() else "99"
_RACE_ADDITIONAL = "NULLIF(c.race_additional, '')" if demo._client_field("race_additional") is not None else NULL
_VETERAN = (
    "(CASE WHEN la.veteran = 'yes' AND la.veteran_who = 'household_member' THEN 0 "
    f"ELSE {codes.sql_case('la.veteran', codes.YES_NO)} END)"
)

CLIENT = CsvFile("Client.csv", (
    ("PersonalID", "p.personal_id"),
    ("FirstName", f"CASE WHEN {_CONSENTED} THEN NULLIF(c.first_name, '') END"),
    ("MiddleName", f"CASE WHEN {_CONSENTED} THEN NULLIF(c.middle_name, '') END"),
    ("LastName", f"CASE WHEN {_CONSENTED} THEN NULLIF(c.last_name, '') END"),
    ("NameSuffix", NULL),
    ("NameDataQuality", f"CASE WHEN {_CONSENTED} THEN {codes.sql_case('c.name_data_quality', codes.DATA_QUALITY)} ELSE 99 END"),
    # The ciphertext, decrypted by the writer (hmis.writer); consented clients only.
    ("SSN", "CASE WHEN c.id IS NOT NULL AND c.hmis_consent = 'yes' THEN NULLIF(c.ssn_ciphertext, '') END"),
    ("SSNDataQuality", f"CASE WHEN {_CONSENTED} THEN {codes.sql_case('c.ssn_data_quality', codes.DATA_QUALITY)} ELSE 99 END"),
    ("DOB", f"CASE WHEN {_CONSENTED} THEN {DAY.format('c.dob')} END"),
    ("DOBDataQuality", f"CASE WHEN {_CONSENTED} THEN {codes.sql_case('c.dob_data_quality', codes.DATA_QUALITY)} ELSE 99 END"),
    ("Sex", f"CASE WHEN c.id IS NOT NULL THEN {_SEX} ELSE 99 END"),
    *[(column, _race_column(code)) for code, column in codes.RACE_COLUMNS.items()],
    ("RaceNone", _RACE_NONE),
    ("AdditionalRaceEthnicity", f"CASE WHEN {_CONSENTED} THEN {_RACE_ADDITIONAL} END"),
    ("VeteranStatus", f"CASE WHEN c.id IS NOT NULL THEN {_VETERAN} ELSE 99 END"),
    *[(column, NULL) for column in ("YearEnteredService", "YearSeparated", "WorldWarII", "KoreanWar", "VietnamWar",
                                    "DesertStorm", "AfghanistanOEF", "IraqOIF", "IraqOND", "OtherTheater",
                                    "MilitaryBranch", "DischargeStatus")],
    ("DateCreated", DT.format("COALESCE(c.created_at, p.entry_at)")),
    ("DateUpdated", DT.format("COALESCE(c.updated_at, p.updated_at)")),
    ("UserID", "COALESCE(c.created_by_id, %(system_user)s::bigint)"),
    ("DateDeleted", NULL),
    ("ExportID", EXPORT_ID),
), """(SELECT DISTINCT ON (personal_id) personal_id, client_id, entry_at, updated_at FROM enrollments
        ORDER BY personal_id, entry_at) AS p
    LEFT JOIN ces_client c ON c.id = p.client_id
    LEFT JOIN LATERAL (SELECT a.veteran, a.veteran_who FROM intake_assessment a WHERE a.client_id = p.client_id
                       AND a.assessed_at < %(until)s ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1) la ON true""",
    order="p.personal_id")
# The SSN column's position: the writer decrypts it there.
CLIENT_SSN_INDEX = CLIENT.header.index("SSN")

_ENROLLMENT_COLUMNS = [
    "EnrollmentID", "PersonalID", "ProjectID", "EntryDate", "HouseholdID", "RelationshipToHoH", "EnrollmentCoC",
    "LivingSituation", "RentalSubsidyType", "LengthOfStay", "LOSUnderThreshold", "PreviousStreetESSH", "DateToStreetESSH",
    "TimesHomelessPastThreeYears", "MonthsHomelessPastThreeYears", "DisablingCondition", "DateOfEngagement", "MoveInDate",
    "DateOfPATHStatus", "ClientEnrolledInPATH", "ReasonNotEnrolled", "PercentAMI", "ReferralSource",
    "CountOutreachReferralApproaches", "DateOfBCPStatus", "EligibleForRHY", "ReasonNoServices", "RunawayYouth",
    "FormerWardChildWelfare", "ChildWelfareYears", "ChildWelfareMonths", "FormerWardJuvenileJustice", "JuvenileJusticeYears",
    "JuvenileJusticeMonths", "UnemploymentFam", "MentalHealthDisorderFam", "PhysicalDisabilityFam",
    "AlcoholDrugUseDisorderFam", "InsufficientIncome", "IncarceratedParent", "VAMCStation", "TargetScreenReqd",
    "TimeToHousingLoss", "AnnualPercentAMI", "LiteralHomelessHistory", "ClientLeaseholder", "HOHLeaseholder",
    "SubsidyAtRisk", "EvictionHistory", "CriminalRecord", "IncarceratedAdult", "PrisonDischarge", "SexOffender",
    "DisabledHoH", "CurrentPregnant", "SingleParent", "DependentUnder6", "HH5Plus", "CoCPrioritized", "HPScreeningScore",
    "ThresholdScore", "MentalHealthConsultation",
]
_DISABLING = (
    "CASE WHEN a.id IS NULL THEN 99 WHEN a.has_disability THEN 1 "
    "WHEN 'no' = ALL(ARRAY[a.health_mental, a.health_physical_sensory, a.health_developmental, a.health_substance, "
    "a.health_alcohol, a.health_hiv_aids, a.health_chronic]) THEN 0 ELSE 99 END"
)
_ENROLLMENT_VALUES = {
    "EnrollmentID": "n.enrollment_id",
    "PersonalID": "n.personal_id",
    "ProjectID": "'CE'",
    "EntryDate": D.format("n.entry_at"),
    "HouseholdID": "'H' || n.enrollment_id",
    "RelationshipToHoH": "1",
    "EnrollmentCoC": "%(coc_code)s",
    "LivingSituation": f"CASE WHEN a.id IS NULL THEN 99 ELSE {codes.sql_case('a.sleep_location_30d', codes.LIVING_SITUATION)} END",
    "DateToStreetESSH": DAY.format("a.homeless_start_date"),
    "TimesHomelessPastThreeYears": f"CASE WHEN a.id IS NULL THEN 99 ELSE {codes.sql_case('a.times_homeless_3y', codes.TIMES_HOMELESS)} END",
    "MonthsHomelessPastThreeYears": f"CASE WHEN a.id IS NULL THEN 99 ELSE {codes.sql_case('a.months_homeless_3y', codes.MONTHS_HOMELESS)} END",
    "DisablingCondition": _DISABLING,
    "CurrentPregnant": f"CASE WHEN a.id IS NOT NULL THEN {codes.sql_case('a.household_pregnant', codes.YES_NO)} END",
    "CoCPrioritized": "CASE WHEN n.entry_id IS NOT NULL THEN 1 ELSE 0 END",
}
ENROLLMENT = CsvFile("Enrollment.csv", (
    *[(column, _ENROLLMENT_VALUES.get(column, NULL)) for column in _ENROLLMENT_COLUMNS],
    *_row_meta("n.entry_at", "n.updated_at", "%(system_user)s"),
), "enrollments n LEFT JOIN intake_assessment a ON a.id = n.assessment_id", order="n.enrollment_id")

_EXIT_COLUMNS = [
    "ExitID", "EnrollmentID", "PersonalID", "ExitDate", "Destination", "DestinationSubsidyType", "OtherDestination",
    "HousingAssessment", "SubsidyInformation", "ProjectCompletionStatus", "EarlyExitReason", "ExchangeForSex",
    "ExchangeForSexPastThreeMonths", "CountOfExchangeForSex", "AskedOrForcedToExchangeForSex",
    "AskedOrForcedToExchangeForSexPastThreeMonths", "WorkplaceViolenceThreats", "WorkplacePromiseDifference",
    "CoercedToContinueWork", "LaborExploitPastThreeMonths", "CounselingReceived", "IndividualCounseling",
    "FamilyCounseling", "GroupCounseling", "SessionCountAtExit", "PostExitCounselingPlan", "SessionsInPlan",
    "DestinationSafeClient", "DestinationSafeWorker", "PosAdultConnections", "PosPeerConnections",
    "PosCommunityConnections", "AftercareDate", "AftercareProvided", "EmailSocialMedia", "Telephone",
    "InPersonIndividual", "InPersonGroup", "CMExitReason",
]
_HOUSED_TYPE = """(SELECT p.type FROM referrals_referral r JOIN ces_program p ON p.id = r.program_id
                   WHERE r.entry_id = x.entry_id AND r.status = 'enrolled' ORDER BY r.decided_at DESC LIMIT 1)"""
_SUBSIDY = codes.sql_case(_HOUSED_TYPE, codes.SUBSIDY_BY_PROGRAM_TYPE, None)
_EXIT_VALUES = {
    "ExitID": "'X' || n.enrollment_id",
    "EnrollmentID": "n.enrollment_id",
    "PersonalID": "n.personal_id",
    "ExitDate": D.format("n.exit_at"),
    "Destination": (
        f"CASE WHEN x.status = 'housed' AND {_SUBSIDY} IS NOT NULL THEN {codes.DESTINATION_RENTAL_WITH_SUBSIDY} "
        f"WHEN x.status = 'inactive' THEN {codes.DESTINATION_NO_EXIT_INTERVIEW} "
        f"WHEN x.status = 'exited' AND x.status_reason ILIKE 'deceased%%' THEN {codes.DESTINATION_DECEASED} "
        f"ELSE {codes.DESTINATION_OTHER} END"
    ),
    "DestinationSubsidyType": f"CASE WHEN x.status = 'housed' THEN {_SUBSIDY} END",
    "OtherDestination": (
        f"CASE WHEN x.status = 'housed' AND {_SUBSIDY} IS NULL THEN 'Permanently housed (recorded by CoC staff)' "
        f"WHEN x.status = 'exited' AND NOT x.status_reason ILIKE 'deceased%%' THEN left(NULLIF(x.status_reason, ''), 50) END"
    ),
}
EXIT = CsvFile("Exit.csv", (
    *[(column, _EXIT_VALUES.get(column, NULL)) for column in _EXIT_COLUMNS],
    *_row_meta("n.exit_at", "n.exit_at", "%(system_user)s"),
), "enrollments n JOIN coc_entries x ON x.entry_id = n.entry_id WHERE n.exit_at IS NOT NULL AND n.exit_at < %(until)s",
    order="n.enrollment_id")

# --- assessments and events ---------------------------------------------------

_DEIDENTIFIED_ASSESSMENTS = """
    SELECT 'D' || o.entry_id AS assessment_id, 'E' || o.entry_id AS enrollment_id,
           va.initials || '-' || o.vsp_client_number AS personal_id, o.placed_on_list_at AS at,
           va.name AS location, 1 AS method_code, 2 AS level, 1 AS prioritized,
           o.placed_on_list_at AS created, o.updated_at AS updated, %(system_user)s::bigint AS user_id,
           o.subtotal, o.score - o.subtotal AS case_management, o.score AS total
    FROM open_entries o JOIN ces_agency va ON va.id = o.vsp_id
    WHERE o.client_id IS NULL AND o.placed_on_list_at >= %(since)s AND o.placed_on_list_at < %(until)s
"""
_ALL_ASSESSMENTS = f"""(
    SELECT x.assessment_id, x.enrollment_id, x.personal_id, i.collected_at AS at,
           COALESCE(NULLIF(a.location, ''), ag.name) AS location,
           {codes.sql_case('i.collection_method', codes.ASSESSMENT_TYPE, 1)} AS method_code,
           CASE WHEN a.id IS NULL THEN {codes.ASSESSMENT_LEVEL_CRISIS} ELSE {codes.ASSESSMENT_LEVEL_HOUSING} END AS level,
           CASE WHEN a.id IS NULL THEN {codes.PRIORITIZATION_NOT_PLACED} ELSE {codes.PRIORITIZATION_PLACED} END AS prioritized,
           i.started_at AS created, COALESCE(i.completed_at, i.started_at) AS updated, i.csr_id AS user_id,
           a.subtotal, a.case_management, a.total
    FROM assessed x JOIN intake_intake i ON i.id = x.intake_id JOIN ces_agency ag ON ag.id = i.agency_id
    LEFT JOIN intake_assessment a ON a.intake_id = i.id
    UNION ALL {_DEIDENTIFIED_ASSESSMENTS}
) AS s"""

ASSESSMENT = CsvFile("Assessment.csv", (
    ("AssessmentID", "s.assessment_id"),
    ("EnrollmentID", "s.enrollment_id"),
    ("PersonalID", "s.personal_id"),
    ("AssessmentDate", D.format("s.at")),
    ("AssessmentLocation", "left(s.location, 250)"),
    ("AssessmentType", "s.method_code"),
    ("AssessmentLevel", "s.level"),
    ("PrioritizationStatus", "s.prioritized"),
    *_row_meta("s.created", "s.updated", "s.user_id"),
), _ALL_ASSESSMENTS, order="s.assessment_id")

_RESULTS = f"""{_ALL_ASSESSMENTS}
    CROSS JOIN LATERAL (VALUES (1, 'VAT subtotal', s.subtotal), (2, 'VAT case management', s.case_management),
                               (3, 'VAT total', s.total)) AS v(n, kind, value)
    WHERE s.total IS NOT NULL"""
ASSESSMENT_RESULTS = CsvFile("AssessmentResults.csv", (
    ("AssessmentResultID", "s.assessment_id || '-' || v.n"),
    ("AssessmentID", "s.assessment_id"),
    ("EnrollmentID", "s.enrollment_id"),
    ("PersonalID", "s.personal_id"),
    ("AssessmentResultType", "v.kind"),
    ("AssessmentResult", "v.value::text"),
    *_row_meta("s.created", "s.updated", "s.user_id"),
), _RESULTS, order="s.assessment_id, v.n")

# Answered questions of the intake and the VI, by code; personal data and free text are never exported.
_NOT_EXPORTED_TYPES = {TEXT, LONGTEXT, PHONE, EMAIL, SSN, REF, FLAG}


def _question_sources() -> list[tuple[str, int, str, str]]:
    intake_fields = {field.name: field for field in Intake._meta.concrete_fields}
    assessment_fields = {field.name: field for field in Assessment._meta.concrete_fields}
    found = []
    for order, question in enumerate(QUESTIONS, start=1):
        if question.code in PERSONAL_CODES or question.type in _NOT_EXPORTED_TYPES or question.code == "collected_at":
            continue
        if question.code in assessment_fields and question.section == "vi":
            found.append((question.section, order, question.code, f"a.{assessment_fields[question.code].column}::text"))
        elif question.code in intake_fields:
            found.append((question.section, order, question.code, f"i.{intake_fields[question.code].column}::text"))
    return found


def _questions_values() -> str:
    return ", ".join(f"('{section}', {order}, '{code}', {expression})" for section, order, code, expression in _question_sources())


QUESTIONS_FILE = CsvFile("AssessmentQuestions.csv", (
    ("AssessmentQuestionID", "x.assessment_id || '-' || q.position"),
    ("AssessmentID", "x.assessment_id"),
    ("EnrollmentID", "x.enrollment_id"),
    ("PersonalID", "x.personal_id"),
    ("AssessmentQuestionGroup", "q.section"),
    ("AssessmentQuestionOrder", "q.position"),
    ("AssessmentQuestion", "q.code"),
    ("AssessmentAnswer", "q.answer"),
    *_row_meta("i.started_at", "COALESCE(i.completed_at, i.started_at)", "i.csr_id"),
), f"""assessed x JOIN intake_intake i ON i.id = x.intake_id LEFT JOIN intake_assessment a ON a.intake_id = i.id
    CROSS JOIN LATERAL (VALUES {_questions_values()}) AS q(section, position, code, answer)
    WHERE q.answer IS NOT NULL AND q.answer <> ''""", order="x.assessment_id, q.position")

_EVENT_ENROLLMENT = "COALESCE('E' || oe.entry_id, 'E' || il.entry_id, 'I' || il.intake_id, 'E' || od.entry_id)"
_EVENT_SOURCE = """referrals_ceevent ev
        LEFT JOIN ces_program p ON p.id = ev.program_id
        LEFT JOIN open_entries oe ON oe.entry_id = ev.entry_id
        LEFT JOIN referrals_shelterreferral sr ON sr.id = ev.shelter_referral_id
        LEFT JOIN intake_links il ON il.intake_id = COALESCE(sr.intake_id, ev.intake_id)
        LEFT JOIN LATERAL (SELECT e.id FROM bnl_bnlentry e
                           WHERE ev.entry_id IS NULL AND ev.shelter_referral_id IS NULL AND ev.intake_id IS NULL
                             AND e.client_id = ev.client_id
                             AND e.list_owner_id IS NULL AND e.placed_on_list_at::date <= ev.event_date
                           ORDER BY e.placed_on_list_at DESC LIMIT 1) AS on_day ON true
        LEFT JOIN open_entries od ON od.entry_id = on_day.id AND (od.exit_at IS NULL OR od.exit_at::date >= ev.event_date)"""
EVENT = CsvFile("Event.csv", (
    ("EventID", "e.event_id::text"),
    ("EnrollmentID", "e.enrollment_id"),
    ("PersonalID", "n.personal_id"),
    ("EventDate", DAY.format("e.event_date")),
    ("Event", "e.event"),
    ("ProbSolDivRRResult", NULL),
    ("ReferralCaseManageAfter", NULL),
    ("LocationCrisisOrPHHousing", "left(e.program_name, 250)"),
    ("ReferralResult", "e.referral_result"),
    ("ResultDate", f"CASE WHEN e.referral_result IS NOT NULL THEN {DAY.format('e.result_date')} END"),
    *_row_meta("e.created_at", "e.created_at", "e.created_by_id"),
), f"""(SELECT ev.id AS event_id, ev.event_date, ev.event, ev.referral_result, ev.result_date, ev.created_at,
               ev.created_by_id, p.name AS program_name, {_EVENT_ENROLLMENT} AS enrollment_id
        FROM {_EVENT_SOURCE}
        WHERE ev.event_date >= %(start)s AND ev.event_date <= %(end)s AND ev.created_at <= %(as_of)s) AS e
    JOIN enrollments n ON n.enrollment_id = e.enrollment_id""", order="e.event_id")

FILES = (EXPORT, ORGANIZATION, USER, PROJECT, PROJECT_COC, HMIS_PARTICIPATION, CE_PARTICIPATION, CLIENT, ENROLLMENT,
         EXIT, ASSESSMENT, QUESTIONS_FILE, ASSESSMENT_RESULTS, EVENT)
