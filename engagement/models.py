from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engagement import policy


class EngagementCase(models.Model):
    """Outreach to one client for one program, under the program's engagement policy."""

    class Policy(models.TextChoices):
        ASSERTIVE = "assertive", _("Assertive engagement")
        DISENGAGEMENT_30_60 = "disengagement_30_60", _("30/60-day disengagement")

    class Kind(models.TextChoices):
        NEW_REFERRAL = "new_referral", _("New referral")
        LOST_CONTACT = "lost_contact", _("Existing client who lost contact")

    class Status(models.TextChoices):
        OUTREACH = "outreach", _("Outreach: trying to reach the client")
        ENGAGED = "engaged", _("Engaged")
        CLOSED = "closed", _("File closed")
        ACTIVE = "active", _("Active")
        DUE_FOR_ENGAGEMENT = "due_for_engagement", _("Due for Engagement status (30 days inactive)")
        ENGAGEMENT = "engagement", _("Engagement status")
        DUE_FOR_HOLD = "due_for_hold", _("Due for Hold (60 days inactive)")
        HOLD = "hold", _("Hold")

    OPEN_STATUSES = (Status.OUTREACH, Status.ENGAGED, Status.ACTIVE, Status.DUE_FOR_ENGAGEMENT, Status.ENGAGEMENT,
                     Status.DUE_FOR_HOLD, Status.HOLD)

    client = models.ForeignKey("ces.Client", on_delete=models.PROTECT, related_name="engagement_cases")
    program = models.ForeignKey("ces.Program", on_delete=models.PROTECT, related_name="engagement_cases")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagement_cases")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="engagement_cases")
    policy = models.CharField(max_length=24, choices=Policy.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEW_REFERRAL)
    status = models.CharField(max_length=24, choices=Status.choices)
    opened_on = models.DateField(_("T0: assigned to a worker with capacity"))
    ceiling_on = models.DateField(_("outreach ends (existing clients)"), null=True, blank=True)
    lost_contact_at = models.DateTimeField(_("contact lost (outreach to an existing client since)"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact or service"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "program"],
                condition=~models.Q(status="closed"),
                name="one_open_engagement_case_per_client_and_program",
            )
        ]

    def __str__(self) -> str:
        return f"Engagement #{self.pk} ({self.get_status_display()})"


class ContactAttempt(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Main phone")
        VOICEMAIL = "voicemail", _("Voicemail")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        ALTERNATE_PHONE = "alternate_phone", _("Alternate phone number")
        ALTERNATE_CONTACT = "alternate_contact", _("Alternate / family support contact")
        REFERRAL_SOURCE = "referral_source", _("Referral source")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached the client")
        NO_ANSWER = "no_answer", _("No answer")
        LEFT_VOICEMAIL = "left_voicemail", _("Left a voicemail")
        MESSAGE_SENT = "message_sent", _("Message sent")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        BOUNCED = "bounced", _("Bounced / undeliverable")

    case = models.ForeignKey(EngagementCase, on_delete=models.PROTECT, related_name="attempts")
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.outcome} ({self.at:%Y-%m-%d %H:%M})"


class ServiceRecord(models.Model):
    """A service delivered to the client: like a reached contact, it resets the 30-day clock of the 30/60 protocol."""

    case = models.ForeignKey(EngagementCase, on_delete=models.PROTECT, related_name="services")
    at = models.DateTimeField(_("delivered at"))
    kind = models.CharField(_("service"), max_length=20, choices=policy.SERVICE_KINDS)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.at:%Y-%m-%d %H:%M})"


class OutreachStep(models.Model):
    """A step of the assertive timeline with its due date in business days."""

    class Number(models.IntegerChoices):
        FIRST_ROUND = 1, _("First round: main phone and email/text/alternate number")
        SECOND_ROUND = 3, _("Second round: main phone again and email/text/alternate number")
        ALTERNATE_CONTACT = 5, _("Alternate / family support contact")
        REFERRAL_SOURCE = 6, _("Contact the referral source to advise")
        LETTER = 7, _("Send the no-contact letter and notify the referral source")
        FURTHER_ROUND = 9, _("Another round (existing client)")

    case = models.ForeignKey(EngagementCase, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(choices=Number.choices)
    not_before = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "due_on", "id"]

    def __str__(self) -> str:
        return f"Step {self.number} of case #{self.case_id}, due {self.due_on}"


class Letter(models.Model):
    class Kind(models.TextChoices):
        NO_CONTACT = "no_contact", _("No-contact letter")
        HOLD = "hold", _("Hold letter")

    class Channel(models.TextChoices):
        MAIL = "mail", _("Mail")
        EMAIL = "email", _("Email")

    case = models.ForeignKey(EngagementCase, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    language = models.CharField(max_length=2)
    document = models.ForeignKey("ces.ClientDocument", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    sent_channel = models.CharField(max_length=8, choices=Channel.choices)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer_by = models.DateField(_("the letter asks for an answer by the end of"), null=True, blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.kind} letter of case #{self.case_id} ({self.language})"


class StatusForm(models.Model):
    """The 30/60 protocol's Step 1 (→ Engagement) and Step 2 (→ Hold) forms, with their sign-offs."""

    case = models.ForeignKey(EngagementCase, on_delete=models.PROTECT, related_name="forms")
    step = models.PositiveSmallIntegerField(choices=[(1, _("Step 1: Engagement status")), (2, _("Step 2: Hold"))])
    status_change_date = models.DateField()
    requestor = models.CharField(max_length=10)
    reason = models.CharField(max_length=40)
    comments = models.TextField()
    team_consensus_date = models.DateField(null=True, blank=True)
    worker_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    worker_signed_at = models.DateTimeField()
    second_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         help_text=_("Director of Services (step 1) or Team Leader (step 2)"))
    second_signed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "step", "id"]

    def __str__(self) -> str:
        return f"Step {self.step} form of case #{self.case_id}"
