"""The engagement policies' numbers and lists (engagement.md; seeds 002 and 003), each once."""

# Assertive engagement, new referrals ("Upon Entry Into Service").
FIRST_ROUND_DAYS = 5  # "Attempt to call client within 5 business days once referral is assigned"
WAIT_MIN_DAYS = 3  # "Wait 3-5 business days"
WAIT_MAX_DAYS = 5
REFERRAL_SOURCE_REPLY_DAYS = 5  # "Allow 3-5 business days to hear back"
CLOSE_AFTER_LETTER_DAYS = 5  # the file closes 5 business days after the no-contact letter
# Existing clients: "at least one round every 10 business days", "for a maximum of 3 months".
EXISTING_ROUND_EVERY_DAYS = 10

# 30/60-day disengagement (seed 003).
DISENGAGED_AFTER_DAYS = 30  # "disengaged and inactive for 30 consecutive days"
HOLD_AFTER_DAYS = 30  # "still disengaged ... for 30 additional days"
STAFF_MEETING_QUIET_DAYS = 14  # the weekly report also lists everyone without contact for 14+ days

STEP1_REASONS = [
    ("other", "Other (explain below)"),
    ("customer_choice", "Customer choice"),
    ("extended_stay_state_hospital", "Extended stay in a state hospital"),
    ("unable_to_engage", "Unable to engage"),
    ("moved", "Moved"),
    ("case_closure", "Case closure"),
    ("transfer_to_different_program", "Transfer to a different program"),
]
REQUESTORS = [("agency", "Agency"), ("customer", "Customer")]
MIN_ATTEMPTS_FOR_STEP1 = 2  # "at least two attempts on two different channels must already be recorded"
