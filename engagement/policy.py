"""The engagement policies' numbers and lists (engagement.md; seeds 002 and 003), each once."""

from django.utils.translation import gettext_lazy as _

# Assertive engagement, new referrals ("Upon Entry Into Service").
FIRST_ROUND_DAYS = 5  # "Attempt to call client within 5 business days once referral is assigned"
WAIT_MIN_DAYS = 3  # "Wait 3-5 business days"
WAIT_MAX_DAYS = 5
# "Attempt to contact referral source to advise. Allow 3-5 business days to hear back": the letter
# waits until 3 business days have passed, and is due when 5 have.
REFERRAL_SOURCE_WAIT_DAYS = 3
REFERRAL_SOURCE_REPLY_DAYS = 5
# The letter says the file closes in five business days: it closes once 5 have passed after it.
CLOSE_AFTER_LETTER_DAYS = 5
# Existing clients: "at least one round every 10 business days", "for a maximum of 3 months".
EXISTING_ROUND_EVERY_DAYS = 10

# 30/60-day disengagement (seed 003).
DISENGAGED_AFTER_DAYS = 30  # "disengaged and inactive for 30 consecutive days"
HOLD_AFTER_DAYS = 30  # "still disengaged ... for 30 additional days"
# "Step 2 – Disengaged and inactive for 60 consecutive days total": Hold is counted from the start of the
# disengagement, never from a signature.
HOLD_AT_DAYS_DISENGAGED = DISENGAGED_AFTER_DAYS + HOLD_AFTER_DAYS
STAFF_MEETING_QUIET_DAYS = 14  # the weekly report also lists everyone without contact for 14+ days

STEP1_REASONS = [
    ("other", _("Other (explain below)")),
    ("customer_choice", _("Customer choice")),
    ("extended_stay_state_hospital", _("Extended stay in a state hospital")),
    ("unable_to_engage", _("Unable to engage")),
    ("moved", _("Moved")),
    ("case_closure", _("Case closure")),
    ("transfer_to_different_program", _("Transfer to a different program")),
]
REASON_CODES = tuple(code for code, _label in STEP1_REASONS)
REQUESTORS = [("agency", _("Agency")), ("customer", _("Customer"))]
REQUESTOR_CODES = tuple(code for code, _label in REQUESTORS)
MIN_ATTEMPTS_FOR_STEP1 = 2  # "at least two attempts on two different channels must already be recorded"

# The two forms of the 30/60 protocol, and who gives the second sign-off (a supervisor, in that capacity).
FORM_STEPS = (1, 2)
SECOND_SIGNER_TITLES = {1: _("Director of Services"), 2: _("Team Leader")}

# Services delivered (seed 003: "disengaged and inactive"; engagement.md: "no reached contact and no service
# recorded for 30 consecutive days"): a service recorded on a case resets its clock like a reached contact.
SERVICE_KINDS = [
    ("case_management", _("Case management meeting")),
    ("housing_search", _("Housing search help")),
    ("benefits", _("Benefits or income help")),
    ("employment", _("Employment services")),
    ("health", _("Health or behavioral health linkage")),
    ("transportation", _("Transportation")),
    ("basic_needs", _("Food, clothing or hygiene items")),
    ("other", _("Other (say what in the note)")),
]
SERVICE_KIND_CODES = tuple(code for code, _label in SERVICE_KINDS)
