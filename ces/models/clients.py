from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Func
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from ces import crypto
from ces.choices import DataQuality, Language, YesNo
from ces.sealed import VspSealed, search_hashes, search_tokens
from ces.ssn import ssn_hash_for_holder, ssn_masked, ssn_normalize


class Client(VspSealed):
    """A person known to coordinated entry, held by one agency.

    Personal data here is visible only through ces.access. The SSN is never
    stored in plaintext: `ssn_ciphertext` (Fernet), `ssn_hash` (keyed HMAC for
    lookup, in the CoC's space or in the holding VSP's own: ces.ssn) and
    `ssn_last4` (for display) are all that is kept. A full-quality SSN belongs
    to one person per space (`client_ssn_unique_full`).

    A person a victim service provider holds has every personal field sealed under that VSP's
    key (ces.sealed, ces.vault): the columns are blank for everyone but the VSP's own users, and
    the VSP finds its people by keyed hashes (`vsp_search_hashes`, `ssn_hash`) under its key.
    """

    SEALED_FIELDS = (
        "first_name", "middle_name", "last_name", "dob", "ssn_ciphertext", "ssn_last4", "phone_primary", "phone_future",
        "current_location", "alt_contact_name", "alt_contact_phone", "email", "mailing_address", "preferred_language_other",
        "safety_plan",
    )

    holding_agency = models.ForeignKey(
        "ces.Agency",
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("holding agency"),
        help_text=_("The agency that holds the record (its staff always see the person)."),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    name_data_quality = models.CharField(
        _("name data quality"), max_length=20, choices=DataQuality.choices, default=DataQuality.NOT_COLLECTED
    )
    dob = models.DateField(_("date of birth"), null=True, blank=True)
    dob_data_quality = models.CharField(
        _("DOB data quality"), max_length=20, choices=DataQuality.choices, default=DataQuality.NOT_COLLECTED
    )
    ssn_ciphertext = models.TextField(_("SSN (encrypted)"), blank=True, editable=False)
    ssn_hash = models.CharField(_("SSN lookup hash"), max_length=64, blank=True, editable=False, db_index=True)
    ssn_last4 = models.CharField(_("SSN last 4"), max_length=4, blank=True, editable=False)
    ssn_data_quality = models.CharField(
        _("SSN data quality"), max_length=20, choices=DataQuality.choices, default=DataQuality.NOT_COLLECTED
    )
    phone_primary = PhoneNumberField(_("primary phone"), blank=True)
    phone_future = PhoneNumberField(_("future phone"), blank=True)
    current_location = models.CharField(_("current location"), max_length=300, blank=True)
    alt_contact_name = models.CharField(_("alternate contact name"), max_length=200, blank=True)
    alt_contact_phone = PhoneNumberField(_("alternate contact phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    mailing_address = models.TextField(_("mailing address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    preferred_language_other = models.CharField(_("other language"), max_length=100, blank=True)
    voicemail_consent = models.CharField(
        _("voicemail consent"), max_length=20, choices=YesNo.choices, default=YesNo.NOT_COLLECTED
    )
    text_consent = models.CharField(
        _("text consent"), max_length=20, choices=YesNo.choices, default=YesNo.NOT_COLLECTED
    )
    hmis_consent = models.CharField(
        _("HMIS consent"),
        max_length=20,
        choices=YesNo.choices,
        default=YesNo.NOT_COLLECTED,
        help_text=_("Kept in step with the latest HMIS release-of-information consent record."),
    )
    hmis_consent_scope = ArrayField(
        models.BigIntegerField(),
        verbose_name=_("HMIS consent scope (agency ids)"),
        default=list,
        blank=True,
        help_text=_("Empty: every HMIS-participating agency. Otherwise only these agencies (and the CoC's staff)."),
    )
    worker_alert = models.BooleanField(
        _("WORKER ALERT"), default=False, help_text=_("Shown prominently wherever the client appears (worker safety).")
    )
    safety_plan = models.TextField(_("worker safety intervention plan"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    vsp_search_hashes = ArrayField(
        models.CharField(max_length=64), verbose_name=_("search hashes under the VSP's key"), default=list, blank=True,
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        permissions = [("reveal_client_ssn", "Can reveal a client's full SSN (logged)")]
        indexes = [
            models.Index(fields=["holding_agency", "hmis_consent"], name="client_agency_consent_idx"),
            # The duplicate check (intake.duplicates): DOB window, trigram names, phonetic surname.
            models.Index(fields=["dob"], name="client_dob_idx"),
            GinIndex(OpClass(Lower("first_name"), name="gin_trgm_ops"), name="client_first_name_trgm"),
            GinIndex(OpClass(Lower("last_name"), name="gin_trgm_ops"), name="client_last_name_trgm"),
            models.Index(Func(F("last_name"), function="dmetaphone"), name="client_last_name_dmetaphone"),
            GinIndex(fields=["vsp_search_hashes"], name="client_vsp_search_idx"),
        ]
        constraints = [
            # One person per full-quality SSN in each lookup space (the CoC's, or one VSP's): two
            # intakes racing with the same SSN cannot both create a person (intake.services).
            models.UniqueConstraint(
                fields=["ssn_hash"],
                condition=models.Q(ssn_data_quality="full") & ~models.Q(ssn_hash=""),
                name="client_ssn_unique_full",
                violation_error_code="client_ssn_unique_full",
                violation_error_message=_("This Social Security number is already recorded for another person."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def sealing_agency_id(self) -> int | None:
        return self.holding_agency_id if self.holding_agency_id and self.holding_agency.is_vsp else None

    def sealed_extra(self, values: dict, agency_id: int) -> list[str]:
        self.vsp_search_hashes = search_hashes(agency_id, search_tokens(
            first=values["first_name"] or "", middle=values["middle_name"] or "", last=values["last_name"] or "",
            dob=values["dob"] or "", phone=values["phone_primary"] or ""))
        return ["vsp_search_hashes"]

    @property
    def label(self) -> str:
        """The de-identified label, e.g. CP-000123 (holding agency initials + number)."""
        return f"{self.holding_agency.initials}-{self.pk or 0:06d}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    @property
    def ssn_display(self) -> str:
        return ssn_masked(self.ssn_last4)

    def set_ssn(self, raw: str) -> None:
        """Store an SSN encrypted, with its lookup hash (in the holding agency's space) and last 4.
        Blank clears it."""
        ssn = ssn_normalize(raw)
        if not ssn:
            self.ssn_ciphertext = self.ssn_hash = self.ssn_last4 = ""
            return
        self.ssn_ciphertext = crypto.encrypt(ssn)
        self.ssn_hash = ssn_hash_for_holder(ssn, self.holding_agency)
        self.ssn_last4 = ssn[-4:]

    def reveal_ssn(self) -> str:
        """The full SSN. Callers go through ces.services.client_ssn_reveal, which logs it."""
        return crypto.decrypt(self.ssn_ciphertext) if self.ssn_ciphertext else ""


class ConsentRecord(VspSealed):
    """One consent given, refused or withdrawn, with its life (docs/consent.md).

    Who took it, when, how (verbal consent on a recorded call is valid; written with a typed
    name or a signature image), for which agencies (`scope`), from when until when
    (`effective_on`, `expires_on`: HMIS consent expires after the CoC's period), and whether
    it was later withdrawn (`revoked_at`). The latest record of a kind that is in force
    decides the client's current answer (`Client.hmis_consent`, ...), which every door reads
    (ces.access). The signature (typed name, image) is kept encrypted.
    """

    class Kind(models.TextChoices):
        HMIS_ROI = "hmis_roi", _("HMIS release of information")
        VULNERABILITY_INDEX = "vi", _("Vulnerability index")
        VOICEMAIL = "voicemail", _("Voicemail")
        TEXT = "text", _("Text messages")

    class Method(models.TextChoices):
        VERBAL_RECORDED = "verbal_recorded", _("Verbal, on a recorded call")
        WRITTEN = "written", _("Written, signed form")
        ELECTRONIC = "electronic", _("Electronic")

    class Scope(models.TextChoices):
        HMIS_PARTICIPATING = "hmis_participating", _("Every HMIS-participating agency of the CoC")
        AGENCIES = "agencies", _("Only the agencies listed")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=20, choices=Kind.choices)
    answer = models.CharField(_("answer"), max_length=20, choices=YesNo.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("taken at"))
    note = models.TextField(_("note"), blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    scope = models.CharField(_("shared with"), max_length=20, choices=Scope.choices, default=Scope.HMIS_PARTICIPATING)
    scope_agency_ids = ArrayField(models.BigIntegerField(), verbose_name=_("agencies in scope"), default=list, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    expired_at = models.DateTimeField(_("lapsed at"), null=True, blank=True)
    signature_ciphertext = models.TextField(_("signature (encrypted)"), blank=True, editable=False)
    script_language = models.CharField(_("script read in"), max_length=5, blank=True)
    script_read = models.BooleanField(_("consent script read to the client"), default=False)
    dv_offer_read = models.BooleanField(_("DV partner referral offered"), null=True, blank=True)
    disability_notice_read = models.BooleanField(
        _("told that disclosing a disability is not required"), null=True, blank=True
    )

    SEALED_FIELDS = ("note", "signature_ciphertext")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["client", "kind", "-taken_at"], name="consent_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(effective_on__isnull=True)
                | models.Q(expires_on__gt=models.F("effective_on")),
                name="consent_expires_after_effective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_answer_display()}"

    def sealing_agency_id(self) -> int | None:
        return self.client.sealing_agency_id()

    def in_force_on(self, day) -> bool:
        """Given (yes), not withdrawn, started and not lapsed on `day`."""
        return (
            self.answer == YesNo.YES
            and self.revoked_at is None
            and (self.effective_on is None or self.effective_on <= day)
            and (self.expires_on is None or day < self.expires_on)
        )


class ClientNote(VspSealed):
    """A note on the client's CE enrollment (reassignment steps, safety transfers, ...)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    topic = models.CharField(_("topic"), max_length=50)
    text = models.TextField(_("note"))

    SEALED_FIELDS = ("text",)

    history = HistoricalRecords()

    def sealing_agency_id(self) -> int | None:
        return self.client.sealing_agency_id()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.topic}: {self.text[:40]}"
