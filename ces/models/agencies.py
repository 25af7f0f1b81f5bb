from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ces.choices import ServedCounty

INITIALS_INVALID = _("Use 2 to 5 capital letters, e.g. CP.")
VSP_PROGRAM_MUST_REQUIRE_DV = _(
    "A victim service provider's programs take only DV survivors: tick “requires DV survivor”."
)
HOUSEHOLD_RANGE_INVERTED = _("The minimum household size is larger than the maximum.")


class Agency(models.Model):
    """An organisation of the CoC: lead agency, shelter, housing provider, VSP, services."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("Lead agency / call centre")
        COC = "coc", _("Continuum of Care")
        SHELTER = "shelter", _("Emergency shelter provider")
        HOUSING = "housing", _("Housing provider")
        VSP = "vsp", _("Victim service provider")
        SERVICES = "services", _("Services provider")
        GOVERNMENT = "government", _("County / government")

    name = models.CharField(_("name"), max_length=200, unique=True)
    initials = models.CharField(
        _("initials"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", INITIALS_INVALID)],
        help_text=_("Used in de-identified labels, e.g. CP-000123."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_vsp = models.BooleanField(
        _("victim service provider"),
        default=False,
        help_text=_("A VSP keeps its clients' personal data to itself (VAWA)."),
    )
    hmis_participating = models.BooleanField(
        _("HMIS-participating"),
        default=True,
        help_text=_("Staff of participating agencies see clients who gave HMIS consent."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    caseload_limit = models.PositiveSmallIntegerField(
        _("caseload limit per worker"), null=True, blank=True,
        help_text=_("Most clients one worker of this agency may be assigned; empty for no limit."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_vsp=True, hmis_participating=True),
                name="agency_vsp_not_hmis_participating",
                violation_error_message=_("A victim service provider cannot participate in HMIS."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A program of an agency, with the eligibility criteria the BNL filters on.

    Criteria are data an HMIS admin edits (bnl-and-referrals.md, "Programs and
    agencies"); the BNL issue computes eligibility from these columns.
    """

    class Type(models.TextChoices):
        ES = "es", _("Emergency shelter")
        TH = "th", _("Transitional housing")
        RRH = "rrh", _("Rapid re-housing")
        PSH = "psh", _("Permanent supportive housing")
        PREVENTION = "prevention", _("Prevention")
        SERVICES = "services", _("Services")

    HOUSING_TYPES = (Type.TH, Type.RRH, Type.PSH)

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    counties = ArrayField(
        models.CharField(max_length=20, choices=ServedCounty.choices),
        verbose_name=_("counties served"),
        default=list,
    )
    requires_chronic = models.BooleanField(_("requires chronically homeless"), default=False)
    requires_veteran = models.BooleanField(_("requires veteran"), default=False)
    requires_disability = models.BooleanField(_("requires a disability"), default=False)
    requires_family = models.BooleanField(_("requires family with children"), default=False)
    requires_youth = models.BooleanField(_("requires youth 18–24"), default=False)
    requires_dv = models.BooleanField(_("requires DV survivor"), default=False)
    min_household_size = models.PositiveSmallIntegerField(
        _("minimum household size"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_household_size = models.PositiveSmallIntegerField(
        _("maximum household size"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    excludes_sex_offenders = models.BooleanField(_("excludes registered sex offenders"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    engagement_policy = models.CharField(
        _("engagement policy"), max_length=24, default="assertive",
        choices=[("assertive", _("Assertive engagement")), ("disengagement_30_60", _("30/60-day disengagement"))],
    )
    lost_contact_months = models.PositiveSmallIntegerField(
        _("months of outreach to an existing client who lost contact"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    history = HistoricalRecords()

    CRITERIA_FIELDS = (
        "requires_chronic",
        "requires_veteran",
        "requires_disability",
        "requires_family",
        "requires_youth",
        "requires_dv",
        "min_household_size",
        "max_household_size",
        "excludes_sex_offenders",
    )

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="program_unique_name_per_agency"),
            models.CheckConstraint(
                condition=models.Q(min_household_size__isnull=True)
                | models.Q(max_household_size__isnull=True)
                | models.Q(min_household_size__lte=models.F("max_household_size")),
                name="program_household_range_ordered",
                violation_error_message=HOUSEHOLD_RANGE_INVERTED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.initials})"

    @property
    def criteria(self) -> dict:
        return {field: getattr(self, field) for field in self.CRITERIA_FIELDS}

    @property
    def is_housing(self) -> bool:
        return self.type in self.HOUSING_TYPES

    def clean(self) -> None:
        super().clean()
        if self.agency_id and self.agency.is_vsp and not self.requires_dv:
            raise ValidationError({"requires_dv": VSP_PROGRAM_MUST_REQUIRE_DV})
