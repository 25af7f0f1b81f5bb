"""The numbers, lists and addresses of the complaint and grievance procedures (grievances.md;
seed 004, Appendix D and E), each once, with the sentence it comes from."""

from django.utils.translation import gettext_lazy as _

# --- Title VI / discrimination complaints (Appendix D) ---------------------------------

# "Connecting Point investigates complaints received no more than 180 days after the alleged incident."
COMPLAINT_TIMELY_DAYS = 180
# "Connecting Point has 30 days to investigate the complaint."
INVESTIGATION_DAYS = 30
# Reminders to the investigator before the investigation deadline (calendar days before it).
INVESTIGATION_REMINDER_DAYS_BEFORE = (7, 2)
# "The complainant has 15 business days from the date of the letter to send requested information."
INFORMATION_BUSINESS_DAYS = 15
# "If the complainant wishes to appeal the decision, she/he has 30 days after the date of the letter or the LOF."
APPEAL_DAYS = 30

# Every protected basis the CA-515 P&P names for the Coordinated Entry Process (grievances.md).
BASES = [
    ("race", _("Race")),
    ("color", _("Color")),
    ("national_origin", _("National origin")),
    ("religion", _("Religion")),
    ("sex", _("Sex")),
    ("age", _("Age")),
    ("familial_status", _("Familial status (children in the household)")),
    ("disability", _("Disability")),
    ("sexual_orientation", _("Sexual orientation (actual or perceived)")),
    ("gender_identity", _("Gender identity")),
    ("marital_status", _("Marital status")),
]
BASIS_CODES = [code for code, _label in BASES]

# Section V: "Have you filed this complaint with any other Federal, State, or local agency, or with any court?"
OTHER_FILINGS = [
    ("federal_agency", _("Federal agency")),
    ("federal_court", _("Federal court")),
    ("state_court", _("State court")),
    ("state_agency", _("State agency")),
    ("local_agency", _("Local agency")),
]
OTHER_FILING_CODES = [code for code, _label in OTHER_FILINGS]

# Where Title VI complaints go (Appendix D: "Please submit this form in person or by mail to").
COMPLAINT_OFFICE = {
    "name": "Nevada-Sierra Connecting Point Public Authority",
    "attention": "Charisse Jones",
    "address": "208 Sutton Way, Grass Valley, CA 95945",
}

# --- Coordinated Entry grievances (Appendix E) -----------------------------------------

# "HRCS investigates complaints received no more than 180 days after the alleged denial."
GRIEVANCE_TIMELY_DAYS = 180
# "a representative from the HRCS Outcomes and Measurements Committee will respond within fifteen (15) business days"
COMMITTEE_RESPONSE_BUSINESS_DAYS = 15
# Reminders to the committee before its response is due (business days before it).
COMMITTEE_REMINDER_BUSINESS_DAYS_BEFORE = (5, 1)
GRIEVANCE_OFFICE = {
    "name": "Homeless Resource Council of the Sierras",
    "attention": "Outcomes and Measurements Committee",
    "address": "P.O. Box 5216, Auburn, CA 95604",
}
# A Board vote: counts per choice.
VOTES_MAX = 200

# --- Non-retaliation (grievances.md) ---------------------------------------------------

# "any adverse change to a complainant's list entry or referrals within 90 days after filing is flagged"
RETALIATION_WATCH_DAYS = 90
# What counts as adverse: the list entry set inactive or exited, its score lowered, a referral rejected by the program.
ADVERSE_ENTRY_STATUSES = ("inactive", "exited")
ADVERSE_REFERRAL_STATUSES = ("provider_rejected",)

# --- The public page /complaints/ (abuse protection) -----------------------------------

PUBLIC_ATTEMPTS_PER_HOUR = 10  # submissions (good or bad) from one address in an hour
PUBLIC_ATTEMPTS_PER_DAY = 30
ATTACHMENTS_MAX = 3
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_TOTAL_MAX_BYTES = 10 * 1024 * 1024
# Attachment types accepted, recognised by their first bytes (not by name or browser's claim).
ATTACHMENT_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]

# Text limits of the forms.
DESCRIPTION_MAX_CHARS = 10_000
LONG_TEXT_MAX_CHARS = 4_000
SHORT_TEXT_MAX_CHARS = 200

# --- Scheduled times (local) -----------------------------------------------------------

REMINDER_HOUR = 8  # reminders arrive at 08:00 on their day
# A deadline that ends with a day is acted on just after that day ends (00:05 the next day).
AFTER_DAY_MINUTES = 5

# The clocks' deadline kinds (ces.deadlines), handled in grievances/timers.py.
INVESTIGATION_REMINDER = "grievances.investigation_reminder"
INVESTIGATION_OVERDUE = "grievances.investigation_overdue"
INFORMATION_OVERDUE = "grievances.information_overdue"
COMMITTEE_REMINDER = "grievances.committee_reminder"
COMMITTEE_OVERDUE = "grievances.committee_overdue"
RETALIATION_WATCH = "grievances.retaliation_watch"
