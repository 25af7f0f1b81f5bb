from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ShelterReferral(models.Model):
    """An emergency-shelter referral made at intake (never ranked by score), or a walk-in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Referred")
        ARRIVED = "arrived", _("Arrived")
        NO_SHOW = "no_show", _("No show")
        DENIED = "denied", _("Denied")

    intake = models.ForeignKey("intake.Intake", on_delete=models.PROTECT, null=True, blank=True, related_name="shelter_referrals")
    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="shelter_referrals")
    shelter = models.ForeignKey("intake.Shelter", on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    denied_reason = models.CharField(_("reason for denial"), max_length=300, blank=True)
    walk_in = models.BooleanField(_("walk-in (arrived without a referral)"), default=False)
    walk_in_name = models.CharField(_("walk-in's name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(client__isnull=False) | models.Q(walk_in=True), name="shelter_referral_has_client_or_is_walk_in"),
        ]

    def __str__(self) -> str:
        return f"{self.shelter} ← {self.client_id or self.walk_in_name} ({self.status})"


class ShelterDailyList(models.Model):
    """The list of people referred to a shelter in the 24 hours before its 07:00 run (a PDF)."""

    shelter = models.ForeignKey("intake.Shelter", on_delete=models.PROTECT, related_name="daily_lists")
    date = models.DateField()
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    file = models.FileField(upload_to="shelter-lists/")
    referral_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "shelter"]
        constraints = [models.UniqueConstraint(fields=["shelter", "date"], name="one_daily_list_per_shelter_and_day")]

    def __str__(self) -> str:
        return f"{self.shelter} list of {self.date}"


class Vacancy(models.Model):
    """An open bed or unit of a housing program, filled by pulling from the BNL."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey("ces.Program", on_delete=models.PROTECT, related_name="vacancies")
    units = models.PositiveSmallIntegerField(_("units"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)])
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filled_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("vacancies")

    def __str__(self) -> str:
        return f"Vacancy #{self.pk} ({self.program})"


class Pull(models.Model):
    """One pull from the list for a vacancy, with the ranked candidates as they stood.

    `candidates` is the audit: every eligible entry ranked above the last one
    pulled, each with its rank, label, score, status and what happened to it
    (pulled, or passed over and why), so the CoC can prove nobody was skipped.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="pulls")
    requested = models.PositiveSmallIntegerField()
    pulled_count = models.PositiveSmallIntegerField(default=0)
    pulled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pulled_at = models.DateTimeField(auto_now_add=True)
    candidates = models.JSONField(default=list)

    class Meta:
        ordering = ["-pulled_at", "-id"]

    def __str__(self) -> str:
        return f"Pull #{self.pk} for vacancy #{self.vacancy_id}: {self.pulled_count} of {self.requested}"


class Referral(models.Model):
    """A referral of a BNL entry to a housing program's vacancy."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        ENROLLED = "enrolled", _("Enrolled")
        CLIENT_DECLINED = "client_declined", _("Client declined")
        PROVIDER_REJECTED = "provider_rejected", _("Provider rejected")
        NOT_SELECTED = "not_selected", _("Not selected")
        EXPIRED = "expired", _("Expired")

    OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED)

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="referrals")
    program = models.ForeignKey("ces.Program", on_delete=models.PROTECT, related_name="referrals")
    entry = models.ForeignKey("bnl.BnlEntry", on_delete=models.PROTECT, related_name="referrals")
    pull = models.ForeignKey(Pull, on_delete=models.PROTECT, related_name="referrals")
    rank = models.PositiveIntegerField(_("rank when pulled"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("rejection reason"), max_length=40, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    # For a chronic-dedicated program: the documents of chronic homelessness checked on file
    # (codes of referrals.policy.CHRONIC_DOCUMENTATION); enrolment is refused until all are.
    chronic_documentation = models.JSONField(_("chronic homelessness documentation"), default=list, blank=True)
    # CoC staff's review of a provider's rejection ("justified and rare").
    rejection_review = models.CharField(_("CoC review of the rejection"), max_length=20, blank=True,
                                        choices=[("justified", _("Justified")), ("not_justified", _("Not justified"))])
    rejection_review_note = models.TextField(_("review note"), blank=True)
    rejection_reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "rank"]
        constraints = [
            # The backstop of the pull: one open referral per BNL entry.
            models.UniqueConstraint(
                fields=["entry"], condition=models.Q(status__in=["pending", "accepted"]), name="one_open_referral_per_entry"
            ),
        ]
        indexes = [models.Index(fields=["program", "status"], name="referral_program_status_idx")]
        permissions = [("review_rejection", "Can review providers' rejections of referrals (CoC staff)")]

    def __str__(self) -> str:
        return f"Referral #{self.pk} ({self.status})"


class CeEvent(models.Model):
    """HUD 4.20 Coordinated Entry Event: a referral and, later, its result."""

    class Event(models.IntegerChoices):
        PREVENTION = 1, _("Referral to prevention assistance")
        NON_CONTINUUM_SERVICES = 8, _("Referral to non-continuum services: ineligible")
        NON_CONTINUUM_OTHER = 9, _("Referral to non-continuum services: no availability")
        EMERGENCY_SHELTER = 10, _("Referral to emergency shelter bed opening")
        TRANSITIONAL_HOUSING = 11, _("Referral to transitional housing bed/unit opening")
        RAPID_REHOUSING = 13, _("Referral to RRH project resource opening")
        PSH = 14, _("Referral to PSH project resource opening")
        OTHER_PH = 15, _("Referral to other PH project resource opening")

    class Result(models.IntegerChoices):
        CLIENT_ACCEPTED = 1, _("Successful referral: client accepted")
        CLIENT_REJECTED = 2, _("Unsuccessful referral: client rejected")
        PROVIDER_REJECTED = 3, _("Unsuccessful referral: provider rejected")

    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="ce_events")
    entry = models.ForeignKey("bnl.BnlEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="ce_events")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="ce_event")
    shelter_referral = models.OneToOneField(ShelterReferral, on_delete=models.PROTECT, null=True, blank=True, related_name="ce_event")
    # An event the intake itself produced (prevention, out-of-area services): the call it came from.
    intake = models.ForeignKey("intake.Intake", on_delete=models.PROTECT, null=True, blank=True, related_name="ce_events")
    event = models.PositiveSmallIntegerField(choices=Event.choices)
    event_date = models.DateField()
    program = models.ForeignKey("ces.Program", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referral_result = models.PositiveSmallIntegerField(choices=Result.choices, null=True, blank=True)
    result_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-event_date", "-id"]

    def __str__(self) -> str:
        return f"HUD 4.20 event {self.event} on {self.event_date}"
