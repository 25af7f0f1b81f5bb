"""Title VI / discrimination complaints (Appendix D), Coordinated Entry grievances (Appendix E),
committee meetings, letters, attachments, outside agencies and non-retaliation flags."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grievances import policy


class Language(models.TextChoices):
    """The languages letters are written in (the complainant's choice)."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class Channel(models.TextChoices):
    """How the form reached us."""

    PUBLIC_WEB = "public_web", _("Public web page")
    IN_PERSON = "in_person", _("In person")
    MAIL = "mail", _("Mail")
    PHONE = "phone", _("Phone (written down by staff)")
    EMAIL = "email", _("Email")


class OutsideAgency(models.Model):
    """An agency a person may also go to (the letters list the active ones). An admin edits them."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("listed in letters and on the public page"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("outside agency")
        verbose_name_plural = _("outside agencies")

    def __str__(self) -> str:
        return self.name


class CommitteeMeeting(models.Model):
    """A meeting of the Outcomes and Measurements Committee; grievances go on the next one's agenda."""

    date = models.DateField(_("date"), unique=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"O&M Committee meeting {self.date:%Y-%m-%d}"


class Filing(models.Model):
    """What both forms share: who filed, how, in what language, with whose help."""

    complainant_name = models.CharField(_("name"), max_length=policy.SHORT_TEXT_MAX_CHARS)
    address = models.TextField(_("address"), blank=True)
    phone_home = models.CharField(_("home phone"), max_length=40, blank=True)
    phone_work = models.CharField(_("work phone"), max_length=40, blank=True)
    phone_cell = models.CharField(_("cell phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language for letters"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    description = models.TextField(_("what happened"), blank=True)
    signature_name = models.CharField(_("signature (typed name)"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("received by"), max_length=12, choices=Channel.choices, default=Channel.IN_PERSON)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 help_text=_("The staff member who entered the form (empty for the public page)."))
    assisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    help_text=_("Staff who wrote the complaint for a complainant unable to write it."))
    interpreter = models.CharField(_("interpreter requested (language, or sign language)"), max_length=100, blank=True)
    accessible_format = models.CharField(_("accessible format needs"), max_length=policy.LONG_TEXT_MAX_CHARS, blank=True)
    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               help_text=_("The complainant's record in the CES, when staff linked it."))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def phones(self) -> list[str]:
        return [phone for phone in (self.phone_cell, self.phone_home, self.phone_work) if phone]


class TitleViComplaint(Filing):
    """A discrimination complaint on any protected basis (Appendix D's Title VI form, Sections I–V)."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Incomplete: not processed until complete")
        RECEIVED = "received", _("Received: jurisdiction review")
        CLOSED_UNTIMELY = "closed_untimely", _("Closed: received more than 180 days after the incident")
        CLOSED_NO_JURISDICTION = "closed_no_jurisdiction", _("Closed: not ours to investigate")
        INVESTIGATING = "investigating", _("Investigating")
        AWAITING_INFORMATION = "awaiting_information", _("Waiting for information from the complainant")
        CLOSED_NO_VIOLATION = "closed_no_violation", _("Closed: no violation (closure letter)")
        CLOSED_FINDING = "closed_finding", _("Closed: letter of finding")
        CLOSED_ADMINISTRATIVE = "closed_administrative", _("Closed administratively: no answer to the request")
        WITHDRAWN = "withdrawn", _("Withdrawn by the complainant")
        APPEALED = "appealed", _("Appealed")
        APPEAL_DECIDED = "appeal_decided", _("Appeal decided")

    OPEN_STATUSES = (Status.INCOMPLETE, Status.RECEIVED, Status.INVESTIGATING, Status.AWAITING_INFORMATION, Status.APPEALED)

    # Section II: filing for someone else.
    on_own_behalf = models.BooleanField(_("filing on own behalf"), default=True)
    third_party_name = models.CharField(_("name of the person complained for"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    third_party_relationship = models.CharField(_("relationship"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    third_party_reason = models.TextField(_("why filed for a third party"), blank=True)
    third_party_permission = models.BooleanField(_("permission of the aggrieved party obtained"), null=True, blank=True)
    # Section III.
    bases = ArrayField(models.CharField(max_length=24, choices=policy.BASES), default=list, blank=True, verbose_name=_("bases"))
    incident_date = models.DateField(_("date of the alleged discrimination"), null=True, blank=True)
    people_involved = models.TextField(_("names and titles of the people involved"), blank=True)
    accommodation_request = models.TextField(_("reasonable accommodation requested"), blank=True)
    agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("agency complained about"))
    # Section IV and V.
    previously_filed_here = models.BooleanField(_("filed a complaint with this agency before"), null=True, blank=True)
    filed_elsewhere = models.BooleanField(_("filed with another agency or court"), null=True, blank=True)
    filed_elsewhere_with = ArrayField(models.CharField(max_length=20, choices=policy.OTHER_FILINGS), default=list, blank=True,
                                      verbose_name=_("filed with"))
    other_contact_name = models.CharField(_("contact there: name"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    other_contact_title = models.CharField(_("contact there: title"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    other_contact_agency = models.CharField(_("contact there: agency or court"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    other_contact_address = models.TextField(_("contact there: address"), blank=True)
    other_contact_phone = models.CharField(_("contact there: phone"), max_length=40, blank=True)
    # The procedure.
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.INCOMPLETE)
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    accepted_on = models.DateField(_("jurisdiction accepted on"), null=True, blank=True)
    investigation_due = models.DateField(_("investigation due"), null=True, blank=True)
    jurisdiction_note = models.TextField(_("jurisdiction review"), blank=True)
    information_requested = models.TextField(_("information requested"), blank=True)
    information_requested_on = models.DateField(_("information requested on"), null=True, blank=True)
    information_due = models.DateField(_("information due"), null=True, blank=True)
    information_overdue_at = models.DateTimeField(_("no answer by the due date (flagged)"), null=True, blank=True)
    information_received_on = models.DateField(_("information received on"), null=True, blank=True)
    summary = models.TextField(_("summary of the allegations"), blank=True)
    interviews = models.TextField(_("interviews"), blank=True)
    actions = models.TextField(_("disciplinary action, training or other action"), blank=True)
    outcome_letter_on = models.DateField(_("outcome letter dated"), null=True, blank=True)
    appeal_due = models.DateField(_("last day to appeal"), null=True, blank=True)
    appeal_received_on = models.DateField(_("appeal received on"), null=True, blank=True)
    appeal_grounds = models.TextField(_("appeal"), blank=True)
    appeal_decision = models.TextField(_("appeal decision"), blank=True)
    appeal_decided_on = models.DateField(_("appeal decided on"), null=True, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("Title VI complaint")
        indexes = [models.Index(fields=["status", "received_on"], name="titlevi_status_idx")]

    def __str__(self) -> str:
        return f"Title VI complaint #{self.pk}"

    @property
    def reference(self) -> str:
        return f"T6-{self.pk:05d}"


class Grievance(Filing):
    """A grievance of someone wrongly denied from a program (Appendix E's Coordinated Entry grievance form)."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Incomplete: not processed until complete")
        RECEIVED = "received", _("Received: for the committee")
        CLOSED_UNTIMELY = "closed_untimely", _("Closed: received more than 180 days after the denial")
        DECIDED = "decided", _("Decided by Board vote")
        APPEALED = "appealed", _("Appealed to a funder")
        WITHDRAWN = "withdrawn", _("Withdrawn by the complainant")

    OPEN_STATUSES = (Status.INCOMPLETE, Status.RECEIVED)

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Grievance upheld")
        NOT_UPHELD = "not_upheld", _("Grievance not upheld")
        OTHER = "other", _("Other (see the decision)")

    agency = models.ForeignKey("ces.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("agency that denied"))
    program = models.ForeignKey("ces.Program", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="grievances",
                                 help_text=_("The rejected referral the grievance is about."))
    denial_date = models.DateField(_("date of the denial"), null=True, blank=True)
    communicated_by = models.TextField(_("names and titles of who communicated the denial"), blank=True)
    previously_filed = models.BooleanField(_("filed a grievance about this agency before"), null=True, blank=True)
    previously_filed_dates = models.CharField(_("dates"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    tried_with_program = models.BooleanField(_("tried first to resolve it with the receiving program"), null=True, blank=True)
    program_answer = models.TextField(_("the program's answer"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INCOMPLETE)
    committee_response_due = models.DateField(_("committee response due"), null=True, blank=True)
    responded_on = models.DateField(_("committee responded on"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    response_note = models.TextField(_("response"), blank=True)
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda")
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    appeal_to = models.CharField(_("appealed to (funding agency or board)"), max_length=policy.SHORT_TEXT_MAX_CHARS, blank=True)
    appeal_on = models.DateField(_("appealed on"), null=True, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("CE grievance")
        indexes = [models.Index(fields=["status", "received_on"], name="grievance_status_idx")]

    def __str__(self) -> str:
        return f"CE grievance #{self.pk}"

    @property
    def reference(self) -> str:
        return f"GR-{self.pk:05d}"


class Letter(models.Model):
    """A letter to a complainant: a PDF of the one document store (ces.documents), every version kept,
    its sending recorded. `document` is the current version; history keeps the earlier ones."""

    class Kind(models.TextChoices):
        UNTIMELY = "untimely", _("Untimely: received after 180 days")
        INCOMPLETE = "incomplete", _("Incomplete: what is missing")
        ACKNOWLEDGMENT = "acknowledgment", _("Acknowledgment: will be investigated")
        NO_JURISDICTION = "no_jurisdiction", _("Acknowledgment: not ours to investigate")
        INFORMATION_REQUEST = "information_request", _("Request for information")
        ADMINISTRATIVE_CLOSURE = "administrative_closure", _("Administrative closure: no answer")
        WITHDRAWAL = "withdrawal", _("Administrative closure: withdrawn")
        CLOSURE = "closure", _("Closure letter: no violation")
        FINDING = "finding", _("Letter of finding")
        APPEAL_DECISION = "appeal_decision", _("Appeal decision")
        RESPONSE = "response", _("Committee response")
        DECISION = "decision", _("Committee decision")

    class SentChannel(models.TextChoices):
        MAIL = "mail", _("Mail")
        EMAIL = "email", _("Email")
        IN_PERSON = "in_person", _("Handed over in person")

    complaint = models.ForeignKey(TitleViComplaint, on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    grievance = models.ForeignKey(Grievance, on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    dated = models.DateField(_("letter date"))
    document = models.ForeignKey("ces.ClientDocument", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sent_channel = models.CharField(_("sent by"), max_length=10, choices=SentChannel.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dated", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False, grievance__isnull=True)
                | models.Q(complaint__isnull=True, grievance__isnull=False),
                name="letter_about_one_complaint_or_grievance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}, {self.dated:%Y-%m-%d})"

    @property
    def case(self):
        return self.complaint if self.complaint_id else self.grievance


def _attachment_path(instance: "Attachment", filename: str) -> str:
    owner = f"title-vi/{instance.complaint_id}" if instance.complaint_id else f"grievance/{instance.grievance_id}"
    return f"grievances/{owner}/{filename}"


class Attachment(models.Model):
    """A file the complainant attached (PDF, PNG or JPEG, recognised by content). Served only
    through a logged-in view that checks access and writes the access log."""

    complaint = models.ForeignKey(TitleViComplaint, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    grievance = models.ForeignKey(Grievance, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False, grievance__isnull=True)
                | models.Q(complaint__isnull=True, grievance__isnull=False),
                name="attachment_of_one_complaint_or_grievance",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class RetaliationFlag(models.Model):
    """An adverse change to a complainant's list entry or referral within 90 days after filing,
    for CoC staff to review (grievances.md, non-retaliation). Found by the daily watch."""

    complaint = models.ForeignKey(TitleViComplaint, on_delete=models.PROTECT, null=True, blank=True, related_name="retaliation_flags")
    grievance = models.ForeignKey(Grievance, on_delete=models.PROTECT, null=True, blank=True, related_name="retaliation_flags")
    record_type = models.CharField(max_length=40)  # "bnl.bnlentry" or "referrals.referral"
    record_id = models.PositiveBigIntegerField()
    history_id = models.PositiveBigIntegerField()
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    change = models.CharField(_("change"), max_length=300)
    reason = models.TextField(_("reason recorded with the change"), blank=True)
    flagged_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review_note = models.TextField(_("review"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False, grievance__isnull=True)
                | models.Q(complaint__isnull=True, grievance__isnull=False),
                name="flag_about_one_complaint_or_grievance",
            ),
            models.UniqueConstraint(fields=["complaint", "record_type", "history_id"], name="flag_once_per_complaint_change"),
            models.UniqueConstraint(fields=["grievance", "record_type", "history_id"], name="flag_once_per_grievance_change"),
        ]

    def __str__(self) -> str:
        return self.change

    @property
    def case(self):
        return self.complaint if self.complaint_id else self.grievance


class PublicAttempt(models.Model):
    """One submission of the public form, for the rate limit: a keyed hash of the address and
    the time, nothing of what was typed. Rows older than a day are deleted as new ones come."""

    address_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address_hash", "at"], name="public_attempt_idx")]

    def __str__(self) -> str:
        return f"public form submission {self.at:%Y-%m-%d %H:%M}"
