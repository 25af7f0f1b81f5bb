"""The numbers and lists of the referral process (bnl-and-referrals.md), each once."""

from bnl.policy import MAX_OPEN_REFERRALS_PER_VACANCY  # noqa: F401  (the pull's limit, "at most five")

# "a pending referral with no decision after 10 business days (configurable) sends
# a reminder to the program and CoC staff; after 20 business days it expires"
REMINDER_BUSINESS_DAYS = 10
EXPIRY_BUSINESS_DAYS = 20

# "provider_rejected → requires a reason from a documented list"
REJECTION_REASONS = [
    ("not_eligible", "Does not meet program eligibility"),
    ("household_size", "Household size does not fit the unit"),
    ("unable_to_contact", "Unable to contact after the engagement steps"),
    ("higher_level_of_care", "Client needs a higher level of care"),
    ("safety_concern", "Safety concern"),
]
REJECTION_REASON_CODES = {code for code, _label in REJECTION_REASONS}

# HUD 4.20 event code by program type (hmis-export.md).
CE_EVENT_BY_PROGRAM_TYPE = {"es": 10, "th": 11, "rrh": 13, "psh": 14, "prevention": 1, "services": 9}

# Each shelter's list of the last 24 hours goes out at 07:00 local time.
SHELTER_LIST_HOUR = 7
SHELTER_LIST_WINDOW_HOURS = 24

# What a shelter tells a walk-in (the CE phone lines of CA-515).
CALL_CE_PROMPT = "Ask them to call Coordinated Entry: 2-1-1 in Nevada County, 1-833-3PLACER in Placer County."
