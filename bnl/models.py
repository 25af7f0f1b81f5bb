from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BnlEntry(models.Model):
    """A person's place on a By-Name List (bnl-and-referrals.md).

    `list_owner` empty: the CoC list. A victim service provider: that VSP's own
    list (visible only to it). A de-identified DV entry on the CoC list has no
    client: it carries the VSP, the VSP's internal client number, the score,
    flags and eligibility, and nothing else.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ON_REFERRAL = "on_referral", _("On referral")
        INACTIVE = "inactive", _("Inactive")
        HOUSED = "housed", _("Housed")
        EXITED = "exited", _("Exited")

    OPEN_STATUSES = (Status.ACTIVE, Status.ON_REFERRAL, Status.INACTIVE)
    # What CoC staff may set by hand: `on_referral` only ever comes from a pull.
    MANUAL_STATUSES = (Status.ACTIVE, Status.INACTIVE, Status.HOUSED, Status.EXITED)

    list_owner = models.ForeignKey(
        "ces.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="own_list_entries",
        help_text=_("Empty for the CoC list; the VSP for a VSP's own list."),
    )
    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="bnl_entries")
    assessment = models.ForeignKey("intake.Assessment", on_delete=models.PROTECT, null=True, blank=True, related_name="bnl_entries")
    vsp = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="deidentified_entries",
                            help_text=_("For a de-identified DV entry: the VSP to contact."))
    vsp_client_number = models.CharField(_("VSP client number"), max_length=30, blank=True)
    source_entry = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="coc_entry",
                                        help_text=_("The VSP-list entry this de-identified CoC entry stands for."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("status reason"), max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(_("vulnerability score"), validators=[MaxValueValidator(30)])
    subtotal = models.PositiveSmallIntegerField(_("VAT subtotal"), default=0, validators=[MaxValueValidator(27)])
    # "keep the date homelessness began (the assessment date less the answered length) and
    # order by it": the time homeless keeps growing while the person waits (bnl.policy.BNL_ORDER).
    homeless_since = models.DateField(_("homeless since"))
    # The day a person who meets every other part of the chronic definition reaches 12 months
    # homeless while waiting; a timer (bnl.timers) sets the flag then. Empty when not applicable.
    chronic_due_on = models.DateField(_("chronic by duration on"), null=True, blank=True)
    county = models.CharField(_("county"), max_length=12)
    # Self-reported: the health answers are the caller's own words, so the list shows "likely
    # chronic (self-reported)"; a chronic-dedicated program enrols only with documentation.
    chronic = models.BooleanField(_("likely chronic (self-reported)"), default=False)
    veteran = models.BooleanField(_("veteran"), default=False)
    youth = models.BooleanField(_("youth 18–24"), default=False)
    family = models.BooleanField(_("family with children"), default=False)
    dv = models.BooleanField(_("fleeing DV"), default=False)
    dv_survivor = models.BooleanField(_("DV survivor (fleeing or experienced)"), default=False)
    disability = models.BooleanField(_("disabling condition"), default=False)
    sex_offender = models.BooleanField(_("registered sex offender"), default=False)
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True, validators=[MinValueValidator(1)])
    placed_on_list_at = models.DateTimeField(_("first placed on the list"))
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-score", "homeless_since", "placed_on_list_at", "id"]
        constraints = [
            # "A person has at most one active entry" (active, on referral or inactive).
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(status__in=["active", "on_referral", "inactive"]),
                name="bnl_one_open_entry_per_client",
            ),
            models.CheckConstraint(
                condition=models.Q(client__isnull=False) | (models.Q(vsp__isnull=False) & ~models.Q(vsp_client_number="")),
                name="bnl_entry_is_a_client_or_a_deidentified_vsp_entry",
            ),
        ]
        indexes = [
            # The list order over the active CoC list: pulls and the first page read it.
            models.Index(
                models.F("score").desc(), "homeless_since", "placed_on_list_at", "id",
                name="bnl_coc_active_order_v2_idx", condition=models.Q(status="active", list_owner__isnull=True),
            ),
            # The same order over every open CoC entry: the list's default view and its CSV.
            models.Index(
                models.F("score").desc(), "homeless_since", "placed_on_list_at", "id",
                name="bnl_coc_open_order_v2_idx",
                condition=models.Q(status__in=["active", "on_referral", "inactive"], list_owner__isnull=True),
            ),
            models.Index(fields=["list_owner", "status"], name="bnl_list_status_idx"),
            # Flags due and not yet set (bnl_chronic_sweep, and the check before every pull).
            models.Index(
                fields=["chronic_due_on"], name="bnl_chronic_due_idx",
                condition=models.Q(chronic=False, chronic_due_on__isnull=False, source_entry__isnull=True,
                                   status__in=["active", "on_referral", "inactive"]),
            ),
        ]
        permissions = [
            ("manage_bnl", "Can correct BNL statuses and exits (CoC staff)"),
            ("record_placement_failed", "Can record that an RRH placement failed (RRH program staff)"),
        ]

    def __str__(self) -> str:
        return f"{self.label} score {self.score} ({self.status})"

    @property
    def label(self) -> str:
        """The de-identified label: the holding agency's initials and number, or the VSP's."""
        if self.client_id is None:
            return f"{self.vsp.initials}-{self.vsp_client_number}"
        return self.client.label

    @property
    def length_of_time_homeless_days(self) -> int:
        """Days homeless up to today (not frozen at the assessment)."""
        return max(0, (timezone.localdate() - self.homeless_since).days)

    @property
    def twin(self) -> "BnlEntry | None":
        """DV parallel process: the other half of one person (the VSP entry or its CoC copy)."""
        if self.source_entry_id is not None:
            return BnlEntry.objects.filter(pk=self.source_entry_id).first()
        if self.pk is None:
            return None
        return BnlEntry.objects.filter(source_entry_id=self.pk).first()

    @property
    def is_deidentified(self) -> bool:
        return self.client_id is None


class CaseManagementPoint(models.Model):
    """One of the three 1-point "Case Management Entry" items of the VAT, with its justification.

    Removing it deletes the row; the history keeps it.
    """

    entry = models.ForeignKey(BnlEntry, on_delete=models.CASCADE, related_name="case_management_points")
    item = models.PositiveSmallIntegerField(_("item"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    justification = models.TextField(_("justification"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item"]
        constraints = [models.UniqueConstraint(fields=["entry", "item"], name="cm_point_once_per_item")]

    def __str__(self) -> str:
        return f"case-management item {self.item} of entry #{self.entry_id}"


class PositionSnapshot(models.Model):
    """Where an entry stood on the CoC list at a moment (its rank among active entries).

    Written when the entry changes and by the nightly job when its rank moved.
    """

    entry = models.ForeignKey(BnlEntry, on_delete=models.CASCADE, related_name="positions")
    at = models.DateTimeField(db_index=True)
    rank = models.PositiveIntegerField()
    active_total = models.PositiveIntegerField()
    status = models.CharField(max_length=12)
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["entry", "-at"]
        indexes = [models.Index(fields=["entry", "-at"], name="position_entry_at_idx")]

    def __str__(self) -> str:
        return f"entry #{self.entry_id}: rank {self.rank} of {self.active_total} at {self.at:%Y-%m-%d %H:%M}"
