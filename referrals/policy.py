"""The numbers and lists of the referral process (bnl-and-referrals.md), each once."""

from django.utils.translation import gettext_lazy as _

from bnl.policy import MAX_OPEN_REFERRALS_PER_UNIT  # noqa: F401  (the pull's limit, "five per open bed/unit")
from referrals.models import Referral, ShelterReferral

# A vacancy is one or more open units or beds (bnl-and-referrals.md, "Vacancies").
VACANCY_MIN_UNITS = 1
VACANCY_MAX_UNITS = 500

# "a pending referral with no decision after 10 business days (configurable) sends
# a reminder to the program and CoC staff; after 20 business days it expires"
REMINDER_BUSINESS_DAYS = 10
EXPIRY_BUSINESS_DAYS = 20

# "provider_rejected → requires a reason from a documented list"
REJECTION_REASONS = [
    ("not_eligible", _("Does not meet program eligibility")),
    ("household_size", _("Household size does not fit the unit")),
    ("unable_to_contact", _("Unable to contact after the engagement steps")),
    ("higher_level_of_care", _("Client needs a higher level of care")),
    ("safety_concern", _("Safety concern")),
]
REJECTION_REASON_CODES = {code for code, _label in REJECTION_REASONS}

# HUD 4.20 event code by program type (hmis-export.md).
CE_EVENT_BY_PROGRAM_TYPE = {"es": 10, "th": 11, "rrh": 13, "psh": 14, "prevention": 1, "services": 9}

# HUD 4.20 events the intake itself produces (hmis-export.md): a caller who is not literally
# homeless (slept in their own or a rented home, with family or friends, or in a self-paid motel)
# is at risk, and "will be referred based on the county" to prevention (event 1); a caller outside
# Placer and Nevada counties gets out-of-area resources: non-continuum services, ineligible (event 8).
# No intake branch records a diversion conversation, so event 2 is never produced.
AT_RISK_SLEEP_LOCATIONS = frozenset({"family_or_friends", "hotel_self_paid", "rental", "owned"})

# Each shelter's list of the last 24 hours goes out at 07:00 local time.
SHELTER_LIST_HOUR = 7
SHELTER_LIST_WINDOW_HOURS = 24

# What a shelter tells a walk-in (the CE phone lines of CA-515).
CALL_CE_PROMPT = _("Ask them to call Coordinated Entry: 2-1-1 in Nevada County, 1-833-3PLACER in Placer County.")

# The referral's workflow as data: from each open status, the outcomes a program may record
# (the service, the screen's choices and the tests all read this). `expired` only by the timer.
DECIDABLE = {
    Referral.Status.PENDING: (Referral.Status.ACCEPTED, Referral.Status.ENROLLED, Referral.Status.CLIENT_DECLINED,
                              Referral.Status.PROVIDER_REJECTED, Referral.Status.NOT_SELECTED),
    Referral.Status.ACCEPTED: (Referral.Status.ENROLLED, Referral.Status.CLIENT_DECLINED,
                               Referral.Status.PROVIDER_REJECTED, Referral.Status.NOT_SELECTED),
}
DECISION_OUTCOMES = tuple(DECIDABLE[Referral.Status.PENDING])
# How the program's screen names each outcome it may record.
OUTCOME_LABELS = {
    Referral.Status.ACCEPTED: _("Accepted"),
    Referral.Status.ENROLLED: _("Enrolled (moved in)"),
    Referral.Status.CLIENT_DECLINED: _("Client declined"),
    Referral.Status.PROVIDER_REJECTED: _("Rejected by the program"),
    Referral.Status.NOT_SELECTED: _("Not selected"),
}

# What a shelter records for a person CE referred to it.
SHELTER_OUTCOMES = (ShelterReferral.Status.ARRIVED, ShelterReferral.Status.NO_SHOW, ShelterReferral.Status.DENIED)

# Chronic homelessness (24 CFR 578.3) is self-reported at intake ("likely chronic"): a
# program dedicated to chronically homeless people enrols only once each of these is on
# file (HUD's recordkeeping for chronic status, 24 CFR 578.103(a)(4)). Checked on the referral.
CHRONIC_DOCUMENTATION = [
    ("disability", _("Disabling condition verified (licensed professional's written verification, or SSA/VA disability benefits)")),
    ("current_homelessness", _("Currently homeless where the definition counts (street, emergency shelter, safe haven) documented")),
    ("duration", _("12 months homeless, or 4 occasions in 3 years totalling 12 months, documented (third-party or HMIS records)")),
    ("institutional_stay", _("Any institutional stay checked: under 90 days and homeless immediately before it (or no stay)")),
]
CHRONIC_DOCUMENTATION_CODES = [code for code, _label in CHRONIC_DOCUMENTATION]
CHRONIC_DOCUMENTATION_LABELS = dict(CHRONIC_DOCUMENTATION)

# CoC staff's finding on a provider's rejection ("justified and rare").
REJECTION_REVIEW_FINDINGS = [("justified", _("Justified")), ("not_justified", _("Not justified"))]
REJECTION_REVIEW_CODES = [code for code, _label in REJECTION_REVIEW_FINDINGS]
