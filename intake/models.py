from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ces.choices import YesNo

YN = {"max_length": 20, "choices": YesNo.choices, "blank": True}


class PovertyGuidelineYear(models.Model):
    """A year of HHS poverty guidelines (48 contiguous states). One is in force for the VAT."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    additional_person_annual = models.PositiveIntegerField(_("each additional person (annual)"))
    in_force = models.BooleanField(_("in force for scoring"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["in_force"], condition=models.Q(in_force=True), name="one_poverty_year_in_force")
        ]

    def __str__(self) -> str:
        return f"{self.year}{' (in force)' if self.in_force else ''}"


class PovertyGuideline(models.Model):
    year = models.ForeignKey(PovertyGuidelineYear, on_delete=models.CASCADE, related_name="rows")
    household_size = models.PositiveSmallIntegerField(_("household size"), validators=[MinValueValidator(1)])
    monthly = models.PositiveIntegerField(_("monthly"))
    annual = models.PositiveIntegerField(_("annual"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "household_size"]
        constraints = [models.UniqueConstraint(fields=["year", "household_size"], name="poverty_row_unique")]

    def __str__(self) -> str:
        return f"{self.year_id}: {self.household_size} people"


class Shelter(models.Model):
    """An emergency shelter the intake can refer to tonight, with its screening rules (data)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    county = models.CharField(_("county"), max_length=20, choices=[("placer", _("Placer County")), ("nevada", _("Nevada County"))])
    program = models.ForeignKey(
        "ces.Program", on_delete=models.PROTECT, null=True, blank=True, related_name="shelters",
        limit_choices_to={"type": "es"},
    )
    intake_time = models.CharField(_("intake time"), max_length=200, blank=True, help_text=_("e.g. “Check in 4–6 pm”"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "name"]

    def __str__(self) -> str:
        return self.name


class ShelterRule(models.Model):
    """One screening rule: the answer to `code` that excludes the caller, and why.

    `match` = equals: excluded when the answer equals `answer`; not_equals:
    excluded unless it does (a shelter that requires `yes`). When `unless_code`
    is set, the rule does not exclude if that answer equals `unless_answer`
    (pets: excluded when pets = yes unless pets arranged = yes).
    """

    class Match(models.TextChoices):
        EQUALS = "equals", _("answer is")
        NOT_EQUALS = "not_equals", _("answer is not")

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("question code"), max_length=64)
    match = models.CharField(_("match"), max_length=12, choices=Match.choices, default=Match.EQUALS)
    answer = models.CharField(_("answer"), max_length=20, choices=YesNo.choices)
    unless_code = models.CharField(_("unless question code"), max_length=64, blank=True)
    unless_answer = models.CharField(_("unless answer"), max_length=20, choices=YesNo.choices, blank=True)
    reason = models.CharField(_("reason shown to the agent"), max_length=300)
    reason_es = models.CharField(_("reason (Spanish)"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["shelter", "id"]

    def __str__(self) -> str:
        return f"{self.shelter}: {self.code} {self.match} {self.answer}"


class Intake(models.Model):
    """One call (or paper form): the answers of Appendix A, under their codes.

    While the call is going on the raw answers live in `draft_ciphertext`
    (encrypted JSON, autosaved); completion validates them and writes the
    typed columns below, the client's personal data (ces.Client), the
    assessment and its BNL entry, and clears the draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        COMPLETED = "completed", _("Completed")
        DISCARDED = "discarded", _("Discarded")

    class Outcome(models.TextChoices):
        ASSESSED = "assessed", _("Assessed and placed on the By-Name List")
        INTAKE_ONLY = "intake_only", _("Intake without the Vulnerability Index")
        OUTSIDE_COC = "outside_coc", _("Outside the CoC: out-of-area resources given")
        DV_REFERRED = "dv_referred", _("Referred to a victim service provider (no personal data kept)")

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        PAPER = "paper", _("Paper form")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    csr = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("call agent"))
    agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, related_name="intakes")
    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="intakes")
    call_language = models.CharField(_("call language"), max_length=2, default="en", choices=[("en", "English"), ("es", "Español")])
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    draft_ciphertext = models.TextField(blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    is_late = models.BooleanField(_("entered late"), default=False, help_text=_("Entered more than 72 hours after collection."))
    new_client_confirmed = models.BooleanField(_("agent confirmed a new person"), default=False)

    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    collection_method = models.CharField(_("collection method"), max_length=12, choices=Method.choices, blank=True)
    county = models.CharField(_("county"), max_length=12, blank=True,
                              choices=[("placer", "Placer"), ("nevada", "Nevada"), ("outside_coc", _("Outside the CoC"))])
    safety_minor_without_adult = models.CharField(**YN)
    safety_safe_place_tonight = models.CharField(**YN)
    safety_safe_talking = models.CharField(**YN)
    safety_afraid_of_partner = models.CharField(**YN)
    dv_referral_offered = models.BooleanField(default=False)
    dv_referral_accepted = models.CharField(**YN)
    dv_referral_agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                           limit_choices_to={"is_vsp": True})
    dv_pii_sharing_acknowledged = models.BooleanField(null=True, blank=True)
    phone_future_same = models.CharField(**YN)
    roseville_resident = models.CharField(**YN)
    wants_shelter_tonight = models.CharField(**YN)
    hmis_script_read = models.BooleanField(_("HMIS release read to the caller"), null=True, blank=True)
    dv_partner_offer_read = models.BooleanField(_("DV partner referral offered"), null=True, blank=True)
    hmis_consent = models.CharField(**YN)
    nv_resident_30_days = models.CharField(**YN)
    nv_length_in_county = models.CharField(max_length=20, blank=True)
    nv_barred_hospitality_house = models.CharField(**YN)
    nv_substance_issue = models.CharField(**YN)
    nv_pets = models.CharField(**YN)
    nv_registered_sex_offender = models.CharField(**YN)
    nv_has_income = models.CharField(**YN)
    nv_warrant_or_violent_conviction = models.CharField(**YN)
    pl_resident_15_days = models.CharField(**YN)
    pl_length_in_county = models.CharField(max_length=20, blank=True)
    pl_roseville = models.CharField(**YN)
    pl_has_income = models.CharField(**YN)
    pl_substance_issue = models.CharField(**YN)
    pl_registered_sex_offender = models.CharField(**YN)
    pl_minor_unaccompanied = models.CharField(**YN)
    pl_accompanied = models.CharField(**YN)
    pl_tuberculosis = models.CharField(**YN)
    pl_pets = models.CharField(**YN)
    pl_pets_arranged = models.CharField(**YN)
    shelter_choice = models.ForeignKey(Shelter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    continue_to_vi = models.CharField(**YN)
    vi_script_read = models.BooleanField(_("VI consent read to the caller"), null=True, blank=True)
    disability_notice_read = models.BooleanField(_("told disclosing a disability is not required"), null=True, blank=True)
    vi_consent = models.CharField(**YN)
    youth_urgent = models.BooleanField(_("urgent: minor without an adult"), default=False)

    history = HistoricalRecords(excluded_fields=["draft_ciphertext", "draft_saved_at"])

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["csr", "status"], name="intake_csr_status_idx")]
        permissions = [("amend_intake", "Can amend a completed intake (with a reason)")]

    def __str__(self) -> str:
        return f"Intake #{self.pk} ({self.get_status_display()})"


class Assessment(models.Model):
    """The Vulnerability Index section of an intake, with its VAT score breakdown (HUD 4.19)."""

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="assessment")
    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, related_name="assessments")
    assessed_at = models.DateTimeField(_("assessed at"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, related_name="+")
    # HUD 4.19 AssessmentLocation: where the assessment was done (the access point's name then).
    location = models.CharField(_("assessment location"), max_length=250, blank=True)

    vi_unaccompanied_youth = models.CharField(**YN)
    household_size = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(30)])
    household_children = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(29)])
    gender = models.CharField(max_length=20, blank=True)
    household_transgender = models.CharField(**YN)
    household_pregnant = models.CharField(**YN)
    veteran = models.CharField(**YN)
    veteran_who = models.CharField(max_length=20, blank=True)
    sleep_location_30d = models.CharField(max_length=30, blank=True)
    unstable_housing_length = models.CharField(max_length=20, blank=True)
    homeless_start_date = models.DateField(null=True, blank=True)
    times_homeless_3y = models.CharField(max_length=20, blank=True)
    months_homeless_3y = models.CharField(max_length=20, blank=True)
    er_visits_3plus_6m = models.CharField(**YN)
    police_6plus_6m = models.CharField(**YN)
    health_mental = models.CharField(**YN)
    mental_fsp = models.CharField(**YN)
    health_physical_sensory = models.CharField(**YN)
    disability_income = models.CharField(**YN)
    health_developmental = models.CharField(**YN)
    health_substance = models.CharField(**YN)
    health_alcohol = models.CharField(**YN)
    health_hiv_aids = models.CharField(**YN)
    health_chronic = models.CharField(**YN)
    household_member_health = models.CharField(**YN)
    attacked_since_homeless = models.CharField(**YN)
    self_harm = models.CharField(**YN)
    dv_experienced = models.CharField(**YN)
    dv_fleeing = models.CharField(**YN)
    registered_sex_offender = models.CharField(**YN)
    has_income = models.CharField(**YN)
    household_income = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    income_period = models.CharField(max_length=10, blank=True)

    indicators = models.JSONField(_("score breakdown"), default=dict)
    subtotal = models.PositiveSmallIntegerField(_("subtotal"), default=0)
    case_management = models.PositiveSmallIntegerField(_("case management points"), default=0)
    total = models.PositiveSmallIntegerField(_("vulnerability score"), default=0)
    poverty_year = models.PositiveSmallIntegerField(_("poverty guidelines year"), null=True, blank=True)
    age_at_assessment = models.PositiveSmallIntegerField(null=True, blank=True)
    chronically_homeless = models.BooleanField(_("chronically homeless"), default=False)
    length_of_time_homeless_days = models.PositiveIntegerField(default=0)
    is_veteran = models.BooleanField(default=False)
    is_youth = models.BooleanField(default=False)
    is_family = models.BooleanField(default=False)
    is_dv = models.BooleanField(default=False)
    has_disability = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["client", "-assessed_at"], name="assessment_client_idx")]

    def __str__(self) -> str:
        return f"VAT {self.total} for {self.client_id} on {self.assessed_at:%Y-%m-%d}"


class VspCoverage(models.Model):
    """A victim service provider that serves a county, with the hotline the agent gives the caller.

    Data an HMIS admin edits: the DV pathway offers the providers of the caller's county (all
    active VSPs when none is set for it) and shows their hotlines on the call screen."""

    vsp = models.ForeignKey("ces.Agency", on_delete=models.CASCADE, related_name="vsp_coverage", verbose_name=_("victim service provider"),
                            limit_choices_to={"is_vsp": True})
    county = models.CharField(_("county"), max_length=20, choices=[("placer", _("Placer County")), ("nevada", _("Nevada County"))])
    hotline = models.CharField(_("hotline"), max_length=40, help_text=_("The number the call agent gives the caller."))
    hours = models.CharField(_("hotline hours"), max_length=100, blank=True, help_text=_("e.g. “24 hours”"))
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["county", "vsp__name"]
        verbose_name = _("VSP coverage")
        verbose_name_plural = _("VSP coverage (providers per county)")
        constraints = [models.UniqueConstraint(fields=["vsp", "county"], name="vsp_coverage_unique")]

    def __str__(self) -> str:
        return f"{self.vsp} · {self.get_county_display()}"


class DvReferral(models.Model):
    """A caller referred to a victim service provider from the DV pathway: a warm referral.

    Holds no personal data but what the caller agreed to pass (a name to ask for, a safe
    callback number and time), encrypted, read only by the VSP's own staff in its inbox.
    The VSP enters the person itself (VAWA)."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        CLOSED = "closed", _("Closed without contact")

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="dv_referral")
    vsp = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, related_name="dv_referrals", limit_choices_to={"is_vsp": True})
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    caller_agreed_to_share = models.BooleanField(_("caller agreed to pass contact details"), default=False)
    shared_ciphertext = models.TextField(blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["shared_ciphertext"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["vsp", "status"], name="dvreferral_vsp_status_idx")]

    def __str__(self) -> str:
        return f"DV referral of intake #{self.intake_id}"
