"""Title VI complaints and CE grievances: filing, the clocks, the letters, the vote, appeals.

Every write is here, keyword-only and atomic, with `actor`. The rules of Appendix D and E:

- a form received more than 180 days after the incident (the denial) is recorded and closed
  untimely, with a letter; an incomplete form waits, with a letter saying what is missing;
- Title VI: jurisdiction review → acknowledgment letter and 30 days to investigate (reminders);
  information requests give the complainant 15 business days from the letter's date, after
  which the job flags the case and staff may close it administratively; withdrawal; a closure
  letter or a letter of finding; an appeal within 30 days of that letter, refused after;
- CE grievances: the committee responds within 15 business days of receipt (reminders); the
  grievance goes on the next committee meeting's agenda and is settled by Board vote; the
  person may then appeal to a funder.

Every clock is a deadline row (ces.deadlines, handlers in grievances/timers.py); business days
come from ces.business_days. Refusals are ces.errors with messages keyed by input field.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces import roles
from ces.access import clients_visible_to
from ces.audit import history_save
from ces.business_days import add_business_days
from ces.deadlines import deadline_cancel, deadline_schedule
from ces.errors import NON_FIELD, Invalid
from ces.models import Agency, Client, Program, User
from ces.notifications import notification_send
from ces.selectors import users_with_role
from ces.system_user import system_user_get
from grievances import policy
from grievances.completeness import complaint_missing, grievance_missing, is_untimely, public_missing
from grievances.letters import letter_make
from grievances.models import Channel, CommitteeMeeting, Grievance, Letter, TitleViComplaint
from grievances.policy import (
    COMMITTEE_OVERDUE,
    COMMITTEE_REMINDER,
    INFORMATION_OVERDUE,
    INVESTIGATION_OVERDUE,
    INVESTIGATION_REMINDER,
)
from grievances.retaliation import watch_start
from grievances.selectors import (
    ADD_COMPLAINTS,
    ADD_GRIEVANCES,
    ADD_MEETINGS,
    CHANGE_COMPLAINTS,
    CHANGE_GRIEVANCES,
    next_meeting_on_or_after,
    require_perm,
)
from grievances.uploads import attachments_check, attachments_store
from referrals.models import Referral

Status = TitleViComplaint.Status
GStatus = Grievance.Status
Kind = Letter.Kind

COMPLAINT_CLOCKS = [INVESTIGATION_REMINDER, INVESTIGATION_OVERDUE, INFORMATION_OVERDUE]
GRIEVANCE_CLOCKS = [COMMITTEE_REMINDER, COMMITTEE_OVERDUE]

INCIDENT_AFTER_RECEIPT = _("The incident cannot be after the date the complaint was received.")
DENIAL_AFTER_RECEIPT = _("The denial cannot be after the date the grievance was received.")
NO_SUCH_AGENCY = _("No such agency: choose one from the list.")
NO_SUCH_PROGRAM = _("No such program: choose one of the agency's programs.")
NO_SUCH_CLIENT = _("No such client among the people whose records you may see.")
NO_SUCH_REFERRAL = _("No such referral.")
REFERRAL_NOT_REJECTED = _("A grievance can be linked only to a referral the program rejected.")
REFERRAL_OTHER_AGENCY = _("That referral was rejected by {agency}: choose that agency, or leave the agency empty.")
NO_SUCH_INVESTIGATOR = _("Choose a CoC staff member or committee member as the investigator.")
PUBLIC_CHANNEL_ONLY = _("“public_web” is for forms sent on the public page: choose how this one reached you.")
NOT_ACCEPTED_HERE = _("The form could not be accepted. Please try again, or call us for help.")
DATE_BEFORE_RECEIPT = _("This date is before the complaint was received ({received}).")
DATE_BEFORE_LAST_STEP = _("This date is before the case's last step ({last}).")
WRONG_STATUS = _("Not possible now: the complaint is “{status}”.")
WRONG_GRIEVANCE_STATUS = _("Not possible now: the grievance is “{status}”.")
STILL_INCOMPLETE = _("Still incomplete: {missing}")
ADMINISTRATIVE_TOO_EARLY = _("The complainant has until {due} to answer: the case can be closed administratively only after that.")
ADMINISTRATIVE_NO_REQUEST = _("Administrative closure is for a request for information left unanswered; use “withdraw” "
                              "if the complainant no longer wishes to pursue the case.")
APPEAL_LATE = _("The appeal came too late: it had to be received within {days} days of the letter of {letter}, by {last}.")
APPEAL_BEFORE_LETTER = _("The appeal cannot be received before the letter it appeals ({letter}).")
NOT_APPEALABLE = _("Only a closure letter or a letter of finding can be appealed, once.")
ALREADY_RESPONDED = _("The committee already responded on {on}.")
NO_VOTES = _("Record the votes: at least one vote for, against or abstaining.")
DECISION_REQUIRED = _("Write the decision.")
APPEAL_TO_REQUIRED = _("Write the funding agency or board the person appealed to.")
APPEAL_BEFORE_DECISION = _("The appeal cannot be before the decision ({decided}).")
MEETING_EXISTS = _("There is already a committee meeting on that date.")
ONLY_CONTACT_NOW = _("After the review started only the contact details can be corrected: {fields}.")
CONTACT_FIELDS = ("complainant_name", "address", "phone_home", "phone_work", "phone_cell", "email", "language",
                  "accessible_format", "interpreter")


# --- small helpers ------------------------------------------------------------------------


def _at(day: date, hour: int = policy.REMINDER_HOUR) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _after(day: date) -> datetime:
    """Just after `day` ends: the moment a deadline of that day has passed."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time(0, policy.AFTER_DAY_MINUTES)))


def _schedule_reminders(kind: str, subject, days: list[date]) -> None:
    now = timezone.now()
    for day in days:
        if _at(day) > now:  # a reminder already past (a back-dated case) would only be noise
            deadline_schedule(kind=kind, subject=subject, due_at=_at(day))


def _staff() -> list[User]:
    return list(users_with_role(roles.COC_STAFF, roles.COMMITTEE).order_by("pk"))


def _notify(users, *, subject, body, link: str) -> None:
    for user in users:
        notification_send(recipient=user, subject=subject, body=body, link=link)


def complaint_link(complaint: TitleViComplaint) -> str:
    return reverse("grievances-complaint", args=[complaint.pk])


def grievance_link(grievance: Grievance) -> str:
    return reverse("grievances-grievance", args=[grievance.pk])


def _lock_complaint(complaint: TitleViComplaint) -> TitleViComplaint:
    return TitleViComplaint.objects.select_for_update().get(pk=complaint.pk)


def _lock_grievance(grievance: Grievance) -> Grievance:
    return Grievance.objects.select_for_update().get(pk=grievance.pk)


def _require_status(case, allowed, message=WRONG_STATUS) -> None:
    if case.status not in allowed:
        raise Invalid({NON_FIELD: [format_lazy(message, status=case.get_status_display())]})


def _latest(*days: date | None) -> date | None:
    known = [day for day in days if day is not None]
    return max(known) if known else None


def _on_or_after(day: date | None, earliest: date | None, message, field: str = "on", **names) -> date:
    """The date of an action: as given, but not before the case's `earliest` event; not given,
    today (or that event's date, when a case was entered ahead of today)."""
    if day is None:
        return max(timezone.localdate(), earliest) if earliest else timezone.localdate()
    if earliest is not None and day < earliest:
        raise Invalid({field: [format_lazy(message, **names)]})
    return day


def _client_for(actor: User, client_id: int | None) -> Client | None:
    if client_id is None:
        return None
    client = clients_visible_to(actor).filter(pk=client_id).first()
    if client is None:
        raise Invalid({"client_id": [NO_SUCH_CLIENT]})
    return client


def _agency_for(agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Invalid({"agency_id": [NO_SUCH_AGENCY]})
    return agency


def _staff_channel(channel: str) -> None:
    if channel == Channel.PUBLIC_WEB:
        raise Invalid({"channel": [PUBLIC_CHANNEL_ONLY]})


def _missing_errors(missing) -> dict:
    errors: dict = {}
    for field, message in missing:
        errors.setdefault(field, []).append(message)
    return errors


# --- Title VI complaints: filing -------------------------------------------------------------

COMPLAINT_FIELDS = (
    "complainant_name", "address", "phone_home", "phone_work", "phone_cell", "email", "language", "accessible_format",
    "interpreter", "description", "signature_name", "signed_on", "on_own_behalf", "third_party_name",
    "third_party_relationship", "third_party_reason", "third_party_permission", "bases", "incident_date", "people_involved",
    "accommodation_request", "previously_filed_here", "filed_elsewhere", "filed_elsewhere_with", "other_contact_name",
    "other_contact_title", "other_contact_agency", "other_contact_address", "other_contact_phone",
)


def _complaint_check(values: dict, received_on: date) -> None:
    if values.get("incident_date") and values["incident_date"] > received_on:
        raise Invalid({"incident_date": [INCIDENT_AFTER_RECEIPT]})


def _complaint_create(*, values: dict, received_on: date, channel: str, actor: User, filed_by: User | None,
                      assisted_by: User | None, client: Client | None, agency: Agency | None, checked) -> TitleViComplaint:
    complaint = TitleViComplaint(**{key: values[key] for key in COMPLAINT_FIELDS if key in values},
                                 received_on=received_on, channel=channel, filed_by=filed_by, assisted_by=assisted_by,
                                 client=client, agency=agency)
    complaint.bases = sorted(set(complaint.bases), key=policy.BASIS_CODES.index)
    complaint.filed_elsewhere_with = sorted(set(complaint.filed_elsewhere_with), key=policy.OTHER_FILING_CODES.index)
    if complaint.filed_elsewhere_with and complaint.filed_elsewhere is None:
        complaint.filed_elsewhere = True
    _complaint_settle(complaint, actor=actor, on=received_on, reason=f"complaint received ({channel})")
    attachments_store(checked=checked, case=complaint, actor=actor)
    watch_start(complaint)
    return complaint


def _complaint_status(complaint: TitleViComplaint) -> str:
    if is_untimely(event=complaint.incident_date, received=complaint.received_on, days=policy.COMPLAINT_TIMELY_DAYS):
        return Status.CLOSED_UNTIMELY
    if complaint_missing(_as_values(complaint)):
        return Status.INCOMPLETE
    return Status.RECEIVED


def _complaint_settle(complaint: TitleViComplaint, *, actor: User, on: date, reason: str) -> None:
    """Save the complaint in the status its answers give it (untimely, incomplete, or ready for the
    jurisdiction review); when that status is new, its letter and the notices."""
    before = complaint.status if complaint.pk else None
    complaint.status = _complaint_status(complaint)
    if complaint.status == Status.CLOSED_UNTIMELY:
        complaint.closed_on = on
    history_save(complaint, actor=actor, reason=f"{reason}: {complaint.status}")
    if complaint.status == before:
        return
    if complaint.status == Status.CLOSED_UNTIMELY:
        letter_make(case=complaint, kind=Kind.UNTIMELY, dated=on, actor=actor)
        subject = format_lazy(_("{reference}: received after {days} days, closed untimely (letter ready)"),
                              reference=complaint.reference, days=policy.COMPLAINT_TIMELY_DAYS)
    elif complaint.status == Status.INCOMPLETE:
        letter_make(case=complaint, kind=Kind.INCOMPLETE, dated=on, actor=actor)
        subject = format_lazy(_("{reference}: incomplete complaint (letter of what is missing ready)"),
                              reference=complaint.reference)
    else:
        subject = format_lazy(_("New discrimination complaint {reference} to review"), reference=complaint.reference)
    _notify(_staff(), subject=subject, body=format_lazy(_("Received on {day}."), day=complaint.received_on),
            link=complaint_link(complaint))


def _as_values(case) -> dict:
    values = {field.name: getattr(case, field.name) for field in case._meta.concrete_fields}
    values["agency"] = case.agency_id
    return values


@transaction.atomic
def title_vi_complaint_file(*, actor: User, received_on: date | None = None, channel: str = Channel.IN_PERSON,
                            assisted: bool = False, client_id: int | None = None, agency_id: int | None = None,
                            attachments=(), **values) -> TitleViComplaint:
    """A complaint entered by CoC staff or the committee (in person, by mail, by phone...)."""
    require_perm(actor, ADD_COMPLAINTS)
    _staff_channel(channel)
    received_on = received_on or timezone.localdate()
    _complaint_check(values, received_on)
    client = _client_for(actor, client_id)
    agency = _agency_for(agency_id)
    checked = attachments_check(list(attachments))
    return _complaint_create(values=values, received_on=received_on, channel=channel, actor=actor, filed_by=actor,
                             assisted_by=actor if assisted else None, client=client, agency=agency, checked=checked)


@transaction.atomic
def title_vi_complaint_file_public(*, attachments=(), confirmation: bool = False, leave_blank: str = "",
                                   agency_id: int | None = None, **values) -> TitleViComplaint:
    """The public page: the same form, complete or refused (nothing is stored when refused)."""
    if leave_blank:
        raise Invalid({NON_FIELD: [NOT_ACCEPTED_HERE]})
    today = timezone.localdate()
    missing = complaint_missing(values) + public_missing({**values, "confirmation": confirmation})
    if missing:
        raise Invalid(_missing_errors(missing))
    _complaint_check(values, today)
    agency = _agency_for(agency_id)
    checked = attachments_check(list(attachments))
    values.setdefault("signed_on", None)
    values["signed_on"] = values["signed_on"] or today
    return _complaint_create(values=values, received_on=today, channel=Channel.PUBLIC_WEB, actor=system_user_get(),
                             filed_by=None, assisted_by=None, client=None, agency=agency, checked=checked)


@transaction.atomic
def title_vi_complaint_amend(*, complaint: TitleViComplaint, actor: User, reason: str = "", **values) -> TitleViComplaint:
    """Correct or complete the form. Until the review starts, every answer; afterwards, the contact details."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    editable = complaint.status in (Status.INCOMPLETE, Status.RECEIVED)
    if not editable and set(values) - set(CONTACT_FIELDS):
        raise Invalid({NON_FIELD: [format_lazy(ONLY_CONTACT_NOW, fields=", ".join(CONTACT_FIELDS))]})
    agency_id = values.pop("agency_id", complaint.agency_id)
    complaint.agency = _agency_for(agency_id)
    for key, value in values.items():
        setattr(complaint, key, value)
    _complaint_check(_as_values(complaint), complaint.received_on)
    if complaint.status == Status.RECEIVED and complaint_missing(_as_values(complaint)):
        raise Invalid(_missing_errors(complaint_missing(_as_values(complaint))))
    if editable:
        _complaint_settle(complaint, actor=actor, on=timezone.localdate(), reason=reason or "form amended")
    else:
        history_save(complaint, actor=actor, reason=reason or "contact details corrected")
    return complaint


@transaction.atomic
def title_vi_complaint_link_client(*, complaint: TitleViComplaint, actor: User, client_id: int | None) -> TitleViComplaint:
    """Link the complainant's record (for the non-retaliation watch), or unlink it."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    complaint.client = _client_for(actor, client_id)
    history_save(complaint, actor=actor, reason="complainant's record linked" if client_id else "complainant's record unlinked")
    watch_start(complaint)
    return complaint


# --- Title VI complaints: the procedure ----------------------------------------------------


def _investigator_for(actor: User, investigator_id: int | None) -> User:
    if investigator_id is None:
        return actor
    investigator = users_with_role(roles.COC_STAFF, roles.COMMITTEE).filter(pk=investigator_id).first()
    if investigator is None:
        raise Invalid({"investigator_id": [NO_SUCH_INVESTIGATOR]})
    return investigator


@transaction.atomic
def complaint_accept(*, complaint: TitleViComplaint, actor: User, on: date | None = None, investigator_id: int | None = None,
                     note: str = "") -> TitleViComplaint:
    """Jurisdiction accepted: the acknowledgment letter, and 30 days to investigate from its date."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    _require_status(complaint, [Status.RECEIVED])
    on = _on_or_after(on, complaint.received_on, DATE_BEFORE_RECEIPT, received=complaint.received_on)
    complaint.investigator = _investigator_for(actor, investigator_id)
    complaint.status = Status.INVESTIGATING
    complaint.accepted_on = on
    complaint.investigation_due = on + timedelta(days=policy.INVESTIGATION_DAYS)
    complaint.jurisdiction_note = note
    history_save(complaint, actor=actor, reason="jurisdiction accepted: investigation opened")
    due = complaint.investigation_due
    _schedule_reminders(INVESTIGATION_REMINDER, complaint, [due - timedelta(days=n) for n in policy.INVESTIGATION_REMINDER_DAYS_BEFORE])
    deadline_schedule(kind=INVESTIGATION_OVERDUE, subject=complaint, due_at=_after(due))
    letter_make(case=complaint, kind=Kind.ACKNOWLEDGMENT, dated=on, actor=actor)
    if complaint.investigator_id != actor.pk:
        notification_send(recipient=complaint.investigator,
                          subject=format_lazy(_("You investigate {reference} (due {due})"), reference=complaint.reference, due=due),
                          link=complaint_link(complaint))
    return complaint


@transaction.atomic
def complaint_decline(*, complaint: TitleViComplaint, actor: User, on: date | None = None, note: str = "") -> TitleViComplaint:
    """No jurisdiction: the acknowledgment letter says it will not be investigated here, and where to go."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    _require_status(complaint, [Status.RECEIVED])
    on = _on_or_after(on, complaint.received_on, DATE_BEFORE_RECEIPT, received=complaint.received_on)
    complaint.status = Status.CLOSED_NO_JURISDICTION
    complaint.jurisdiction_note = note
    complaint.closed_on = on
    history_save(complaint, actor=actor, reason="no jurisdiction: not investigated here")
    letter_make(case=complaint, kind=Kind.NO_JURISDICTION, dated=on, actor=actor)
    return complaint


@transaction.atomic
def complaint_request_info(*, complaint: TitleViComplaint, actor: User, on: date | None = None,
                           requested: str = "") -> TitleViComplaint:
    """Ask the complainant for more information: 15 business days from the letter's date."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    _require_status(complaint, [Status.RECEIVED, Status.INVESTIGATING, Status.AWAITING_INFORMATION])
    earliest = _latest(complaint.received_on, complaint.accepted_on, complaint.information_requested_on,
                       complaint.information_received_on)
    on = _on_or_after(on, earliest, DATE_BEFORE_LAST_STEP, last=earliest)
    complaint.status = Status.AWAITING_INFORMATION
    complaint.information_requested = requested
    complaint.information_requested_on = on
    complaint.information_due = add_business_days(on, policy.INFORMATION_BUSINESS_DAYS)
    complaint.information_overdue_at = None
    complaint.information_received_on = None
    history_save(complaint, actor=actor, reason="information requested from the complainant")
    deadline_cancel(subject=complaint, reason="a new request for information", kinds=[INFORMATION_OVERDUE])
    deadline_schedule(kind=INFORMATION_OVERDUE, subject=complaint, due_at=_after(complaint.information_due))
    letter_make(case=complaint, kind=Kind.INFORMATION_REQUEST, dated=on, actor=actor)
    return complaint


@transaction.atomic
def complaint_info_received(*, complaint: TitleViComplaint, actor: User, on: date | None = None,
                            note: str = "") -> TitleViComplaint:
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    _require_status(complaint, [Status.AWAITING_INFORMATION])
    on = _on_or_after(on, complaint.information_requested_on, DATE_BEFORE_LAST_STEP, last=complaint.information_requested_on)
    complaint.status = Status.INVESTIGATING if complaint.accepted_on else Status.RECEIVED
    complaint.information_received_on = on
    history_save(complaint, actor=actor, reason=f"information received{': ' + note if note else ''}")
    deadline_cancel(subject=complaint, reason="information received", kinds=[INFORMATION_OVERDUE])
    return complaint


def information_overdue_flag(*, complaint_id: int, now: datetime) -> bool:
    """The job: 15 business days passed without an answer. Flag it for staff to confirm the closure."""
    complaint = TitleViComplaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None or complaint.status != Status.AWAITING_INFORMATION or complaint.information_overdue_at is not None:
        return False
    if complaint.information_due is None or timezone.localtime(now).date() <= complaint.information_due:
        return False
    complaint.information_overdue_at = now
    history_save(complaint, actor=system_user_get(), reason="grievances.information_overdue: no answer in "
                 f"{policy.INFORMATION_BUSINESS_DAYS} business days, flagged for administrative closure")
    _notify(_staff(), subject=format_lazy(_("{reference}: no answer to the request for information"),
                                          reference=complaint.reference),
            body=format_lazy(_("The complainant had until {due} to answer. Confirm the administrative closure on the case, "
                               "or record the information if it arrived."), due=complaint.information_due),
            link=complaint_link(complaint))
    return True


@transaction.atomic
def complaint_close(*, complaint: TitleViComplaint, actor: User, outcome: str, on: date | None = None, summary: str = "",
                    interviews: str = "", actions: str = "", note: str = "") -> TitleViComplaint:
    """The investigator's letter: a closure letter (no violation) or a letter of finding; or the
    administrative closure staff confirm after an unanswered request for information."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    _require_status(complaint, [Status.RECEIVED, Status.INVESTIGATING, Status.AWAITING_INFORMATION])
    earliest = _latest(complaint.received_on, complaint.accepted_on, complaint.information_requested_on,
                       complaint.information_received_on)
    on = _on_or_after(on, earliest, DATE_BEFORE_LAST_STEP, last=earliest)
    complaint.closure_note = note
    complaint.closed_on = on
    if outcome == "administrative":
        if complaint.status != Status.AWAITING_INFORMATION:
            raise Invalid({"outcome": [ADMINISTRATIVE_NO_REQUEST]})
        if complaint.information_overdue_at is None and timezone.localdate() <= complaint.information_due:
            raise Invalid({"outcome": [format_lazy(ADMINISTRATIVE_TOO_EARLY, due=complaint.information_due)]})
        complaint.status = Status.CLOSED_ADMINISTRATIVE
        kind = Kind.ADMINISTRATIVE_CLOSURE
    else:
        if complaint.accepted_on is None:  # investigated and closed without a recorded review: it was ours
            complaint.accepted_on, complaint.investigator = on, complaint.investigator or actor
        complaint.status = Status.CLOSED_FINDING if outcome == "finding" else Status.CLOSED_NO_VIOLATION
        complaint.summary, complaint.interviews, complaint.actions = summary, interviews, actions
        complaint.outcome_letter_on = on
        complaint.appeal_due = on + timedelta(days=policy.APPEAL_DAYS)
        kind = Kind.FINDING if outcome == "finding" else Kind.CLOSURE
    history_save(complaint, actor=actor, reason=f"closed: {outcome}")
    deadline_cancel(subject=complaint, reason=f"closed: {outcome}", kinds=COMPLAINT_CLOCKS)
    letter_make(case=complaint, kind=kind, dated=on, actor=actor)
    return complaint


@transaction.atomic
def complaint_withdraw(*, complaint: TitleViComplaint, actor: User, on: date | None = None, note: str = "") -> TitleViComplaint:
    """The complainant no longer wishes to pursue the case: administrative closure."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    _require_status(complaint, [Status.INCOMPLETE, Status.RECEIVED, Status.INVESTIGATING, Status.AWAITING_INFORMATION])
    on = _on_or_after(on, complaint.received_on, DATE_BEFORE_RECEIPT, received=complaint.received_on)
    complaint.status = Status.WITHDRAWN
    complaint.closed_on = on
    complaint.closure_note = note
    history_save(complaint, actor=actor, reason="withdrawn by the complainant")
    deadline_cancel(subject=complaint, reason="withdrawn", kinds=COMPLAINT_CLOCKS)
    letter_make(case=complaint, kind=Kind.WITHDRAWAL, dated=on, actor=actor)
    return complaint


@transaction.atomic
def complaint_appeal(*, complaint: TitleViComplaint, actor: User, received_on: date | None = None,
                     grounds: str = "") -> TitleViComplaint:
    """An appeal of the closure letter or letter of finding: within 30 days of its date, refused after."""
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    if complaint.status not in (Status.CLOSED_NO_VIOLATION, Status.CLOSED_FINDING):
        raise Invalid({NON_FIELD: [NOT_APPEALABLE]})
    received_on = _on_or_after(received_on, complaint.outcome_letter_on, APPEAL_BEFORE_LETTER, field="received_on",
                               letter=complaint.outcome_letter_on)
    if received_on > complaint.appeal_due:
        raise Invalid({"received_on": [format_lazy(APPEAL_LATE, days=policy.APPEAL_DAYS, letter=complaint.outcome_letter_on,
                                                   last=complaint.appeal_due)]})
    complaint.status = Status.APPEALED
    complaint.appeal_received_on = received_on
    complaint.appeal_grounds = grounds
    history_save(complaint, actor=actor, reason="appeal received in time")
    _notify(_staff(), subject=format_lazy(_("{reference} appealed"), reference=complaint.reference),
            body=format_lazy(_("Appeal received on {day}."), day=received_on), link=complaint_link(complaint))
    return complaint


@transaction.atomic
def complaint_appeal_decide(*, complaint: TitleViComplaint, actor: User, decision: str, on: date | None = None) -> TitleViComplaint:
    require_perm(actor, CHANGE_COMPLAINTS)
    complaint = _lock_complaint(complaint)
    _require_status(complaint, [Status.APPEALED])
    if not decision.strip():
        raise Invalid({"decision": [DECISION_REQUIRED]})
    on = _on_or_after(on, complaint.appeal_received_on, DATE_BEFORE_RECEIPT, received=complaint.appeal_received_on)
    complaint.status = Status.APPEAL_DECIDED
    complaint.appeal_decision = decision
    complaint.appeal_decided_on = on
    history_save(complaint, actor=actor, reason="appeal decided")
    letter_make(case=complaint, kind=Kind.APPEAL_DECISION, dated=on, actor=actor)
    return complaint


# --- CE grievances ----------------------------------------------------------------------------

GRIEVANCE_FIELDS = (
    "complainant_name", "address", "phone_home", "phone_work", "phone_cell", "email", "language", "accessible_format",
    "interpreter", "description", "signature_name", "signed_on", "denial_date", "communicated_by", "previously_filed",
    "previously_filed_dates", "tried_with_program", "program_answer",
)


def _grievance_links(*, agency_id, program_id, referral_id) -> tuple[Agency | None, Program | None, Referral | None]:
    referral = None
    if referral_id is not None:
        referral = Referral.objects.select_related("program__agency", "entry").filter(pk=referral_id).first()
        if referral is None:
            raise Invalid({"referral_id": [NO_SUCH_REFERRAL]})
        if referral.status != Referral.Status.PROVIDER_REJECTED:
            raise Invalid({"referral_id": [REFERRAL_NOT_REJECTED]})
    agency = _agency_for(agency_id)
    if referral is not None:
        if agency is not None and agency.pk != referral.program.agency_id:
            raise Invalid({"agency_id": [format_lazy(REFERRAL_OTHER_AGENCY, agency=referral.program.agency.name)]})
        agency = referral.program.agency
    program = None
    if program_id is not None:
        program = Program.objects.filter(pk=program_id).first()
        if program is None or (agency is not None and program.agency_id != agency.pk):
            raise Invalid({"program_id": [NO_SUCH_PROGRAM]})
        agency = agency or program.agency
    elif referral is not None:
        program = referral.program
    return agency, program, referral


def _grievance_status(grievance: Grievance) -> str:
    if is_untimely(event=grievance.denial_date, received=grievance.received_on, days=policy.GRIEVANCE_TIMELY_DAYS):
        return GStatus.CLOSED_UNTIMELY
    if grievance_missing(_as_values(grievance)):
        return GStatus.INCOMPLETE
    return GStatus.RECEIVED


def _grievance_settle(grievance: Grievance, *, actor: User, on: date, reason: str) -> None:
    """Save the grievance in the status its answers give it. Newly complete and in time: the
    committee's 15-business-day response clock (from `on`: the day of receipt, or for a form
    completed later, the day it became complete) and the next meeting's agenda."""
    before = grievance.status if grievance.pk else None
    grievance.status = _grievance_status(grievance)
    opened = grievance.status == GStatus.RECEIVED and before != GStatus.RECEIVED
    if grievance.status == GStatus.CLOSED_UNTIMELY:
        grievance.closed_on = on
        grievance.meeting = None
    if opened:
        grievance.committee_response_due = add_business_days(on, policy.COMMITTEE_RESPONSE_BUSINESS_DAYS)
        grievance.meeting = next_meeting_on_or_after(grievance.received_on)
    history_save(grievance, actor=actor, reason=f"{reason}: {grievance.status}"
                 + (f"; on the agenda of {grievance.meeting}" if opened and grievance.meeting else ""))
    if grievance.status == before:
        return
    if grievance.status == GStatus.CLOSED_UNTIMELY:
        deadline_cancel(subject=grievance, reason="untimely", kinds=GRIEVANCE_CLOCKS)
        letter_make(case=grievance, kind=Kind.UNTIMELY, dated=on, actor=actor)
        subject = format_lazy(_("{reference}: received after {days} days, closed untimely (letter ready)"),
                              reference=grievance.reference, days=policy.GRIEVANCE_TIMELY_DAYS)
    elif grievance.status == GStatus.INCOMPLETE:
        letter_make(case=grievance, kind=Kind.INCOMPLETE, dated=on, actor=actor)
        subject = format_lazy(_("{reference}: incomplete grievance (letter of what is missing ready)"), reference=grievance.reference)
    else:
        due = grievance.committee_response_due
        _schedule_reminders(COMMITTEE_REMINDER, grievance,
                            [add_business_days(due, -n) for n in policy.COMMITTEE_REMINDER_BUSINESS_DAYS_BEFORE])
        deadline_schedule(kind=COMMITTEE_OVERDUE, subject=grievance, due_at=_after(due))
        subject = format_lazy(_("New grievance {reference}: respond by {due}"), reference=grievance.reference, due=due)
    _notify(_staff(), subject=subject, body=format_lazy(_("Received on {day}."), day=grievance.received_on),
            link=grievance_link(grievance))


@transaction.atomic
def grievance_file(*, actor: User, received_on: date | None = None, channel: str = Channel.IN_PERSON, assisted: bool = False,
                   client_id: int | None = None, agency_id: int | None = None, program_id: int | None = None,
                   referral_id: int | None = None, phone: str = "", attachments=(), **values) -> Grievance:
    """A grievance of someone wrongly denied from a program, entered by CoC staff or the committee."""
    require_perm(actor, ADD_GRIEVANCES)
    _staff_channel(channel)
    received_on = received_on or timezone.localdate()
    if values.get("denial_date") and values["denial_date"] > received_on:
        raise Invalid({"denial_date": [DENIAL_AFTER_RECEIPT]})
    agency, program, referral = _grievance_links(agency_id=agency_id, program_id=program_id, referral_id=referral_id)
    client = _client_for(actor, client_id)
    if client is None and referral is not None:
        client = referral.entry.client
    if values.get("denial_date") is None and referral is not None and referral.decided_at:
        values["denial_date"] = timezone.localtime(referral.decided_at).date()
    checked = attachments_check(list(attachments))
    grievance = Grievance(**{key: values[key] for key in GRIEVANCE_FIELDS if key in values}, received_on=received_on,
                          channel=channel, filed_by=actor, assisted_by=actor if assisted else None, client=client,
                          agency=agency, program=program, referral=referral, status=GStatus.INCOMPLETE)
    if phone and not grievance.phone_cell:
        grievance.phone_cell = phone
    _grievance_settle(grievance, actor=actor, on=received_on, reason=f"grievance received ({channel})")
    attachments_store(checked=checked, case=grievance, actor=actor)
    watch_start(grievance)
    return grievance


@transaction.atomic
def grievance_amend(*, grievance: Grievance, actor: User, reason: str = "", **values) -> Grievance:
    require_perm(actor, CHANGE_GRIEVANCES)
    grievance = _lock_grievance(grievance)
    editable = grievance.status in (GStatus.INCOMPLETE, GStatus.RECEIVED)
    if "phone" in values:
        values["phone_cell"] = values.pop("phone")
    if not editable and set(values) - set(CONTACT_FIELDS):
        raise Invalid({NON_FIELD: [format_lazy(ONLY_CONTACT_NOW, fields=", ".join(CONTACT_FIELDS))]})
    link_ids = {key: values.pop(key, getattr(grievance, key)) for key in ("agency_id", "program_id", "referral_id")}
    if any(link_ids[key] != getattr(grievance, key) for key in link_ids):
        grievance.agency, grievance.program, grievance.referral = _grievance_links(**link_ids)
    for key, value in values.items():
        setattr(grievance, key, value)
    if grievance.denial_date and grievance.denial_date > grievance.received_on:
        raise Invalid({"denial_date": [DENIAL_AFTER_RECEIPT]})
    if grievance.status == GStatus.RECEIVED and grievance_missing(_as_values(grievance)):
        raise Invalid(_missing_errors(grievance_missing(_as_values(grievance))))
    if editable:
        _grievance_settle(grievance, actor=actor, on=timezone.localdate(), reason=reason or "form amended")
    else:
        history_save(grievance, actor=actor, reason=reason or "contact details corrected")
    return grievance


@transaction.atomic
def grievance_link_client(*, grievance: Grievance, actor: User, client_id: int | None) -> Grievance:
    require_perm(actor, CHANGE_GRIEVANCES)
    grievance = _lock_grievance(grievance)
    grievance.client = _client_for(actor, client_id)
    history_save(grievance, actor=actor, reason="complainant's record linked" if client_id else "complainant's record unlinked")
    watch_start(grievance)
    return grievance


@transaction.atomic
def grievance_respond(*, grievance: Grievance, actor: User, on: date | None = None, note: str = "") -> Grievance:
    """A committee member's response (within 15 business days): the response letter."""
    require_perm(actor, CHANGE_GRIEVANCES)
    grievance = _lock_grievance(grievance)
    _require_status(grievance, [GStatus.RECEIVED], WRONG_GRIEVANCE_STATUS)
    if grievance.responded_on is not None:
        raise Invalid({NON_FIELD: [format_lazy(ALREADY_RESPONDED, on=grievance.responded_on)]})
    on = _on_or_after(on, grievance.received_on, DATE_BEFORE_RECEIPT, received=grievance.received_on)
    grievance.responded_on = on
    grievance.responded_by = actor
    grievance.response_note = note
    history_save(grievance, actor=actor, reason="committee responded")
    deadline_cancel(subject=grievance, reason="committee responded", kinds=GRIEVANCE_CLOCKS)
    letter_make(case=grievance, kind=Kind.RESPONSE, dated=on, actor=actor)
    return grievance


@transaction.atomic
def grievance_vote(*, grievance: Grievance, actor: User, votes_for: int, votes_against: int, votes_abstain: int = 0,
                   decision: str, outcome: str = Grievance.Outcome.OTHER, on: date | None = None) -> Grievance:
    """The Board vote that settles the grievance, and the decision letter."""
    require_perm(actor, CHANGE_GRIEVANCES)
    grievance = _lock_grievance(grievance)
    _require_status(grievance, [GStatus.RECEIVED], WRONG_GRIEVANCE_STATUS)
    errors = {}
    if votes_for + votes_against + votes_abstain < 1:
        errors[NON_FIELD] = [NO_VOTES]
    if not decision.strip():
        errors["decision"] = [DECISION_REQUIRED]
    if errors:
        raise Invalid(errors)
    earliest = _latest(grievance.received_on, grievance.responded_on)
    on = _on_or_after(on, earliest, DATE_BEFORE_LAST_STEP, last=earliest)
    grievance.votes_for, grievance.votes_against, grievance.votes_abstain = votes_for, votes_against, votes_abstain
    grievance.decision = decision
    grievance.outcome = outcome
    grievance.decided_on = on
    grievance.status = GStatus.DECIDED
    grievance.closed_on = on
    history_save(grievance, actor=actor, reason=f"Board vote: {votes_for} for, {votes_against} against, {votes_abstain} abstaining")
    deadline_cancel(subject=grievance, reason="decided by Board vote", kinds=GRIEVANCE_CLOCKS)
    letter_make(case=grievance, kind=Kind.DECISION, dated=on, actor=actor)
    return grievance


@transaction.atomic
def grievance_appeal(*, grievance: Grievance, actor: User, to: str, on: date | None = None) -> Grievance:
    """Still not resolved: the person appealed to a funding agency or board (recorded: to whom, when)."""
    require_perm(actor, CHANGE_GRIEVANCES)
    grievance = _lock_grievance(grievance)
    _require_status(grievance, [GStatus.DECIDED], WRONG_GRIEVANCE_STATUS)
    if not to.strip():
        raise Invalid({"to": [APPEAL_TO_REQUIRED]})
    on = _on_or_after(on, grievance.decided_on, APPEAL_BEFORE_DECISION, decided=grievance.decided_on)
    grievance.status = GStatus.APPEALED
    grievance.appeal_to = to
    grievance.appeal_on = on
    history_save(grievance, actor=actor, reason=f"appealed to {to}")
    return grievance


@transaction.atomic
def grievance_withdraw(*, grievance: Grievance, actor: User, on: date | None = None, note: str = "") -> Grievance:
    require_perm(actor, CHANGE_GRIEVANCES)
    grievance = _lock_grievance(grievance)
    _require_status(grievance, [GStatus.INCOMPLETE, GStatus.RECEIVED], WRONG_GRIEVANCE_STATUS)
    on = _on_or_after(on, grievance.received_on, DATE_BEFORE_RECEIPT, received=grievance.received_on)
    grievance.status = GStatus.WITHDRAWN
    grievance.closed_on = on
    grievance.closure_note = note
    history_save(grievance, actor=actor, reason="withdrawn by the complainant")
    deadline_cancel(subject=grievance, reason="withdrawn", kinds=GRIEVANCE_CLOCKS)
    letter_make(case=grievance, kind=Kind.WITHDRAWAL, dated=on, actor=actor)
    return grievance


def committee_clock_notify(*, grievance_id: int, overdue: bool) -> bool:
    """A reminder before the committee's response is due, or the notice that it is overdue."""
    grievance = Grievance.objects.filter(pk=grievance_id).first()
    if grievance is None or grievance.status != GStatus.RECEIVED or grievance.responded_on is not None:
        return False
    if overdue:
        subject = format_lazy(_("{reference}: the committee's response is overdue (was due {due})"),
                              reference=grievance.reference, due=grievance.committee_response_due)
    else:
        subject = format_lazy(_("{reference}: the committee's response is due {due}"),
                              reference=grievance.reference, due=grievance.committee_response_due)
    _notify(users_with_role(roles.COMMITTEE).order_by("pk") if not overdue else _staff(), subject=subject,
            body=_("Appendix E: a member of the Outcomes and Measurements Committee responds within 15 business days."),
            link=grievance_link(grievance))
    return True


def investigation_clock_notify(*, complaint_id: int, overdue: bool) -> bool:
    complaint = TitleViComplaint.objects.select_related("investigator").filter(pk=complaint_id).first()
    if complaint is None or complaint.status not in (Status.INVESTIGATING, Status.AWAITING_INFORMATION):
        return False
    if overdue:
        subject = format_lazy(_("{reference}: the 30-day investigation is overdue (was due {due})"),
                              reference=complaint.reference, due=complaint.investigation_due)
        recipients = _staff()
    else:
        subject = format_lazy(_("{reference}: the investigation is due {due}"), reference=complaint.reference,
                              due=complaint.investigation_due)
        recipients = [complaint.investigator] if complaint.investigator and complaint.investigator.is_active else _staff()
    _notify(recipients, subject=subject, body=_("Appendix D: Connecting Point has 30 days to investigate the complaint."),
            link=complaint_link(complaint))
    return True


# --- committee meetings ---------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor: User, date: date, location: str = "", note: str = "") -> CommitteeMeeting:
    """A committee meeting; open grievances whose next meeting it now is go on its agenda."""
    require_perm(actor, ADD_MEETINGS)
    if CommitteeMeeting.objects.filter(date=date).exists():
        raise Invalid({"date": [MEETING_EXISTS]})
    meeting = history_save(CommitteeMeeting(date=date, location=location, note=note, created_by=actor), actor=actor,
                           reason="meeting scheduled")
    waiting = (Grievance.objects.select_for_update(of=("self",)).filter(status=GStatus.RECEIVED, received_on__lte=date)
               .filter(Q(meeting__isnull=True) | Q(meeting__date__gt=date)))
    for grievance in waiting:
        grievance.meeting = meeting
        history_save(grievance, actor=actor, reason=f"on the agenda of {meeting}")
    return meeting
